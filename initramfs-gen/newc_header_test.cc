// SPDX-License-Identifier: MIT
#include "initramfs-gen/newc_header.h"

#include <string>

#include <gtest/gtest.h>

#include "util/strings.h"

namespace zk::initramfs {
namespace {

/// A header as a cpio writer lays it out, fields in order.
std::string header(const char* magic, uint32_t mode, uint32_t file_size, uint32_t name_size) {
  return util::format("%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", magic, 7u, mode,
                      1000u, 100u, 2u, 1700000000u, file_size, 8u, 1u, 5u, 1u, name_size, 0xabcdu);
}

TEST(NewcHeader, DecodesEveryField) {
  const std::string bytes = header("070701", 020620, 0, 12);
  ASSERT_EQ(bytes.size(), kNewcHeaderSize);
  auto h = decode_newc_header(bytes);
  ASSERT_TRUE(h) << h.error().describe();
  EXPECT_FALSE(h->with_checksum);
  EXPECT_EQ(h->ino, 7u);
  EXPECT_EQ(h->mode, 020620u);
  EXPECT_EQ(h->uid, 1000u);
  EXPECT_EQ(h->gid, 100u);
  EXPECT_EQ(h->nlink, 2u);
  EXPECT_EQ(h->mtime, 1700000000u);
  EXPECT_EQ(h->file_size, 0u);
  EXPECT_EQ(h->dev_major, 8u);
  EXPECT_EQ(h->dev_minor, 1u);
  EXPECT_EQ(h->rdev_major, 5u);
  EXPECT_EQ(h->rdev_minor, 1u);
  EXPECT_EQ(h->name_size, 12u);
  EXPECT_EQ(h->check, 0xabcdu);
  auto crc = decode_newc_header(header("070702", 0100644, 0xffffffffu, 1));
  ASSERT_TRUE(crc);
  EXPECT_TRUE(crc->with_checksum);
  EXPECT_EQ(crc->file_size, 0xffffffffu);
}

TEST(NewcHeader, UpperCaseHexIsRead) {
  std::string bytes = header("070701", 0, 0xABCDEF, 1);
  auto h = decode_newc_header(bytes);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->file_size, 0xabcdefu);
}

TEST(NewcHeader, RefusesOtherMagicsQuotingThem) {
  auto odc = decode_newc_header(header("070707", 0, 0, 1));  // the old portable format
  ASSERT_FALSE(odc);
  EXPECT_NE(odc.error().message.find("\"070707\""), std::string::npos) << odc.error().message;
  std::string binary = header("070701", 0, 0, 1);
  binary[0] = '\xc7';
  binary[1] = '\x71';
  auto b = decode_newc_header(binary);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("\\xc7q"), std::string::npos) << b.error().message;
}

TEST(NewcHeader, NamesTheFieldThatIsNotHex) {
  std::string bytes = header("070701", 0, 0, 1);
  bytes[6 + 8 * 6 + 3] = 'g';  // the file size
  auto h = decode_newc_header(bytes);
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("file size"), std::string::npos) << h.error().message;
  bytes = header("070701", 0, 0, 1);
  bytes[6 + 8 * 11] = ' ';  // the name size
  h = decode_newc_header(bytes);
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("name size"), std::string::npos) << h.error().message;
}

// fuzz finding 4: a name size of 0x22222222 made libarchive set aside 572 MB before it read a
// byte of the name. The kernel's unpacker skips names beyond PATH_MAX; the decoder refuses them.
TEST(NewcHeader, NameSizeIsBoundedByPathMax) {
  EXPECT_TRUE(decode_newc_header(header("070701", 0, 0, kNewcMaxNameSize)));
  auto big = decode_newc_header(header("070701", 0, 0, 0x22222222u));
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("PATH_MAX"), std::string::npos) << big.error().message;
  EXPECT_FALSE(decode_newc_header(header("070701", 0, 0, kNewcMaxNameSize + 1)));
  EXPECT_FALSE(decode_newc_header(header("070701", 0, 0, 0)));
}

TEST(NewcHeader, ShortInputIsAnError) {
  EXPECT_FALSE(decode_newc_header(header("070701", 0, 0, 1).substr(0, kNewcHeaderSize - 1)));
  EXPECT_FALSE(decode_newc_header(""));
}

TEST(NewcHeader, Padding) {
  EXPECT_EQ(newc_padding(0), 0u);
  EXPECT_EQ(newc_padding(1), 3u);
  EXPECT_EQ(newc_padding(kNewcHeaderSize + 2), 0u);   // "." with its NUL
  EXPECT_EQ(newc_padding(kNewcHeaderSize + 11), 3u);  // "TRAILER!!!" with its NUL
  EXPECT_EQ(newc_padding(0xffffffffu), 1u);
}

}  // namespace
}  // namespace zk::initramfs
