// SPDX-License-Identifier: MIT
#include "filter/page_filter.h"

#include <algorithm>
#include <array>
#include <bit>

#include "filter/dump_level.h"
#include "util/strings.h"

namespace zk::filter {
namespace {

using ull = unsigned long long;

std::unexpected<Error> refuse(const Error& e) {
  return std::unexpected(Error{e.errnum, "cannot filter: " + e.message});
}

uint64_t be(const std::byte* p, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v = v << 8 | static_cast<uint64_t>(p[i]);
  return v;
}

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

void set_range(Cycle& c, uint64_t first, uint64_t last) {
  for (uint64_t pfn = first; pfn < last; ++pfn) {
    const uint64_t i = pfn - c.start_pfn;
    c.kept[i / 64] |= uint64_t{1} << (i % 64);
  }
}

}  // namespace

PageFilter::PageFilter(util::File& file, const ondisk::VmcoreInfo& info, unsigned level,
                       const FilterLimits& limits, PageLayout layout)
    : memory_(file, info), level_(level), limits_(limits), layout_(std::move(layout)) {
  end_pfn_ = (memory_.end() + layout_.page_size - 1) >> layout_.page_shift;
}

Result<std::unique_ptr<PageFilter>> PageFilter::open(util::File& file,
                                                     const ondisk::VmcoreInfo& info,
                                                     unsigned dump_level,
                                                     const FilterLimits& limits) {
  if (info.vmcoreinfo.empty()) return refuse(Error{0, "the core holds no VMCOREINFO"});
  auto table = ondisk::VmcoreinfoTable::parse(info.vmcoreinfo);
  if (!table) return refuse(table.error());
  auto layout = read_page_layout(*table, dump_level);
  if (!layout) return std::unexpected(layout.error());
  if (limits.cycle_pages == 0 || limits.cycle_pages % 64 != 0 || limits.cycle_pages > (1u << 30) ||
      limits.struct_page_batch == 0 || limits.struct_page_batch > 4096 ||
      limits.zero_test_pages == 0 || limits.zero_test_pages > 256)
    return refuse(Error{0, "internal: filter limits out of range"});
  std::unique_ptr<PageFilter> f(new PageFilter(file, info, dump_level, limits, std::move(*layout)));
  if (f->memory_.extents().empty()) return refuse(Error{0, "the core has no memory (PT_LOAD)"});
  if (needs_page_structures(dump_level)) {
    auto kernel = KernelMemory::open(f->memory_, f->layout_);
    if (!kernel) return refuse(kernel.error());
    f->kernel_.emplace(std::move(*kernel));
    f->mem_map_.emplace(*f->kernel_, f->layout_);
    f->struct_pages_.resize((limits.struct_page_batch + 1) * f->layout_.struct_page_size);
  }
  if (dump_level & kExcludeZero) f->contents_.resize(limits.zero_test_pages * f->layout_.page_size);
  return f;
}

uint64_t& PageFilter::counter(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNoData: return counts_.no_data;
    case Verdict::kZero: return counts_.zero;
    case Verdict::kCache: return counts_.cache;
    case Verdict::kCachePrivate: return counts_.cache_private;
    case Verdict::kUser: return counts_.user;
    case Verdict::kFree: return counts_.free;
    case Verdict::kHwpoison: return counts_.hwpoison;
    case Verdict::kOffline: return counts_.offline;
    case Verdict::kKeep: break;
  }
  return counts_.kept;  // not reached: kKeep is never excluded
}

void PageFilter::exclude(Cycle& c, uint64_t first, uint64_t last, Verdict verdict) {
  uint64_t& n = counter(verdict);
  for (uint64_t pfn = first; pfn < last; ++pfn) {
    const uint64_t i = pfn - c.start_pfn;
    const uint64_t bit = uint64_t{1} << (i % 64);
    if (c.kept[i / 64] & bit) {
      c.kept[i / 64] &= ~bit;
      ++n;
    }
  }
}

Result<bool> PageFilter::next_cycle(Cycle& c) {
  if (next_pfn_ >= end_pfn_) return false;
  c.start_pfn = next_pfn_;
  c.end_pfn = std::min(end_pfn_, next_pfn_ + limits_.cycle_pages);
  next_pfn_ = c.end_pfn;
  c.kept.assign((c.end_pfn - c.start_pfn + 63) / 64, 0);
  // Every page frame whose first byte lies in a PT_LOAD is memory to decide on.
  const unsigned shift = layout_.page_shift;
  for (const auto& e : memory_.extents()) {
    const uint64_t first = std::max(c.start_pfn, e.paddr >> shift);
    const uint64_t last = std::min(c.end_pfn, ((e.paddr + e.memsz - 1) >> shift) + 1);
    if (first < last) set_range(c, first, last);
  }
  // Pages wholly past their PT_LOAD's file data are not in the core: out at every level.
  for (const auto& e : memory_.extents()) {
    if (e.filesz >= e.memsz) continue;
    const uint64_t data_end = e.paddr + e.filesz;
    const uint64_t first = std::max(c.start_pfn, (data_end + layout_.page_size - 1) >> shift);
    const uint64_t last = std::min(c.end_pfn, (e.paddr + e.memsz) >> shift);
    if (first < last) exclude(c, first, last, Verdict::kNoData);
  }
  if (needs_page_structures(level_))
    if (auto r = classify_structures(c); !r) return refuse(r.error());
  if (level_ & kExcludeZero)
    if (auto r = exclude_zero_pages(c); !r) return refuse(r.error());
  uint64_t kept = 0;
  for (uint64_t w : c.kept) kept += static_cast<uint64_t>(std::popcount(w));
  counts_.kept += kept;
  return true;
}

Result<void> PageFilter::classify_structures(Cycle& c) {
  const PageLayout& l = layout_;
  const uint64_t sp = l.struct_page_size;
  uint64_t pfn = c.start_pfn;
  if (carry_end_ > pfn) {
    const uint64_t last = std::min(carry_end_, c.end_pfn);
    exclude(c, pfn, last, carry_verdict_);
    pfn = last;
  }
  extent_cursor_ = 0;
  while (pfn < c.end_pfn) {
    // Page frames with data are classified, whether a class before left them out or not
    // (makedumpfile's rule: its is_in_segs), so a block they head goes out whole.
    if (!in_file_data(pfn)) {
      ++pfn;
      continue;
    }
    auto where = mem_map_->struct_page(pfn);
    if (!where) return std::unexpected(where.error());
    const uint64_t section_left = mem_map_->pages_left_in_section(pfn);
    if (!*where) {
      // No mem_map: nothing to classify by; these pages are kept.
      const uint64_t last = std::min(c.end_pfn, pfn + section_left);
      for (uint64_t p = pfn; p < last; ++p) counts_.kept_without_mem_map += c.is_kept(p) ? 1 : 0;
      pfn = last;
      continue;
    }
    // A batch of struct pages within the section and the cycle, plus the next one when it is
    // in both (the first tail page of a compound head at the batch's end; otherwise that one
    // is read on its own, and a head whose tail cannot be read counts as order 0).
    const uint64_t batch = std::min({limits_.struct_page_batch, section_left, c.end_pfn - pfn});
    const uint64_t with_next = batch + (batch < section_left && pfn + batch < c.end_pfn ? 1 : 0);
    std::span<std::byte> buf(struct_pages_.data(), with_next * sp);
    if (auto r = kernel_->read(**where, buf); !r)
      return std::unexpected(
          r.error().wrap(util::format("struct page of pfn 0x%llx at 0x%llx", static_cast<ull>(pfn),
                                      static_cast<ull>(**where))));
    const uint64_t batch_end = pfn + batch;
    while (pfn < batch_end) {
      if (!in_file_data(pfn)) {
        ++pfn;
        continue;
      }
      const std::byte* page = buf.data() + (pfn - (batch_end - batch)) * sp;
      const uint64_t flags = be(page + l.flags, 8);
      const uint64_t mapping = be(page + l.mapping, 8);
      const uint64_t compound_head = be(page + l.compound_head, 8);
      const auto mapcount = static_cast<int32_t>(static_cast<uint32_t>(be(page + l.mapcount, 4)));
      if (compound_head & 1) {  // a tail page: its head decided
        ++pfn;
        continue;
      }
      unsigned order = 0;
      uint64_t dtor = 0;
      if (flags & l.pg_head_mask) {
        const std::byte* tail = nullptr;
        std::array<std::byte, 256> tail_buf;
        if (pfn + 1 - (batch_end - batch) < with_next) {
          tail = page + sp;
        } else if (auto next = mem_map_->struct_page(pfn + 1); next && *next) {
          if (kernel_->read(**next, std::span(tail_buf).first(sp))) tail = tail_buf.data();
        }
        if (tail) {
          order = static_cast<unsigned>(be(tail + l.compound_order, 1));
          if (l.hugetlb_dtor) dtor = be(tail + l.compound_dtor, 1);
        }
        // An order the head's alignment contradicts is no order (makedumpfile: order 0).
        if (order >= 64 || (pfn & ((uint64_t{1} << order) - 1)) != 0) order = 0;
      }
      const bool slab = (flags >> l.pg_slab) & 1;
      const bool anon = mapping & 1;
      const bool swapbacked = !l.pg_swapbacked || ((flags >> *l.pg_swapbacked) & 1);
      const bool cache =
          ((flags >> l.pg_lru) & 1) || (swapbacked && ((flags >> l.pg_swapcache) & 1));
      const bool private_data = (flags >> l.pg_private) & 1;
      uint64_t pages = uint64_t{1} << order;
      Verdict verdict = Verdict::kKeep;
      if ((level_ & kExcludeFree) && !slab && mapcount == l.buddy_mapcount) {
        const uint64_t free_order = be(page + l.private_, 8);
        if (free_order >= l.free_area_orders) {
          ++counts_.kept_bad_free_order;
          ++pfn;
          continue;
        }
        pages = uint64_t{1} << free_order;
        verdict = Verdict::kFree;
      } else if ((level_ & kExcludeCache) && cache && !private_data && !anon) {
        verdict = Verdict::kCache;
      } else if ((level_ & kExcludeCachePrivate) && cache && !anon) {
        verdict = private_data ? Verdict::kCachePrivate : Verdict::kCache;
      } else if ((level_ & kExcludeUser) && (anon || (l.hugetlb_dtor && dtor == *l.hugetlb_dtor))) {
        verdict = Verdict::kUser;
      } else if (l.pg_hwpoison && ((flags >> *l.pg_hwpoison) & 1)) {
        verdict = Verdict::kHwpoison;
      } else if (l.offline_mapcount && !slab && mapcount == *l.offline_mapcount) {
        verdict = Verdict::kOffline;
      }
      if (verdict == Verdict::kKeep) {
        ++pfn;
        continue;
      }
      const uint64_t last = pfn + pages;
      exclude(c, pfn, std::min(last, c.end_pfn), verdict);
      if (last > c.end_pfn) {
        carry_end_ = last;
        carry_verdict_ = verdict;
      }
      pfn = last;
    }
  }
  return {};
}

bool PageFilter::in_file_data(uint64_t pfn) {
  const auto extents = memory_.extents();
  const uint64_t paddr = pfn << layout_.page_shift;
  if (extent_cursor_ >= extents.size() || paddr < extents[extent_cursor_].paddr) extent_cursor_ = 0;
  while (extent_cursor_ < extents.size() &&
         paddr - extents[extent_cursor_].paddr >= extents[extent_cursor_].memsz &&
         paddr >= extents[extent_cursor_].paddr)
    ++extent_cursor_;
  if (extent_cursor_ >= extents.size()) return false;
  const auto& e = extents[extent_cursor_];
  return paddr >= e.paddr && paddr - e.paddr < e.filesz;
}

Result<void> PageFilter::exclude_zero_pages(Cycle& c) {
  const uint64_t ps = layout_.page_size;
  uint64_t pfn = c.start_pfn;
  while (pfn < c.end_pfn) {
    if (!c.is_kept(pfn)) {
      ++pfn;
      continue;
    }
    uint64_t run = 1;
    while (run < limits_.zero_test_pages && pfn + run < c.end_pfn && c.is_kept(pfn + run)) ++run;
    const uint64_t paddr = pfn << layout_.page_shift;
    std::span<std::byte> buf(contents_.data(), run * ps);
    if (!memory_.contains(paddr + run * ps - 1)) {
      // A page a PT_LOAD covers only in part is kept, not read past the PT_LOAD.
      pfn += run;
      continue;
    }
    if (auto r = memory_.read(paddr, buf); !r) return r;
    for (uint64_t i = 0; i < run; ++i)
      if (all_zero(buf.subspan(i * ps, ps))) {
        exclude(c, pfn + i, pfn + i + 1, Verdict::kZero);
      }
    pfn += run;
  }
  return {};
}

}  // namespace zk::filter
