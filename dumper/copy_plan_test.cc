// SPDX-License-Identifier: MIT
#include "dumper/copy_plan.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace zk::dumper {
namespace {

// Checks the invariants every plan must keep: every byte of the file exactly once, the first
// page last, step-1 ranges first.
void expect_covers_once(const CopyPlan& p, uint64_t file_size) {
  std::vector<std::pair<uint64_t, uint64_t>> spans;
  for (const auto& r : p.ranges) spans.emplace_back(r.offset, r.offset + r.length);
  std::sort(spans.begin(), spans.end());
  uint64_t cursor = 0;
  for (auto [b, e] : spans) {
    EXPECT_EQ(b, cursor) << "gap or overlap at " << b;
    cursor = e;
  }
  EXPECT_EQ(cursor, file_size);
  EXPECT_EQ(p.total_bytes, file_size);
  ASSERT_FALSE(p.ranges.empty());
  EXPECT_EQ(p.ranges.back().offset, 0u);
  for (size_t i = 0; i < p.ranges.size(); ++i) EXPECT_EQ(p.ranges[i].hsa, i < p.hsa_ranges);
}

TEST(CopyPlan, NoHsaIsOneSweepThenPageZero) {
  std::vector<ondisk::LoadSegment> loads = {{4096, 1 << 20, 1 << 20, 0, 0}};
  auto p = plan_copy(4096 + (1 << 20), loads, 0);
  ASSERT_EQ(p.ranges.size(), 2u);
  EXPECT_EQ(p.ranges[0].offset, 4096u);
  EXPECT_EQ(p.hsa_ranges, 0u);
  expect_covers_once(p, 4096 + (1 << 20));
}

TEST(CopyPlan, HsaRangesFirstSelectedByPhysicalAddress) {
  // Two loads: [0, 64M) at file 8192 and [64M, 96M) right after; HSA 32M.
  // A third load has a low *virtual* address but high physical: it must not be picked.
  const uint64_t m = 1 << 20;
  std::vector<ondisk::LoadSegment> loads = {
      {8192, 64 * m, 64 * m, 0, 0x1000},
      {8192 + 64 * m, 32 * m, 32 * m, 64 * m, 0},
  };
  const uint64_t size = 8192 + 96 * m;
  auto p = plan_copy(size, loads, 32 * m);
  ASSERT_EQ(p.hsa_ranges, 1u);
  EXPECT_EQ(p.ranges[0].offset, 8192u);
  EXPECT_EQ(p.ranges[0].length, 32 * m);
  expect_covers_once(p, size);
}

TEST(CopyPlan, UnalignedSegmentsAreRoundedOut) {
  std::vector<ondisk::LoadSegment> loads = {{5000, 10000, 10000, 0, 0},
                                            {15000, 10000, 10000, 1 << 20, 0}};
  auto p = plan_copy(25000, loads, 4096);
  expect_covers_once(p, 25000);
  ASSERT_EQ(p.hsa_ranges, 1u);
  EXPECT_EQ(p.ranges[0].offset, 4096u);  // 5000 rounded down
  EXPECT_EQ(p.ranges[0].length, 8192u);  // 5000 + 4096 rounded up to 12288
  for (const auto& r : p.ranges) {
    EXPECT_EQ(r.offset % 4096, 0u);
    if (r.offset + r.length != 25000) {
      EXPECT_EQ(r.length % 4096, 0u);
    }
  }
}

TEST(CopyPlan, OverlappingHsaSegmentsMerge) {
  std::vector<ondisk::LoadSegment> loads = {{4096, 8192, 8192, 0, 0}, {8192, 8192, 8192, 4096, 0}};
  auto p = plan_copy(16384, loads, 1 << 20);
  EXPECT_EQ(p.hsa_ranges, 1u);
  expect_covers_once(p, 16384);
}

TEST(CopyPlan, TinyFileIsJustPageZero) {
  auto p = plan_copy(100, {}, 0);
  ASSERT_EQ(p.ranges.size(), 1u);
  EXPECT_EQ(p.ranges[0].length, 100u);
}

TEST(CopyPlan, KernelImageSegmentDuplicatesAreCopiedAsFileBytes) {
  // Newer kernels add a PT_LOAD for the kernel image at a high virtual address with a low
  // physical one; it is part of the file and is copied like everything else.
  const uint64_t m = 1 << 20;
  std::vector<ondisk::LoadSegment> loads = {{4096, 64 * m, 64 * m, 0, 0},
                                            {4096 + 64 * m, 8 * m, 8 * m, 0, 0x3ffe0000000ull}};
  const uint64_t size = 4096 + 72 * m;
  auto p = plan_copy(size, loads, 32 * m);
  EXPECT_EQ(p.hsa_ranges, 2u);
  expect_covers_once(p, size);
}

}  // namespace
}  // namespace zk::dumper
