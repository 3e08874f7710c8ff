// SPDX-License-Identifier: MIT
#pragma once
/// What sysfs says about one block device, by its kernel name ("sda", "dm-0", "sda1"): the
/// attributes of <sys>/class/block/<name> and of the device below it. Every number is checked
/// against what the kernel can write; a missing attribute is an error only where every block
/// device has it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blockdev/device_number.h"
#include "blockdev/sys_roots.h"
#include "util/error.h"

namespace zk::blockdev {

/// <sys>/class/block/<name>: the device's directory (a link into /sys/devices).
[[nodiscard]] std::string block_dir(const SysRoots& roots, const std::string& name);

/// The `dev` attribute.
Result<DeviceNumber> device_number(const SysRoots& roots, const std::string& name);

/// The `size` attribute in bytes (sysfs counts 512-byte units whatever the sector size).
Result<uint64_t> size_bytes(const SysRoots& roots, const std::string& name);

struct BlockSizes {
  uint32_t logical = 512;
  uint32_t physical = 512;
};
/// The largest block size accepted from queue/*_block_size.
inline constexpr uint32_t kMaxBlockSize = 1u << 20;
/// queue/logical_block_size and queue/physical_block_size; 512 where missing (a partition
/// has no queue/). Each must be a power of two from 512 to kMaxBlockSize.
Result<BlockSizes> block_sizes(const SysRoots& roots, const std::string& name);

/// The driver of the device below the block device, the last component of device/driver
/// ("sd", "virtio_blk"); empty when there is none (device-mapper, md, loop).
[[nodiscard]] std::string driver(const SysRoots& roots, const std::string& name);

/// What device/vendor and device/model say (SCSI disks); empty where missing.
struct Model {
  std::string vendor;
  std::string model;
};
[[nodiscard]] Model model(const SysRoots& roots, const std::string& name);

/// The zfcp attributes of a SCSI disk on an FCP LUN.
struct ZfcpAttributes {
  std::string hba_id;   ///< FCP device bus id, "0.0.1700"
  std::string wwpn;     ///< "0x5005076303004104"
  std::string fcp_lun;  ///< "0x4010400000000000"
};
/// device/{hba_id,wwpn,fcp_lun}; nullopt unless all three are there and not empty.
[[nodiscard]] std::optional<ZfcpAttributes> zfcp_attributes(const SysRoots& roots,
                                                            const std::string& name);

/// The longest identity wwid() returns; a longer attribute is treated as missing.
inline constexpr size_t kMaxWwidBytes = 256;
/// The disk's World Wide Identifier as the kernel gives it in device/wwid (from the SCSI
/// device identification VPD page: "naa.6005076303ffc1040000000000001234", "eui.", "t10."),
/// the same on every path to one LUN and across reboots. For a dm-multipath map, the wwid of
/// its first path that has one. Runs of blanks and control bytes inside (a t10 identifier pads
/// with blanks) become one '_', so that the identity is one word of a kernel command line.
/// Empty when there is none (a disk without that VPD page, a device that is no SCSI disk, or
/// an attribute longer than kMaxWwidBytes).
[[nodiscard]] std::string wwid(const SysRoots& roots, const std::string& name);

/// The SCSI device state of disk `name` (device/state: "running", "offline", "blocked",
/// "transport-offline", ...), empty when the disk has none (no SCSI disk, a map). A path that
/// is not "running" rejects or holds its I/O: a writer must not take it.
[[nodiscard]] std::string scsi_state(const SysRoots& roots, const std::string& name);

/// dm/uuid and dm/name of a device-mapper device.
struct DeviceMapper {
  std::string uuid;  ///< "mpath-3600...", "LVM-...", "CRYPT-...", "part1-mpath-..."; may be empty
  std::string name;  ///< the map's name, /dev/mapper/<name>
};
/// nullopt when `name` is no device-mapper device (no dm/ directory).
[[nodiscard]] std::optional<DeviceMapper> device_mapper(const SysRoots& roots,
                                                        const std::string& name);

/// The devices built on this one (holders/: dm maps, md arrays), sorted.
[[nodiscard]] std::vector<std::string> holders(const SysRoots& roots, const std::string& name);
/// The devices this one is built on (slaves/: a dm map's paths), sorted.
[[nodiscard]] std::vector<std::string> slaves(const SysRoots& roots, const std::string& name);

/// The block devices in <sys>/class/block that are no partitions, sorted.
[[nodiscard]] std::vector<std::string> whole_disks(const SysRoots& roots);

/// Where a device number leads in sysfs (<sys>/dev/block/M:m).
struct BlockNode {
  std::string name;                   ///< "sda1", "dm-3"
  std::optional<unsigned> partition;  ///< for a kernel partition, its number
  std::string disk;                   ///< the whole disk: `name` itself unless a kernel partition
};
Result<BlockNode> find_by_number(const SysRoots& roots, DeviceNumber number);

}  // namespace zk::blockdev
