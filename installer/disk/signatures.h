// SPDX-License-Identifier: MIT
#pragma once
/// What a disk or a partition holds according to libblkid (file systems, RAID and LVM members,
/// swap, partition tables), and wiping those signatures the way wipefs does, so that a dump
/// disk never silently overwrites data, and a forced one leaves no stale signature behind for
/// udev, mount or mdadm to trip over.

#include <cstdint>
#include <string>
#include <vector>

#include "util/error.h"

namespace zk::installer::disk {

/// A byte range to probe: a whole disk or image (offset 0, size 0 = to the end), a partition
/// device node, or a partition inside an image (its offset and size).
struct ProbeTarget {
  std::string path;
  uint64_t offset = 0;
  uint64_t size = 0;  ///< 0: to the end of `path`
  std::string where;  ///< for messages: "the disk", "partition 1"
};

struct Signature {
  std::string where;    ///< the target's `where`
  std::string type;     ///< "ext4", "LVM2_member", "linux_raid_member", "swap", "dos", "gpt"
  std::string usage;    ///< "filesystem", "raid", "crypto", "other", "partition table"
  uint64_t offset = 0;  ///< of the magic, in bytes from the start of the probed range
  uint64_t length = 0;  ///< of the magic
  std::string label;
  std::string uuid;

  /// "ext4 file system (label \"data\") at byte 0x438 of partition 1"
  [[nodiscard]] std::string describe() const;
};

/// Every signature libblkid finds in the target, superblocks (with bad checksums too) and
/// partition tables, in the order wipefs lists them.
Result<std::vector<Signature>> find_signatures(const ProbeTarget& target);

/// Erases the magic of every signature in the target (libblkid's blkid_do_wipe, as wipefs -a
/// does), syncs, and returns what was erased.
Result<std::vector<Signature>> wipe_signatures(const ProbeTarget& target);

}  // namespace zk::installer::disk
