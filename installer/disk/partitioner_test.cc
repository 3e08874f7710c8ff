// SPDX-License-Identifier: MIT
#include "installer/disk/partitioner.h"

#include <gtest/gtest.h>

#include "installer/disk/sizing.h"
#include "ondisk/dump_disk.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"
#include "util/process.h"
#include "util/strings.h"

namespace zk::installer::disk {
namespace {

using ondisk::LabelType;
constexpr uint64_t MiB = 1 << 20;

TEST(PlanPartition, WholeDiskLikeTheFixtures) {
  // tests/fixtures/README.md: sfdisk made partition 1 from 1 MiB to the end of the disk.
  auto p = plan_partition(64 * MiB, 512, LabelType::kDos, 0);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->start, 1048576u);
  EXPECT_EQ(p->size, 66060288u);
  EXPECT_FALSE(p->capped_by_label);
  p = plan_partition(320 * MiB, 4096, LabelType::kDos, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size, 334495744u);
}

TEST(PlanPartition, GptKeepsItsBackupAtTheEnd) {
  auto p = plan_partition(64 * MiB, 512, LabelType::kGpt, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->start, MiB);
  EXPECT_EQ(p->size, 62 * MiB);
  p = plan_partition(64 * MiB + 512 * 34, 512, LabelType::kGpt, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size, 63 * MiB);
}

TEST(PlanPartition, ExplicitSizeIsRoundedUpToMiB) {
  auto p = plan_partition(1ull << 30, 512, LabelType::kDos, 10 * MiB + 1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size, 11 * MiB);
  p = plan_partition(1ull << 30, 4096, LabelType::kGpt, 10 * MiB);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size, 10 * MiB);
}

TEST(PlanPartition, DosAddressesAtMost2To32Sectors) {
  const uint64_t three_tib = 3ull << 40;
  auto p = plan_partition(three_tib, 512, LabelType::kDos, 0);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->capped_by_label);
  EXPECT_EQ(p->start + p->size, 2ull << 40);
  auto g = plan_partition(three_tib, 512, LabelType::kGpt, 0);
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->capped_by_label);
  EXPECT_EQ(g->start + g->size, three_tib - MiB);
  // 4096-byte sectors: a DOS label reaches 16 TiB.
  auto big = plan_partition(20ull << 40, 4096, LabelType::kDos, 0);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->start + big->size, 16ull << 40);
  auto e = plan_partition(three_tib, 512, LabelType::kDos, 2ull << 40);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("--label gpt"), std::string::npos) << e.error().message;
}

TEST(PlanPartition, Refusals) {
  EXPECT_FALSE(plan_partition(64 * MiB, 512, LabelType::kDos, 64 * MiB));
  EXPECT_FALSE(plan_partition(MiB + 4096, 512, LabelType::kDos, 0));
  EXPECT_FALSE(plan_partition(64 * MiB, 1024, LabelType::kDos, 0));
  EXPECT_FALSE(plan_partition(64 * MiB, 512, LabelType::kNone, 0));
}

TEST(PlanPartition, SfdiskScript) {
  auto p = plan_partition(64 * MiB, 512, LabelType::kDos, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(render_sfdisk_script(*p),
            "label: dos\nunit: sectors\nsector-size: 512\n\nstart=2048, size=129024, type=83\n");
  p = plan_partition(320 * MiB, 4096, LabelType::kGpt, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(render_sfdisk_script(*p),
            "label: gpt\nunit: sectors\nsector-size: 4096\n\nstart=256, size=81408, "
            "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n");
}

/// The host's `sfdisk -d IMAGE` (util-linux), or nullopt when it cannot run here.
std::optional<std::string> sfdisk_dump(const std::string& image) {
  auto run = util::run_capture(util::Command{{"sfdisk", "-d", image}});
  if (!run || !run->status.ok()) return std::nullopt;
  return run->output;
}

struct Case {
  uint32_t sector_size;
  LabelType label;
};

class WritePartitionTable : public ::testing::TestWithParam<Case> {};

TEST_P(WritePartitionTable, OnAnImageFileReadBackTwoWays) {
  const auto [ss, label] = GetParam();
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  const uint64_t disk = ss == 4096 ? 320 * MiB : 64 * MiB;
  testsupport::make_zero_file(img, disk);
  auto plan = plan_partition(disk, ss, label, 0);
  ASSERT_TRUE(plan) << plan.error().describe();
  auto written = write_partition_table(img, *plan);
  ASSERT_TRUE(written) << written.error().describe();
  EXPECT_FALSE(written->kernel_notified);  // an image: nobody to tell

  // Our own reader (ondisk), with the sector size the image was written for.
  auto f = util::PosixFile::open(img, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = ondisk::read_partition_table(**f, ss);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->type, label);
  ASSERT_EQ(t->partitions.size(), 1u);
  EXPECT_EQ(t->partitions[0].number, 1u);
  EXPECT_EQ(t->partitions[0].start, plan->start);
  EXPECT_EQ(t->partitions[0].size, plan->size);

  // util-linux's sfdisk. It has no --sector-size (2.38) and reads a GPT only at 512-byte LBA 1,
  // so a 4096-byte GPT shows as its protective MBR; the DOS numbers it prints are the stored
  // ones, in the image's own sectors.
  auto dump = sfdisk_dump(img);
  if (!dump)
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "sfdisk cannot run here";
  if (label == LabelType::kGpt && ss == 4096) {
    EXPECT_NE(dump->find("type=ee"), std::string::npos) << *dump;
    return;
  }
  EXPECT_NE(dump->find(label == LabelType::kGpt ? "label: gpt" : "label: dos"), std::string::npos)
      << *dump;
  const std::string entry =
      util::format("start=%*llu, size=%*llu", 12, static_cast<unsigned long long>(plan->start / ss),
                   12, static_cast<unsigned long long>(plan->size / ss));
  EXPECT_NE(dump->find(entry), std::string::npos) << "want " << entry << " in\n" << *dump;
  EXPECT_NE(dump->find(label == LabelType::kGpt ? "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4"
                                                : "type=83"),
            std::string::npos)
      << *dump;
}

INSTANTIATE_TEST_SUITE_P(Labels, WritePartitionTable,
                         ::testing::Values(Case{512, LabelType::kDos}, Case{4096, LabelType::kDos},
                                           Case{512, LabelType::kGpt}, Case{4096, LabelType::kGpt}),
                         [](const auto& p) {
                           return std::string(label_name(p.param.label)) +
                                  std::to_string(p.param.sector_size);
                         });

TEST(WritePartitionTableOnImage, ReplacesAnOldTable) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 64 * MiB);
  auto small = plan_partition(64 * MiB, 512, LabelType::kGpt, 8 * MiB);
  ASSERT_TRUE(small);
  ASSERT_TRUE(write_partition_table(img, *small));
  auto whole = plan_partition(64 * MiB, 512, LabelType::kDos, 0);
  ASSERT_TRUE(whole);
  auto w = write_partition_table(img, *whole);
  ASSERT_TRUE(w) << w.error().describe();
  auto f = util::PosixFile::open(img, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = ondisk::read_partition_table(**f, 512);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, LabelType::kDos);
  ASSERT_EQ(t->partitions.size(), 1u);
  EXPECT_EQ(t->partitions[0].size, 63 * MiB);
}

TEST(WritePartitionTableOnImage, ZiplsBootRecordDoesNotSurviveANewDosLabel) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_synthetic_dump_disk(img, {});
  {
    auto f = util::PosixFile::open(img, util::OpenMode::kRead);
    ASSERT_TRUE(f);
    ASSERT_TRUE(ondisk::read_dump_disk(**f, std::nullopt));
  }
  auto plan = plan_partition(64 * MiB, 512, LabelType::kDos, 0);
  ASSERT_TRUE(plan);
  ASSERT_TRUE(write_partition_table(img, *plan));
  auto f = util::PosixFile::open(img, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  EXPECT_FALSE(ondisk::read_dump_disk(**f, std::nullopt))
      << "a new label keeps a stale dump record";
}

TEST(WritePartitionTableOnImage, APlanThatDoesNotFitWritesNothing) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 32 * MiB);
  const uint64_t before = testsupport::file_fingerprint(img);
  auto plan = plan_partition(64 * MiB, 512, LabelType::kDos, 0);  // for a larger disk
  ASSERT_TRUE(plan);
  EXPECT_FALSE(write_partition_table(img, *plan));
  EXPECT_EQ(testsupport::file_fingerprint(img), before);
  EXPECT_FALSE(write_partition_table(dir.file("missing.img"), *plan));
}

}  // namespace
}  // namespace zk::installer::disk
