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

Result<uint64_t> check_hsa_fit(uint64_t kernel_bytes, uint64_t ramdisk_bytes, const HsaSize& hsa) {
  const uint64_t total = kernel_bytes + ramdisk_bytes;
  if (total < kernel_bytes || total > hsa.bytes)
    return fail(util::format(
        "the zfcpdump kernel (%llu bytes, %s) and ramdisk (%llu bytes, %s) together take %llu "
        "bytes "
        "(%s), more than the HSA's %llu bytes (%s, %s): they would overwrite the crashed system's "
        "memory",
        static_cast<unsigned long long>(kernel_bytes), util::human_size(kernel_bytes).c_str(),
        static_cast<unsigned long long>(ramdisk_bytes), util::human_size(ramdisk_bytes).c_str(),
        static_cast<unsigned long long>(total), util::human_size(total).c_str(),
        static_cast<unsigned long long>(hsa.bytes), util::human_size(hsa.bytes).c_str(),
        hsa.origin.c_str()));
  return hsa.bytes - total;
}

}  // namespace zk::installer::kernel
