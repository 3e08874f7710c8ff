#include "installer/config.h"

#include <gtest/gtest.h>

namespace zk::installer {
namespace {

TEST(Config, DefaultsAndOverrides) {
  auto c = parse_config("# comment\n\nzipl = /usr/local/sbin/zipl\ncompress = \"xz\"\n");
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->zipl, "/usr/local/sbin/zipl");
  EXPECT_EQ(c->compress, "xz");
  EXPECT_EQ(c->zfcpdump_dir, "/lib/s390-tools/zfcpdump");
  EXPECT_EQ(c->kernel_match, "zfcpdump");
}

TEST(Config, RejectsUnknownKeysAndBadLines) {
  auto c = parse_config("zipl = a\nzpil = b\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("line 2"), std::string::npos);
  EXPECT_FALSE(parse_config("just words\n"));
  EXPECT_FALSE(parse_config("zfcpdump_dir = relative/dir\n"));
}

TEST(Config, MissingFile) {
  EXPECT_TRUE(load_config("/nonexistent/zfcpdump-kit.conf", false));
  EXPECT_FALSE(load_config("/nonexistent/zfcpdump-kit.conf", true));
}

}  // namespace
}  // namespace zk::installer
