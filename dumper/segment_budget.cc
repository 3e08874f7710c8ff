// SPDX-License-Identifier: MIT
#include "dumper/segment_budget.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace zk::dumper {

namespace {

/// Before this share of memory has been seen, the projection assumes it has: the first runs
/// of a huge memory would otherwise project to an absurd demand and all be refused.
constexpr uint64_t kProjectionFloorDivisor = 64;

unsigned length_class(uint64_t length) { return static_cast<unsigned>(std::bit_width(length)) - 1; }

}  // namespace

SegmentBudget::SegmentBudget(unsigned max_loads, unsigned pieces, uint64_t memory, uint64_t min_run)
    : total_(max_loads > pieces ? max_loads - pieces : 0),
      memory_(std::max<uint64_t>(memory, 1)),
      min_run_(std::max<uint64_t>(min_run, 1)),
      threshold_(min_run_) {}

unsigned SegmentBudget::class_that_fits(unsigned left, uint64_t progress) const {
  const long double seen =
      static_cast<long double>(std::max(progress, memory_ / kProjectionFloorDivisor));
  const long double future =
      progress >= memory_ ? 0.0L : static_cast<long double>(memory_ - progress) / seen;
  long double demand = 0;
  unsigned fits = 64;
  for (unsigned c = 64; c-- > 0;) {
    demand += static_cast<long double>(offered_[c]) * future;
    if (demand > left) break;
    fits = c;
  }
  return fits;
}

bool SegmentBudget::elide(uint64_t length, unsigned cost, uint64_t progress) {
  if (cost == 0) return true;  // a piece that is all zeros replaces its own data header
  if (length == 0) return false;
  const unsigned c = length_class(length);
  offered_[c] += cost;
  if (length < min_run_) return false;
  const unsigned left = total_ - used_;
  if (cost > left) return false;
  // Pacing: half of the headers up front, the rest released with the progress through memory.
  const long double share =
      std::min<long double>(1.0L, static_cast<long double>(progress) / memory_ + 0.5L);
  if (used_ + cost > share * total_) return false;
  const unsigned fits = class_that_fits(left, progress);
  threshold_ = fits < 64 ? std::max(min_run_, uint64_t{1} << fits) : UINT64_MAX;
  if (c < fits) return false;
  used_ += cost;
  return true;
}

}  // namespace zk::dumper
