// SPDX-License-Identifier: MIT
#include "installer/commands/check_status.h"

#include <set>

#include <gtest/gtest.h>

namespace zk::installer::commands {
namespace {

TEST(CheckStatus, AStaleToolIsToldBesideWhatTheAreaHolds) {
  EXPECT_EQ(combine_check_status(kCheckReady, false), 0);
  EXPECT_EQ(combine_check_status(kCheckReady, true), 12);
  EXPECT_EQ(combine_check_status(kCheckDump, false), 10);
  EXPECT_EQ(combine_check_status(kCheckDump, true), 15);
  EXPECT_EQ(combine_check_status(kCheckIncomplete, true), 16);
  EXPECT_EQ(combine_check_status(kCheckDamaged, true), 18);
  EXPECT_EQ(combine_check_status(kCheckCorrupt, true), 19);
  EXPECT_EQ(combine_check_status(kCheckNoTool, true), 20);
  EXPECT_EQ(combine_check_status(1, true), 1);  // a failure stays one
}

TEST(CheckStatus, EveryCombinationHasAStatusOfItsOwn) {
  std::set<int> seen;
  for (int area : {kCheckReady, kCheckDump, kCheckIncomplete, kCheckDamaged, kCheckCorrupt})
    for (bool stale : {false, true})
      EXPECT_TRUE(seen.insert(combine_check_status(area, stale)).second)
          << "area " << area << " stale " << stale;
  EXPECT_FALSE(seen.contains(kCheckNoTool));
  EXPECT_FALSE(seen.contains(1));
  EXPECT_FALSE(seen.contains(2));
}

}  // namespace
}  // namespace zk::installer::commands
