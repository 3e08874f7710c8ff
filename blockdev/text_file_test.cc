// SPDX-License-Identifier: MIT
#include "blockdev/text_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "blockdev/test_tree.h"

namespace zk::blockdev {
namespace {

using testing::TestTree;

TEST(TextFile, ReadsWithoutTheTrailingBlanks) {
  TestTree t;
  t.write("sys/a", "IBM     \n");
  auto text = read_text(t.path("sys/a"));
  ASSERT_TRUE(text) << text.error().describe();
  EXPECT_EQ(*text, "IBM");
}

TEST(TextFile, ReadsNoMoreThanTheLimit) {
  TestTree t;
  t.write("sys/a", std::string(10000, 'x'));
  auto text = read_text(t.path("sys/a"), 100);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->size(), 100u);
}

TEST(TextFile, AMissingFileIsAnErrorWithItsErrno) {
  TestTree t;
  auto text = read_text(t.path("sys/none"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().errnum, ENOENT);
  EXPECT_NE(text.error().message.find("sys/none"), std::string::npos);
}

TEST(TextFile, WritesOnlyExistingFiles) {
  TestTree t;
  t.write("sys/online", "0\n");
  ASSERT_TRUE(write_text(t.path("sys/online"), "1"));
  EXPECT_EQ(*read_text(t.path("sys/online")), "1");
  auto r = write_text(t.path("sys/new"), "1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, ENOENT);
  EXPECT_FALSE(exists(t.path("sys/new")));
}

TEST(TextFile, ListsSortedWithoutDotEntries) {
  TestTree t;
  t.write("sys/d/sdb", "");
  t.write("sys/d/sda", "");
  t.mkdir("sys/d/sdc");
  EXPECT_EQ(list_dir(t.path("sys/d")), (std::vector<std::string>{"sda", "sdb", "sdc"}));
  EXPECT_TRUE(list_dir(t.path("sys/none")).empty());
}

TEST(TextFile, LinkNameIsTheTargetsLastComponent) {
  TestTree t;
  t.link("sys/driver", "../../bus/scsi/drivers/sd");
  EXPECT_EQ(link_name(t.path("sys/driver")), "sd");
  t.write("sys/plain", "");
  EXPECT_EQ(link_name(t.path("sys/plain")), "");
  EXPECT_EQ(link_name(t.path("sys/none")), "");
}

}  // namespace
}  // namespace zk::blockdev
