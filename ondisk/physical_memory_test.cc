// SPDX-License-Identifier: MIT
#include "ondisk/physical_memory.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/sparse_memory.h"

namespace zk::ondisk {
namespace {

using testsupport::SparseMemory;

TEST(PhysicalMemory, ReadsAcrossAdjacentLoadsAndZeroFillsPastFileData) {
  SparseMemory file(1 << 20);
  // [0, 64K) all in the file; [64K, 128K) with 4 KiB of file data; a hole; [256K, 512K).
  file.set_loads({{0, 0x10000, 0x10000}, {0x10000, 0x10000, 0x1000}, {0x40000, 0x40000, 0x40000}});
  file.fill(0xff00, 0x1100, std::byte{0xab});  // across the first boundary
  file.fill(0x11000, 0x100, std::byte{0xcd});  // past the second load's file data
  const auto info = file.info();
  const PhysicalMemory mem(file, info);
  std::array<std::byte, 0x1100> buf{};
  ASSERT_TRUE(mem.read(0xff00, buf));
  for (auto b : buf) ASSERT_EQ(b, std::byte{0xab});
  std::array<std::byte, 0x200> past{};
  past.fill(std::byte{1});
  ASSERT_TRUE(mem.read(0x10f00, past));
  EXPECT_EQ(past[0xff], std::byte{0xab});  // file data: the memory's bytes
  EXPECT_EQ(past[0x100], std::byte{0});    // past p_filesz: zero, not the file's 0xcd
  auto strict = mem.read_file_data(0x10f00, past);
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message.find("0x11000"), std::string::npos) << strict.error().message;
  EXPECT_TRUE(mem.contains(0x1ffff));
  EXPECT_FALSE(mem.in_file_data(0x11000));
  EXPECT_TRUE(mem.in_file_data(0x10fff));
  EXPECT_EQ(mem.end(), 0x80000u);
}

TEST(PhysicalMemory, AddressesOutsideEveryLoadFail) {
  SparseMemory file(1 << 20);
  file.set_loads({{0, 0x10000, 0x10000}, {0x40000, 0x10000, 0x10000}});
  const auto info = file.info();
  const PhysicalMemory mem(file, info);
  std::array<std::byte, 16> buf{};
  auto r = mem.read(0x20000, buf);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("in no PT_LOAD"), std::string::npos);
  EXPECT_FALSE(mem.read(0xfff8, buf));  // runs from the first load into the hole
  EXPECT_FALSE(mem.contains(0x50000));
  EXPECT_FALSE(mem.read_u64(UINT64_MAX - 3));
}

TEST(PhysicalMemory, OverlappingLoadsKeepTheFirst) {
  SparseMemory file(1 << 20);
  file.put(0x8000, 0x1122334455667788);
  // The second load claims [0x8000, 0x18000) from file offset 0x8000 as well: same bytes, but
  // the lookup must not double count or loop.
  file.set_loads({{0, 0x10000, 0x10000}, {0x8000, 0x10000, 0x10000}});
  const auto info = file.info();
  const PhysicalMemory mem(file, info);
  EXPECT_EQ(mem.read_u64(0x8000).value(), 0x1122334455667788u);
  EXPECT_TRUE(mem.contains(0x17fff));
  EXPECT_EQ(mem.end(), 0x18000u);
}

}  // namespace
}  // namespace zk::ondisk
