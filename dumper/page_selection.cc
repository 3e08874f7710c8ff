// SPDX-License-Identifier: MIT
#include "dumper/page_selection.h"

#include <algorithm>

#include "filter/dump_level.h"

namespace zk::dumper {

PageSelection::PageSelection(util::File& vmcore, const ondisk::VmcoreInfo& info, unsigned level,
                             const filter::FilterLimits& limits) {
  outcome_.requested_level = level;
  outcome_.applied_level = level;
  // The writer leaves zero pages out itself; the filter decides on the other classes.
  const unsigned structural = level & filter::kMaxDumpLevel & ~filter::kExcludeZero;
  if (structural == 0) return;
  auto opened = filter::PageFilter::open(vmcore, info, structural, limits);
  if (!opened) {
    outcome_.applied_level = 1;
    stop(0, opened.error().describe());
    return;
  }
  filter_ = std::move(*opened);
  page_shift_ = filter_->layout().page_shift;
}

void PageSelection::stop(uint64_t paddr, const std::string& why) {
  if (filter_) last_counts_ = filter_->counts();
  filter_.reset();
  cycle_valid_ = false;
  outcome_.stopped_at = paddr;
  // The record holds printable ASCII of bounded length; the console gets the same words.
  std::string note;
  for (char c : why) {
    if (note.size() == ondisk::kIntegrityFilterNoteField) break;
    note += (c >= 0x20 && c <= 0x7e) ? c : '?';
  }
  outcome_.note = note.empty() ? "stopped" : note;
}

PageSelection::Stretch PageSelection::at(uint64_t paddr, uint64_t max_length) {
  if (!filter_ || max_length == 0) return {true, max_length};
  if (paddr >= known_begin_ && paddr < known_end_)
    return {known_kept_, std::min(known_end_ - paddr, max_length)};
  const uint64_t pfn = paddr >> page_shift_;
  if (pfn >= filter_->end_pfn()) return {true, max_length};
  if (cycle_valid_ && pfn < cycle_.start_pfn) {
    stop(paddr, "memory came out of order (the filter goes forwards only)");
    return {true, max_length};
  }
  while (!cycle_valid_ || pfn >= cycle_.end_pfn) {
    auto more = filter_->next_cycle(cycle_);
    if (!more) {
      stop(paddr, more.error().describe());
      return {true, max_length};
    }
    if (!*more) return {true, max_length};  // not reached: pfn < end_pfn
    cycle_valid_ = true;
  }
  const bool kept = cycle_.is_kept(pfn);
  // The stretch ends where the verdict changes, the cycle ends, or max_length is reached.
  const uint64_t last_byte = paddr + std::min(max_length - 1, UINT64_MAX - paddr);
  const uint64_t last_pfn = std::min(cycle_.end_pfn - 1, last_byte >> page_shift_);
  uint64_t end = pfn + 1;
  while (end <= last_pfn && cycle_.is_kept(end) == kept) ++end;
  known_begin_ = paddr;
  known_end_ = std::min(end << page_shift_, paddr + std::min(max_length, UINT64_MAX - paddr));
  known_kept_ = kept;
  return {kept, known_end_ - paddr};
}

ondisk::FilterOutcome PageSelection::outcome() const {
  ondisk::FilterOutcome o = outcome_;
  const filter::ClassCounts& c = filter_ ? filter_->counts() : last_counts_;
  o.cache_pages = c.cache;
  o.cache_private_pages = c.cache_private;
  o.user_pages = c.user;
  o.free_pages = c.free;
  o.other_pages = c.hwpoison + c.offline;
  return o;
}

}  // namespace zk::dumper
