// SPDX-License-Identifier: MIT
#pragma once
/// Reads the primary partitions of a DOS label or a GPT, the two labels zipl accepts on a SCSI
/// dump disk, from a whole-disk image. Used where the kernel's view (sysfs) is not available:
/// image files in host mode, and the installer's checks. Extended/logical partitions are not
/// reported (zipl refuses them).

#include <cstdint>
#include <vector>

#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

struct Partition {
  unsigned number = 0;  ///< 1-based, as in /dev/sdaN
  uint64_t start = 0;   ///< bytes
  uint64_t size = 0;    ///< bytes
};

enum class LabelType { kNone, kDos, kGpt };

struct PartitionTable {
  LabelType type = LabelType::kNone;
  std::vector<Partition> partitions;
};

/// The most GPT entries we read; zipl uses partitions 1 to 15 and parted writes 128.
inline constexpr uint32_t kMaxGptEntries = 256;

/// Reads the label of `disk` with logical sectors of `sector_size` bytes. A disk without the
/// 0x55AA signature yields LabelType::kNone. Every entry is bounds-checked against the disk
/// size; an entry pointing outside the disk is an error naming the entry.
Result<PartitionTable> read_partition_table(util::File& disk, uint32_t sector_size);

}  // namespace zk::ondisk
