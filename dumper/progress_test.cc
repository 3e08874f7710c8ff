// SPDX-License-Identifier: MIT
#include "dumper/progress.h"

#include <vector>

#include <gtest/gtest.h>

namespace zk::dumper {
namespace {

TEST(Progress, LineFormat) {
  const uint64_t m = 1 << 20;
  auto line = Progress::format_line(100 * m, 400 * m, 10.0);
  EXPECT_EQ(line, "     100 of      400 MB  25.0%    10.00 MB/s 00:00:30 ETA");
  EXPECT_NE(Progress::format_line(0, 400 * m, 0).find("--:--:--"), std::string::npos);
}

TEST(Progress, PrintsAtTheIntervalAndAtTheEnd) {
  double now = 0;
  std::vector<std::string> lines;
  Progress p(10, [&](const std::string& l) { lines.push_back(l); }, [&] { return now; });
  const uint64_t m = 1 << 20;
  now = 5;
  p.update(10 * m, 100 * m);
  EXPECT_TRUE(lines.empty());
  now = 10;
  p.update(20 * m, 100 * m);
  EXPECT_EQ(lines.size(), 1u);
  now = 11;
  p.update(100 * m, 100 * m);
  EXPECT_EQ(lines.size(), 2u);
  EXPECT_NE(lines.back().find("100.0%"), std::string::npos);
  p.update(100 * m, 100 * m);
  EXPECT_EQ(lines.size(), 2u);
}

}  // namespace
}  // namespace zk::dumper
