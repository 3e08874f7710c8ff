// SPDX-License-Identifier: MIT
#pragma once
/// The dumper as /init of the zfcpdump ramdisk: mount the kernel's file systems, read the
/// kernel parameters, find the disk, dump, and end with re-IPL, power off or halt.

#include <string>

#include "dumper/sysfs.h"

namespace zk::dumper {

struct InitOptions {
  SystemRoots roots;
  /// false in tests and in --system-root runs: nothing is mounted and the end action is only
  /// announced, not carried out.
  bool real_system = true;
};

/// Runs the whole ramdisk job; returns the process exit status (only when not a real system,
/// or when even the end action failed).
int run_init(const InitOptions& options);

}  // namespace zk::dumper
