// SPDX-License-Identifier: MIT
#pragma once
/// What a path names: a disk image file, a whole disk, or a partition of one, with what sysfs
/// says about the disk (size, sector sizes, driver, model, zfcp attributes), read through
/// blockdev/, the one reader of the block-device layout.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blockdev/disk.h"
#include "blockdev/sys_roots.h"
#include "util/error.h"

namespace zk::installer::system {

/// /sys, /dev and /proc (blockdev::SysRoots: tests point them at a tree of their own).
using SysRoots = blockdev::SysRoots;
using ZfcpAttributes = blockdev::ZfcpAttributes;

struct BlockDevice {
  std::string given;                  ///< as the user named it
  bool is_image = false;              ///< a regular file: a disk image
  std::string disk_node;              ///< the whole disk: /dev/sda, /dev/dm-0, or the image path
  std::string disk_name;              ///< sysfs name: sda, dm-0; empty for an image
  std::optional<unsigned> partition;  ///< when `given` names a partition
  uint64_t size = 0;
  uint32_t logical_block_size = 512;
  uint32_t physical_block_size = 512;
  std::string driver;         ///< "sd", "device-mapper (multipath)", "virtio_blk", ...
  bool zipl_capable = false;  ///< sd, or dm-multipath over sd
  std::string vendor, model;
  /// The FCP device, WWPN and LUN that reach the disk. For a multipath map: those of
  /// `zfcp_path`, the first of its paths (sorted by name) that has zfcp attributes and whose
  /// SCSI state is "running"; the map's other paths with attributes are `zfcp_alternatives`.
  std::optional<ZfcpAttributes> zfcp;
  std::string zfcp_path;  ///< a map's path whose attributes `zfcp` holds; empty for a plain disk
  struct ZfcpPath {
    std::string name;   ///< "sdc"
    std::string state;  ///< its SCSI state, "running", "offline", ...
    ZfcpAttributes zfcp;
  };
  std::vector<ZfcpPath> zfcp_alternatives;
  /// blockdev::wwid(): the identity zfcpdump.disk= names the disk by; empty when none.
  std::string wwid;
};

/// Resolves symlinks (/dev/disk/by-id/..., /dev/mapper/...) and describes the device.
Result<BlockDevice> resolve_block_device(const std::string& path, const SysRoots& roots = {});

/// The device node of partition `n` of a resolved disk (sda -> sda1, dm-0 -> its partition map,
/// an image -> empty).
[[nodiscard]] std::string partition_node(const BlockDevice& disk, unsigned n,
                                         const SysRoots& roots = {});

}  // namespace zk::installer::system
