// SPDX-License-Identifier: MIT
#include "filter/page_filter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "filter/dump_level.h"
#include "tests/support/synthetic_kernel.h"

namespace zk::filter {
namespace {

using testsupport::SyntheticKernel;
using K = SyntheticKernel;

struct Verdicts {
  ClassCounts counts;
  std::vector<bool> kept;  ///< by pfn
  uint64_t cycles = 0;
  size_t largest_bitmap_words = 0;
};

Result<Verdicts> run(SyntheticKernel& k, unsigned level, FilterLimits limits = {}) {
  const auto info = k.info();
  auto f = PageFilter::open(k.memory(), info, level, limits);
  if (!f) return std::unexpected(f.error());
  Verdicts v;
  v.kept.assign((*f)->end_pfn(), false);
  Cycle c;
  for (;;) {
    auto more = (*f)->next_cycle(c);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    ++v.cycles;
    v.largest_bitmap_words = std::max(v.largest_bitmap_words, c.kept.size());
    for (uint64_t p = c.start_pfn; p < c.end_pfn; ++p) v.kept[p] = c.is_kept(p);
  }
  v.counts = (*f)->counts();
  return v;
}

/// A kernel with one page (or block) of each kind, all with data, from pfn `b`.
class PageFilterTest : public ::testing::Test {
 protected:
  PageFilterTest() : k(64 << 20), b(k.first_free_pfn()) {
    k.with_hwpoison = k.with_offline = k.with_hugetlb = true;
    for (uint64_t p = b; p < b + 0x100; ++p) k.fill_page(p);
    k.make_free(b + 0x00, 3);                                      // 8 free pages
    k.set_flags(b + 0x10, 1u << K::kPgLru);                        // cache
    k.set_flags(b + 0x11, 1u << K::kPgLru | 1u << K::kPgPrivate);  // cache with private data
    k.set_mapping(b + 0x12, 0x8b91001);                            // anonymous
    k.set_flags(b + 0x13, 1u << K::kPgSwapcache | 1u << K::kPgSwapbacked);  // swap cache
    k.set_flags(b + 0x14, 1u << K::kPgSwapcache);  // swapcache bit, not swap-backed: kept
    k.set_flags(b + 0x15, 1u << K::kPgSlab);       // a slab page whose _mapcount looks free
    k.set_mapcount(b + 0x15, K::kBuddy);
    k.set_mapping(b + 0x18, 0x8b91001);  // an anonymous compound page of 4
    k.make_compound(b + 0x18, 2);
    k.set_flags(b + 0x20, 1u << K::kPgHwpoison);
    k.set_mapcount(b + 0x21, K::kOffline);
    k.make_compound(b + 0x22, 1, K::kHugetlbDtor);  // hugetlbfs, 2 pages
    k.make_free(b + 0x30, 11);                      // an order no zone has: kept
    k.set_flags(b + 0x31, 1u << K::kPgLru);
    k.set_mapping(b + 0x31, 0x8b91001);  // anonymous on the LRU: user, not cache
  }
  SyntheticKernel k;
  uint64_t b;
};

TEST_F(PageFilterTest, Level31LeavesOutEveryClass) {
  auto v = run(k, 31);
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(v->counts.free, 8u);
  EXPECT_EQ(v->counts.cache, 2u);  // b+0x10, the swap cache page b+0x13
  EXPECT_EQ(v->counts.cache_private, 1u);
  EXPECT_EQ(v->counts.user, 1u + 4u + 2u + 1u);
  EXPECT_EQ(v->counts.hwpoison, 1u);
  EXPECT_EQ(v->counts.offline, 1u);
  EXPECT_EQ(v->counts.kept_bad_free_order, 1u);
  for (uint64_t p : {b + 0x14, b + 0x15, b + 0x30, b + 0x40}) EXPECT_TRUE(v->kept[p]) << p - b;
  for (uint64_t p = b; p < b + 8; ++p) EXPECT_FALSE(v->kept[p]);
  for (uint64_t p = b + 0x18; p < b + 0x1c; ++p) EXPECT_FALSE(v->kept[p]) << p - b;
  // The structures (tables, struct pages) have data: kept; the rest of memory is zero.
  EXPECT_TRUE(v->kept[K::kSwapperPgDir / 4096]);
  EXPECT_TRUE(v->kept[(K::kStructPages + b * K::kStructPageSize) / 4096]);
  EXPECT_EQ(v->counts.kept + v->counts.excluded(), k.pages());
  EXPECT_EQ(v->counts.no_data, 0u);
  uint64_t kept = 0;
  for (bool x : v->kept) kept += x;
  EXPECT_EQ(kept, v->counts.kept);
}

TEST_F(PageFilterTest, EachLevelBitLeavesOutItsOwnClass) {
  auto cache = run(k, kExcludeCache);
  ASSERT_TRUE(cache) << cache.error().describe();
  EXPECT_EQ(cache->counts.cache, 2u);
  EXPECT_EQ(cache->counts.cache_private + cache->counts.user + cache->counts.free, 0u);
  EXPECT_TRUE(cache->kept[b + 0x11]);  // private data: only level 4 takes it
  auto priv = run(k, kExcludeCachePrivate);
  ASSERT_TRUE(priv);
  EXPECT_EQ(priv->counts.cache, 2u);
  EXPECT_EQ(priv->counts.cache_private, 1u);
  auto user = run(k, kExcludeUser);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->counts.user, 8u);
  EXPECT_TRUE(user->kept[b + 0x10]);
  auto free = run(k, kExcludeFree);
  ASSERT_TRUE(free);
  EXPECT_EQ(free->counts.free, 8u);
  EXPECT_EQ(free->counts.zero, 0u);  // no zero test without level bit 1
  // Poisoned and offline pages go at every level that reads page structures.
  for (const auto* r : {&*cache, &*priv, &*user, &*free}) {
    EXPECT_EQ(r->counts.hwpoison, 1u);
    EXPECT_EQ(r->counts.offline, 1u);
  }
}

TEST_F(PageFilterTest, ZeroPagesAloneNeedNoPageStructures) {
  k.vmcoreinfo_overrides = {{"SIZE(page)", "-"}, {"SYMBOL(swapper_pg_dir)", "-"}};
  auto v = run(k, kExcludeZero);
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(v->counts.free + v->counts.cache + v->counts.user, 0u);
  EXPECT_GT(v->counts.zero, k.pages() / 2);
  EXPECT_TRUE(v->kept[b]);
  EXPECT_FALSE(v->kept[b + 0x100]);
  auto none = run(k, 0);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->counts.kept, k.pages());
  EXPECT_FALSE(run(k, kExcludeFree));  // but free pages do
}

TEST_F(PageFilterTest, VerdictDoesNotDependOnTheCycleSize) {
  k.make_free(b + 0x80, 7);  // 128 pages: crosses every 64-page cycle boundary
  auto whole = run(k, 31);
  FilterLimits small;
  small.cycle_pages = 64;
  small.struct_page_batch = 3;
  small.zero_test_pages = 5;
  auto cycled = run(k, 31, small);
  ASSERT_TRUE(whole && cycled);
  EXPECT_EQ(whole->kept, cycled->kept);
  EXPECT_EQ(whole->counts.free, 8u + 128u);
  EXPECT_EQ(cycled->counts.free, whole->counts.free);
  EXPECT_EQ(cycled->counts.zero, whole->counts.zero);
  EXPECT_EQ(cycled->cycles, k.pages() / 64);
  // The memory a cycle holds is its bitmap: bounded by the limit, not by memory.
  EXPECT_EQ(cycled->largest_bitmap_words, 1u);
  EXPECT_EQ(whole->largest_bitmap_words, k.pages() / 64);
}

TEST_F(PageFilterTest, PagesWithoutDataAreNotClassified) {
  // The core has no data from b + 0x80 on: a free block headed there stays as it is, and the
  // pages without data go out first, whatever the level.
  k.make_free(b + 0x80, 4);
  const uint64_t data_end = (b + 0x80) * 4096;
  k.memory().set_loads({{0, data_end, data_end}, {data_end, k.pages() * 4096 - data_end, 0}});
  auto v = run(k, kExcludeFree);
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(v->counts.no_data, k.pages() - (b + 0x80));
  EXPECT_EQ(v->counts.free, 8u);
}

TEST_F(PageFilterTest, RefusesWhatItCannotKnow) {
  const auto refusal = [&](std::map<std::string, std::string> overrides) {
    k.vmcoreinfo_overrides = std::move(overrides);
    auto v = run(k, 31);
    EXPECT_FALSE(v);
    return v ? std::string() : v.error().message;
  };
  EXPECT_EQ(refusal({{"OFFSET(page.mapping)", "-"}}),
            "cannot filter: VMCOREINFO has no OFFSET(page.mapping)");
  EXPECT_NE(refusal({{"OSRELEASE", "6.5.0"}}).find("known from 4.16 up to 6.2"), std::string::npos);
  EXPECT_NE(refusal({{"NUMBER(PG_lru)", "64"}}).find("not a bit"), std::string::npos);
  EXPECT_NE(refusal({{"OFFSET(page.private)", "60"}}).find("no 8 bytes"), std::string::npos);
  EXPECT_NE(refusal({{"SIZE(page)", "64"}, {"PAGESIZE", "4096"}, {"NUMBER(PG_head_mask)", "3"}})
                .find("not one flag bit"),
            std::string::npos);
  // The struct pages of the second MiB of vmemmap are not mapped: a refusal, not a guess.
  SyntheticKernel big(128 << 20);  // 2 MiB of struct pages
  big.memory().put(0x14000 + (((K::kVmemmap >> 20) + 1) & 0x7ff) * 8, 0x20);
  auto v = run(big, kExcludeFree);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("vaddr 0x3d000100000: segment entry 1"), std::string::npos)
      << v.error().message;
  EXPECT_NE(v.error().message.find("invalid"), std::string::npos);
  EXPECT_EQ(v.error().message.rfind("cannot filter: struct page of pfn ", 0), 0u);
}

TEST(PageFilter, RefusesACoreWithoutVmcoreinfo) {
  SyntheticKernel k(16 << 20);
  auto info = k.memory().info();
  auto f = PageFilter::open(k.memory(), info, 31);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message, "cannot filter: the core holds no VMCOREINFO");
}

}  // namespace
}  // namespace zk::filter
