// SPDX-License-Identifier: MIT
#include "initramfs-gen/config_overlay.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "initramfs-gen/newc_header.h"
#include "initramfs-gen/ramdisk_spec.h"
#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::initramfs {
namespace {

struct Member {
  NewcHeader header;
  std::string name, data;
};

/// The members of a newc archive, read with the toolkit's one header decoder.
std::vector<Member> members(const std::string& a) {
  std::vector<Member> out;
  size_t pos = 0;
  while (pos + kNewcHeaderSize <= a.size()) {
    auto h = decode_newc_header(std::string_view(a).substr(pos, kNewcHeaderSize));
    EXPECT_TRUE(h) << h.error().describe();
    if (!h) break;
    Member m{*h, a.substr(pos + kNewcHeaderSize, h->name_size - 1), ""};
    pos += kNewcHeaderSize + h->name_size;
    pos += (4 - pos % 4) % 4;
    m.data = a.substr(pos, h->file_size);
    pos += h->file_size;
    pos += (4 - pos % 4) % 4;
    out.push_back(m);
    if (m.name == kNewcTrailer) break;
  }
  return out;
}

TEST(ConfigOverlay, EtcAndItsConfOwnedByRoot) {
  auto a = config_overlay("zfcpdump.disk=wwid:naa.1\n", 0);
  ASSERT_TRUE(a) << a.error().describe();
  const auto m = members(*a);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].name, "etc");
  EXPECT_EQ(m[0].header.mode, 040755u);
  EXPECT_EQ(m[1].name, "etc/zfcpdump.conf");
  EXPECT_EQ(m[1].header.mode, 0100644u);
  EXPECT_EQ(m[1].header.uid, 0u);
  EXPECT_EQ(m[1].header.nlink, 1u) << "never taken for a hard link";
  EXPECT_EQ(m[1].data, "zfcpdump.disk=wwid:naa.1\n");
  EXPECT_EQ(m[2].name, kNewcTrailer);
  EXPECT_EQ(a->size() % 4, 0u);
  EXPECT_FALSE(config_overlay(std::string(kMaxConfigBytes + 1, 'x'), 0));
}

TEST(ConfigOverlay, AppendedAtAnAlignedOffsetBehindTheRamdisk) {
  testsupport::TempDir d;
  {
    std::ofstream(d.file("base"), std::ios::binary) << std::string(1000, '\x1f');
  }
  auto size = write_ramdisk_with_overlay(d.file("base"), "a=b\n", d.file("out"));
  ASSERT_TRUE(size) << size.error().describe();
  const std::string out = util::read_file(d.file("out"), size_t{1} << 30).value_or("");
  ASSERT_EQ(out.size(), *size);
  EXPECT_EQ(*size, *ramdisk_with_overlay_bytes(1000, "a=b\n")) << "the size told before writing";
  EXPECT_EQ(out.substr(0, 1000), std::string(1000, '\x1f'));
  EXPECT_EQ(out.substr(1000, 24), std::string(24, '\0'));
  const auto m = members(out.substr(1024));
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1].data, "a=b\n");
  EXPECT_FALSE(write_ramdisk_with_overlay(d.file("missing"), "a=b\n", d.file("x")));
  EXPECT_FALSE(std::ifstream(d.file("x")).good()) << "nothing left behind";
}

}  // namespace
}  // namespace zk::initramfs
