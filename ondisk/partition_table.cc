// SPDX-License-Identifier: MIT
#include "ondisk/partition_table.h"

#include <vector>

#include "ondisk/bytes.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

uint32_t le32(std::span<const std::byte> b, size_t off) {
  return static_cast<uint32_t>(b[off]) | static_cast<uint32_t>(b[off + 1]) << 8 |
         static_cast<uint32_t>(b[off + 2]) << 16 | static_cast<uint32_t>(b[off + 3]) << 24;
}
uint64_t le64(std::span<const std::byte> b, size_t off) {
  return static_cast<uint64_t>(le32(b, off)) | static_cast<uint64_t>(le32(b, off + 4)) << 32;
}

constexpr uint8_t kGptProtective = 0xee;

bool is_extended(uint8_t type) { return type == 0x05 || type == 0x0f || type == 0x85; }

Result<PartitionTable> read_gpt(util::File& disk, uint32_t sector_size) {
  std::vector<std::byte> header(sector_size);
  if (auto r = util::read_exact(disk, header, sector_size); !r) return std::unexpected(r.error());
  if (!has_magic(header, 0, "EFI PART"))
    return fail("GPT: protective MBR but no \"EFI PART\" header at LBA 1");
  const uint64_t entries_lba = le64(header, 72);
  const uint32_t count = le32(header, 80);
  const uint32_t entry_size = le32(header, 84);
  if (entry_size < 128 || entry_size > 4096 || entry_size % 8 != 0)
    return fail(
        util::format("GPT: entry size %u (expected 128 to 4096, a multiple of 8)", entry_size));
  const uint32_t n = count < kMaxGptEntries ? count : kMaxGptEntries;
  const uint64_t bytes = static_cast<uint64_t>(n) * entry_size;
  if (entries_lba == 0 || entries_lba > disk.size() / sector_size ||
      entries_lba * sector_size + bytes > disk.size())
    return fail(util::format("GPT: entry array at LBA %llu lies outside the disk",
                             static_cast<ull>(entries_lba)));
  std::vector<std::byte> entries(static_cast<size_t>(bytes));
  if (auto r = util::read_exact(disk, entries, entries_lba * sector_size); !r)
    return std::unexpected(r.error());
  PartitionTable table{LabelType::kGpt, {}};
  for (uint32_t i = 0; i < n; ++i) {
    std::span<const std::byte> e(entries.data() + static_cast<size_t>(i) * entry_size, entry_size);
    bool unused = true;
    for (size_t k = 0; k < 16; ++k) unused = unused && e[k] == std::byte{0};
    if (unused) continue;
    const uint64_t first = le64(e, 32), last = le64(e, 40);
    const uint64_t sectors = disk.size() / sector_size;
    if (last < first || last >= sectors)
      return fail(util::format("GPT: entry %u spans LBA %llu-%llu, outside the disk (%llu sectors)",
                               i + 1, static_cast<ull>(first), static_cast<ull>(last),
                               static_cast<ull>(sectors)));
    table.partitions.push_back({i + 1, first * sector_size, (last - first + 1) * sector_size});
  }
  return table;
}

}  // namespace

Result<PartitionTable> read_partition_table(util::File& disk, uint32_t sector_size) {
  if (sector_size < 512 || sector_size > 65536 || (sector_size & (sector_size - 1)))
    return fail(util::format("partition table: invalid sector size %u", sector_size));
  if (disk.size() < 2ull * sector_size) return PartitionTable{};
  std::vector<std::byte> mbr(512);
  if (auto r = util::read_exact(disk, mbr, 0); !r) return std::unexpected(r.error());
  if (mbr[510] != std::byte{0x55} || mbr[511] != std::byte{0xaa}) return PartitionTable{};
  PartitionTable table{LabelType::kDos, {}};
  for (unsigned i = 0; i < 4; ++i) {
    const size_t off = 0x1be + i * 16;
    const auto type = static_cast<uint8_t>(mbr[off + 4]);
    if (type == kGptProtective) return read_gpt(disk, sector_size);
    const uint64_t first = le32(mbr, off + 8), count = le32(mbr, off + 12);
    if (type == 0 || count == 0 || is_extended(type)) continue;
    if ((first + count) * sector_size > disk.size())
      return fail(util::format(
          "DOS label: partition %u (sectors %llu+%llu) ends beyond the disk "
          "(%llu bytes)",
          i + 1, static_cast<ull>(first), static_cast<ull>(count), static_cast<ull>(disk.size())));
    table.partitions.push_back({i + 1, first * sector_size, count * sector_size});
  }
  return table;
}

}  // namespace zk::ondisk
