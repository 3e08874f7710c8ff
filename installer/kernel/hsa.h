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

/// Room for what the running dump kernel allocates beyond its image: page tables, the struct
/// pages of the memory it has, slab and per-CPU areas, kernel stacks, the console's buffers.
/// Measured on the dump test kernel (zfcpdump_defconfig + kdump-test.config, 6.1) in a 64 MiB
/// guest with run-guest's busybox ramdisk: Slab 3676 KiB, KernelStack 432, PageTables 116,
/// Percpu 64, together 4.2 MiB; much of the slab holds that ramdisk's many files, which the
/// zfcpdump ramdisk (a handful) does not have. 6 MiB covers that figure with room to spare.
inline constexpr uint64_t kKernelRuntimeMarginBytes = 6ull << 20;

/// What the dump kernel needs while it runs, part by part, all of it inside the HSA: the kernel
/// itself (text, data, BSS: kernel_footprint.h), the ramdisk file (held until it is unpacked),
/// the unpacked ramdisk (the root file system lives in memory), the dumper's own memory
/// (ondisk::kDumperMemoryBudgetBytes) and kKernelRuntimeMarginBytes.
struct HsaNeeds {
  uint64_t kernel = 0;
  std::string kernel_source;  ///< KernelFootprint::source
  bool kernel_estimated = false;
  uint64_t ramdisk_file = 0;
  uint64_t ramdisk_unpacked = 0;
  uint64_t dumper = 0;
  uint64_t margin = 0;
  [[nodiscard]] uint64_t total() const {
    return kernel + ramdisk_file + ramdisk_unpacked + dumper + margin;
  }
  /// "kernel 7.0 MiB (vmlinux ...) + ramdisk 403.5 KiB + unpacked ramdisk 1.0 MiB + dumper
  /// 4.0 MiB + margin 4.0 MiB = 16.4 MiB".
  [[nodiscard]] std::string describe() const;
};

/// Checks that `needs` fit into `hsa`; returns the bytes left over. The error shows every part,
/// names the largest and what makes it smaller.
Result<uint64_t> check_hsa_needs(const HsaNeeds& needs, const HsaSize& hsa);

}  // namespace zk::installer::kernel
