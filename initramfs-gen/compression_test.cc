// SPDX-License-Identifier: MIT
#include "initramfs-gen/compression.h"

#include <gtest/gtest.h>

namespace zk::initramfs {
namespace {

TEST(Compression, NamesRoundTrip) {
  for (auto c : {Compression::kNone, Compression::kGzip, Compression::kXz, Compression::kZstd,
                 Compression::kLz4}) {
    auto parsed = parse_compression(compression_name(c));
    ASSERT_TRUE(parsed) << compression_name(c);
    EXPECT_EQ(*parsed, c);
  }
}

TEST(Compression, UnknownNameListsTheValidOnes) {
  for (const char* bad : {"", "GZIP", "gz", "bzip2", "gzip "}) {
    auto parsed = parse_compression(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("gzip, xz, zstd"), std::string::npos);
  }
}

TEST(Compression, KernelConfigOptions) {
  EXPECT_EQ(kernel_config_option(Compression::kNone), "");
  EXPECT_EQ(kernel_config_option(Compression::kGzip), "CONFIG_RD_GZIP");
  EXPECT_EQ(kernel_config_option(Compression::kXz), "CONFIG_RD_XZ");
  EXPECT_EQ(kernel_config_option(Compression::kZstd), "CONFIG_RD_ZSTD");
  EXPECT_EQ(kernel_config_option(Compression::kLz4), "CONFIG_RD_LZ4");
}

TEST(Compression, DefaultIsGzip) { EXPECT_EQ(kDefaultCompression, Compression::kGzip); }

}  // namespace
}  // namespace zk::initramfs
