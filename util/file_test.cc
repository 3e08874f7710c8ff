// SPDX-License-Identifier: MIT
#include <cerrno>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/file_window.h"
#include "util/posix_file.h"

namespace zk::util {
namespace {

TEST(PosixFile, ReadWriteAndSize) {
  testsupport::TempDir dir;
  const auto path = dir.file("img");
  testsupport::make_zero_file(path, 8192);
  auto f = PosixFile::open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ((*f)->size(), 8192u);
  std::vector<std::byte> data(100, std::byte{0xab});
  ASSERT_TRUE(write_all(**f, data, 1000));
  std::vector<std::byte> back(100);
  ASSERT_TRUE(read_exact(**f, back, 1000));
  EXPECT_EQ(back, data);
}

TEST(PosixFile, ReadExactReportsEndOfFile) {
  testsupport::TempDir dir;
  const auto path = dir.file("small");
  testsupport::make_zero_file(path, 10);
  auto f = PosixFile::open(path, OpenMode::kRead);
  ASSERT_TRUE(f);
  std::vector<std::byte> buf(20);
  auto r = read_exact(**f, buf, 0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("unexpected end of file"), std::string::npos);
}

TEST(PosixFile, OpenMissingCarriesErrno) {
  auto f = PosixFile::open("/nonexistent/zk", OpenMode::kRead);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().errnum, ENOENT);
  EXPECT_NE(f.error().describe().find("/nonexistent/zk"), std::string::npos);
}

TEST(PosixFile, DirectModeServesUnalignedReads) {
  testsupport::TempDir dir;
  const auto path = dir.file("img");
  testsupport::make_zero_file(path, 16384);
  {
    auto w = PosixFile::open(path, OpenMode::kReadWrite);
    ASSERT_TRUE(w);
    std::vector<std::byte> data(10, std::byte{0x5a});
    ASSERT_TRUE(write_all(**w, data, 4095));
  }
  auto f = PosixFile::open(path, OpenMode::kReadWriteDirect);
  ASSERT_TRUE(f) << f.error().describe();
  std::vector<std::byte> back(10);
  ASSERT_TRUE(read_exact(**f, back, 4095));
  EXPECT_EQ(back, std::vector<std::byte>(10, std::byte{0x5a}));
}

TEST(FileWindow, ClipsToItsRange) {
  testsupport::TempDir dir;
  const auto path = dir.file("img");
  testsupport::make_zero_file(path, 4096);
  auto f = PosixFile::open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(f);
  FileWindow w(**f, 1000, 100);
  EXPECT_EQ(w.size(), 100u);
  std::vector<std::byte> data(50, std::byte{1});
  auto n = w.write_at(data, 80);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 20u);  // clipped at the window's end
  std::vector<std::byte> back(1);
  ASSERT_TRUE(read_exact(**f, back, 1099));
  EXPECT_EQ(back[0], std::byte{1});
  ASSERT_TRUE(read_exact(**f, back, 1100));
  EXPECT_EQ(back[0], std::byte{0});
  FileWindow beyond(**f, 5000, 100);
  EXPECT_EQ(beyond.size(), 0u);
}

}  // namespace
}  // namespace zk::util
