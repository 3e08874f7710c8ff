// SPDX-License-Identifier: MIT
#include "dumper/page_selection.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "filter/dump_level.h"
#include "tests/support/synthetic_kernel.h"

namespace zk::dumper {
namespace {

using testsupport::SyntheticKernel;
using K = SyntheticKernel;
constexpr uint64_t kPage = 4096;

/// The verdict for every page, asked in ascending order in stretches of at most `ask` bytes,
/// checking that the stretches tile memory exactly.
std::vector<bool> walk(PageSelection& s, uint64_t memory, uint64_t ask = 1u << 20) {
  std::vector<bool> kept;
  uint64_t at = 0;
  while (at < memory) {
    const auto st = s.at(at, std::min(ask, memory - at));
    EXPECT_GT(st.length, 0u);
    EXPECT_LE(st.length, std::min(ask, memory - at));
    EXPECT_EQ(st.length % kPage, 0u) << "page-aligned memory comes in whole pages";
    for (uint64_t p = 0; p < st.length / kPage; ++p) kept.push_back(st.kept);
    at += st.length;
  }
  return kept;
}

class PageSelectionTest : public ::testing::Test {
 protected:
  PageSelectionTest() : k(64 << 20), b(k.first_free_pfn()) {
    for (uint64_t p = b; p < b + 0x40; ++p) k.fill_page(p);
    k.make_free(b, 3);                        // 8 free pages
    k.set_flags(b + 0x10, 1u << K::kPgLru);   // page cache
    k.set_mapping(b + 0x12, 0x8b91001);       // anonymous
    k.set_flags(b + 0x15, 1u << K::kPgSlab);  // slab: kept
    info = k.info();
  }
  SyntheticKernel k;
  uint64_t b;
  ondisk::VmcoreInfo info;
};

TEST_F(PageSelectionTest, Level31LeavesOutTheFiltersPagesAndNothingElse) {
  PageSelection s(k.memory(), info, 31);
  ASSERT_TRUE(s.active()) << s.outcome().note;
  const auto kept = walk(s, 64 << 20);
  ASSERT_EQ(kept.size(), k.pages());
  for (uint64_t p = b; p < b + 8; ++p) EXPECT_FALSE(kept[p]) << "free pfn " << p;
  EXPECT_FALSE(kept[b + 0x10]);
  EXPECT_FALSE(kept[b + 0x12]);
  EXPECT_TRUE(kept[b + 0x15]);
  EXPECT_TRUE(kept[b + 0x11]);
  EXPECT_TRUE(kept[0]) << "the kernel's own structures";
  // Zero pages are the writer's business: the filter ran without bit 1 and keeps them.
  EXPECT_TRUE(kept[b + 0x50]) << "an untouched (zero) page";
  const auto o = s.outcome();
  EXPECT_EQ(o.requested_level, 31u);
  EXPECT_EQ(o.applied_level, 31u);
  EXPECT_EQ(o.stopped_at, ondisk::kFilterRanToEnd);
  EXPECT_EQ(o.free_pages, 8u);
  EXPECT_EQ(o.cache_pages, 1u);
  EXPECT_EQ(o.user_pages, 1u);
  EXPECT_TRUE(o.note.empty());
}

TEST_F(PageSelectionTest, StretchesDoNotDependOnHowMuchIsAsked) {
  PageSelection whole(k.memory(), info, 31), pagewise(k.memory(), info, 31);
  EXPECT_EQ(walk(whole, 64 << 20, 64 << 20), walk(pagewise, 64 << 20, kPage));
}

TEST_F(PageSelectionTest, Level1AndLevel0NeedNoFilter) {
  for (unsigned level : {0u, 1u}) {
    PageSelection s(k.memory(), info, level);
    EXPECT_FALSE(s.active());
    const auto st = s.at(0, 64 << 20);
    EXPECT_TRUE(st.kept);
    EXPECT_EQ(st.length, 64u << 20);
    EXPECT_EQ(s.outcome().applied_level, level);
    EXPECT_TRUE(s.outcome().note.empty());
  }
}

TEST_F(PageSelectionTest, AFilterThatCannotStartKeepsEverythingAndSaysWhy) {
  k.vmcoreinfo_overrides = {{"OFFSET(page.mapping)", "-"}};
  const auto no_mapping = k.info();
  PageSelection s(k.memory(), no_mapping, 31);
  EXPECT_FALSE(s.active());
  const auto kept = walk(s, 64 << 20);
  EXPECT_EQ(std::count(kept.begin(), kept.end(), false), 0);
  const auto o = s.outcome();
  EXPECT_EQ(o.requested_level, 31u);
  EXPECT_EQ(o.applied_level, 1u) << "the sparse full dump";
  EXPECT_EQ(o.stopped_at, 0u);
  EXPECT_EQ(o.note, "cannot filter: VMCOREINFO has no OFFSET(page.mapping)");
  EXPECT_EQ(o.left_out(), 0u);
}

TEST(PageSelection, AFilterThatFailsLaterKeepsEverythingFromThere) {
  // 128 MiB: the struct pages of the second 64 MiB lie in the second MiB of the vmemmap, whose
  // segment entry is made invalid. Cycles of 64 MiB: the first one is decided, the second fails.
  SyntheticKernel k(128 << 20);
  const uint64_t b = k.first_free_pfn();
  for (uint64_t p = b; p < b + 8; ++p) k.fill_page(p);
  k.make_free(b, 3);
  k.memory().put(0x14000 + (((K::kVmemmap >> 20) + 1) & 0x7ff) * 8, 0x20);
  const auto info = k.info();
  filter::FilterLimits limits;
  limits.cycle_pages = 16384;
  PageSelection s(k.memory(), info, 31, limits);
  ASSERT_TRUE(s.active());
  const auto kept = walk(s, 128 << 20);
  EXPECT_FALSE(s.active());
  EXPECT_FALSE(kept[b]) << "decided before the failure";
  for (uint64_t p = 16384; p < kept.size(); ++p) ASSERT_TRUE(kept[p]) << p;
  const auto o = s.outcome();
  EXPECT_EQ(o.applied_level, 31u);
  EXPECT_EQ(o.stopped_at, 64u << 20);
  EXPECT_EQ(o.free_pages, 8u) << "what was left out before stays counted";
  EXPECT_EQ(o.note.rfind("cannot filter: struct page of pfn 0x4000", 0), 0u) << o.note;
  EXPECT_LE(o.note.size(), ondisk::kIntegrityFilterNoteField);
}

TEST_F(PageSelectionTest, MemoryAskedForOutOfOrderStopsTheFilter) {
  filter::FilterLimits limits;
  limits.cycle_pages = 4096;  // 16 MiB cycles
  PageSelection s(k.memory(), info, 31, limits);
  EXPECT_TRUE(s.at(32 << 20, kPage).kept);
  EXPECT_TRUE(s.active());
  EXPECT_TRUE(s.at(b * kPage, kPage).kept) << "behind the current cycle: kept, not guessed";
  EXPECT_FALSE(s.active());
  EXPECT_EQ(s.outcome().stopped_at, b * kPage);
  EXPECT_NE(s.outcome().note.find("out of order"), std::string::npos);
}

TEST(DumpLevelWords, NamesEachBit) {
  using filter::dump_level_words;
  EXPECT_EQ(dump_level_words(0), "nothing");
  EXPECT_EQ(dump_level_words(1), "zero pages");
  EXPECT_EQ(dump_level_words(17), "zero pages, free pages");
  EXPECT_EQ(dump_level_words(31),
            "zero pages, page cache, page cache with private data, user pages, free pages");
}

}  // namespace
}  // namespace zk::dumper
