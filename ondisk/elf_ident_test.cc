// SPDX-License-Identifier: MIT
#include "ondisk/elf_ident.h"

#include <array>
#include <cstddef>

#include <gtest/gtest.h>

namespace zk::ondisk {
namespace {

/// The first 20 bytes of an ELF header: magic, class, byte order, then e_machine at 18.
std::array<std::byte, 20> header(unsigned elf_class, unsigned data, uint8_t m18, uint8_t m19) {
  std::array<std::byte, 20> h{};
  h[0] = std::byte{0x7f};
  h[1] = std::byte{'E'};
  h[2] = std::byte{'L'};
  h[3] = std::byte{'F'};
  h[4] = static_cast<std::byte>(elf_class);
  h[5] = static_cast<std::byte>(data);
  h[18] = std::byte{m18};
  h[19] = std::byte{m19};
  return h;
}

TEST(IdentifyElf, BigEndianS390x) {
  const auto h = header(2, 2, 0x00, 0x16);
  auto id = identify_elf(h);
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->is_64bit);
  EXPECT_TRUE(id->big_endian);
  EXPECT_EQ(id->machine, kElfMachineS390);
}

TEST(IdentifyElf, LittleEndianMachineIsDecodedLittleEndian) {
  const auto h = header(2, 1, 0x3e, 0x00);  // x86-64 (62)
  auto id = identify_elf(h);
  ASSERT_TRUE(id);
  EXPECT_FALSE(id->big_endian);
  EXPECT_EQ(id->machine, 62);
}

TEST(IdentifyElf, RefusesShortWrongMagicAndUnknownClassOrOrder) {
  const auto good = header(1, 2, 0x00, 0x16);
  EXPECT_TRUE(identify_elf(good));
  EXPECT_FALSE(identify_elf(std::span(good).first(19)));
  auto bad_magic = good;
  bad_magic[1] = std::byte{'X'};
  EXPECT_FALSE(identify_elf(bad_magic));
  EXPECT_FALSE(identify_elf(header(3, 2, 0, 22)));
  EXPECT_FALSE(identify_elf(header(2, 0, 0, 22)));
}

}  // namespace
}  // namespace zk::ondisk
