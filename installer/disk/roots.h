// SPDX-License-Identifier: MIT
#pragma once
/// Where `zfcpdump-install disk` finds the system it works on, so that tests can hand it a
/// test-double tree: the kernel's views (/sys, /dev, /proc) and the root below which the
/// installed files live (the layout, the registry, /etc/sysconfig/dumpconf; --root).

#include <string>

#include "installer/system/block_device.h"

namespace zk::installer::disk {

struct Roots {
  system::SysRoots sys;    ///< /sys, /dev, /proc
  std::string root = "/";  ///< --root
};

/// `path` (absolute, e.g. /etc/sysconfig/dumpconf) below `root`.
[[nodiscard]] std::string under_root(const std::string& root, const std::string& path);

}  // namespace zk::installer::disk
