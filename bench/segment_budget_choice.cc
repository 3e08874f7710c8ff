// SPDX-License-Identifier: MIT
/// zk-bench-segment-budget: how well dumper::SegmentBudget chooses the zero runs a sparse dump
/// leaves out, against the best choice an oracle that knew every run in advance could make
/// with the same number of program headers (the longest runs first). Run by
/// bench/segment-budget, which prints the figures; no I/O, the decisions alone.
///
///   zk-bench-segment-budget        one line per scenario and cap:
///     <scenario> memory=<GiB> runs=<N> zero=<%> cap=<N> budget=<% written> oracle=<% written>
///
/// Scenarios: memory with 75 % zero pages in runs of 1 to 4096 pages (log-uniform lengths, the
/// data runs in between in proportion) at 1, 4, 16 and 64 GiB; and "short-first": 100000 runs
/// of 4 pages, then 200 runs of 2000 pages at the end of memory.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "dumper/segment_budget.h"

namespace {

constexpr uint64_t kPage = 4096;

struct ZeroRun {
  uint64_t end;  ///< progress through memory at the run's end
  uint64_t length;
};

struct Scenario {
  const char* name;
  uint64_t memory = 0;
  std::vector<ZeroRun> runs;
};

Scenario mixed(uint64_t gib, uint64_t seed) {
  Scenario s{"mixed-75%-zero"};
  const uint64_t pages = gib << 18;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> log_len(0.0, std::log(4096.0));
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  uint64_t at = 0;
  for (;;) {
    const auto zero = static_cast<uint64_t>(std::exp(log_len(rng)));
    const auto data = std::max<uint64_t>(1, static_cast<uint64_t>(zero / 3.0 * spread(rng)));
    at += data;
    if (at >= pages) break;
    const uint64_t len = std::min(zero, pages - at);
    at += len;
    s.runs.push_back({at * kPage, len * kPage});
  }
  s.memory = pages * kPage;
  return s;
}

Scenario short_first() {
  Scenario s{"short-first"};
  uint64_t at = 0;
  for (int i = 0; i < 100000; ++i) s.runs.push_back({at += 5 * kPage, 4 * kPage});
  for (int i = 0; i < 200; ++i) s.runs.push_back({at += 2001 * kPage, 2000 * kPage});
  s.memory = at + kPage;
  return s;
}

/// Bytes left out by the budget, each run costing two headers (a run inside a data run).
uint64_t budget_elides(const Scenario& s, unsigned cap) {
  zk::dumper::SegmentBudget budget(cap, 1, s.memory);
  uint64_t elided = 0;
  for (const auto& r : s.runs)
    if (budget.elide(r.length, 2, r.end)) elided += r.length;
  return elided;
}

/// Bytes left out by the oracle: the longest runs of at least the budget's minimum length, as
/// many as the same headers pay for.
uint64_t oracle_elides(const Scenario& s, unsigned cap) {
  std::vector<uint64_t> lengths;
  for (const auto& r : s.runs)
    if (r.length >= (16u << 10)) lengths.push_back(r.length);
  std::sort(lengths.begin(), lengths.end(), std::greater<>());
  const size_t n = std::min<size_t>(lengths.size(), (cap - 1) / 2);
  uint64_t elided = 0;
  for (size_t i = 0; i < n; ++i) elided += lengths[i];
  return elided;
}

void report(const Scenario& s, unsigned cap) {
  uint64_t zero = 0;
  for (const auto& r : s.runs) zero += r.length;
  const double m = static_cast<double>(s.memory);
  std::printf("%-15s memory=%llu GiB runs=%zu zero=%.1f%% cap=%u budget=%.1f%% oracle=%.1f%%\n",
              s.name, static_cast<unsigned long long>(s.memory >> 30), s.runs.size(),
              100.0 * static_cast<double>(zero) / m, cap,
              100.0 * (m - static_cast<double>(budget_elides(s, cap))) / m,
              100.0 * (m - static_cast<double>(oracle_elides(s, cap))) / m);
}

}  // namespace

int main() {
  for (uint64_t gib : {1, 4, 16, 64}) {
    const Scenario s = mixed(gib, 1);
    for (unsigned cap : {1000u, 4000u}) report(s, cap);
  }
  const Scenario s = short_first();
  for (unsigned cap : {1000u, 4000u}) report(s, cap);
  return 0;
}
