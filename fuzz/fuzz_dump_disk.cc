// SPDX-License-Identifier: MIT
// fuzz_dump_disk: the input is a whole disk image (or a sparse description of one, see
// buffer_file.h). Everything the dumper and `zfcpdump-install check` read from a disk before
// trusting it: read_dump_disk (block size found, 512, 4096), read_partition_table,
// find_dump_partition, and inspect_dump_area when the disk reads as a dump disk.
#include <memory>
#include <optional>

#include "fuzz/buffer_file.h"
#include "fuzz/fuzz_one.h"
#include "ondisk/dump_area.h"
#include "ondisk/dump_disk.h"
#include "ondisk/partition_table.h"

namespace {

using namespace zk;

/// Documented: every accepted partition lies on the disk.
void check_table(const ondisk::PartitionTable& t, uint64_t disk_size) {
  for (const auto& p : t.partitions) {
    FUZZ_CHECK(p.size > 0);
    FUZZ_CHECK(p.start <= disk_size && p.size <= disk_size - p.start);
  }
}

void check_disk(util::File& disk, std::optional<uint32_t> block_size) {
  auto d = ondisk::read_dump_disk(disk, block_size);
  if (!d) {
    (void)d.error().describe();
    return;
  }
  // What validate_dump_superblock promises for a disk that reads.
  const auto& sb = d->superblock;
  const uint64_t size = disk.size();
  if (block_size) FUZZ_CHECK(d->block_size == *block_size);
  FUZZ_CHECK(d->block_size == 512 || d->block_size == 4096);
  FUZZ_CHECK(d->superblock_offset <= size &&
             size - d->superblock_offset >= ondisk::kDumpSuperblockSize);
  FUZZ_CHECK(sb.part_start <= size && sb.part_size <= size - sb.part_start);
  FUZZ_CHECK(sb.dump_size > 0 && sb.dump_offset <= sb.part_size &&
             sb.dump_size <= sb.part_size - sb.dump_offset);
  FUZZ_CHECK(sb.part_start + sb.dump_offset + sb.dump_size <= d->superblock_offset);
  FUZZ_CHECK(sb.csum_size > 0 && sb.csum_size <= ondisk::kMaxChecksumArea);
  FUZZ_CHECK(sb.csum_offset <= sb.part_size && sb.csum_size <= sb.part_size - sb.csum_offset);
  (void)d->usable_for_dump();

  if (auto t = ondisk::read_partition_table(disk, d->block_size)) {
    check_table(*t, size);
    if (auto p = ondisk::find_dump_partition(*t, sb)) {
      FUZZ_CHECK(p->start == sb.part_start && p->size == sb.part_size);
    }
  }

  auto area = ondisk::inspect_dump_area(disk, *d);
  if (!area) {
    (void)area.error().describe();
    return;
  }
  (void)ondisk::dump_area_kind_name(area->kind);
  FUZZ_CHECK((area->kind == ondisk::DumpAreaKind::kDump) == area->dump.has_value());
  if (area->dump) {
    // Documented: a dump whose segments reach beyond the dump area is not kDump.
    for (const auto& l : area->dump->loads)
      FUZZ_CHECK(l.offset <= sb.dump_size && l.filesz <= sb.dump_size - l.offset);
  }
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  std::unique_ptr<util::File> disk;
  if (fuzz::SparseFile::is_sparse(data, size))
    disk = std::make_unique<fuzz::SparseFile>(data, size);
  else disk = std::make_unique<fuzz::BufferFile>(data, size);

  check_disk(*disk, std::nullopt);
  check_disk(*disk, 512);
  check_disk(*disk, 4096);
  for (uint32_t sector : {512u, 4096u}) {
    auto t = ondisk::read_partition_table(*disk, sector);
    if (t) check_table(*t, disk->size());
    else (void)t.error().describe();
  }
  return 0;
}
