// SPDX-License-Identifier: MIT
#pragma once
/// The dump disk's partition table: one partition, planned from the disk's geometry and
/// written with libfdisk, on a whole disk or on a disk image file (whose sector size the
/// caller states, since an image does not record it).

#include <cstdint>
#include <string>
#include <vector>

#include "ondisk/partition_table.h"
#include "util/error.h"

namespace zk::installer::disk {

/// DOS partition type and GPT type GUID of the dump partition: "Linux" / "Linux filesystem
/// data", what zipl's documentation and sfdisk's default use (zipl does not look at the type).
inline constexpr unsigned kDosPartitionType = 0x83;
inline constexpr const char* kGptPartitionType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

struct PartitionPlan {
  ondisk::LabelType label = ondisk::LabelType::kDos;
  uint32_t sector_size = 512;    ///< logical sector size the label is written in
  uint64_t disk_size = 0;        ///< bytes
  unsigned number = 1;           ///< the partition's number (/dev/sdX1)
  uint64_t start = 0;            ///< bytes, a multiple of 1 MiB
  uint64_t size = 0;             ///< bytes, a multiple of 1 MiB
  bool capped_by_label = false;  ///< a DOS label cannot address the rest of the disk (2^32 sectors)
};

/// Plans partition 1 starting at 1 MiB: `wanted` bytes (rounded up to 1 MiB), or with `wanted`
/// 0 as much of the disk as the label can address, ending on a 1 MiB boundary before the
/// backup GPT. Fails, saying how large the disk is and what would be needed, when the
/// partition does not fit or would be empty. Geometry only: whether the partition is large
/// enough for a dump is the caller's judgement.
Result<PartitionPlan> plan_partition(uint64_t disk_size, uint32_t sector_size,
                                     ondisk::LabelType label, uint64_t wanted);

/// "dos" / "gpt".
[[nodiscard]] const char* label_name(ondisk::LabelType label);

/// The plan as an sfdisk script (`sfdisk DISK < script` would write the same table): shown by
/// --dry-run, and what an administrator can compare with `sfdisk -d`.
[[nodiscard]] std::string render_sfdisk_script(const PartitionPlan& plan);

struct WrittenTable {
  std::vector<std::string> messages;  ///< what libfdisk said (created label, warnings)
  bool kernel_notified = false;       ///< the kernel re-read the table (block devices only)
  std::string reread_problem;         ///< why the kernel did not re-read it, when it did not
};

/// Writes a new label holding exactly the planned partition to `path`: a disk image file or a
/// whole disk (which must not be in use: the caller checked). For image files libfdisk is told
/// the plan's sector size; for a block device the plan's sector size must be the device's.
/// The partition libfdisk would add is compared with the plan before anything is written. On a
/// block device the kernel is asked to re-read the table (BLKRRPART, else BLKPG for the
/// changes); a refusal is reported in the result, not as an error, because device-mapper maps
/// get their partitions from kpartx/udev instead.
Result<WrittenTable> write_partition_table(const std::string& path, const PartitionPlan& plan);

}  // namespace zk::installer::disk
