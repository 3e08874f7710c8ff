// SPDX-License-Identifier: MIT
#include "installer/save/dump_fingerprint.h"

#include <gtest/gtest.h>

#include "dumper/sparse_writer.h"
#include "ondisk/dump_disk.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/file_window.h"
#include "util/posix_file.h"

namespace zk::installer::save {
namespace {

/// The fingerprint of a sparse dump of a core made with `seed`, written by the dumper's own
/// writer onto a synthetic dump disk, read back through the dump area.
std::string fingerprint_of_dump(const testsupport::TempDir& dir, uint64_t seed) {
  const std::string disk_path = dir.file("disk-" + std::to_string(seed));
  const std::string core_path = dir.file("core-" + std::to_string(seed));
  auto made = testsupport::make_synthetic_dump_disk(disk_path, {});
  testsupport::VmcoreSpec spec;
  spec.memory = {{0, 4 << 20}};
  spec.seed = seed;
  EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
  auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
  auto info = ondisk::read_vmcore(**core);
  auto disk = util::PosixFile::open(disk_path, util::OpenMode::kReadWrite);
  auto target = ondisk::read_dump_disk(**disk, std::nullopt);
  EXPECT_TRUE(info && target);
  auto stats = dumper::write_sparse_dump(**core, *info, **disk, *target, {}, {});
  EXPECT_TRUE(stats) << stats.error().describe();
  util::FileWindow area(**disk, made.superblock.part_start, made.superblock.dump_size);
  auto dumped = ondisk::read_vmcore(area);
  EXPECT_TRUE(dumped) << dumped.error().describe();
  auto fp = dump_fingerprint(area, *dumped);
  EXPECT_TRUE(fp) << fp.error().describe();
  return fp ? *fp : std::string();
}

TEST(DumpFingerprint, NamesOneDumpAndTellsTwoApart) {
  testsupport::TempDir dir;
  const std::string a = fingerprint_of_dump(dir, 1);
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  // Another crash (other memory, so other digests in the record): another fingerprint.
  EXPECT_NE(fingerprint_of_dump(dir, 2), a);
}

TEST(DumpFingerprint, IsStableForTheSameBytes) {
  testsupport::TempDir dir;
  const std::string disk_path = dir.file("disk-1");
  const std::string first = fingerprint_of_dump(dir, 1);
  auto disk = util::PosixFile::open(disk_path, util::OpenMode::kRead);
  ASSERT_TRUE(disk);
  auto target = ondisk::read_dump_disk(**disk, std::nullopt);
  ASSERT_TRUE(target);
  util::FileWindow area(**disk, target->superblock.part_start + target->superblock.dump_offset,
                        target->superblock.dump_size);
  auto info = ondisk::read_vmcore(area);
  ASSERT_TRUE(info);
  auto again = dump_fingerprint(area, *info);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, first);
}

}  // namespace
}  // namespace zk::installer::save
