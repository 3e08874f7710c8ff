// SPDX-License-Identifier: MIT
#pragma once
/// Builds, without zipl, a disk image laid out the way `zipl -d` lays out a SCSI dump disk
/// (DOS label, zipl boot record, program table -> dump component header, superblock behind the
/// dump area). For unit tests of corner cases the real fixtures cannot show (fields pointing
/// outside the disk, other block sizes); the integration tests use disks made by the real zipl.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ondisk/dump_superblock.h"

namespace zk::testsupport {

struct SyntheticDiskSpec {
  uint64_t disk_size = 64ull << 20;
  uint32_t sector_size = 512;
  uint64_t part_start = 1ull << 20;  ///< bytes
  uint64_t part_size = 0;            ///< bytes; 0: to the end of the disk
  uint64_t dump_size = 0;            ///< bytes; 0: part_size - 1 MiB (room for the tool)
  unsigned partition_number = 1;     ///< slot 1..4 of the DOS label
};

struct SyntheticDisk {
  ondisk::DumpSuperblock superblock;
  uint64_t superblock_offset = 0;
  uint64_t program_table_offset = 0;
};

/// Writes the image at `path` (created, sparse) and returns where things went.
SyntheticDisk make_synthetic_dump_disk(const std::string& path, const SyntheticDiskSpec& spec);

/// Overwrites `length` bytes at `offset` of `path` with `value`.
void poke(const std::string& path, uint64_t offset, const void* data, size_t length);

/// The `length` bytes at `offset` of `path` (throws when the file is shorter).
std::vector<std::byte> peek(const std::string& path, uint64_t offset, size_t length);

/// Whether the checksum in the superblock of `disk` (made by make_synthetic_dump_disk) is the
/// checksum of the partition's first page as it is now: what zipl and zgetdump compare.
bool checksum_matches_first_page(const std::string& path, const SyntheticDisk& disk);

}  // namespace zk::testsupport
