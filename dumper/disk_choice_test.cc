// SPDX-License-Identifier: MIT
#include "dumper/disk_choice.h"

#include <gtest/gtest.h>

namespace zk::dumper {
namespace {

constexpr const char* kLunA = "naa.6005076303ffc1040000000000001234";
constexpr const char* kLunB = "naa.6005076303ffc1040000000000005678";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DiskChoice, OneCandidateWithoutAChoiceIsTaken) {
  const std::vector<DiskCandidate> c{{"sdb", kLunA, {}}};
  auto r = choose_dump_disk(c, "");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->index, 0u);
  EXPECT_TRUE(contains(r->reason, "only dump disk")) << r->reason;
  EXPECT_TRUE(contains(r->reason, std::string("wwid:") + kLunA + " (sdb)")) << r->reason;
}

TEST(DiskChoice, SeveralCandidatesWithoutAChoiceAreRefusedAndListed) {
  const std::vector<DiskCandidate> c{{"sda", kLunA, {}}, {"sdb", kLunB, {}}, {"sdc", "", {}}};
  auto r = choose_dump_disk(c, "");
  ASSERT_FALSE(r);
  const auto& m = r.error().message;
  EXPECT_TRUE(contains(m, "3 dump disks found")) << m;
  EXPECT_TRUE(contains(m, std::string("wwid:") + kLunA + " (sda)")) << m;
  EXPECT_TRUE(contains(m, std::string("wwid:") + kLunB + " (sdb)")) << m;
  EXPECT_TRUE(contains(m, "no wwid (sdc)")) << m;
  EXPECT_TRUE(contains(m, "nothing was written")) << m;
}

TEST(DiskChoice, TheChoiceTakesTheDiskItNames) {
  const std::vector<DiskCandidate> c{{"sda", kLunA, {}}, {"sdb", kLunB, {}}};
  auto r = choose_dump_disk(c, std::string("wwid:") + kLunB);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->index, 1u);
  EXPECT_TRUE(contains(r->reason, "names sdb")) << r->reason;
}

TEST(DiskChoice, AChoiceThatMatchesNoneTakesNothing) {
  const std::vector<DiskCandidate> c{{"sda", kLunA, {}}};
  auto r = choose_dump_disk(c, std::string("wwid:") + kLunB);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "names none of the dump disks found"))
      << r.error().message;
  EXPECT_TRUE(contains(r.error().message, std::string("wwid:") + kLunA + " (sda)"));
  // A disk without a wwid is never named by an empty one.
  const std::vector<DiskCandidate> anonymous{{"sda", "", {}}};
  EXPECT_FALSE(choose_dump_disk(anonymous, "wwid:"));
}

TEST(DiskChoice, AnUnknownFormIsRefused) {
  const std::vector<DiskCandidate> c{{"sda", kLunA, {}}};
  auto r = choose_dump_disk(c, kLunA);  // the prefix forgotten
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "not of the form wwid:WWID")) << r.error().message;
}

TEST(DiskChoice, AMultipathMapAndItsPathsAreOneDisk) {
  // The finder's order: dm-0 (the map) before its paths.
  const std::vector<DiskCandidate> c{
      {"dm-0", kLunA, {}}, {"sda", kLunA, {"dm-0"}}, {"sdb", kLunA, {"dm-0"}}};
  auto r = choose_dump_disk(c, "");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->index, 0u);
  r = choose_dump_disk(c, std::string("wwid:") + kLunA);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->index, 0u);
}

TEST(DiskChoice, TwoPathsOfOneLunWithoutAMapAreOneDisk) {
  const std::vector<DiskCandidate> c{{"sda", kLunA, {}}, {"sdb", kLunA, {}}};
  auto r = choose_dump_disk(c, "");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->index, 0u);
  EXPECT_TRUE(contains(r->reason, "also wwid:")) << r->reason;
  EXPECT_TRUE(contains(r->reason, "(sdb)")) << r->reason;
}

TEST(DiskChoice, NoCandidateIsAnError) {
  EXPECT_FALSE(choose_dump_disk({}, ""));
  EXPECT_FALSE(choose_dump_disk({}, std::string("wwid:") + kLunA));
}

}  // namespace
}  // namespace zk::dumper
