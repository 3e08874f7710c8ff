// SPDX-License-Identifier: MIT
#include "installer/kernel/hsa.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace zk::installer::kernel {
namespace {

/// A sysfs test double with /firmware/dump/dump_area_size holding `text`.
struct FakeSysfs {
  testsupport::TempDir dir;
  explicit FakeSysfs(const char* text) {
    std::filesystem::create_directories(dir.path() + "/firmware/dump");
    if (text) std::ofstream(dir.path() + "/firmware/dump/dump_area_size") << text;
  }
};

TEST(Hsa, OverrideWins) {
  FakeSysfs sys("1073741824\n");
  auto h = hsa_size(sys.dir.path(), 64ull << 20);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->bytes, 64ull << 20);
  EXPECT_EQ(h->source, HsaSource::kOverride);
  EXPECT_FALSE(hsa_size(sys.dir.path(), 0).has_value());
}

TEST(Hsa, ReadsSysfsDecimalOrHex) {
  FakeSysfs dec("536870912\n");
  auto h = hsa_size(dec.dir.path(), std::nullopt);
  ASSERT_TRUE(h.has_value()) << h.error().describe();
  EXPECT_EQ(h->bytes, 512ull << 20);
  EXPECT_EQ(h->source, HsaSource::kSysfs);
  EXPECT_EQ(h->origin, dec.dir.path() + "/firmware/dump/dump_area_size");
  FakeSysfs hex("0x20000000\n");
  h = hsa_size(hex.dir.path(), std::nullopt);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->bytes, 512ull << 20);
}

TEST(Hsa, DefaultsTo32MiBWithoutTheFile) {
  FakeSysfs sys(nullptr);  // Linux 6.1: /sys/firmware/dump without dump_area_size
  auto h = hsa_size(sys.dir.path(), std::nullopt);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->bytes, 32ull << 20);
  EXPECT_EQ(h->source, HsaSource::kDefault);
  h = hsa_size("/nonexistent-sysfs", std::nullopt);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->bytes, kDefaultHsaBytes);
}

TEST(Hsa, MalformedFileIsAnError) {
  for (const char* text : {"", "0\n", "lots\n", "32M\n", "-1\n"}) {
    FakeSysfs sys(text);
    auto h = hsa_size(sys.dir.path(), std::nullopt);
    ASSERT_FALSE(h.has_value()) << "\"" << text << "\"";
    EXPECT_NE(h.error().message.find("not a positive number of bytes"), std::string::npos);
  }
}

HsaNeeds needs(uint64_t kernel, uint64_t file, uint64_t unpacked) {
  return HsaNeeds{kernel, "vmlinux v", false, file, unpacked, 4ull << 20, 4ull << 20};
}

TEST(Hsa, EveryPartCounts) {
  const HsaSize hsa{32ull << 20, HsaSource::kDefault, "default"};
  auto left = check_hsa_needs(needs(7u << 20, 1u << 20, 2u << 20), hsa);
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(*left, 14ull << 20);  // 32 - (7 + 1 + 2 + 4 + 4)
  auto exact = check_hsa_needs(needs(20u << 20, 1u << 20, 3u << 20), hsa);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(*exact, 0u);
  // One byte more in any part is too much: the dumper's and the margin's bytes count too.
  auto over = check_hsa_needs(needs(20u << 20, 1u << 20, (3u << 20) + 1), hsa);
  EXPECT_FALSE(over.has_value());
}

TEST(Hsa, TooBigShowsEachPartAndTheLargest) {
  const HsaSize hsa{32ull << 20, HsaSource::kDefault, "default (32 MiB, z14 and older machines)"};
  auto r = check_hsa_needs(needs(20u << 20, 2u << 20, 5u << 20), hsa);
  ASSERT_FALSE(r.has_value());
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("needs 35.0 MiB while it runs, more than the HSA's 32.0 MiB"), std::string::npos)
      << m;
  EXPECT_NE(m.find("kernel 20.0 MiB (vmlinux v) + ramdisk 2.0 MiB + unpacked ramdisk 5.0 MiB + "
                   "dumper 4.0 MiB + margin 4.0 MiB = 35.0 MiB"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("The largest part is the kernel"), std::string::npos) << m;
  auto rd = check_hsa_needs(needs(8u << 20, 6u << 20, 12u << 20), hsa);
  ASSERT_FALSE(rd.has_value());
  EXPECT_NE(rd.error().message.find("The largest part is the ramdisk"), std::string::npos)
      << rd.error().message;
}

}  // namespace
}  // namespace zk::installer::kernel
