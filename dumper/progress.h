// SPDX-License-Identifier: MIT
#pragma once
/// Progress lines at a fixed interval: "<done> of <total> MB <pct>% <rate> MB/s <eta> ETA",
/// the stock tool's format that operators watch on the console.

#include <cstdint>
#include <functional>
#include <string>

namespace zk::dumper {

class Progress {
 public:
  /// `emit` receives each line; `clock` returns monotonic seconds (injectable for tests).
  Progress(double interval_s, std::function<void(const std::string&)> emit,
           std::function<double()> clock);

  /// Reports `done` of `total` bytes; prints when the interval has passed since the last line
  /// (and always at 100%).
  void update(uint64_t done, uint64_t total);

  /// The line for the given state, `elapsed` seconds after the start.
  [[nodiscard]] static std::string format_line(uint64_t done, uint64_t total, double elapsed);

 private:
  double interval_;
  std::function<void(const std::string&)> emit_;
  std::function<double()> clock_;
  double start_;
  double last_;
  bool finished_ = false;
};

/// Monotonic seconds.
[[nodiscard]] double monotonic_seconds();

}  // namespace zk::dumper
