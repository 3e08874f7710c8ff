// SPDX-License-Identifier: MIT
#include "ondisk/dump_superblock.h"

#include <vector>

#include <gtest/gtest.h>

namespace zk::ondisk {
namespace {

DumpSuperblock good() {
  DumpSuperblock sb;
  sb.part_start = 1 << 20;
  sb.part_size = 63 << 20;
  sb.dump_size = 30 << 20;
  sb.csum = 0x12345678;
  return sb;
}

TEST(DumpSuperblock, RoundTripAndLayout) {
  std::vector<std::byte> b(kDumpSuperblockSize);
  encode_dump_superblock(good(), b);
  const char magic[] = "ZFCPDUMP";
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(b[static_cast<size_t>(i)], static_cast<std::byte>(magic[i]));
  EXPECT_EQ(b[0x0f], std::byte{1});     // version, big-endian
  EXPECT_EQ(b[0x15], std::byte{0x10});  // part_start 0x100000
  EXPECT_EQ(b[0x47], std::byte{0x78});  // csum low byte
  auto sb = parse_dump_superblock(b);
  ASSERT_TRUE(sb);
  EXPECT_EQ(sb->part_size, 63u << 20);
  EXPECT_EQ(sb->csum_size, 4096u);
}

TEST(DumpSuperblock, WrongMagicSaysWhatItFound) {
  std::vector<std::byte> b(kDumpSuperblockSize);
  auto sb = parse_dump_superblock(b);
  ASSERT_FALSE(sb);
  EXPECT_NE(sb.error().message.find("0x0000000000000000"), std::string::npos);
}

TEST(DumpSuperblock, ValidateGeometry) {
  const uint64_t disk = 64 << 20, sb_off = (1 << 20) + (30 << 20) + 1024;
  EXPECT_TRUE(validate_dump_superblock(good(), disk, sb_off));

  auto sb = good();
  sb.part_size = UINT64_MAX;  // overflow must not pass
  EXPECT_FALSE(validate_dump_superblock(sb, disk, sb_off));
  sb = good();
  sb.dump_size = 64ull << 20;
  EXPECT_FALSE(validate_dump_superblock(sb, disk, sb_off));
  sb = good();
  sb.csum_size = 1ull << 40;  // terabytes of checksum area: refused, not allocated
  auto r = validate_dump_superblock(sb, disk, sb_off);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("checksum area"), std::string::npos);
  sb = good();
  sb.csum_offset = UINT64_MAX - 10;
  EXPECT_FALSE(validate_dump_superblock(sb, disk, sb_off));
  sb = good();
  EXPECT_FALSE(validate_dump_superblock(sb, disk, 1 << 20));  // dump area runs over the superblock
  sb.csum = 1ull << 33;
  EXPECT_FALSE(validate_dump_superblock(sb, disk, sb_off));
}

}  // namespace
}  // namespace zk::ondisk
