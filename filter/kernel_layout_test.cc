// SPDX-License-Identifier: MIT
#include "filter/kernel_layout.h"

#include <gtest/gtest.h>

#include "filter/dump_level.h"
#include "tests/support/synthetic_kernel.h"

namespace zk::filter {
namespace {

Result<PageLayout> layout_of(const std::string& text, unsigned level) {
  auto t = ondisk::VmcoreinfoTable::parse(text);
  if (!t) return std::unexpected(t.error());
  return read_page_layout(*t, level);
}

TEST(KernelLayout, ReadsTheLayoutOfA61Kernel) {
  testsupport::SyntheticKernel k(16 << 20);
  auto l = layout_of(k.vmcoreinfo(), 31);
  ASSERT_TRUE(l) << l.error().describe();
  EXPECT_EQ(l->page_size, 4096u);
  EXPECT_EQ(l->page_shift, 12u);
  EXPECT_EQ(l->struct_page_size, 64u);
  EXPECT_EQ(l->mapping, 24u);
  EXPECT_EQ(l->mapcount, 48u);
  EXPECT_EQ(l->compound_order, 17u);
  EXPECT_EQ(l->pg_head_mask, 65536u);
  EXPECT_EQ(l->buddy_mapcount, -129);
  EXPECT_EQ(l->pages_per_section(), 65536u);
  EXPECT_EQ(l->sections_per_root(), 256u);
  EXPECT_EQ(l->mem_section_roots, 1024u);
  EXPECT_EQ(l->swapper_pg_dir, 0x10000u);
  EXPECT_FALSE(l->pg_hwpoison);
  EXPECT_FALSE(l->hugetlb_dtor);
  EXPECT_EQ(l->pg_swapbacked, 19u);
}

TEST(KernelLayout, OnlyWhatTheLevelNeedsIsRequired) {
  EXPECT_TRUE(layout_of("PAGESIZE=4096\n", kExcludeZero));
  EXPECT_TRUE(layout_of("PAGESIZE=4096\n", 0));
  auto r = layout_of("PAGESIZE=4096\n", kExcludeZero | kExcludeCache);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "cannot filter: VMCOREINFO has no OSRELEASE");
  EXPECT_FALSE(layout_of("", kExcludeZero));
  EXPECT_FALSE(layout_of("PAGESIZE=4096\n", 32));
  // Free pages need the buddy entries; cache pages do not.
  testsupport::SyntheticKernel k(16 << 20);
  k.vmcoreinfo_overrides = {{"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "-"}};
  EXPECT_TRUE(layout_of(k.vmcoreinfo(), kExcludeCache | kExcludeUser));
  EXPECT_FALSE(layout_of(k.vmcoreinfo(), kExcludeFree));
}

TEST(KernelLayout, ImpossibleValuesAreRefused) {
  testsupport::SyntheticKernel k(16 << 20);
  const auto refused = [&](const char* key, const char* value) {
    k.vmcoreinfo_overrides = {{key, value}};
    auto r = layout_of(k.vmcoreinfo(), 31);
    return !r && r.error().message.rfind("cannot filter: ", 0) == 0;
  };
  EXPECT_TRUE(refused("SIZE(page)", "30"));
  EXPECT_TRUE(refused("SIZE(page)", "4096"));
  EXPECT_TRUE(refused("NUMBER(PG_slab)", "-1"));
  EXPECT_TRUE(refused("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "4294967296"));
  EXPECT_TRUE(refused("LENGTH(zone.free_area)", "0"));
  EXPECT_TRUE(refused("LENGTH(mem_section)", "262144"));  // a flat array: not SPARSEMEM_EXTREME
  EXPECT_TRUE(refused("NUMBER(SECTION_SIZE_BITS)", "12"));
  EXPECT_TRUE(refused("SIZE(mem_section)", "24"));
  EXPECT_TRUE(refused("OSRELEASE", "4.15.0"));
  EXPECT_TRUE(refused("OSRELEASE", "garbage"));
  EXPECT_FALSE(refused("OSRELEASE", "4.16.0"));
  EXPECT_FALSE(refused("OSRELEASE", "6.2.16-foo"));
}

TEST(KernelLayout, VersionCodes) {
  EXPECT_EQ(kernel_version_code("6.1.192"), 6001u);
  EXPECT_EQ(kernel_version_code("5.14.0-362.el9.s390x"), 5014u);
  EXPECT_EQ(kernel_version_code("6.10"), 6010u);
  EXPECT_FALSE(kernel_version_code("6"));
  EXPECT_FALSE(kernel_version_code(".1"));
  EXPECT_FALSE(kernel_version_code("x.1"));
}

}  // namespace
}  // namespace zk::filter
