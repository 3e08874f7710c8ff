// SPDX-License-Identifier: MIT
#include "dumper/progress.h"

#include <time.h>

#include "util/strings.h"

namespace zk::dumper {

double monotonic_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Progress::Progress(double interval_s, std::function<void(const std::string&)> emit,
                   std::function<double()> clock)
    : interval_(interval_s), emit_(std::move(emit)), clock_(std::move(clock)) {
  start_ = last_ = clock_();
}

std::string Progress::format_line(uint64_t done, uint64_t total, double elapsed) {
  constexpr double mb = 1024.0 * 1024.0;
  const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  const double rate = elapsed > 0 ? static_cast<double>(done) / mb / elapsed : 0.0;
  std::string eta = "--:--:--";
  if (rate > 0) {
    const auto left = static_cast<uint64_t>(static_cast<double>(total - done) / mb / rate + 0.5);
    eta = util::format("%02llu:%02llu:%02llu", static_cast<unsigned long long>(left / 3600),
                       static_cast<unsigned long long>(left / 60 % 60),
                       static_cast<unsigned long long>(left % 60));
  }
  return util::format("%8llu of %8llu MB %5.1f%% %8.2f MB/s %s ETA",
                      static_cast<unsigned long long>(done >> 20),
                      static_cast<unsigned long long>(total >> 20), pct, rate, eta.c_str());
}

void Progress::update(uint64_t done, uint64_t total) {
  const double now = clock_();
  const bool complete = done >= total;
  if (complete ? finished_ : now - last_ < interval_) return;
  finished_ = complete;
  last_ = now;
  emit_(format_line(done, total, now - start_));
}

}  // namespace zk::dumper
