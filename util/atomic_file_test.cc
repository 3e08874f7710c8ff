// SPDX-License-Identifier: MIT
#include "util/atomic_file.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::util {
namespace {

TEST(AtomicFile, CommitPublishesWithMode) {
  testsupport::TempDir dir;
  const auto path = dir.file("out");
  {
    auto f = AtomicFile::create(path, 0755);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->write("hello"));
    EXPECT_FALSE(std::filesystem::exists(path));  // nothing under the name until commit
    ASSERT_TRUE(f->commit());
  }
  auto text = read_file(path, 100);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "hello");
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
}

TEST(AtomicFile, DestroyedWithoutCommitLeavesNothing) {
  testsupport::TempDir dir;
  const auto path = dir.file("out");
  ASSERT_TRUE(write_file_atomically(path, "old"));
  {
    auto f = AtomicFile::create(path);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->write("new, half written"));
  }
  EXPECT_EQ(*read_file(path, 100), "old");
  size_t entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

}  // namespace
}  // namespace zk::util

namespace zk::util {
namespace {

TEST(AtomicFile, MovedFromOwnsNothingAndCountsBytes) {
  testsupport::TempDir dir;
  auto f = AtomicFile::create(dir.file("out"));
  ASSERT_TRUE(f);
  AtomicFile g(std::move(*f));
  ASSERT_TRUE(g.write("12345"));
  EXPECT_EQ(g.bytes_written(), 5u);
  ASSERT_TRUE(g.commit());
  EXPECT_EQ(*read_file(dir.file("out"), 10), "12345");
}

TEST(AtomicFile, MissingDirectoryCarriesErrno) {
  auto f = AtomicFile::create("/nonexistent-zk-dir/out");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().errnum, ENOENT);
}

}  // namespace
}  // namespace zk::util
