// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_footprint.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "ondisk/program_kind.h"
#include "util/fd.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::kernel {
namespace {

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Whether `path` starts with the ELF magic (an unreadable file is not ELF: the System.map
/// reader then says why it cannot be read).
bool is_elf(const std::string& path) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  char magic[4] = {};
  return fd.valid() && ::pread(fd.get(), magic, sizeof magic, 0) == 4 &&
         std::string_view(magic, 4) == std::string_view(
                                           "\x7f"
                                           "ELF",
                                           4);
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

Result<KernelFootprint> within_limit(uint64_t bytes, const std::string& source) {
  if (bytes == 0 || bytes > kMaxKernelFootprintBytes)
    return fail(util::format("%s gives a kernel of %llu bytes, which no zfcpdump kernel is",
                             source.c_str(), static_cast<unsigned long long>(bytes)));
  return KernelFootprint{bytes, source, false};
}

}  // namespace

Result<KernelFootprint> footprint_from_system_map(const std::string& path) {
  auto text = util::read_file(path, kMaxSystemMapBytes);
  if (!text) return std::unexpected(text.error().wrap("kernel footprint"));
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    // "ADDRESS TYPE NAME": the address is hex without 0x, the type one letter.
    const auto sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || line.size() < sp1 + 3 || line[sp1 + 2] != ' ') continue;
    if (line.substr(sp1 + 3) != "_end") continue;
    auto end = util::parse_u64(line.substr(0, sp1), 16);
    if (!end) return fail(path + ": the _end line has no hex address: " + std::string(line));
    return within_limit(*end, "System.map " + path + " (_end)");
  }
  return fail(path +
              ": no _end symbol (not a kernel's System.map; Debian's /boot/System.map-* is a "
              "placeholder, the real one is in the linux-image-*-dbg package)");
}

Result<KernelFootprint> footprint_from_vmlinux(const std::string& path) {
  auto kind = ondisk::read_program_kind(path);
  if (!kind) return std::unexpected(kind.error().wrap("kernel footprint"));
  if (kind->machine != EM_S390 || !kind->is_64bit || !kind->big_endian)
    return fail(path + " is not an s390x vmlinux: " + ondisk::describe_program(*kind));
  return within_limit(kind->load_end, "vmlinux " + path + " (end of its PT_LOAD segments)");
}

Result<KernelFootprint> footprint_from_map(const std::string& path) {
  if (is_elf(path)) return footprint_from_vmlinux(path);
  return footprint_from_system_map(path);
}

std::vector<std::string> map_candidates(const std::string& image) {
  const std::string dir = dir_of(image);
  std::vector<std::string> out{dir + "/vmlinux"};
  if (image.ends_with("arch/s390/boot/bzImage") || image.ends_with("arch/s390/boot/image")) {
    const std::string top = dir + "/../../..";
    out.push_back(top + "/vmlinux");
    out.push_back(top + "/System.map");
  }
  out.push_back(dir + "/System.map");
  const std::string base = image.substr(image.rfind('/') + 1);
  for (const std::string_view prefix : {"vmlinuz-", "image-", "vmlinux-"})
    if (base.starts_with(prefix)) out.push_back(dir + "/System.map-" + base.substr(prefix.size()));
  return out;
}

Result<KernelFootprint> kernel_footprint(const std::string& image, const KernelImageInfo& info,
                                         const std::optional<std::string>& explicit_map,
                                         std::vector<std::string>* skipped) {
  if (explicit_map) return footprint_from_map(*explicit_map);
  for (const auto& candidate : map_candidates(image)) {
    if (!exists(candidate)) continue;
    auto found = footprint_from_map(candidate);
    if (found) return found;
    if (skipped) skipped->push_back(found.error().describe());
  }
  // No map: the image is what there is. Uncompressed, it holds text and data (the BSS is
  // missing); compressed, the kernel unpacks to three or four times its size.
  const uint64_t guess = info.compressed ? 4 * info.size : info.size;
  return KernelFootprint{guess,
                         info.compressed ? "estimate: 4 x the compressed image"
                                         : "estimate: the image size, without the BSS",
                         true};
}

}  // namespace zk::installer::kernel
