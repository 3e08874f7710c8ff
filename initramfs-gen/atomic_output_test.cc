#include "initramfs-gen/atomic_output.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>

#include "initramfs-gen/test_ramdisk.h"
#include "tests/support/temp_dir.h"

namespace zk::initramfs {
namespace {

using testing::directory_names;
using testing::exists;
using testing::read_bytes;

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span(s)); }

TEST(AtomicOutputFile, CommitRenamesWithMode) {
  testsupport::TempDir dir;
  const auto path = dir.file("out");
  auto f = AtomicOutputFile::create(path, 0640);
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_FALSE(exists(path));
  EXPECT_TRUE(exists(f->temp_path()));
  ASSERT_TRUE(f->write_all(bytes_of("hello")));
  EXPECT_EQ(f->bytes_written(), 5u);
  ASSERT_TRUE(f->commit());
  EXPECT_TRUE(f->temp_path().empty());
  EXPECT_EQ(read_bytes(path).size(), 5u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(directory_names(dir.path()), std::vector<std::string>{"out"});
}

TEST(AtomicOutputFile, WithoutCommitNothingIsLeft) {
  testsupport::TempDir dir;
  {
    auto f = AtomicOutputFile::create(dir.file("out"));
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->write_all(bytes_of("partial")));
  }
  EXPECT_TRUE(directory_names(dir.path()).empty());
}

TEST(AtomicOutputFile, ExistingFileIsReplacedOnlyOnCommit) {
  testsupport::TempDir dir;
  const auto path = dir.file("out");
  std::ofstream(path) << "old";
  auto f = AtomicOutputFile::create(path);
  ASSERT_TRUE(f);
  ASSERT_TRUE(f->write_all(bytes_of("new!")));
  EXPECT_EQ(read_bytes(path).size(), 3u);
  ASSERT_TRUE(f->commit());
  EXPECT_EQ(read_bytes(path).size(), 4u);
  EXPECT_FALSE(f->commit());  // at most once
}

TEST(AtomicOutputFile, MovedFromOwnsNothing) {
  testsupport::TempDir dir;
  auto f = AtomicOutputFile::create(dir.file("out"));
  ASSERT_TRUE(f);
  AtomicOutputFile g = std::move(*f);
  EXPECT_TRUE(f->temp_path().empty());  // moved-from: owns nothing
  f->discard();
  EXPECT_EQ(directory_names(dir.path()).size(), 1u);
  ASSERT_TRUE(g.commit());
  EXPECT_EQ(directory_names(dir.path()), std::vector<std::string>{"out"});
}

TEST(AtomicOutputFile, MissingDirectoryCarriesErrno) {
  auto f = AtomicOutputFile::create("/nonexistent-zk-dir/out");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().errnum, ENOENT);
  EXPECT_NE(f.error().message.find("/nonexistent-zk-dir/out"), std::string::npos);
}

}  // namespace
}  // namespace zk::initramfs
