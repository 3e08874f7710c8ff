// SPDX-License-Identifier: MIT
#include "ondisk/dumper_identity.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace zk::ondisk {
namespace {

using namespace std::string_literals;

TEST(DumperIdentity, FindsTheVersionAfterFormatStrings) {
  // The host-mode banner's format string comes first in the binary and must be passed over.
  const std::string bytes =
      "\x7f"
      "ELF..."s +
      "zfcpdump-kit dumper %s (host mode)\0"s + "zfcpdump-kit dumper 1.2.3+deb12u1~rc1\0tail"s;
  EXPECT_EQ(find_dumper_version(bytes), "1.2.3+deb12u1~rc1");
}

TEST(DumperIdentity, NeedsAVersionAndItsNul) {
  EXPECT_EQ(find_dumper_version(""), std::nullopt);
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper "s), std::nullopt);
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper \0"s), std::nullopt);
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper 0.1.0"s), std::nullopt);  // the file ends
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper 0.1.0 \0"s), std::nullopt);
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper " +
                                std::string(kDumperVersionMaxLength + 1, '1') + '\0'),
            std::nullopt);
  EXPECT_EQ(find_dumper_version("zfcpdump-kit dumper " + std::string(kDumperVersionMaxLength, '1') +
                                '\0'),
            std::string(kDumperVersionMaxLength, '1'));
}

TEST(DumperIdentity, ReadsAFileAndRefusesHugeOnes) {
  testsupport::TempDir dir;
  std::ofstream(dir.file("dumper"), std::ios::binary) << "xx" << "zfcpdump-kit dumper 9.8"s + '\0';
  auto v = read_dumper_version(dir.file("dumper"));
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(*v, "9.8");
  std::ofstream(dir.file("other"), std::ios::binary) << "a foreign program";
  v = read_dumper_version(dir.file("other"));
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, std::nullopt);
  EXPECT_FALSE(read_dumper_version(dir.file("missing")));
}

}  // namespace
}  // namespace zk::ondisk
