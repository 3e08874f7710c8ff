// SPDX-License-Identifier: MIT
#include "ondisk/zipl_boot_record.h"

#include "ondisk/bytes.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

constexpr std::string_view kMagic = "zIPL";
constexpr size_t kProgramTableOffset = 0x10;
constexpr size_t kBootInfoOffset = 0x70;

BlockPointer decode_pointer(std::span<const std::byte> b, size_t off) {
  return {load_be<uint64_t>(b, off), load_be<uint16_t>(b, off + 8), load_be<uint16_t>(b, off + 10)};
}

void encode_pointer(std::span<std::byte> b, size_t off, const BlockPointer& p) {
  store_be<uint64_t>(b, off, p.blockno);
  store_be<uint16_t>(b, off + 8, p.size);
  store_be<uint16_t>(b, off + 10, p.blockct);
  store_be<uint32_t>(b, off + 12, 0);
}

}  // namespace

Result<ScsiMbr> parse_scsi_mbr(std::span<const std::byte> lba0) {
  if (lba0.size() < kScsiMbrSize)
    return fail(util::format("boot record: %zu bytes, need %zu", lba0.size(), kScsiMbrSize));
  if (!has_magic(lba0, 0, kMagic))
    return fail("boot record: no zipl magic \"zIPL\" at offset 0 of the disk");
  if (!has_magic(lba0, kBootInfoOffset, kMagic))
    return fail("boot record: no boot_info magic \"zIPL\" at offset 0x70");
  ScsiMbr mbr;
  mbr.version_id = load_be<uint32_t>(lba0, 4);
  mbr.program_table = decode_pointer(lba0, kProgramTableOffset);
  mbr.boot_info.version = static_cast<uint8_t>(lba0[kBootInfoOffset + 4]);
  mbr.boot_info.bp_type = static_cast<uint8_t>(lba0[kBootInfoOffset + 5]);
  mbr.boot_info.dev_type = static_cast<uint8_t>(lba0[kBootInfoOffset + 6]);
  mbr.boot_info.flags = static_cast<uint8_t>(lba0[kBootInfoOffset + 7]);
  mbr.boot_info.dump_superblock_offset = load_be<uint64_t>(lba0, kBootInfoOffset + 8);
  return mbr;
}

Result<std::vector<BlockPointer>> parse_program_table(std::span<const std::byte> block) {
  if (block.size() < 2 * kBlockPointerSize)
    return fail(util::format("program table: block of %zu bytes is too small", block.size()));
  if (!has_magic(block, 0, kMagic)) return fail("program table: no \"zIPL\" magic in entry 0");
  std::vector<BlockPointer> entries;
  for (size_t off = kBlockPointerSize; off + kBlockPointerSize <= block.size();
       off += kBlockPointerSize) {
    BlockPointer p = decode_pointer(block, off);
    if (p.blockno == 0) break;
    entries.push_back(p);
  }
  return entries;
}

bool is_dump_component_header(std::span<const std::byte> header) {
  return header.size() >= kComponentHeaderSize && has_magic(header, 0, kMagic) &&
         static_cast<uint8_t>(header[4]) == 1;
}

void encode_scsi_mbr(const ScsiMbr& mbr, std::span<std::byte> lba0) {
  for (size_t i = 0; i < kScsiMbrSize; ++i) lba0[i] = std::byte{0};
  put_text(lba0, 0, kMagic);
  store_be<uint32_t>(lba0, 4, mbr.version_id);
  encode_pointer(lba0, kProgramTableOffset, mbr.program_table);
  put_text(lba0, kBootInfoOffset, kMagic);
  lba0[kBootInfoOffset + 4] = std::byte{mbr.boot_info.version};
  lba0[kBootInfoOffset + 5] = std::byte{mbr.boot_info.bp_type};
  lba0[kBootInfoOffset + 6] = std::byte{mbr.boot_info.dev_type};
  lba0[kBootInfoOffset + 7] = std::byte{mbr.boot_info.flags};
  store_be<uint64_t>(lba0, kBootInfoOffset + 8, mbr.boot_info.dump_superblock_offset);
}

void encode_program_table(std::span<const BlockPointer> entries, std::span<std::byte> block) {
  for (auto& b : block) b = std::byte{0};
  put_text(block, 0, kMagic);
  size_t off = kBlockPointerSize;
  for (const auto& p : entries) {
    encode_pointer(block, off, p);
    off += kBlockPointerSize;
  }
}

void encode_dump_component_header(std::span<std::byte> header) {
  for (size_t i = 0; i < kComponentHeaderSize; ++i) header[i] = std::byte{0};
  put_text(header, 0, kMagic);
  header[4] = std::byte{1};
}

}  // namespace zk::ondisk
