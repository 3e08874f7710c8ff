// SPDX-License-Identifier: MIT
#include "dumper/copy_plan.h"

#include <algorithm>

namespace zk::dumper {
namespace {

uint64_t round_down(uint64_t v, uint64_t a) { return v / a * a; }
uint64_t round_up(uint64_t v, uint64_t a, uint64_t cap) {
  const uint64_t r = v % a ? v + (a - v % a) : v;
  return std::min(r < v ? cap : r, cap);  // r < v: overflow
}

}  // namespace

CopyPlan plan_copy(uint64_t file_size, const std::vector<ondisk::LoadSegment>& loads,
                   uint64_t hsa_size, uint64_t page) {
  CopyPlan plan;
  const uint64_t head = std::min(page, file_size);

  // Step 1: file ranges holding memory below the HSA size, clipped to after the first page.
  std::vector<CopyRange> hsa;
  if (hsa_size > 0) {
    for (const auto& s : loads) {
      if (s.filesz == 0 || s.paddr >= hsa_size) continue;
      const uint64_t in_hsa = std::min(s.filesz, hsa_size - s.paddr);
      uint64_t b = std::max(round_down(s.offset, page), head);
      uint64_t e = round_up(s.offset + in_hsa, page, file_size);
      if (b < e) hsa.push_back({b, e - b, true});
    }
    std::sort(hsa.begin(), hsa.end(), [](auto& x, auto& y) { return x.offset < y.offset; });
    // Merge overlaps so that no byte is planned twice within step 1.
    std::vector<CopyRange> merged;
    for (const auto& r : hsa) {
      if (!merged.empty() && r.offset <= merged.back().offset + merged.back().length) {
        auto& m = merged.back();
        m.length = std::max(m.offset + m.length, r.offset + r.length) - m.offset;
      } else {
        merged.push_back(r);
      }
    }
    hsa = std::move(merged);
  }
  plan.ranges = hsa;
  plan.hsa_ranges = hsa.size();

  // Step 3: the gaps between the step-1 ranges, from the end of the first page to the end.
  uint64_t cursor = head;
  for (const auto& r : hsa) {
    if (r.offset > cursor) plan.ranges.push_back({cursor, r.offset - cursor, false});
    cursor = std::max(cursor, r.offset + r.length);
  }
  if (cursor < file_size) plan.ranges.push_back({cursor, file_size - cursor, false});

  // Step 4: the first page.
  if (head > 0) plan.ranges.push_back({0, head, false});
  for (const auto& r : plan.ranges) plan.total_bytes += r.length;
  return plan;
}

}  // namespace zk::dumper
