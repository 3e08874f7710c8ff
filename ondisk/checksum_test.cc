// SPDX-License-Identifier: MIT
#include "ondisk/checksum.h"

#include <vector>

#include <gtest/gtest.h>

namespace zk::ondisk {
namespace {

TEST(Cksm, ZeroPageGivesTheSeed) {
  std::vector<std::byte> page(4096);
  EXPECT_EQ(cksm(page), 0x12345678u);
}

TEST(Cksm, AddsBigEndianWords) {
  std::vector<std::byte> b = {std::byte{0}, std::byte{0}, std::byte{1}, std::byte{0}};
  EXPECT_EQ(cksm(b, 0), 0x100u);
}

TEST(Cksm, EndAroundCarry) {
  // 0xffffffff + 0x00000002 = 0x1_00000001 -> carry folded back: 0x00000002.
  std::vector<std::byte> b = {std::byte{0}, std::byte{0}, std::byte{0}, std::byte{2}};
  EXPECT_EQ(cksm(b, 0xffffffffu), 2u);
  std::vector<std::byte> two_max(8, std::byte{0xff});
  // 0 + ffffffff = ffffffff; + ffffffff = 1_fffffffe -> ffffffff.
  EXPECT_EQ(cksm(two_max, 0), 0xffffffffu);
}

TEST(Cksm, PartialWordIsPaddedOnTheRight) {
  std::vector<std::byte> b = {std::byte{0x12}, std::byte{0x34}};
  EXPECT_EQ(cksm(b, 0), 0x12340000u);
}

TEST(Cksm, BusyMarkerChangesIt) {
  std::vector<std::byte> page(4096);
  const char m[] = "zfcpdump busy";
  for (size_t i = 0; i < sizeof m; ++i) page[i] = static_cast<std::byte>(m[i]);
  EXPECT_NE(cksm(page), kChecksumSeed);
}

}  // namespace
}  // namespace zk::ondisk
