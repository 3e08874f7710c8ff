// SPDX-License-Identifier: MIT
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

TEST(Config, SaveKeys) {
  auto d = parse_config("");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->save_dir, "/var/crash");
  EXPECT_EQ(d->save_keep, 3u);
  EXPECT_EQ(d->save_format, "kdump");
  EXPECT_EQ(d->save_compress, "zstd");
  EXPECT_EQ(d->save_dump_level, 31u);
  EXPECT_TRUE(d->harvest);
  auto c = parse_config(
      "save_dir = /srv/dumps\nsave_keep = 0\nsave_min_free = 1G\nsave_format = elf\n"
      "save_compress = lzo\nsave_dump_level = 0\nmakedumpfile = /opt/mdf\nharvest = no\n");
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->save_dir, "/srv/dumps");
  EXPECT_EQ(c->save_keep, 0u);
  EXPECT_EQ(c->save_min_free, 1ull << 30);
  EXPECT_EQ(c->save_format, "elf");
  EXPECT_EQ(c->save_compress, "lzo");
  EXPECT_EQ(c->save_dump_level, 0u);
  EXPECT_EQ(c->makedumpfile, "/opt/mdf");
  EXPECT_FALSE(c->harvest);
  for (const char* bad :
       {"save_dir = rel\n", "save_keep = -1\n", "save_min_free = lots\n", "save_format = raw\n",
        "save_compress = xz\n", "save_dump_level = 32\n", "harvest = maybe\n"})
    EXPECT_FALSE(parse_config(bad)) << bad;
}

TEST(Config, MissingFile) {
  EXPECT_TRUE(load_config("/nonexistent/zfcpdump-kit.conf", false));
  EXPECT_FALSE(load_config("/nonexistent/zfcpdump-kit.conf", true));
}

}  // namespace
}  // namespace zk::installer
