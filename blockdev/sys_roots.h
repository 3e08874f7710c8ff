// SPDX-License-Identifier: MIT
#pragma once
/// Where the kernel's views of the machine are mounted. Everything in blockdev/ reads below
/// these roots, so that tests (and the installer's --root-free test doubles) can point them at a
/// tree of their own (blockdev/test_tree.h).

#include <string>

namespace zk::blockdev {

struct SysRoots {
  std::string sys = "/sys";    ///< sysfs: class/block, dev/block, the devices' attributes
  std::string dev = "/dev";    ///< device nodes (devtmpfs, udev's links)
  std::string proc = "/proc";  ///< procfs: self/mountinfo, swaps, cmdline, vmcore
};

}  // namespace zk::blockdev
