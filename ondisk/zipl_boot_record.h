// SPDX-License-Identifier: MIT
#pragma once
/// zipl's SCSI master boot record (LBA 0 of the whole disk) with its boot_info, the program
/// table it points to, and the component header of a dump program. Layouts and values are in
/// docs/on-disk-format.md.

#include <cstdint>
#include <span>
#include <vector>

#include "util/error.h"

namespace zk::ondisk {

inline constexpr size_t kScsiMbrSize = 152;      ///< bytes zipl owns at the start of LBA 0
inline constexpr size_t kBlockPointerSize = 16;  ///< one linear block pointer
inline constexpr size_t kComponentHeaderSize = 32;

enum class BootProgramType : uint8_t { kIpl = 0, kDump = 1 };
enum class BootDeviceType : uint8_t { kEckd = 0, kFba = 1, kScsi = 2 };

/// A linear block pointer: a block number in units of the disk's logical block size.
struct BlockPointer {
  uint64_t blockno = 0;
  uint16_t size = 0;
  uint16_t blockct = 0;
};

struct BootInfo {
  uint8_t version = 0;
  uint8_t bp_type = 0;
  uint8_t dev_type = 0;
  uint8_t flags = 0;
  /// For a SCSI dump: the byte offset on the whole disk of the dump superblock.
  uint64_t dump_superblock_offset = 0;
};

struct ScsiMbr {
  uint32_t version_id = 0;
  BlockPointer program_table;
  BootInfo boot_info;
};

/// Decodes LBA 0. Fails (with what was found) unless both the record and its boot_info carry
/// the "zIPL" magic; the types are reported as they are, for the caller to judge.
Result<ScsiMbr> parse_scsi_mbr(std::span<const std::byte> lba0);

/// Decodes a program table block: entry 0 must carry the magic; returns the pointers of
/// entries 1.. up to the first one with block number 0.
Result<std::vector<BlockPointer>> parse_program_table(std::span<const std::byte> block);

/// Whether a component table starts with a dump program's header ("zIPL", type 1).
[[nodiscard]] bool is_dump_component_header(std::span<const std::byte> header);

/// Writers, for tests and for tools that build disks without zipl: they produce exactly the
/// bytes zipl would for the fields given.
void encode_scsi_mbr(const ScsiMbr& mbr, std::span<std::byte> lba0);
void encode_program_table(std::span<const BlockPointer> entries, std::span<std::byte> block);
void encode_dump_component_header(std::span<std::byte> header);

}  // namespace zk::ondisk
