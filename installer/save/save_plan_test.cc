// SPDX-License-Identifier: MIT
#include "installer/save/save_plan.h"

#include <gtest/gtest.h>

namespace zk::installer::save {
namespace {

TEST(SavePlan, DirectoryNamesAreSafeAndDated) {
  EXPECT_EQ(dump_dir_name("lpar1", 1764900000), "lpar1-2025-12-05-02:00:00");
  EXPECT_EQ(dump_dir_name("a/b c", 0), "a_b_c-1970-01-01-00:00:00");
  EXPECT_EQ(dump_dir_name("", 0), "localhost-1970-01-01-00:00:00");
  EXPECT_EQ(dump_dir_name("..", 0), "localhost..-1970-01-01-00:00:00");  // never hidden
  EXPECT_EQ(unique_name("x", {}), "x");
  EXPECT_EQ(unique_name("x", {"x", "x-2"}), "x-3");
}

TEST(SavePlan, SpaceHasAFloorAndDoesNotWrap) {
  const uint64_t elf = worst_case_bytes(100u << 20, SaveFormat::kElf);
  EXPECT_GE(elf, 100u << 20);
  EXPECT_GT(worst_case_bytes(100u << 20, SaveFormat::kKdump), elf);
  EXPECT_TRUE(check_space(1u << 30, 500u << 20, 256u << 20).fits);
  const auto tight = check_space(700u << 20, 500u << 20, 256u << 20);
  EXPECT_FALSE(tight.fits);
  EXPECT_EQ(tight.needed, 756u << 20);
  EXPECT_FALSE(check_space(UINT64_MAX, UINT64_MAX - 1, 10).fits);
}

TEST(SavePlan, RetentionKeepsTheNewestAndNeverTheOneJustSaved) {
  std::vector<SavedDump> saved{{"a", 100}, {"b", 300}, {"c", 200}, {"d", 400}, {"new", 50}};
  auto gone = plan_retention(saved, 3, "new");  // the new one has an odd time, still kept
  EXPECT_EQ(gone, (std::vector<std::string>{"c", "a"}));
  EXPECT_TRUE(plan_retention(saved, 0, "new").empty());
  EXPECT_TRUE(plan_retention(saved, 5, "new").empty());
  EXPECT_EQ(plan_retention(saved, 1, "new").size(), 4u);
}

}  // namespace
}  // namespace zk::installer::save
