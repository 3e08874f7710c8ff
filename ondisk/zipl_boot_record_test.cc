// SPDX-License-Identifier: MIT
#include "ondisk/zipl_boot_record.h"

#include <vector>

#include <gtest/gtest.h>

#include "ondisk/bytes.h"

namespace zk::ondisk {
namespace {

TEST(ScsiMbr, RoundTripsBigEndian) {
  ScsiMbr m;
  m.version_id = 1;
  m.program_table = {0x0102030405060708ull, 512, 3};
  m.boot_info = {1, 1, 2, 1, 0x1122334455667788ull};
  std::vector<std::byte> lba0(512);
  encode_scsi_mbr(m, lba0);
  // Byte positions from docs/on-disk-format.md.
  EXPECT_TRUE(has_magic(lba0, 0, "zIPL"));
  EXPECT_EQ(lba0[0x10], std::byte{0x01});
  EXPECT_EQ(lba0[0x17], std::byte{0x08});
  EXPECT_TRUE(has_magic(lba0, 0x70, "zIPL"));
  EXPECT_EQ(lba0[0x75], std::byte{1});
  EXPECT_EQ(lba0[0x76], std::byte{2});
  EXPECT_EQ(lba0[0x78], std::byte{0x11});
  auto back = parse_scsi_mbr(lba0);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->program_table.blockno, 0x0102030405060708ull);
  EXPECT_EQ(back->program_table.size, 512);
  EXPECT_EQ(back->boot_info.dump_superblock_offset, 0x1122334455667788ull);
  EXPECT_EQ(back->boot_info.bp_type, 1);
}

TEST(ScsiMbr, RejectsMissingMagics) {
  std::vector<std::byte> lba0(512);
  auto r = parse_scsi_mbr(lba0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no zipl magic"), std::string::npos);
  put_text(lba0, 0, "zIPL");
  r = parse_scsi_mbr(lba0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("boot_info"), std::string::npos);
  EXPECT_FALSE(parse_scsi_mbr(std::span(lba0).first(100)));
}

TEST(ProgramTable, StopsAtFirstZeroEntry) {
  std::vector<std::byte> block(512);
  BlockPointer entries[] = {{10, 512, 0}, {20, 512, 0}};
  encode_program_table(entries, block);
  auto t = parse_program_table(block);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[1].blockno, 20u);
  block[0] = std::byte{0};
  EXPECT_FALSE(parse_program_table(block));
}

TEST(ProgramTable, FullBlockStaysInBounds) {
  std::vector<std::byte> block(512);
  std::vector<BlockPointer> many(31, BlockPointer{7, 512, 0});
  encode_program_table(many, block);
  auto t = parse_program_table(block);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->size(), 31u);
}

TEST(ComponentHeader, DumpType) {
  std::vector<std::byte> h(32);
  encode_dump_component_header(h);
  EXPECT_TRUE(is_dump_component_header(h));
  h[4] = std::byte{0};
  EXPECT_FALSE(is_dump_component_header(h));
  EXPECT_FALSE(is_dump_component_header(std::span(h).first(8)));
}

}  // namespace
}  // namespace zk::ondisk
