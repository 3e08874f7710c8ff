// SPDX-License-Identifier: MIT
#include "ondisk/s390x_dat.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/support/sparse_memory.h"

namespace zk::ondisk {
namespace {

using testsupport::SparseMemory;

// Tables as the kernel lays them out: 2048-entry region/segment tables, empty entries invalid
// and typed, page tables of 256 entries.
constexpr uint64_t kR2Top = 0x40000, kR3 = 0x10000, kSegments = 0x20000, kShortSegments = 0x60000;
constexpr uint64_t kPageTable = 0x30000;
constexpr uint64_t kV = 0x30000000000;  // 3 TiB: region-third index 1536, segment index 0

class S390xDatTest : public ::testing::Test {
 protected:
  S390xDatTest() : file(64ull << 30) {
    for (unsigned i = 0; i < 2048; ++i) {
      file.put(kR2Top + i * 8, 0x08 | kDatInvalid);
      file.put(kR3 + i * 8, 0x04 | kDatInvalid);
      file.put(kSegments + i * 8, kDatInvalid);
      file.put(kShortSegments + i * 8, kDatInvalid);
    }
    for (unsigned i = 0; i < 256; ++i) file.put(kPageTable + i * 8, kDatPageInvalid);
    file.put(kR2Top + 0 * 8, kR3 | 0x08 | 0x03);                   // -> region-third table, full
    file.put(kR3 + 1536 * 8, kSegments | 0x04 | 0x03);             // -> segment table, full
    file.put(kR3 + 1537 * 8, 0x80000000 | 0x04 | kDatLargeFrame);  // 2 GiB frame at 2 GiB
    file.put(kR3 + 1539 * 8, kSegments | 0x08 | 0x03);             // wrong type for a region-third
    file.put(kR3 + 1540 * 8, kShortSegments | 0x04 | 0x00);        // segment table of 512 entries
    file.put(kSegments + 0 * 8, kPageTable);                       // -> page table
    file.put(kSegments + 1 * 8, 0x100000 | kDatLargeFrame);        // 1 MiB frame at 1 MiB
    file.put(kPageTable + 0 * 8, 0x50000 | 0x001);                 // page at 0x50000 (present bit)
    file.put(kPageTable + 2 * 8, 0);                               // zero: a left-out page reads so
    file.put(kPageTable + 3 * 8, 0x51000 | kDatPageReserved);
    file.put(kPageTable + 255 * 8, 0x7f000);
    info = file.info();
  }
  SparseMemory file;
  VmcoreInfo info;
};

TEST_F(S390xDatTest, TranslatesPagesAndLargeFrames) {
  const PhysicalMemory mem(file, info);
  auto dat = S390xDat::open(mem, kR3);
  ASSERT_TRUE(dat) << dat.error().describe();
  EXPECT_EQ(dat->top_level(), DatLevel::kRegion3);
  auto page = dat->translate(kV + 0x123);
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->paddr, 0x50123u);
  EXPECT_EQ(page->span, 0x1000u - 0x123);
  EXPECT_EQ(dat->translate(kV + 0xff008).value().paddr, 0x7f008u);
  auto segment = dat->translate(kV + 0x100000 + 0x4567);
  ASSERT_TRUE(segment) << segment.error().describe();
  EXPECT_EQ(segment->paddr, 0x104567u);
  EXPECT_EQ(segment->span, 0x100000u - 0x4567);
  auto region = dat->translate(kV + 0x80000000 + 0x1234);
  ASSERT_TRUE(region) << region.error().describe();
  EXPECT_EQ(region->paddr, 0x80001234u);
  EXPECT_EQ(region->span, 0x80000000u - 0x1234);
}

TEST_F(S390xDatTest, WalksFromARegionSecondTop) {
  const PhysicalMemory mem(file, info);
  auto dat = S390xDat::open(mem, kR2Top);
  ASSERT_TRUE(dat);
  EXPECT_EQ(dat->top_level(), DatLevel::kRegion2);
  EXPECT_EQ(dat->translate(kV + 0x10).value().paddr, 0x50010u);
  // Beyond the 8 PiB a region-second table maps.
  auto far = dat->translate(1ull << 53);
  ASSERT_FALSE(far);
  EXPECT_NE(far.error().message.find("beyond"), std::string::npos);
}

TEST_F(S390xDatTest, KeepsThePageTableOfTheLastSegment) {
  const PhysicalMemory mem(file, info);
  auto dat = S390xDat::open(mem, kR3);
  ASSERT_TRUE(dat->translate(kV));
  const uint64_t reads = file.reads();
  EXPECT_EQ(dat->translate(kV + 0xff000).value().paddr, 0x7f000u);
  EXPECT_EQ(file.reads(), reads);
}

TEST_F(S390xDatTest, RefusesWhatTheKernelDoesNotWrite) {
  const PhysicalMemory mem(file, info);
  auto dat = S390xDat::open(mem, kR3);
  ASSERT_TRUE(dat);
  const auto refusal = [&](uint64_t vaddr) {
    auto r = dat->translate(vaddr);
    EXPECT_FALSE(r) << std::hex << vaddr;
    return r ? std::string() : r.error().message;
  };
  EXPECT_NE(refusal(kV + 0x1000).find("page-table entry 0x0000000000000400 is invalid"),
            std::string::npos);
  EXPECT_NE(refusal(kV + 0x2000).find("zero"), std::string::npos);
  EXPECT_NE(refusal(kV + 0x3000).find("reserved"), std::string::npos);
  EXPECT_NE(refusal(kV + 0x200000).find("segment entry 2 at 0x20010 is invalid"),
            std::string::npos);
  EXPECT_NE(refusal(kV + 2 * 0x80000000ull).find("region-third entry 1538"), std::string::npos);
  EXPECT_NE(refusal(kV + 3 * 0x80000000ull).find("another table type"), std::string::npos);
  // Region-third entry 1540's segment table has entries 0 to 511 only.
  EXPECT_NE(refusal(kV + 4 * 0x80000000ull + 600 * 0x100000ull).find("outside the table"),
            std::string::npos);
  EXPECT_NE(refusal(1ull << 42).find("beyond"), std::string::npos);
}

TEST_F(S390xDatTest, RefusesALargeFrameAboveRegionThird) {
  file.put(kR2Top + 1 * 8, 0x40000000000 | 0x08 | kDatLargeFrame);
  const PhysicalMemory mem(file, info);
  auto dat = S390xDat::open(mem, kR2Top);
  auto r = dat->translate((1ull << 42) + 5);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("large frame above"), std::string::npos);
}

TEST(S390xDat, TopTableMustBeAlignedAndNotZero) {
  SparseMemory file(1 << 20);
  const auto info = file.info();
  const PhysicalMemory mem(file, info);
  EXPECT_FALSE(S390xDat::open(mem, 0x10008));
  EXPECT_FALSE(S390xDat::open(mem, 0x10000));   // zero entry
  EXPECT_FALSE(S390xDat::open(mem, 0x200000));  // beyond memory
}

}  // namespace
}  // namespace zk::ondisk
