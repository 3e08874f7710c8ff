// SPDX-License-Identifier: MIT
#pragma once
/// The dump superblock zipl writes behind the dump area (`struct scsi_dump_sb`, 72 bytes,
/// big-endian): where the partition is, how much of it may hold a dump, and the checksum over
/// its first page that tells whether the partition is still zipl's.

#include <cstdint>
#include <span>

#include "util/error.h"

namespace zk::ondisk {

inline constexpr uint64_t kDumpSuperblockMagic = 0x5a46435044554d50ull;  // "ZFCPDUMP"
inline constexpr size_t kDumpSuperblockSize = 72;
inline constexpr size_t kDumpSuperblockCsumOffset = 0x40;

struct DumpSuperblock {
  uint64_t magic = kDumpSuperblockMagic;
  uint64_t version = 1;
  uint64_t part_start = 0;   ///< bytes from the start of the whole disk
  uint64_t part_size = 0;    ///< bytes
  uint64_t dump_offset = 0;  ///< where the dump starts, relative to part_start
  uint64_t dump_size = 0;    ///< the most a dump may occupy
  uint64_t csum_offset = 0;  ///< checksummed area, relative to part_start
  uint64_t csum_size = 4096;
  uint64_t csum = 0;  ///< cksm() of that area, zero-extended
};

/// Decodes the 72 bytes; fails on a wrong magic (reporting what was found). Field values are
/// not judged here: see validate_dump_superblock.
Result<DumpSuperblock> parse_dump_superblock(std::span<const std::byte> bytes);
void encode_dump_superblock(const DumpSuperblock& sb, std::span<std::byte> bytes);

/// The largest checksummed area we accept; zipl always uses one 4 KiB page. A bigger claim is
/// treated as corruption instead of an allocation.
inline constexpr uint64_t kMaxChecksumArea = 1u << 20;

/// Checks the superblock's geometry against a disk of `disk_size` bytes located at
/// `superblock_offset`: the partition lies on the disk, the dump and checksum areas lie in the
/// partition, the dump area ends before the superblock, the checksum area is at most
/// kMaxChecksumArea. The error says which field is wrong, with expected and found values.
Result<void> validate_dump_superblock(const DumpSuperblock& sb, uint64_t disk_size,
                                      uint64_t superblock_offset);

}  // namespace zk::ondisk
