// SPDX-License-Identifier: MIT
#include "installer/save/harvest.h"

#include <gtest/gtest.h>

#include "dumper/sparse_writer.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::installer::save {
namespace {

using Kind = ondisk::DumpAreaKind;
using Node = DiskFacts::Node;

state::DiskEntry entry(const std::string& disk, std::string saved = {}) {
  state::DiskEntry e;
  e.disk = disk;
  e.saved_fingerprint = std::move(saved);
  e.saved_dir = e.saved_fingerprint.empty() ? "" : "/var/crash/zfcpdump";
  e.saved_time = e.saved_fingerprint.empty() ? 0 : 1700000000;
  return e;
}

DiskFacts present(Kind area, std::string fingerprint = {}, bool checksum_ok = true) {
  DiskFacts f;
  f.node = Node::kPresent;
  f.area = area;
  f.fingerprint = std::move(fingerprint);
  f.checksum_ok = checksum_ok;
  return f;
}

DiskFacts absent(Node node, std::string detail = {}) {
  DiskFacts f;
  f.node = node;
  f.detail = std::move(detail);
  return f;
}

HarvestDecision decide_one(const state::DiskEntry& e, const DiskFacts& f) {
  auto plan = plan_harvest(std::span(&e, 1), std::span(&f, 1));
  EXPECT_EQ(plan.size(), 1u);
  return plan.empty() ? HarvestDecision{} : plan.front();
}

TEST(PlanHarvest, SavesADumpTheRegistryDoesNotKnow) {
  auto d = decide_one(entry("/dev/disk/by-id/a"), present(Kind::kDump, "0123456789abcdef"));
  EXPECT_EQ(d.action, HarvestAction::kSave);
  EXPECT_EQ(d.reason, HarvestReason::kUnsaved);
  EXPECT_EQ(d.disk, "/dev/disk/by-id/a");
  // A dump other than the one saved last is a new crash: saved too.
  d = decide_one(entry("a", "1111111111111111"), present(Kind::kDump, "2222222222222222"));
  EXPECT_EQ(d.action, HarvestAction::kSave);
}

TEST(PlanHarvest, DoesNotSaveTheSameDumpTwice) {
  auto d = decide_one(entry("a", "0123456789abcdef"), present(Kind::kDump, "0123456789abcdef"));
  EXPECT_EQ(d.action, HarvestAction::kSkip);
  EXPECT_EQ(d.reason, HarvestReason::kAlreadySaved);
  EXPECT_FALSE(d.warn);
}

TEST(PlanHarvest, SavesADumpUnderAStaleChecksum) {
  auto d = decide_one(entry("a"), present(Kind::kDump, "0123456789abcdef", false));
  EXPECT_EQ(d.action, HarvestAction::kSave);
}

TEST(PlanHarvest, SkipsQuietlyWhatHoldsNothing) {
  for (auto f : {absent(Node::kMissing), present(Kind::kEmpty), present(Kind::kUnknown)}) {
    auto d = decide_one(entry("a"), f);
    EXPECT_EQ(d.action, HarvestAction::kSkip);
    EXPECT_FALSE(d.warn);
    EXPECT_EQ(d.reason,
              f.node == Node::kMissing ? HarvestReason::kMissing : HarvestReason::kNothing);
  }
}

TEST(PlanHarvest, WarnsAboutWhatItCannotSave) {
  struct Case {
    DiskFacts facts;
    HarvestReason reason;
  };
  const Case cases[] = {
      {present(Kind::kBusy), HarvestReason::kBusy},
      {present(Kind::kInvalidDump), HarvestReason::kDamaged},
      {absent(Node::kNoTool, "no zipl boot record"), HarvestReason::kNoTool},
      {absent(Node::kOtherDisk, "another partition"), HarvestReason::kNoTool},
      {absent(Node::kUnreadable, "Input/output error"), HarvestReason::kUnreadable},
      // Nothing to save, but the dumper would refuse the disk.
      {present(Kind::kEmpty, {}, false), HarvestReason::kNoTool},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(harvest_reason_name(c.reason));
    auto d = decide_one(entry("a"), c.facts);
    EXPECT_EQ(d.action, HarvestAction::kSkip);
    EXPECT_EQ(d.reason, c.reason);
    EXPECT_TRUE(d.warn);
    EXPECT_FALSE(d.detail.empty());
  }
}

TEST(PlanHarvest, OneDecisionPerEntryInOrder) {
  const state::DiskEntry entries[] = {entry("a"), entry("b", "ffffffffffffffff"), entry("c")};
  const DiskFacts facts[] = {absent(Node::kMissing), present(Kind::kDump, "ffffffffffffffff"),
                             present(Kind::kDump, "eeeeeeeeeeeeeeee")};
  auto plan = plan_harvest(entries, facts);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].disk, "a");
  EXPECT_EQ(plan[0].reason, HarvestReason::kMissing);
  EXPECT_EQ(plan[1].reason, HarvestReason::kAlreadySaved);
  EXPECT_EQ(plan[2].action, HarvestAction::kSave);
  // Facts missing for an entry: taken as a missing disk, never as one to save.
  plan = plan_harvest(entries, std::span(facts, 1));
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[2].reason, HarvestReason::kMissing);
}

TEST(HarvestLine, SaysTheDiskWhatAndWhy) {
  auto d = decide_one(entry("/dev/disk/by-id/a"), present(Kind::kBusy));
  const auto line = harvest_line(d);
  EXPECT_EQ(line.rfind("/dev/disk/by-id/a: not saved (busy): an interrupted dump", 0), 0u) << line;
  d = decide_one(entry("/dev/disk/by-id/b"), present(Kind::kDump, "0123456789abcdef"));
  EXPECT_EQ(harvest_line(d), "/dev/disk/by-id/b: saving (a dump not saved yet)");
  d = decide_one(entry("c"), absent(Node::kMissing));
  EXPECT_EQ(harvest_line(d), "c: not saved (missing)");
}

TEST(AlreadySaved, NeedsTheSameFingerprint) {
  EXPECT_TRUE(already_saved(entry("a", "0123456789abcdef"), "0123456789abcdef"));
  EXPECT_FALSE(already_saved(entry("a", "0123456789abcdef"), "0123456789abcdee"));
  // Nothing saved yet: not even an empty fingerprint counts.
  EXPECT_FALSE(already_saved(entry("a"), ""));
}

/// A synthetic dump disk (laid out as zipl -d does), optionally with a sparse dump written by
/// the dumper's own writer.
struct Disk {
  testsupport::TempDir dir;
  std::string path = dir.file("disk");
  testsupport::SyntheticDisk made = testsupport::make_synthetic_dump_disk(path, {});

  void dump(uint64_t seed) {
    const std::string core_path = dir.file("core");
    testsupport::VmcoreSpec spec;
    spec.memory = {{0, 4 << 20}};
    spec.seed = seed;
    ASSERT_TRUE(testsupport::write_vmcore(core_path, spec));
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto info = ondisk::read_vmcore(**core);
    auto disk = util::PosixFile::open(path, util::OpenMode::kReadWrite);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    ASSERT_TRUE(info && target);
    auto stats = dumper::write_sparse_dump(**core, *info, **disk, *target, {}, {});
    ASSERT_TRUE(stats) << stats.error().describe();
  }
  state::DiskEntry registered() const {
    auto e = entry(path);
    e.part_start = made.superblock.part_start;
    e.part_size = made.superblock.part_size;
    return e;
  }
};

TEST(GatherDiskFacts, AMissingNodeIsMissing) {
  testsupport::TempDir dir;
  auto f = gather_disk_facts(entry(dir.file("no-such-disk")));
  EXPECT_EQ(f.node, Node::kMissing);
  f = gather_disk_facts(entry(dir.file("no-such-dir/disk")));
  EXPECT_EQ(f.node, Node::kMissing);
}

TEST(GatherDiskFacts, AFreshDiskHoldsNothing) {
  Disk d;
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto f = gather_disk_facts(d.registered());
  EXPECT_EQ(f.node, Node::kPresent) << f.detail;
  EXPECT_EQ(f.area, Kind::kEmpty);
  EXPECT_TRUE(f.checksum_ok);
  EXPECT_TRUE(f.fingerprint.empty());
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);
}

TEST(GatherDiskFacts, ADumpIsFingerprintedAndSavedOnce) {
  Disk d;
  d.dump(1);
  const uint64_t before = testsupport::file_fingerprint(d.path);
  auto f = gather_disk_facts(d.registered());
  ASSERT_EQ(f.node, Node::kPresent) << f.detail;
  EXPECT_EQ(f.area, Kind::kDump);
  ASSERT_EQ(f.fingerprint.size(), 16u);
  EXPECT_EQ(testsupport::file_fingerprint(d.path), before);  // read-only

  auto e = d.registered();
  EXPECT_EQ(decide_one(e, f).action, HarvestAction::kSave);
  e.saved_fingerprint = f.fingerprint;  // what save records
  EXPECT_EQ(decide_one(e, gather_disk_facts(e)).reason, HarvestReason::kAlreadySaved);
  // The next crash overwrites the area: a new dump, saved again.
  d.dump(2);
  auto next = gather_disk_facts(e);
  EXPECT_NE(next.fingerprint, f.fingerprint);
  EXPECT_EQ(decide_one(e, next).action, HarvestAction::kSave);
}

TEST(GatherDiskFacts, AnInterruptedDumpIsBusy) {
  Disk d;
  d.dump(1);
  testsupport::poke(d.path, d.made.superblock.part_start, ondisk::kBusyMarker,
                    sizeof ondisk::kBusyMarker);
  auto f = gather_disk_facts(d.registered());
  EXPECT_EQ(f.node, Node::kPresent) << f.detail;
  EXPECT_EQ(f.area, Kind::kBusy);
  EXPECT_EQ(decide_one(d.registered(), f).reason, HarvestReason::kBusy);
}

TEST(GatherDiskFacts, ADiskWithoutTheToolOrWithAnotherPartition) {
  Disk d;
  auto other = d.registered();
  other.part_start += 512;
  auto f = gather_disk_facts(other);
  EXPECT_EQ(f.node, Node::kOtherDisk);
  EXPECT_NE(f.detail.find("registered"), std::string::npos) << f.detail;

  testsupport::TempDir dir;
  testsupport::make_zero_file(dir.file("blank"), 8 << 20);
  f = gather_disk_facts(entry(dir.file("blank")));
  EXPECT_EQ(f.node, Node::kNoTool);
  EXPECT_FALSE(f.detail.empty());
}

}  // namespace
}  // namespace zk::installer::save
