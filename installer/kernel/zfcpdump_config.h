// SPDX-License-Identifier: MIT
#pragma once
/// Whether a kernel configuration can serve as a zfcpdump kernel for this kit's dumper.

#include <string>
#include <string_view>
#include <vector>

#include "installer/kernel/kernel_config.h"

namespace zk::installer::kernel {

/// One finding: the option concerned and a sentence that names it and says why it matters.
struct ConfigProblem {
  std::string option;   ///< "CONFIG_CRASH_DUMP" (for the partition rule: "CONFIG_MSDOS_PARTITION")
  std::string message;  ///< "CONFIG_CRASH_DUMP is not set (a zfcpdump kernel needs it: ...)"
};

struct ConfigCheck {
  std::vector<ConfigProblem> errors;    ///< the kernel cannot work as a zfcpdump kernel
  std::vector<ConfigProblem> warnings;  ///< it works, but something is worth knowing
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

/// Checks `config` against what a zfcpdump kernel running this kit's ramdisk needs.
/// `rd_option` is the Kconfig option of the ramdisk's compressor ("CONFIG_RD_GZIP" or "RD_GZIP";
/// empty for an uncompressed ramdisk). Everything required must be =y: the dump ramdisk carries
/// no kernel modules, so =m is as good as missing.
[[nodiscard]] ConfigCheck check_zfcpdump_config(const KernelConfig& config,
                                                std::string_view rd_option);

}  // namespace zk::installer::kernel
