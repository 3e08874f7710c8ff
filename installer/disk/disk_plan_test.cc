// SPDX-License-Identifier: MIT
#include "installer/disk/disk_plan.h"

#include <set>

#include <gtest/gtest.h>

namespace zk::installer::disk {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;
constexpr uint64_t kKernel = 8 * kMiB;  // a dump kernel of 8 MiB, no ramdisk

system::BlockDevice sd(uint64_t size = 20 * kGiB, uint32_t sector = 512) {
  system::BlockDevice d;
  d.given = d.disk_node = "/dev/sda";
  d.disk_name = "sda";
  d.driver = "sd";
  d.zipl_capable = true;
  d.size = size;
  d.logical_block_size = d.physical_block_size = sector;
  return d;
}

system::BlockDevice image(uint64_t size = 20 * kGiB) {
  system::BlockDevice d;
  d.given = d.disk_node = "/tmp/disk.img";
  d.is_image = true;
  d.size = size;
  return d;
}

ToolInspection tool_with_block_size(uint32_t bs) {
  ToolInspection t;
  t.verdict = ToolVerdict::kValid;
  t.tool = ondisk::DumpDisk{};
  t.tool->block_size = bs;
  return t;
}

Signature sig(const std::string& where, const std::string& type) {
  Signature s;
  s.where = where;
  s.type = type;
  return s;
}

PlanInput input(uint64_t memory, uint64_t disk_size) {
  PlanInput in;
  in.memory = memory;
  in.cpus = 4;
  in.disk_size = disk_size;
  in.image_bytes = kKernel;
  return in;
}

// --- which partition, which sector size ---

TEST(DiskPlan, APartitionNamedAsDeviceIsUsedAsItIs) {
  auto dev = sd();
  dev.partition = 2;
  auto p = partition_to_use(dev, "/dev/sda2", std::nullopt);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 2u);
  EXPECT_EQ(partition_to_use(dev, "/dev/sda2", 2u).value(), 2u);
}

TEST(DiskPlan, APartitionAndADifferentPartitionOptionIsAUsageError) {
  auto dev = sd();
  dev.partition = 2;
  auto p = partition_to_use(dev, "/dev/sda2", 3u);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message, "/dev/sda2 is partition 2, but --partition says 3");
}

TEST(DiskPlan, AWholeDiskKeepsThePartitionOption) {
  EXPECT_EQ(partition_to_use(sd(), "/dev/sda", std::nullopt).value(), std::nullopt);
  EXPECT_EQ(partition_to_use(sd(), "/dev/sda", 1u).value(), 1u);
}

TEST(DiskPlan, ADiskWorksInItsLogicalSectorSize) {
  EXPECT_EQ(sector_size_to_use(sd(kGiB, 4096), std::nullopt, {}).value(), 4096u);
  EXPECT_EQ(sector_size_to_use(sd(kGiB, 4096), 4096u, {}).value(), 4096u);
  auto wrong = sector_size_to_use(sd(kGiB, 4096), 512u, {});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message,
            "/dev/sda has 4096-byte sectors; --sector-size is for image files");
}

TEST(DiskPlan, AnImageTakesTheOptionThenItsDumpToolThen512) {
  EXPECT_EQ(sector_size_to_use(image(), 4096u, tool_with_block_size(512)).value(), 4096u);
  EXPECT_EQ(sector_size_to_use(image(), std::nullopt, tool_with_block_size(4096)).value(), 4096u);
  EXPECT_EQ(sector_size_to_use(image(), std::nullopt, {}).value(), 512u);
}

// --- signatures: where to look, which count, what is wiped ---

TEST(DiskPlan, ProbeTargetsUseAPartitionsNodeOnlyWhenItExists) {
  ondisk::PartitionTable table;
  table.type = ondisk::LabelType::kDos;
  table.partitions = {{1, kMiB, 100 * kMiB}, {2, 101 * kMiB, 100 * kMiB}};
  std::vector<Member> members = {{"sda", "8:0", "/dev/sda", std::nullopt},
                                 {"sda1", "8:1", "/dev/sda1", 1u},
                                 {"sda2", "8:2", "/dev/sda2", 2u},
                                 {"sda5", "8:5", "/dev/sda5", 5u}};
  const std::set<std::string> present = {"/dev/sda1", "/dev/sda5"};
  auto t = probe_targets(sd(), table, members,
                         [&](const std::string& n) { return present.count(n) > 0; });
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].where, "the disk");
  EXPECT_EQ(t[0].path, "/dev/sda");
  EXPECT_EQ(t[1].where, "partition 1");
  EXPECT_EQ(t[1].path, "/dev/sda1");
  EXPECT_EQ(t[1].offset, 0u);
  EXPECT_EQ(t[2].where, "partition 2");  // no node: its byte range of the disk
  EXPECT_EQ(t[2].path, "/dev/sda");
  EXPECT_EQ(t[2].offset, 101 * kMiB);
  EXPECT_EQ(t[2].size, 100 * kMiB);
  EXPECT_EQ(t[3].where, "partition 5");  // a logical partition the primary table does not show
  EXPECT_EQ(t[3].path, "/dev/sda5");
}

TEST(DiskPlan, WithAPartitionOptionOnlyItsSignaturesCount) {
  std::vector<ProbeTarget> targets = {{"/dev/sda", 0, 0, "the disk"},
                                      {"/dev/sda1", 0, 0, "partition 1"},
                                      {"/dev/sda2", 0, 0, "partition 2"}};
  std::vector<std::vector<Signature>> found = {
      {sig("the disk", "dos")}, {sig("partition 1", "ext4")}, {sig("partition 2", "swap")}};
  EXPECT_EQ(signatures_in_scope(targets, found, std::nullopt).size(), 3u);
  auto only2 = signatures_in_scope(targets, found, 2u);
  ASSERT_EQ(only2.size(), 1u);
  EXPECT_EQ(only2[0].type, "swap");
  EXPECT_TRUE(signatures_in_scope(targets, found, 7u).empty());
}

TEST(DiskPlan, PartitionsAreWipedBeforeTheDiskAndOnlyWhereASignatureIs) {
  std::vector<ProbeTarget> targets = {{"/dev/sda", 0, 0, "the disk"},
                                      {"/dev/sda1", 0, 0, "partition 1"},
                                      {"/dev/sda2", 0, 0, "partition 2"}};
  std::vector<Signature> to_wipe = {sig("the disk", "dos"), sig("partition 2", "ext4")};
  auto t = targets_to_wipe(targets, to_wipe);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].where, "partition 2");
  EXPECT_EQ(t[1].where, "the disk");
  EXPECT_TRUE(targets_to_wipe(targets, {}).empty());
}

// --- the refusals' judgement ---

TEST(DiskPlan, ForceOverridesOnlyWhatIsForceable) {
  std::vector<Refusal> rs = {{RefusalKind::kInUse, "sda1 is mounted on /boot", "umount it"},
                             {RefusalKind::kSignatures, "ext4 file system", "--force"}};
  auto j = judge(rs, true);
  ASSERT_EQ(j.blocking.size(), 1u);
  EXPECT_EQ(j.blocking[0].kind, RefusalKind::kInUse);
  ASSERT_EQ(j.overridden.size(), 1u);
  EXPECT_EQ(j.overridden[0].kind, RefusalKind::kSignatures);
  EXPECT_FALSE(j.already_current);
  EXPECT_EQ(judge(rs, false).blocking.size(), 2u);
}

TEST(DiskPlan, AlreadyCurrentOnlyWhenThatIsTheOnlyReason) {
  const Refusal current{RefusalKind::kCurrentDumpDisk, "current", "--force"};
  const Refusal dump{RefusalKind::kDumpPresent, "a dump", "copy it off"};
  EXPECT_TRUE(judge({current}, false).already_current);
  EXPECT_FALSE(judge({current, dump}, false).already_current);
  auto forced = judge({current}, true);
  EXPECT_TRUE(forced.blocking.empty());
  EXPECT_FALSE(forced.already_current);
  EXPECT_FALSE(judge({}, false).already_current);
  EXPECT_TRUE(judge({}, false).blocking.empty());
}

// --- sizing and the partition ---

TEST(DiskPlan, TheWholeDiskByDefaultSizedForMemoryPlusMargins) {
  auto plan = plan_dump_partition(input(4 * kGiB, 20 * kGiB));
  EXPECT_TRUE(plan.refusal.empty()) << plan.refusal;
  ASSERT_TRUE(plan.new_table);
  ASSERT_TRUE(plan.target);
  EXPECT_EQ(plan.target->number, 1u);
  EXPECT_EQ(plan.target->start, kMiB);
  EXPECT_EQ(plan.target->size, 20 * kGiB - kMiB);
  EXPECT_EQ(plan.sizing.dump_needed,
            4 * kGiB + kHeaderMarginBytes + 4 * kHeaderMarginPerCpu + kKernelImageMargin);
  ASSERT_TRUE(plan.predicted);
  EXPECT_EQ(*plan.predicted, zipl_dump_size(plan.target->size, 512, kKernel, 0).value());
  EXPECT_FALSE(plan.small);
}

TEST(DiskPlan, SizeOptionLimitsTheNewPartition) {
  auto in = input(kGiB, 20 * kGiB);
  in.size = 2 * kGiB;
  auto plan = plan_dump_partition(in);
  EXPECT_TRUE(plan.refusal.empty()) << plan.refusal;
  EXPECT_EQ(plan.target->size, 2 * kGiB);
}

TEST(DiskPlan, ASmallAreaIsRefusedUnlessAllowed) {
  auto in = input(8 * kGiB, 4 * kGiB);
  auto plan = plan_dump_partition(in);
  EXPECT_TRUE(plan.small);
  ASSERT_TRUE(plan.target);  // decided, and shown, before the refusal
  ASSERT_TRUE(plan.predicted);
  EXPECT_NE(plan.refusal.find("is smaller than a dump of this system can be"), std::string::npos)
      << plan.refusal;
  EXPECT_NE(plan.refusal.find("or --allow-small to accept it"), std::string::npos) << plan.refusal;
  EXPECT_EQ(plan.refusal.find(small_area_message(plan, in.memory)), 0u);

  in.allow_small = true;
  auto allowed = plan_dump_partition(in);
  EXPECT_TRUE(allowed.small);
  EXPECT_TRUE(allowed.refusal.empty()) << allowed.refusal;
}

TEST(DiskPlan, DumpAreaSizesThePartitionForExactlyThatArea) {
  for (uint32_t bs : {512u, 4096u}) {
    auto in = input(64 * kGiB, 100 * kGiB);
    in.sector_size = bs;
    in.dump_area = 10 * kGiB + 12345;  // not a whole number of blocks
    auto plan = plan_dump_partition(in);
    EXPECT_TRUE(plan.refusal.empty()) << plan.refusal;
    ASSERT_TRUE(plan.target);
    ASSERT_TRUE(plan.predicted);
    EXPECT_EQ(plan.target->size % kAlignment, 0u);
    // Large enough for the chosen area, and the smallest aligned partition that is.
    EXPECT_GE(*plan.predicted, *in.dump_area) << bs;
    const auto one_less = zipl_dump_size(plan.target->size - kAlignment, bs, kKernel, 0);
    EXPECT_TRUE(!one_less || *one_less < *in.dump_area) << bs;
    // Smaller than a full dump of 64 GiB: accepted as the administrator's choice, flagged.
    EXPECT_TRUE(plan.small);
    EXPECT_TRUE(plan.chosen_small);
    EXPECT_NE(chosen_area_risk(plan, in.memory).find("partial dump"), std::string::npos);
  }
}

TEST(DiskPlan, ALargeDumpAreaIsNotSmall) {
  auto in = input(kGiB, 100 * kGiB);
  in.dump_area = 8 * kGiB;
  auto plan = plan_dump_partition(in);
  EXPECT_TRUE(plan.refusal.empty()) << plan.refusal;
  EXPECT_FALSE(plan.small);
  EXPECT_FALSE(plan.chosen_small);
  EXPECT_LT(plan.target->size, 9 * kGiB);
}

TEST(DiskPlan, ADumpAreaLargerThanTheDiskIsRefused) {
  auto in = input(kGiB, 4 * kGiB);
  in.dump_area = 8 * kGiB;
  auto plan = plan_dump_partition(in);
  EXPECT_FALSE(plan.refusal.empty());
  EXPECT_FALSE(plan.target);
}

TEST(DiskPlan, ADiskTooSmallForAnyPartitionSaysWhatIsNeeded) {
  auto plan = plan_dump_partition(input(kGiB, kMiB));
  EXPECT_FALSE(plan.target);
  EXPECT_NE(plan.refusal.find("a dump disk for this system needs at least"), std::string::npos)
      << plan.refusal;
}

TEST(DiskPlan, APartitionTooSmallForTheDumpToolIsRefused) {
  auto in = input(kGiB, 20 * kGiB);
  in.size = 16 * kMiB;  // zipl reserves 0x10000 blocks of 512 bytes = 32 MiB and more
  auto plan = plan_dump_partition(in);
  ASSERT_TRUE(plan.target);
  EXPECT_FALSE(plan.predicted);
  EXPECT_NE(plan.refusal.find("is too small even for the dump tool"), std::string::npos)
      << plan.refusal;
}

TEST(DiskPlan, AnExistingPartitionIsUsedAsItIs) {
  auto in = input(kGiB, 20 * kGiB);
  in.table.type = ondisk::LabelType::kGpt;
  in.table.partitions = {{1, kMiB, kGiB}, {2, kGiB + kMiB, 4 * kGiB}};
  in.partition = 2;
  auto plan = plan_dump_partition(in);
  EXPECT_TRUE(plan.refusal.empty()) << plan.refusal;
  EXPECT_FALSE(plan.new_table);
  ASSERT_TRUE(plan.target);
  EXPECT_EQ(plan.target->number, 2u);
  EXPECT_EQ(plan.target->size, 4 * kGiB);
}

TEST(DiskPlan, ADosLabelIsCappedGptIsNot) {
  constexpr uint64_t kHuge = (1ull << 32) * 512 + 10 * kGiB;  // beyond 2^32 sectors
  auto dos = plan_dump_partition(input(kGiB, kHuge));
  ASSERT_TRUE(dos.new_table);
  EXPECT_TRUE(dos.new_table->capped_by_label);
  auto in = input(kGiB, kHuge);
  in.label = ondisk::LabelType::kGpt;
  auto gpt = plan_dump_partition(in);
  ASSERT_TRUE(gpt.new_table);
  EXPECT_FALSE(gpt.new_table->capped_by_label);
}

TEST(DiskPlan, ZiplRunsOnADiskAndOnAnImageOnlyWithZiplOption) {
  EXPECT_TRUE(runs_zipl(sd(), std::nullopt));
  EXPECT_FALSE(runs_zipl(image(), std::nullopt));
  EXPECT_TRUE(runs_zipl(image(), std::string("/usr/local/bin/zipl-on-image")));
}

}  // namespace
}  // namespace zk::installer::disk
