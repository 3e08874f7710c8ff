// SPDX-License-Identifier: MIT
#include "util/sha256.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/atomic_file.h"

namespace zk::util {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileEqualsString) {
  testsupport::TempDir dir;
  std::string data(200000, 'q');
  ASSERT_TRUE(write_file_atomically(dir.file("f"), data));
  auto h = sha256_file(dir.file("f"));
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, sha256_hex(data));
}

TEST(Sha256, IsSha256HexTakesOnlyWhatHexWrites) {
  EXPECT_TRUE(is_sha256_hex(sha256_hex("abc")));
  EXPECT_TRUE(is_sha256_hex(std::string(64, '0')));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));  // hex() writes lowercase
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(65, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));
  EXPECT_FALSE(is_sha256_hex(""));
}

}  // namespace
}  // namespace zk::util
