// SPDX-License-Identifier: MIT
#pragma once
/// Whether anything on this system uses a disk or one of its partitions: a mounted file
/// system, swap, a holder (device-mapper: LVM, multipath, dm-crypt; md RAID), or any program
/// holding it open exclusively. A dump disk must be none of these before a byte is written.

#include <string>
#include <string_view>
#include <vector>

#include "installer/disk/members.h"
#include "installer/system/block_device.h"
#include "util/error.h"

namespace zk::installer::disk {

struct MountEntry {
  std::string devnum;       ///< "8:1" (0:N for file systems without a device, btrfs too)
  std::string mount_point;  ///< unescaped
  std::string source;       ///< "/dev/sda1", unescaped
};

/// The entries of /proc/self/mountinfo, read by libmount: lines it cannot read are skipped,
/// paths are unescaped (and a path's " (deleted)" suffix dropped). libmount takes the format from
/// the first line: when that is no mountinfo line, the text yields no entries.
[[nodiscard]] std::vector<MountEntry> parse_mountinfo(std::string_view text);
/// The swap areas of /proc/swaps that are devices (not files), unescaped, read by libmount;
/// none unless the text starts with the kernel's header line ("Filename<tab>...").
[[nodiscard]] std::vector<std::string> parse_swaps(std::string_view text);

struct Use {
  std::string member;  ///< sda1
  std::string what;    ///< "is mounted on /boot", "is used as swap", "is held by dm-2 (LVM ...)"
  std::string advice;  ///< what to do about it
};

/// Every use of the members. `exclusive_probe`: also open each member's node with O_EXCL
/// (only for real block devices; EBUSY means someone holds it). Fails when <proc>/self/mountinfo
/// cannot be read or lists no mount (no table the kernel wrote); a missing <proc>/swaps is a
/// kernel without swap.
Result<std::vector<Use>> find_uses(const std::vector<Member>& members,
                                   const system::SysRoots& roots, bool exclusive_probe = true);

}  // namespace zk::installer::disk
