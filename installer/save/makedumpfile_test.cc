// SPDX-License-Identifier: MIT
#include "installer/save/makedumpfile.h"

#include <gtest/gtest.h>

namespace zk::installer::save {
namespace {

TEST(Makedumpfile, CommandLines) {
  using V = std::vector<std::string>;
  EXPECT_EQ(*compress_argv({"mdf", "zstd", 31}, "/dev/sda1", "out"),
            (V{"mdf", "-z", "--non-mmap", "-d", "31", "/dev/sda1", "out"}));
  EXPECT_EQ(*compress_argv({"mdf", "lzo", 1}, "i", "o"),
            (V{"mdf", "-l", "--non-mmap", "-d", "1", "i", "o"}));
  EXPECT_EQ(compress_argv({"mdf", "snappy", 0}, "i", "o")->at(1), "-p");
  EXPECT_EQ(compress_argv({"mdf", "zlib", 0}, "i", "o")->at(1), "-c");
  EXPECT_EQ(*compress_argv({"mdf", "none", 0}, "i", "o"),
            (V{"mdf", "--non-mmap", "-d", "0", "i", "o"}));
  EXPECT_FALSE(compress_argv({"mdf", "xz", 31}, "i", "o"));
  EXPECT_FALSE(compress_argv({"mdf", "zstd", 32}, "i", "o"));
  EXPECT_EQ(dmesg_argv("mdf", "vmcore", "dmesg.txt"),
            (V{"mdf", "--non-mmap", "--dump-dmesg", "vmcore", "dmesg.txt"}));
}

TEST(Makedumpfile, VersionAndProgram) {
  EXPECT_EQ(parse_makedumpfile_version("makedumpfile: version 1.7.2 (released on 20 Oct 2022)\n"
                                       "lzo\tenabled\n"),
            "1.7.2");
  EXPECT_EQ(parse_makedumpfile_version("command not found"), "");
  EXPECT_TRUE(find_program("sh"));
  EXPECT_TRUE(find_program("/bin/sh"));
  EXPECT_FALSE(find_program("/nonexistent/makedumpfile"));
  EXPECT_FALSE(find_program("zk-no-such-program-anywhere"));
}

}  // namespace
}  // namespace zk::installer::save
