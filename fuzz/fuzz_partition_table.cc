// SPDX-License-Identifier: MIT
// fuzz_partition_table: the input is a whole disk image (or a sparse description, see
// buffer_file.h); its first byte picks the sector size read_partition_table is asked for, so
// that invalid sizes are fuzzed too (512 and 4096 most of the time).
#include <memory>

#include "fuzz/buffer_file.h"
#include "fuzz/fuzz_one.h"
#include "ondisk/partition_table.h"

int fuzz_one(const uint8_t* data, size_t size) {
  using namespace zk;
  std::unique_ptr<util::File> disk;
  if (fuzz::SparseFile::is_sparse(data, size))
    disk = std::make_unique<fuzz::SparseFile>(data, size);
  else disk = std::make_unique<fuzz::BufferFile>(data, size);

  uint32_t sizes[] = {512, 4096, 1024, 2048, 8192, 65536, 131072, 0, 520, 256};
  const uint32_t sector = size ? sizes[data[size - 1] % (sizeof sizes / sizeof *sizes)] : 512;
  for (uint32_t s : {512u, 4096u, sector}) {
    auto t = ondisk::read_partition_table(*disk, s);
    if (!t) {
      (void)t.error().describe();
      continue;
    }
    FUZZ_CHECK(s >= 512 && s <= 65536 && (s & (s - 1)) == 0);
    FUZZ_CHECK(t->type != ondisk::LabelType::kNone || t->partitions.empty());
    FUZZ_CHECK(t->partitions.size() <= ondisk::kMaxGptEntries);
    unsigned last = 0;
    for (const auto& p : t->partitions) {
      // Documented: every entry is bounds-checked against the disk size.
      FUZZ_CHECK(p.size > 0 && p.start % s == 0 && p.size % s == 0);
      FUZZ_CHECK(p.start <= disk->size() && p.size <= disk->size() - p.start);
      FUZZ_CHECK(p.number > last);
      last = p.number;
      if (t->type == ondisk::LabelType::kDos) FUZZ_CHECK(p.number <= 4);
    }
  }
  return 0;
}
