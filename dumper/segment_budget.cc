#include "dumper/segment_budget.h"

#include <algorithm>

namespace zk::dumper {

SegmentBudget::SegmentBudget(unsigned max_loads, unsigned pieces, uint64_t memory, uint64_t min_run)
    : total_(max_loads > pieces ? max_loads - pieces : 0),
      memory_(std::max<uint64_t>(memory, 1)),
      threshold_(std::max<uint64_t>(min_run, 1)) {}

bool SegmentBudget::elide(uint64_t length, unsigned cost, uint64_t progress) {
  if (cost == 0) return true;  // a piece that is all zeros replaces its own data header
  if (length < threshold_) return false;
  if (used_ + cost > total_) return false;
  // Released so far: total * (progress + memory/8) / memory, in 128-bit-free arithmetic.
  const long double share =
      std::min<long double>(1.0L, (static_cast<long double>(progress) + memory_ / 8.0L) / memory_);
  const auto released = static_cast<unsigned>(share * total_);
  if (used_ + cost > released) {
    threshold_ = std::max(threshold_, length);
    return false;
  }
  used_ += cost;
  return true;
}

}  // namespace zk::dumper
