// SPDX-License-Identifier: MIT
#pragma once
/// The name a dump disk is registered under: one that survives reboots and path changes.

#include <string>

#include "installer/system/block_device.h"

namespace zk::installer::disk {

/// A link in <dev>/disk/by-id that resolves to the disk (multipath dm-uuid-mpath-, then the
/// NAA WWID scsi-3..., wwn-, other scsi-, dm-name-, then any; alphabetical within a kind;
/// never a -partN link), else one in <dev>/disk/by-path, else the disk node. An image file is
/// registered under its real path.
[[nodiscard]] std::string stable_disk_path(const system::BlockDevice& disk,
                                           const system::SysRoots& roots = {});

}  // namespace zk::installer::disk
