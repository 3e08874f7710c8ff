// SPDX-License-Identifier: MIT
#include "installer/disk/sizing.h"

#include <gtest/gtest.h>

namespace zk::installer::disk {
namespace {

// tests/fixtures/README.md: both disks were made by the real zipl 2.16 with run-guest's dummy
// zfcpdump-image of 69632 bytes and no zfcpdump-initrd.
constexpr uint64_t kDummyKernel = 69632;

TEST(Sizing, MatchesTheRealZiplOn512ByteSectors) {
  EXPECT_EQ(zipl_reserved_blocks(512, kDummyKernel, 0), 0x10000u + 8 + 2 + 8);
  EXPECT_EQ(zipl_dump_size(66060288, 512, kDummyKernel, 0), 32496640u);
}

TEST(Sizing, MatchesTheRealZiplOn4096ByteSectors) {
  EXPECT_EQ(zipl_reserved_blocks(4096, kDummyKernel, 0), 0x10000u + 1 + 1 + 8);
  EXPECT_EQ(zipl_dump_size(334495744, 4096, kDummyKernel, 0), 66019328u);
}

TEST(Sizing, InitrdCostsItsBlocksPlusASectionEntry) {
  // 1,000,000 bytes: 1954 blocks of 512 (the last one partial), 245 blocks of 4096.
  EXPECT_EQ(
      zipl_reserved_blocks(512, kDummyKernel, 1000000) - zipl_reserved_blocks(512, kDummyKernel, 0),
      1954u + 1);
  EXPECT_EQ(zipl_reserved_blocks(4096, kDummyKernel, 1000000) -
                zipl_reserved_blocks(4096, kDummyKernel, 0),
            245u + 1);
  // A 20 MiB kernel: (20 MiB - 64 KiB) / bs blocks.
  EXPECT_EQ(zipl_reserved_blocks(512, 20u << 20, 0),
            0x10000u + ((20u << 20) - 0x10000) / 512 + 2 + 8);
  EXPECT_EQ(zipl_reserved_blocks(4096, 20u << 20, 0),
            0x10000u + ((20u << 20) - 0x10000) / 4096 + 1 + 8);
}

TEST(Sizing, TooSmallForTheDumpTool) {
  // 0x10000 blocks alone are 32 MiB on 512-byte sectors and 256 MiB on 4096-byte sectors.
  EXPECT_FALSE(zipl_dump_size(32u << 20, 512, kDummyKernel, 0));
  EXPECT_FALSE(zipl_dump_size(255u << 20, 4096, kDummyKernel, 0));
  EXPECT_TRUE(zipl_dump_size(257u << 20, 4096, kDummyKernel, 0));
  EXPECT_EQ(zipl_dump_size((0x10000u + 18) * 512, 512, kDummyKernel, 0), 0u);
}

TEST(Sizing, MarginsAreDocumentedConstants) {
  const Sizing s = compute_sizing({.memory = 4ull << 30,
                                   .cpus = 8,
                                   .block_size = 512,
                                   .kernel_bytes = kDummyKernel,
                                   .initrd_bytes = 0});
  EXPECT_EQ(s.header_margin, (1u << 20) + 8 * 4096u);
  EXPECT_EQ(s.kernel_image_margin, 64u << 20);
  EXPECT_EQ(s.dump_needed, (4ull << 30) + (1u << 20) + 8 * 4096u + (64u << 20));
  EXPECT_EQ(s.zipl_reserve, 65554u * 512);
}

TEST(Sizing, PartitionMinimumIsTheSmallestAlignedPartitionThatFits) {
  for (uint32_t bs : {512u, 4096u})
    for (uint64_t initrd : {uint64_t{0}, uint64_t{1234567}})
      for (uint64_t memory :
           {uint64_t{0}, uint64_t{512} << 20, uint64_t{3} << 30, (uint64_t{1} << 40) + 4096}) {
        const Sizing s = compute_sizing({.memory = memory,
                                         .cpus = 2,
                                         .block_size = bs,
                                         .kernel_bytes = 18u << 20,
                                         .initrd_bytes = initrd});
        SCOPED_TRACE(testing::Message()
                     << "bs " << bs << " initrd " << initrd << " memory " << memory);
        EXPECT_EQ(s.partition_min % kAlignment, 0u);
        auto fits = zipl_dump_size(s.partition_min, bs, 18u << 20, initrd);
        ASSERT_TRUE(fits);
        EXPECT_GE(*fits, s.dump_needed);
        auto smaller = zipl_dump_size(s.partition_min - kAlignment, bs, 18u << 20, initrd);
        EXPECT_TRUE(!smaller || *smaller < s.dump_needed);
      }
}

TEST(Sizing, SaturatesInsteadOfOverflowing) {
  const Sizing s = compute_sizing({.memory = ~uint64_t{0},
                                   .cpus = 1,
                                   .block_size = 4096,
                                   .kernel_bytes = 1u << 20,
                                   .initrd_bytes = 0});
  EXPECT_EQ(s.dump_needed, ~uint64_t{0});
  EXPECT_GE(s.partition_min, s.zipl_reserve);
}

TEST(Sizing, CountsCpuLists) {
  EXPECT_EQ(count_cpu_list("0-63\n"), 64u);
  EXPECT_EQ(count_cpu_list("0"), 1u);
  EXPECT_EQ(count_cpu_list("0,2-5,8"), 6u);
  EXPECT_FALSE(count_cpu_list(""));
  EXPECT_FALSE(count_cpu_list("5-3"));
  EXPECT_FALSE(count_cpu_list("0,"));
  EXPECT_FALSE(count_cpu_list("x"));
}

}  // namespace
}  // namespace zk::installer::disk
