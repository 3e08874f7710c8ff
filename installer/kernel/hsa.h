// SPDX-License-Identifier: MIT
#pragma once
/// The HSA budget: the zfcpdump kernel and its ramdisk are loaded into the memory the machine
/// saved in the hardware system area (HSA), so they must fit into it.

#include <cstdint>
#include <optional>
#include <string>

#include "util/error.h"

namespace zk::installer::kernel {

/// The HSA size of z14 and older machines, and what the kernel's
/// Documentation/arch/s390/zfcpdump.rst documents.
inline constexpr uint64_t kDefaultHsaBytes = 32ull << 20;

/// Where an HSA size came from, for messages.
enum class HsaSource { kOverride, kSysfs, kDefault };

struct HsaSize {
  uint64_t bytes = 0;
  HsaSource source = HsaSource::kDefault;
  std::string origin;  ///< "--hsa-size", the sysfs path, or "default (z14 and older)"
};

/// The HSA size to plan with: `override_bytes` if given; else the value in
/// `<sysfs_root>/firmware/dump/dump_area_size` when that file exists; else 32 MiB.
/// `sysfs_root` is "/sys" in production and a directory a test builds otherwise.
///
/// Linux 6.1 has no such file (its /sys/firmware/dump holds dump_type and the fcp/ccw/nvme
/// device attributes; the HSA size is visible only inside the dump kernel, as hex in
/// /sys/kernel/debug/zcore/hsa). The file is read as documented for newer kernels and machines:
/// one number of bytes, decimal or 0x-prefixed hex, surrounding white space allowed. A file that
/// exists but is unreadable, empty, malformed or 0 is an error, not a silent fallback.
Result<HsaSize> hsa_size(const std::string& sysfs_root, std::optional<uint64_t> override_bytes);

/// Checks the rule the installer enforces: kernel image + ramdisk must fit into the HSA.
/// Returns the bytes left over. Only the files are counted: the running kernel also needs its
/// decompressed size, its page tables, page cache and the dumper's memory, which cannot be
/// computed from the files; the guest tests boot the real thing with its real memory limit.
/// The error names both sizes, their sum and the HSA size.
Result<uint64_t> check_hsa_fit(uint64_t kernel_bytes, uint64_t ramdisk_bytes, const HsaSize& hsa);

}  // namespace zk::installer::kernel
