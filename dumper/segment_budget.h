#pragma once
/// Decides which zero runs of memory a sparse dump leaves out of the file, keeping the number
/// of PT_LOAD program headers under a cap whatever the memory size (the header area is reserved
/// before the data, so its size must be known; docs/on-disk-format.md, "The dump in the dump
/// area").
///
/// One pass, no lookahead: a zero run is offered once its length is known. Eliding it costs
/// extra program headers (`cost`); the budget of extra headers is released in proportion to the
/// progress through memory (plus an eighth up front), so that the zero runs near the end of
/// memory still find headers left. When a run that is long enough is refused because the budget
/// ran ahead, the length threshold rises to that run's length, so later headers go to runs at
/// least as long as the ones already refused.

#include <cstdint>

namespace zk::dumper {

class SegmentBudget {
 public:
  /// `max_loads`: the PT_LOAD cap; `pieces`: the contiguous memory pieces, each of which needs
  /// one PT_LOAD whatever is elided; `memory`: bytes of memory in all; `min_run`: the initial
  /// length threshold.
  SegmentBudget(unsigned max_loads, unsigned pieces, uint64_t memory, uint64_t min_run = 16 << 10);

  /// Whether to leave out a zero run of `length` bytes that costs `cost` extra headers, with
  /// `progress` bytes of memory processed. Accepting consumes the cost.
  bool elide(uint64_t length, unsigned cost, uint64_t progress);

  [[nodiscard]] uint64_t threshold() const { return threshold_; }
  [[nodiscard]] unsigned extra_used() const { return used_; }
  [[nodiscard]] unsigned extra_total() const { return total_; }

 private:
  unsigned total_ = 0;
  unsigned used_ = 0;
  uint64_t memory_ = 0;
  uint64_t threshold_ = 0;
};

}  // namespace zk::dumper
