// SPDX-License-Identifier: MIT
#include "installer/disk/verify.h"

#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "installer/disk/sizing.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"
#include "util/process.h"

namespace zk::installer::disk {
namespace {

std::string source_dir() {
  const char* src = std::getenv("ZK_SOURCE_DIR");
  return src ? src : ZK_TEST_SOURCE_DIR;
}

ToolInspection inspect(const std::string& path) {
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  EXPECT_TRUE(f) << f.error().describe();
  return inspect_dump_tool(**f, std::nullopt);
}

TEST(Verify, TheRealZiplDisk) {
  // tests/fixtures/zipl-512.img.xz: made by the real zipl 2.16 (tests/fixtures/README.md).
  testsupport::TempDir dir;
  const std::string img = dir.file("zipl-512.img");
  auto unpacked =
      util::run_capture(util::Command{{"/bin/sh", "-c", "xz -dc \"$0\" > \"$1\"",
                                       source_dir() + "/tests/fixtures/zipl-512.img.xz", img}});
  ASSERT_TRUE(unpacked && unpacked->status.ok()) << "xz must be able to unpack the fixture";
  const auto i = inspect(img);
  ASSERT_EQ(i.verdict, ToolVerdict::kValid) << i.problem;
  ASSERT_TRUE(i.partition);
  EXPECT_EQ(i.partition->number, 1u);
  EXPECT_EQ(i.tool->block_size, 512u);
  EXPECT_EQ(i.tool->superblock.dump_size, 32496640u);
  EXPECT_TRUE(fresh_tool_problems(i, {1, 1048576, 66060288}).empty());
  // The size our formula predicts for that partition is what zipl wrote (run-guest's dummy
  // zfcpdump-image of 69632 bytes, no ramdisk).
  EXPECT_EQ(zipl_dump_size(i.partition->size, i.tool->block_size, 69632, 0),
            i.tool->superblock.dump_size);

  auto wrong = fresh_tool_problems(i, {2, 1048576, 66060288});
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_NE(wrong[0].find("not on partition 2"), std::string::npos) << wrong[0];
}

TEST(Verify, NoToolUnknownPartitionAndReused) {
  testsupport::TempDir dir;
  const std::string zero = dir.file("zero.img");
  testsupport::make_zero_file(zero, 8 << 20);
  auto none = inspect(zero);
  EXPECT_EQ(none.verdict, ToolVerdict::kNoTool);
  EXPECT_NE(none.problem.find("no valid SCSI dump tool"), std::string::npos);
  EXPECT_EQ(fresh_tool_problems(none, {1, 1 << 20, 63 << 20}).size(), 1u);

  const std::string synth = dir.file("synthetic.img");
  auto made = testsupport::make_synthetic_dump_disk(synth, {});
  auto good = inspect(synth);
  ASSERT_EQ(good.verdict, ToolVerdict::kValid) << good.problem;
  EXPECT_TRUE(fresh_tool_problems(good, *good.partition).empty());

  // Someone made a file system on the partition: the checksum no longer matches.
  const char junk[] = "not zero";
  testsupport::poke(synth, made.superblock.part_start, junk, sizeof junk);
  auto reused = inspect(synth);
  EXPECT_EQ(reused.verdict, ToolVerdict::kReused);
  EXPECT_NE(reused.problem.find("checksum"), std::string::npos);

  // The partition table no longer has the superblock's partition.
  const std::string moved = dir.file("moved.img");
  testsupport::make_synthetic_dump_disk(moved, {});
  const unsigned char size[4] = {0x00, 0xf0, 0x01, 0x00};  // 62 MiB in sectors, little-endian
  testsupport::poke(moved, 0x1be + 12, size, 4);
  auto unknown = inspect(moved);
  EXPECT_EQ(unknown.verdict, ToolVerdict::kUnknownPartition) << unknown.problem;
}

TEST(Verify, Currency) {
  state::DiskEntry e{"/dev/disk/by-id/x", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'a')};
  EXPECT_EQ(tool_currency(&e, std::string(64, 'a')), Currency::kCurrent);
  EXPECT_EQ(tool_currency(&e, std::string(64, 'b')), Currency::kStale);
  EXPECT_EQ(tool_currency(nullptr, std::string(64, 'b')), Currency::kNotRegistered);
  EXPECT_EQ(tool_currency(&e, std::nullopt), Currency::kNoLayout);
  EXPECT_STREQ(currency_name(Currency::kStale), "stale");
}

TEST(Verify, RegistryEntriesAreFoundThroughTheirLinks) {
  testsupport::TempDir dir;
  const std::string img = dir.file("disk.img");
  testsupport::make_zero_file(img, 1 << 20);
  ASSERT_EQ(::symlink(img.c_str(), dir.file("link.img").c_str()), 0);
  state::Registry reg;
  reg.upsert({dir.file("link.img"), 1, 0, 1, 1, ""});
  reg.upsert({"/dev/disk/by-id/gone", 1, 0, 1, 1, ""});
  reg.upsert({img, 1, 0, 1, 1, ""});
  EXPECT_EQ(registered_names(reg, img), (std::vector<std::string>{dir.file("link.img"), img}));
  const auto* e = find_registered(reg, img);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->disk, img);  // the exact name wins
  EXPECT_FALSE(find_registered(reg, dir.file("other.img")));
}

}  // namespace
}  // namespace zk::installer::disk
