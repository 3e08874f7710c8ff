// SPDX-License-Identifier: MIT
#include "dumper/segment_budget.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace zk::dumper {
namespace {

constexpr uint64_t kPage = 4096;

struct ZeroRun {
  uint64_t end;  ///< progress through memory at the end of the run
  uint64_t length;
};

/// Offers `runs` (each costing 2 headers) and returns the bytes elided.
uint64_t offer(SegmentBudget& b, const std::vector<ZeroRun>& runs) {
  uint64_t elided = 0;
  for (const auto& r : runs)
    if (b.elide(r.length, 2, r.end)) elided += r.length;
  return elided;
}

TEST(SegmentBudget, AllZeroPiecesCostNothingAndShortRunsStay) {
  SegmentBudget b(10, 2, 100 << 20, 16 << 10);
  EXPECT_TRUE(b.elide(0, 0, 0));
  EXPECT_FALSE(b.elide(4 * kPage - 1, 2, 50 << 20));  // shorter than min_run
  EXPECT_EQ(b.extra_used(), 0u);
}

// Few runs against a large cap (the emulated guest's vmcore has about 250 spread over its
// memory): all are elided.
TEST(SegmentBudget, ElidesEveryRunWhenTheCapAllowsIt) {
  const uint64_t memory = uint64_t{512} << 20;
  SegmentBudget b(1000, 2, memory);
  std::vector<ZeroRun> runs;
  for (uint64_t i = 1; i <= 250; ++i) runs.push_back({i * (2 << 20), 64 << 10});
  EXPECT_EQ(offer(b, runs), uint64_t{250} * (64 << 10));
  EXPECT_EQ(b.extra_used(), 500u);
}

// Never more headers than the cap, whatever is offered.
TEST(SegmentBudget, StaysWithinTheCap) {
  const uint64_t memory = uint64_t{64} << 30;
  SegmentBudget b(100, 4, memory);
  std::mt19937_64 rng(7);
  uint64_t at = 0;
  unsigned accepted = 0;
  while (at < memory) {
    const uint64_t len = kPage << (rng() % 14);
    at += len + kPage;
    accepted += b.elide(len, 2, std::min(at, memory));
  }
  EXPECT_LE(b.extra_used(), b.extra_total());
  EXPECT_EQ(b.extra_total(), 96u);
  EXPECT_EQ(accepted * 2, b.extra_used());
  EXPECT_GT(b.threshold(), uint64_t{16} << 10);  // too many runs: the threshold rose
}

// Many short runs first, the long ones at the end: the long ones still find headers, and the
// short ones do not use up the budget before them.
TEST(SegmentBudget, KeepsHeadersForLongRunsAtTheEnd) {
  std::vector<ZeroRun> runs;
  uint64_t at = 0;
  for (int i = 0; i < 100000; ++i) runs.push_back({at += 5 * kPage, 4 * kPage});
  for (int i = 0; i < 200; ++i) runs.push_back({at += 2001 * kPage, 2000 * kPage});
  SegmentBudget b(1000, 2, at);
  uint64_t long_elided = 0;
  for (const auto& r : runs)
    if (b.elide(r.length, 2, r.end) && r.length == 2000 * kPage) ++long_elided;
  EXPECT_EQ(long_elided, 200u);
}

// Mixed run lengths, more runs than the cap: the longest are chosen, so the bytes elided come
// close to the best any choice of the same number of headers could reach.
TEST(SegmentBudget, ChoosesLongRunsWhenTheCapIsShort) {
  std::mt19937_64 rng(1);
  std::vector<ZeroRun> runs;
  uint64_t at = 0;
  for (int i = 0; i < 1500; ++i) {
    const uint64_t len = kPage << (rng() % 12);
    at += len + kPage * (1 + rng() % 64);
    runs.push_back({at, len});
  }
  SegmentBudget b(1000, 2, at);
  const uint64_t elided = offer(b, runs);
  std::vector<uint64_t> lengths;
  for (const auto& r : runs) lengths.push_back(r.length);
  std::sort(lengths.begin(), lengths.end(), std::greater<>());
  uint64_t best = 0;
  for (unsigned i = 0; i < b.extra_total() / 2; ++i) best += lengths[i];
  EXPECT_GE(elided, best * 85 / 100) << "elided " << elided << " of the best " << best;
}

}  // namespace
}  // namespace zk::dumper
