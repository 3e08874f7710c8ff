// SPDX-License-Identifier: MIT
#include "installer/kernel/hsa.h"

#include <sys/stat.h>

#include <cerrno>

#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::kernel {

Result<HsaSize> hsa_size(const std::string& sysfs_root, std::optional<uint64_t> override_bytes) {
  if (override_bytes) {
    if (*override_bytes == 0) return fail("the HSA size override is 0");
    return HsaSize{*override_bytes, HsaSource::kOverride, "override"};
  }
  const std::string path = sysfs_root + "/firmware/dump/dump_area_size";
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) return fail_errno(errno, "HSA size: stat " + path);
    return HsaSize{kDefaultHsaBytes, HsaSource::kDefault,
                   "default (32 MiB, z14 and older machines)"};
  }
  auto text = util::read_file(path, 256);
  if (!text) return std::unexpected(text.error().wrap("HSA size"));
  auto bytes = util::parse_u64(*text, 0);
  if (!bytes || *bytes == 0)
    return fail("HSA size: " + path + " holds \"" + std::string(util::trim(*text)) +
                "\", not a positive number of bytes");
  return HsaSize{*bytes, HsaSource::kSysfs, path};
}

std::string HsaNeeds::describe() const {
  return util::format(
      "kernel %s (%s) + ramdisk %s + unpacked ramdisk %s + dumper %s + margin %s "
      "= %s",
      util::human_size(kernel).c_str(), kernel_source.c_str(),
      util::human_size(ramdisk_file).c_str(), util::human_size(ramdisk_unpacked).c_str(),
      util::human_size(dumper).c_str(), util::human_size(margin).c_str(),
      util::human_size(total()).c_str());
}

Result<uint64_t> check_hsa_needs(const HsaNeeds& n, const HsaSize& hsa) {
  // Each part is far below 2^60 (the footprint and the ramdisk are bounded where they are
  // read), so the sum cannot wrap.
  const uint64_t total = n.total();
  if (total <= hsa.bytes) return hsa.bytes - total;
  std::string largest = "the kernel: build it with fewer options (zfcpdump_defconfig)";
  uint64_t most = n.kernel;
  if (n.ramdisk_file + n.ramdisk_unpacked > most) {
    most = n.ramdisk_file + n.ramdisk_unpacked;
    largest = "the ramdisk: a smaller dumper, or a stronger --compress (xz)";
  }
  return fail(util::format(
      "the dump kernel needs %s while it runs, more than the HSA's %s (%s): %s. The largest part "
      "is %s; if the HSA is larger than assumed, give --hsa-size",
      util::human_size(total).c_str(), util::human_size(hsa.bytes).c_str(), hsa.origin.c_str(),
      n.describe().c_str(), largest.c_str()));
}

}  // namespace zk::installer::kernel
