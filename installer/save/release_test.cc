// SPDX-License-Identifier: MIT
#include "installer/save/release.h"

#include <gtest/gtest.h>

#include "dumper/sparse_writer.h"
#include "ondisk/checksum.h"
#include "ondisk/dump_area.h"
#include "tests/support/faulty_file.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::installer::save {
namespace {

using ondisk::DumpAreaKind;

/// A synthetic dump disk (laid out as zipl -d lays one out) holding a sparse dump written by
/// the dumper's own writer, as the dumper leaves it.
struct DumpedDisk {
  testsupport::TempDir dir;
  std::string path = dir.file("disk");
  testsupport::SyntheticDisk made;

  explicit DumpedDisk(bool with_dump = true) {
    made = testsupport::make_synthetic_dump_disk(path, {});
    if (!with_dump) return;
    const std::string core_path = dir.file("core");
    testsupport::VmcoreSpec spec;
    spec.memory = {{0, 4 << 20}, {16 << 20, 1 << 20}};
    EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto info = ondisk::read_vmcore(**core);
    auto disk = util::PosixFile::open(path, util::OpenMode::kReadWrite);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    EXPECT_TRUE(info && target);
    auto stats = dumper::write_sparse_dump(**core, *info, **disk, *target, {}, {});
    EXPECT_TRUE(stats) << stats.error().describe();
  }
  uint64_t area_start() const { return made.superblock.part_start; }

  Result<ReleaseResult> release(ReleaseRequest request) {
    auto disk = util::PosixFile::open(path, util::OpenMode::kReadWrite);
    EXPECT_TRUE(disk);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    EXPECT_TRUE(target) << target.error().describe();
    return release_dump_area(**disk, *target, request);
  }
  /// What the dumper and check see now.
  struct Seen {
    bool usable = false;
    bool checksum_matches = false;
    DumpAreaKind kind = DumpAreaKind::kUnknown;
  };
  Seen seen() {
    auto disk = util::PosixFile::open(path, util::OpenMode::kRead);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    EXPECT_TRUE(target) << target.error().describe();
    if (!target) return {};
    auto area = ondisk::inspect_dump_area(**disk, *target);
    EXPECT_TRUE(area);
    return {target->usable_for_dump(), target->checksum_matches(),
            area ? area->kind : DumpAreaKind::kUnknown};
  }
};

bool all_zero(const std::vector<std::byte>& bytes) {
  for (auto b : bytes)
    if (b != std::byte{0}) return false;
  return true;
}

TEST(ReleaseDumpArea, ASavedDumpLeavesTheAreaAsZiplLeftIt) {
  DumpedDisk d;
  ASSERT_EQ(d.seen().kind, DumpAreaKind::kDump);
  // The bytes behind the first 64 KiB (the rest of the dump) and the dump tool behind the area
  // must not change.
  const auto behind = testsupport::peek(d.path, d.area_start() + kZiplZeroedBytes, 1 << 20);
  ASSERT_FALSE(all_zero(behind));
  const auto tool = testsupport::peek(d.path, d.made.superblock_offset, 4096);

  auto r = d.release({.saved = true});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, ReleaseResult::kReleased);

  EXPECT_TRUE(all_zero(testsupport::peek(d.path, d.area_start(), kZiplZeroedBytes)));
  EXPECT_EQ(testsupport::peek(d.path, d.area_start() + kZiplZeroedBytes, 1 << 20), behind);
  auto tool_now = testsupport::peek(d.path, d.made.superblock_offset, 4096);
  // Only the checksum field of the superblock may differ; zipl's value is the seed (the
  // checksum of a zeroed page).
  for (size_t i = ondisk::kDumpSuperblockCsumOffset; i < ondisk::kDumpSuperblockCsumOffset + 8; ++i)
    tool_now[i] = tool[i];
  EXPECT_EQ(tool_now, tool);
  EXPECT_TRUE(testsupport::checksum_matches_first_page(d.path, d.made));
  const auto seen = d.seen();
  EXPECT_TRUE(seen.checksum_matches);
  EXPECT_EQ(seen.kind, DumpAreaKind::kEmpty);
}

TEST(ReleaseDumpArea, AnEmptyAreaIsLeftAlone) {
  DumpedDisk d(false);
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto r = d.release({});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, ReleaseResult::kAlreadyEmpty);
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);
}

TEST(ReleaseDumpArea, RefusesAnUnsavedDumpUnlessForced) {
  DumpedDisk d;
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto r = d.release({.saved = false});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not saved"), std::string::npos) << r.error().describe();
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);

  auto forced = d.release({.saved = false, .force = true});
  ASSERT_TRUE(forced) << forced.error().describe();
  EXPECT_EQ(d.seen().kind, DumpAreaKind::kEmpty);
}

TEST(ReleaseDumpArea, RefusesAnInterruptedDumpUnlessForced) {
  DumpedDisk d;
  // The dumper's state right after its busy marker: marker written, checksum not yet stored.
  testsupport::poke(d.path, d.area_start(), ondisk::kBusyMarker, sizeof ondisk::kBusyMarker);
  ASSERT_EQ(d.seen().kind, DumpAreaKind::kBusy);
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto r = d.release({.saved = true});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("interrupted"), std::string::npos) << r.error().describe();
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);

  ASSERT_TRUE(d.release({.force = true}));
  const auto seen = d.seen();
  EXPECT_TRUE(seen.checksum_matches);
  EXPECT_EQ(seen.kind, DumpAreaKind::kEmpty);
}

TEST(ReleaseDumpArea, NeverWritesAPartitionSomeoneElseReused) {
  DumpedDisk d(false);
  // A file system's first bytes: the checksum no longer matches and there is no busy marker.
  const char fs[] = "not zipl's any more";
  testsupport::poke(d.path, d.area_start(), fs, sizeof fs);
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto r = d.release({.saved = true, .force = true});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos) << r.error().describe();
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);
}

// FaultyFile stands in for an I/O error in the middle of the release, which a real disk does
// not produce on demand (EIO only: a write shorter than the one sector the marker lies in is
// not a failure a disk has). Whichever call fails, the disk stays one the dumper writes to, and
// check sees the dump, an interrupted one, or an empty area; a forced release then finishes.
TEST(ReleaseDumpArea, AFailureAtAnyStepLeavesADiskTheDumperTakes) {
  uint64_t calls = 0;
  {
    DumpedDisk d;
    auto disk = util::PosixFile::open(d.path, util::OpenMode::kReadWrite);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    ASSERT_TRUE(target);
    testsupport::FaultyFile counting(**disk, testsupport::Fault::kNone, 0);
    ASSERT_TRUE(release_dump_area(counting, *target, {.saved = true}));
    calls = counting.calls();
  }
  ASSERT_GT(calls, 4u);
  for (uint64_t n = 0; n < calls; ++n) {
    {
      const auto fault = testsupport::Fault::kEio;
      SCOPED_TRACE("call " + std::to_string(n));
      DumpedDisk d;
      {
        auto disk = util::PosixFile::open(d.path, util::OpenMode::kReadWrite);
        auto target = ondisk::read_dump_disk(**disk, std::nullopt);
        ASSERT_TRUE(target);
        testsupport::FaultyFile faulty(**disk, fault, n);
        auto r = release_dump_area(faulty, *target, {.saved = true});
        ASSERT_TRUE(faulty.fired());
        EXPECT_FALSE(r);
      }
      const auto seen = d.seen();
      EXPECT_TRUE(seen.usable);
      EXPECT_TRUE(seen.kind == DumpAreaKind::kDump || seen.kind == DumpAreaKind::kBusy ||
                  (seen.kind == DumpAreaKind::kEmpty && seen.checksum_matches))
          << ondisk::dump_area_kind_name(seen.kind);
      auto again = d.release({.saved = true, .force = true});
      ASSERT_TRUE(again) << again.error().describe();
      EXPECT_EQ(d.seen().kind, DumpAreaKind::kEmpty);
      EXPECT_TRUE(d.seen().checksum_matches);
    }
  }
}

}  // namespace
}  // namespace zk::installer::save
