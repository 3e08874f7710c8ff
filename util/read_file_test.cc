// SPDX-License-Identifier: MIT
#include "util/read_file.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/fd.h"

namespace zk::util {
namespace {

TEST(ReadFile, Limit) {
  testsupport::TempDir dir;
  const auto path = dir.file("big");
  ASSERT_TRUE(write_file_atomically(path, std::string(1000, 'x')));
  EXPECT_FALSE(read_file(path, 999));
  auto whole = read_file(path, 1000);
  ASSERT_TRUE(whole);
  EXPECT_EQ(*whole, std::string(1000, 'x'));
  auto missing = read_file(dir.file("missing"), 10);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().errnum, ENOENT);
}

TEST(ReadRetrying, ReadsWhatIsThereThenZeroAtEndOfFile) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  Fd read_end(ends[0]);
  {
    Fd write_end(ends[1]);
    ASSERT_EQ(::write(write_end.get(), "abc", 3), 3);
  }  // closed: the reader sees end of file after the three bytes
  char buf[8];
  auto first = read_retrying(read_end.get(), buf, "pipe");
  ASSERT_TRUE(first);
  EXPECT_EQ(std::string(buf, *first), "abc");
  auto end = read_retrying(read_end.get(), buf, "pipe");
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, 0u);
}

TEST(ReadRetrying, ErrorCarriesErrnoAndName) {
  char buf[8];
  auto r = read_retrying(-1, buf, "the named file");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, EBADF);
  EXPECT_NE(r.error().message.find("the named file"), std::string::npos);
}

}  // namespace
}  // namespace zk::util
