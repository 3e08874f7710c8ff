// SPDX-License-Identifier: MIT
// The ramdisk as the real GNU cpio (not libarchive) sees it: an independent reader of newc.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "initramfs-gen/ramdisk_writer.h"
#include "initramfs-gen/test_ramdisk.h"
#include "tests/support/temp_dir.h"

namespace zk::initramfs {
namespace {

using testing::kWritable;

/// One line of `cpio -itvn`, without the date: "crw------- 1 0 0 5,1 dev/console".
std::string without_date(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> t;
  for (std::string word; in >> word;) t.push_back(word);
  const bool device = !t.empty() && (t[0][0] == 'c' || t[0][0] == 'b');
  // mode nlink uid gid size|major, minor month day year name
  const size_t expected = device ? 10 : 9;
  if (t.size() != expected) return "unexpected line: " + line;
  std::string out = t[0] + " " + t[1] + " " + t[2] + " " + t[3] + " " + t[4];
  if (device) out += t[5];
  return out + " " + t.back();
}

std::vector<std::string> cpio_listing(Compression c, const std::string& path) {
  // Should the decompressor fail, cpio fails too, on a premature end of the archive.
  auto out = testing::run(testing::decompress_command(c, path) + " | TZ=UTC cpio -itvn --quiet");
  if (!out) return {"cpio failed"};
  std::vector<std::string> lines;
  std::istringstream in(*out);
  for (std::string line; std::getline(in, line);) lines.push_back(without_date(line));
  return lines;
}

class GnuCpio : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_tool("cpio") || !testing::run("cpio --version | grep -q 'GNU cpio'"))
      FAIL() << "missing prerequisite (scripts/setup installs it): " << "GNU cpio is not installed";
    testing::write_fake_dumper(dumper_, 123457);
    spec_.dumper_path = dumper_;
  }
  testsupport::TempDir dir_;
  std::string dumper_ = dir_.file("dumper");
  RamdiskSpec spec_;
};

TEST_F(GnuCpio, ListsExactlyTheExpectedEntries) {
  spec_.config_text = "dump_debug=2 zfcpdump.action=poweroff\n";
  spec_.mtime = 1700000000;
  const std::vector<std::string> expected{
      "drwxr-xr-x 2 0 0 0 dev",
      "crw------- 1 0 0 5,1 dev/console",
      "crw-rw-rw- 1 0 0 1,3 dev/null",
      "drwxr-xr-x 2 0 0 0 etc",
      "-rw-r--r-- 1 0 0 38 etc/zfcpdump.conf",
      "-rwxr-xr-x 1 0 0 123457 init",
      "dr-xr-xr-x 2 0 0 0 proc",
      "dr-xr-xr-x 2 0 0 0 sys",
      "drwxrwxrwt 2 0 0 0 tmp",
  };
  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    if (!testing::have_tool(testing::decompressor_tool(c))) continue;
    const auto path = dir_.file("ramdisk");
    spec_.compression = c;
    auto info = write_ramdisk(spec_, path);
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(cpio_listing(c, path), expected);
  }
}

TEST_F(GnuCpio, WithoutConfigThereIsNoEtc) {
  spec_.compression = Compression::kGzip;
  const auto path = dir_.file("ramdisk");
  ASSERT_TRUE(write_ramdisk(spec_, path));
  const auto lines = cpio_listing(Compression::kGzip, path);
  ASSERT_EQ(lines.size(), 7u);
  for (const auto& line : lines) EXPECT_EQ(line.find(" etc"), std::string::npos) << line;
}

TEST_F(GnuCpio, ExtractsInitAndConfigByteForByte) {
  spec_.config_text = "# baked in\ndump_debug=3\n";
  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    if (!testing::have_tool(testing::decompressor_tool(c))) continue;
    spec_.compression = c;
    const auto path = dir_.file("ramdisk");
    ASSERT_TRUE(write_ramdisk(spec_, path));
    const auto into = dir_.file("x-" + std::string(compression_name(c)));
    ASSERT_TRUE(testing::run("mkdir '" + into + "' && cd '" + into + "' && " +
                             testing::decompress_command(c, path) +
                             " | cpio -id --quiet init etc/zfcpdump.conf"));
    EXPECT_EQ(testing::read_bytes(into + "/init"), testing::read_bytes(dumper_));
    auto conf = testing::read_bytes(into + "/etc/zfcpdump.conf");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(conf.data()), conf.size()),
              *spec_.config_text);
  }
}

}  // namespace
}  // namespace zk::initramfs
