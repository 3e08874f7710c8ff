// SPDX-License-Identifier: MIT
#pragma once
/// Decides which zero runs of memory a sparse dump leaves out of the file, keeping the number
/// of PT_LOAD program headers under a cap whatever the memory size (the header area is reserved
/// before the data, so its size must be known; docs/on-disk-format.md, "The dump in the dump
/// area").
///
/// One pass, no lookahead: a zero run is offered once its length is known, and the best choice
/// (the longest runs, as many as the cap allows) is not knowable then. The budget estimates it:
/// it keeps a histogram of the runs offered so far (by powers of two of their length, weighted
/// by their cost in headers), projects it over the memory still to come, and elides a run when
/// its length class is one whose projected demand, together with all longer classes, fits the
/// headers left; when even the longest class seen does not fit, only a run longer than all
/// seen so far is. A pacing rule keeps headers for the end of memory: at most half of them are
/// spent before the progress through memory releases the rest.
///
/// Compared with the rule it replaced (a threshold that only rose) in docs/on-disk-format.md,
/// "Which zero runs are left out".

#include <array>
#include <cstdint>

namespace zk::dumper {

class SegmentBudget {
 public:
  /// `max_loads`: the PT_LOAD cap; `pieces`: the contiguous memory pieces, each of which needs
  /// one PT_LOAD whatever is elided; `memory`: bytes of memory in all; `min_run`: no shorter
  /// run is ever elided (its header would cost more than the bytes it saves).
  SegmentBudget(unsigned max_loads, unsigned pieces, uint64_t memory, uint64_t min_run = 16 << 10);

  /// Whether to leave out a zero run of `length` bytes that costs `cost` extra headers, with
  /// `progress` bytes of memory processed (the run included). Accepting consumes the cost;
  /// the extra headers used never exceed extra_total().
  bool elide(uint64_t length, unsigned cost, uint64_t progress);

  /// The shortest run the last decision would have elided (for the trace); UINT64_MAX: none.
  [[nodiscard]] uint64_t threshold() const { return threshold_; }
  [[nodiscard]] unsigned extra_used() const { return used_; }
  [[nodiscard]] unsigned extra_total() const { return total_; }

 private:
  /// The smallest length class whose projected demand, with all longer classes, fits `left`;
  /// 64 when none does.
  [[nodiscard]] unsigned class_that_fits(unsigned left, uint64_t progress) const;

  unsigned total_ = 0;
  unsigned used_ = 0;
  uint64_t memory_ = 0;
  uint64_t min_run_ = 0;
  uint64_t threshold_ = 0;
  /// Headers the runs offered so far would cost, by floor(log2(length)).
  std::array<uint64_t, 64> offered_{};
};

}  // namespace zk::dumper
