// SPDX-License-Identifier: MIT
#pragma once
/// The partitions of a disk as the kernel knows them: kernel partitions (<disk>/<part>/ with
/// partition, start, size, dev) and kpartx's partition maps over a device-mapper map.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blockdev/device_number.h"
#include "blockdev/sys_roots.h"
#include "util/error.h"

namespace zk::blockdev {

/// The kernel's largest partition number (a disk has at most 256 minors for partitions).
inline constexpr unsigned kMaxPartitionNumber = 256;

struct Partition {
  std::string name;     ///< "sda1"
  unsigned number = 0;  ///< 1..kMaxPartitionNumber
  uint64_t start = 0;   ///< bytes (sysfs counts 512-byte units whatever the sector size)
  uint64_t size = 0;    ///< bytes
  DeviceNumber device_number;
};

/// Whether <sys>/class/block/<name> is a kernel partition (has a `partition` attribute).
[[nodiscard]] bool is_partition(const SysRoots& roots, const std::string& name);

/// The kernel partition `name` ("sda1"). Fails when an attribute is missing or out of range.
Result<Partition> read_partition(const SysRoots& roots, const std::string& name);

/// The kernel partitions of disk `disk` ("sda"), by number; none for a disk without a table
/// (and for a device-mapper map, whose partitions are maps of their own: kpartx_partitions).
/// Fails when one of them has an attribute missing or out of range.
Result<std::vector<Partition>> partitions(const SysRoots& roots, const std::string& disk);

/// What kpartx writes into the dm uuid of a partition map: "part<N>-<uuid of the map>".
struct DmPartitionUuid {
  unsigned number = 0;  ///< 1..kMaxPartitionNumber
  std::string map_uuid;
};
/// nullopt for any uuid not of that form.
[[nodiscard]] std::optional<DmPartitionUuid> parse_dm_partition_uuid(std::string_view uuid);

/// A partition map over a device-mapper map.
struct DmPartition {
  std::string name;  ///< "dm-3"
  unsigned number = 0;
  DeviceNumber device_number;
};
/// The partition maps kpartx made over the map `map` ("dm-0", whose dm uuid is `map_uuid`): its
/// holders whose uuid is "part<N>-<map_uuid>", by number. Fails when one has no `dev`.
Result<std::vector<DmPartition>> kpartx_partitions(const SysRoots& roots, const std::string& map,
                                                   const std::string& map_uuid);

}  // namespace zk::blockdev
