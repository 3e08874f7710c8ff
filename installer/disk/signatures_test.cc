// SPDX-License-Identifier: MIT
#include "installer/disk/signatures.h"

#include <gtest/gtest.h>

#include "installer/disk/partitioner.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"
#include "util/process.h"

namespace zk::installer::disk {
namespace {

constexpr uint64_t MiB = 1 << 20;

/// Runs a host tool (mkfs.ext4, mkswap); false when it cannot run here.
bool tool(const std::vector<std::string>& argv) {
  auto run = util::run_capture(util::Command{argv});
  return run && run->status.ok();
}

std::string types(const std::vector<Signature>& sigs) {
  std::string s;
  for (const auto& g : sigs) s += (s.empty() ? "" : ",") + g.type;
  return s;
}

TEST(Signatures, NoneOnAZeroDisk) {
  testsupport::TempDir dir;
  testsupport::make_zero_file(dir.file("disk.img"), 16 * MiB);
  auto found = find_signatures({dir.file("disk.img"), 0, 0, "the disk"});
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_TRUE(found->empty()) << types(*found);
}

TEST(Signatures, Ext4OnTheWholeDiskIsFoundAndWiped) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 32 * MiB);
  if (!tool({"mkfs.ext4", "-F", "-q", "-L", "data", img}))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mkfs.ext4 cannot run here";
  const ProbeTarget disk{img, 0, 0, "the disk"};
  auto found = find_signatures(disk);
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_EQ(types(*found), "ext4");
  const Signature& s = (*found)[0];
  EXPECT_EQ(s.usage, "filesystem");
  EXPECT_EQ(s.label, "data");
  EXPECT_EQ(s.offset, 0x438u);  // the ext superblock's magic
  EXPECT_EQ(s.length, 2u);
  EXPECT_EQ(s.describe(), "ext4 file system (label \"data\") at byte 0x438 of the disk");

  // Listing does not write.
  const uint64_t before = testsupport::file_fingerprint(img);
  ASSERT_TRUE(find_signatures(disk));
  EXPECT_EQ(testsupport::file_fingerprint(img), before);

  auto wiped = wipe_signatures(disk);
  ASSERT_TRUE(wiped) << wiped.error().describe();
  EXPECT_EQ(types(*wiped), "ext4");
  auto again = find_signatures(disk);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty()) << types(*again);
}

TEST(Signatures, Ext4InsideAPartitionOfAnImage) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 64 * MiB);
  auto plan = plan_partition(64 * MiB, 512, ondisk::LabelType::kDos, 0);
  ASSERT_TRUE(plan);
  ASSERT_TRUE(write_partition_table(img, *plan));
  if (!tool({"mkfs.ext4", "-F", "-q", "-E", "offset=1048576", img, "16M"}))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mkfs.ext4 cannot run here";

  auto on_disk = find_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(on_disk) << on_disk.error().describe();
  EXPECT_EQ(types(*on_disk), "dos");
  EXPECT_EQ((*on_disk)[0].offset, 0x1feu);
  EXPECT_EQ((*on_disk)[0].usage, "partition table");

  const ProbeTarget part{img, plan->start, plan->size, "partition 1"};
  auto in_part = find_signatures(part);
  ASSERT_TRUE(in_part);
  ASSERT_EQ(types(*in_part), "ext4");
  EXPECT_EQ((*in_part)[0].describe(), "ext4 file system at byte 0x438 of partition 1");

  // Wiping the partition erases the file system only, within the partition.
  auto wiped = wipe_signatures(part);
  ASSERT_TRUE(wiped);
  EXPECT_EQ(types(*wiped), "ext4");
  auto left = find_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(left);
  EXPECT_EQ(types(*left), "dos");
  auto f = util::PosixFile::open(img, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto t = ondisk::read_partition_table(**f, 512);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->partitions.size(), 1u);

  // And the disk's own table goes with a wipe of the disk.
  auto table = wipe_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(table);
  EXPECT_EQ(types(*table), "dos");
  auto g = util::PosixFile::open(img, util::OpenMode::kRead);
  ASSERT_TRUE(g);
  auto none = ondisk::read_partition_table(**g, 512);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->type, ondisk::LabelType::kNone);
}

TEST(Signatures, SwapAndGpt) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 16 * MiB);
  if (!tool({"mkswap", "-q", img}))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mkswap cannot run here";
  auto found = find_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(found);
  EXPECT_EQ(types(*found), "swap");
  EXPECT_NE((*found)[0].describe().find("swap area"), std::string::npos) << (*found)[0].describe();

  testsupport::make_zero_file(img, 16 * MiB);
  auto plan = plan_partition(16 * MiB, 512, ondisk::LabelType::kGpt, 0);
  ASSERT_TRUE(plan);
  ASSERT_TRUE(write_partition_table(img, *plan));
  auto gpt = find_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(gpt);
  // The primary header, the backup header and the protective MBR.
  EXPECT_EQ(types(*gpt), "gpt,gpt,PMBR") << types(*gpt);
  ASSERT_TRUE(wipe_signatures({img, 0, 0, "the disk"}));
  auto none = find_signatures({img, 0, 0, "the disk"});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty()) << types(*none);
}

TEST(Signatures, MissingFileIsAnError) {
  auto r = find_signatures({"/nonexistent/disk.img", 0, 0, "the disk"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, ENOENT);
}

}  // namespace
}  // namespace zk::installer::disk
