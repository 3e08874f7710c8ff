// SPDX-License-Identifier: MIT
#include "installer/disk/disk_ramdisk.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>
#include <vector>

#include "filter/dump_level.h"
#include "initramfs-gen/config_overlay.h"
#include "installer/layout/build_layout.h"
#include "util/strings.h"

namespace zk::installer::disk {

Result<std::string> disk_defaults_text(std::string_view baked_params, std::string_view wwid,
                                       std::optional<unsigned> dump_level) {
  if (wwid.find_first_of(" \t\n") != std::string_view::npos)
    return fail("no usable wwid to name the disk by");
  if (wwid.empty() && !dump_level) return fail("nothing of the disk's own for its ramdisk");
  std::vector<std::string> words;
  for (const auto& w : util::split_words(baked_params)) {
    if (!wwid.empty() && w.starts_with("zfcpdump.disk=")) continue;
    if (dump_level && w.starts_with("zfcpdump.dump_level=")) continue;
    words.emplace_back(w);
  }
  if (!wwid.empty()) words.push_back("zfcpdump.disk=wwid:" + std::string(wwid));
  if (dump_level) words.push_back(util::format("zfcpdump.dump_level=%u", *dump_level));
  auto text = layout::dumper_config_text(words);
  if (!text) return std::unexpected(text.error());
  return **text;
}

unsigned dump_level_of(std::string_view params) {
  unsigned level = 1;
  for (const auto& w : util::split_words(params)) {
    constexpr std::string_view kKey = "zfcpdump.dump_level=";
    if (!w.starts_with(kKey)) continue;
    // As the dumper reads it (dumper/kernel_cmdline.cc): a word it cannot parse is ignored.
    if (auto n = filter::parse_dump_level(std::string_view(w).substr(kKey.size()))) level = *n;
  }
  return level;
}

Result<DiskRamdisk> DiskRamdisk::write(const std::string& layout_initrd,
                                       std::string_view defaults_text) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/zfcpdump-kit-initrd.XXXXXX";
  if (!::mkdtemp(dir.data())) return fail_errno(errno, "create a directory for the disk's ramdisk");
  const std::string path = dir + "/zfcpdump-initrd";
  auto bytes = initramfs::write_ramdisk_with_overlay(layout_initrd, defaults_text, path);
  if (!bytes) {
    ::rmdir(dir.c_str());
    return std::unexpected(bytes.error().wrap("the disk's own ramdisk"));
  }
  return DiskRamdisk(std::move(dir), path, *bytes);
}

DiskRamdisk::DiskRamdisk(DiskRamdisk&& other) noexcept
    : dir_(std::exchange(other.dir_, {})),
      path_(std::exchange(other.path_, {})),
      bytes_(other.bytes_) {}

DiskRamdisk::~DiskRamdisk() {
  if (!path_.empty()) ::unlink(path_.c_str());
  if (!dir_.empty()) ::rmdir(dir_.c_str());
}

}  // namespace zk::installer::disk
