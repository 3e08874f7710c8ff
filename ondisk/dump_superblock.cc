// SPDX-License-Identifier: MIT
#include "ondisk/dump_superblock.h"

#include "ondisk/bytes.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

// a + b <= limit, without overflow.
bool fits(uint64_t a, uint64_t b, uint64_t limit) { return a <= limit && b <= limit - a; }

}  // namespace

Result<DumpSuperblock> parse_dump_superblock(std::span<const std::byte> bytes) {
  if (bytes.size() < kDumpSuperblockSize)
    return fail(
        util::format("dump superblock: %zu bytes, need %zu", bytes.size(), kDumpSuperblockSize));
  DumpSuperblock sb;
  sb.magic = load_be<uint64_t>(bytes, 0x00);
  if (sb.magic != kDumpSuperblockMagic)
    return fail(
        util::format("dump superblock: wrong magic 0x%016llx (expected 0x%016llx, "
                     "\"ZFCPDUMP\")",
                     static_cast<ull>(sb.magic), static_cast<ull>(kDumpSuperblockMagic)));
  sb.version = load_be<uint64_t>(bytes, 0x08);
  sb.part_start = load_be<uint64_t>(bytes, 0x10);
  sb.part_size = load_be<uint64_t>(bytes, 0x18);
  sb.dump_offset = load_be<uint64_t>(bytes, 0x20);
  sb.dump_size = load_be<uint64_t>(bytes, 0x28);
  sb.csum_offset = load_be<uint64_t>(bytes, 0x30);
  sb.csum_size = load_be<uint64_t>(bytes, 0x38);
  sb.csum = load_be<uint64_t>(bytes, 0x40);
  return sb;
}

void encode_dump_superblock(const DumpSuperblock& sb, std::span<std::byte> bytes) {
  store_be<uint64_t>(bytes, 0x00, sb.magic);
  store_be<uint64_t>(bytes, 0x08, sb.version);
  store_be<uint64_t>(bytes, 0x10, sb.part_start);
  store_be<uint64_t>(bytes, 0x18, sb.part_size);
  store_be<uint64_t>(bytes, 0x20, sb.dump_offset);
  store_be<uint64_t>(bytes, 0x28, sb.dump_size);
  store_be<uint64_t>(bytes, 0x30, sb.csum_offset);
  store_be<uint64_t>(bytes, 0x38, sb.csum_size);
  store_be<uint64_t>(bytes, 0x40, sb.csum);
}

Result<void> validate_dump_superblock(const DumpSuperblock& sb, uint64_t disk_size,
                                      uint64_t superblock_offset) {
  if (sb.part_size == 0 || !fits(sb.part_start, sb.part_size, disk_size))
    return fail(
        util::format("dump superblock: partition [%llu, +%llu) does not lie on the disk "
                     "(%llu bytes)",
                     static_cast<ull>(sb.part_start), static_cast<ull>(sb.part_size),
                     static_cast<ull>(disk_size)));
  if (sb.dump_size == 0 || !fits(sb.dump_offset, sb.dump_size, sb.part_size))
    return fail(
        util::format("dump superblock: dump area [%llu, +%llu) does not lie in the "
                     "partition (%llu bytes)",
                     static_cast<ull>(sb.dump_offset), static_cast<ull>(sb.dump_size),
                     static_cast<ull>(sb.part_size)));
  if (sb.part_start + sb.dump_offset + sb.dump_size > superblock_offset)
    return fail(
        util::format("dump superblock: dump area ends at %llu, beyond the superblock "
                     "at %llu",
                     static_cast<ull>(sb.part_start + sb.dump_offset + sb.dump_size),
                     static_cast<ull>(superblock_offset)));
  if (sb.csum_size == 0 || sb.csum_size > kMaxChecksumArea)
    return fail(util::format("dump superblock: checksum area of %llu bytes (expected 1 to %llu)",
                             static_cast<ull>(sb.csum_size), static_cast<ull>(kMaxChecksumArea)));
  if (!fits(sb.csum_offset, sb.csum_size, sb.part_size))
    return fail(
        util::format("dump superblock: checksum area [%llu, +%llu) does not lie in the "
                     "partition (%llu bytes)",
                     static_cast<ull>(sb.csum_offset), static_cast<ull>(sb.csum_size),
                     static_cast<ull>(sb.part_size)));
  if (sb.csum > 0xffffffffull)
    return fail(util::format("dump superblock: checksum 0x%llx has more than 32 bits",
                             static_cast<ull>(sb.csum)));
  return {};
}

}  // namespace zk::ondisk
