// SPDX-License-Identifier: MIT
#pragma once
/// Where the dump kernel's views are, relative to roots that tests can point at a tree of their
/// own (a named test double: no emulator has zfcp or an HSA, so those paths are exercised
/// against a directory a test builds), and the small-file access the dumper uses on them. The
/// block-device layout is read by blockdev/, the reader the installer shares.

#include <string>

#include "blockdev/sys_roots.h"
#include "blockdev/text_file.h"

namespace zk::dumper {

/// The kernel's views (sys, dev, proc: blockdev::SysRoots) and the dumper's own places.
struct SystemRoots : blockdev::SysRoots {
  std::string debugfs = "/sys/kernel/debug";
  /// Where the ramdisk keeps zfcpdump.conf, the defaults baked in by the ramdisk builder.
  std::string etc = "/etc";
};

using blockdev::exists;
using blockdev::read_text;
using blockdev::write_text;

}  // namespace zk::dumper
