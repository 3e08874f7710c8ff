// SPDX-License-Identifier: MIT
#pragma once
/// The block devices that make up a disk as the kernel sees it: the whole disk and each of
/// its partitions (kernel partitions of a SCSI disk, kpartx partition maps of a multipath map),
/// with their device numbers, so that the in-use checks can look each of them up.

#include <optional>
#include <string>
#include <vector>

#include "installer/system/block_device.h"
#include "util/error.h"

namespace zk::installer::disk {

struct Member {
  std::string name;                   ///< sysfs name: sda, sda1, dm-0, dm-3
  std::string devnum;                 ///< "8:1", from sysfs's dev attribute
  std::string node;                   ///< <dev>/<name>
  std::optional<unsigned> partition;  ///< the partition number; nullopt for the disk itself
};

/// The disk first, then its partitions by number (blockdev::partitions, or for a device-mapper
/// map blockdev::kpartx_partitions). An image file has no members (nothing of the kernel's can
/// be using it through a device node). Fails when the disk is not in sysfs or an attribute of
/// one of its partitions is missing or out of range.
Result<std::vector<Member>> disk_members(const system::BlockDevice& disk,
                                         const system::SysRoots& roots = {});

}  // namespace zk::installer::disk
