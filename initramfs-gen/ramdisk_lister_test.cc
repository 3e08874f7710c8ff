// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_lister.h"

#include <cerrno>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "initramfs-gen/newc_header.h"
#include "initramfs-gen/ramdisk_layout.h"
#include "initramfs-gen/ramdisk_writer.h"
#include "initramfs-gen/test_ramdisk.h"
#include "tests/support/temp_dir.h"
#include "util/strings.h"

namespace zk::initramfs {
namespace {

using testing::kWritable;

TEST(RamdiskLister, RoundTripsWhatTheWriterWrote) {
  testsupport::TempDir dir;
  testing::write_fake_dumper(dir.file("dumper"), 300000);
  RamdiskSpec spec;
  spec.dumper_path = dir.file("dumper");
  spec.config_text = "dump_debug=3\n";
  spec.mtime = 1700000000;
  std::vector<RamdiskEntry> expected;
  for (const auto& p : plan_ramdisk(spec, 300000)) expected.push_back(p.entry);

  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    spec.compression = c;
    const auto path = dir.file("ramdisk-" + std::string(compression_name(c)));
    auto info = write_ramdisk(spec, path);
    ASSERT_TRUE(info) << info.error().describe();
    auto listed = list_ramdisk(path);
    ASSERT_TRUE(listed) << listed.error().describe();
    EXPECT_EQ(*listed, expected);
  }
}

TEST(RamdiskLister, ListsSymlinksAndSubdirectoriesFromGnuCpio) {
  if (!testing::have_tool("cpio") || !testing::have_tool("gzip"))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "no GNU cpio";
  testsupport::TempDir dir;
  const auto tree = dir.file("tree");
  ASSERT_TRUE(testing::run("mkdir -p '" + tree + "/usr/bin' && printf abc > '" + tree +
                           "/usr/bin/tool' && ln -s usr/bin '" + tree + "/bin'"));
  const auto archive = dir.file("other.cpio.gz");
  ASSERT_TRUE(testing::run("cd '" + tree + "' && find . | LC_ALL=C sort | cpio -o -H newc " +
                           "--quiet | gzip -n > '" + archive + "'"));
  auto listed = list_ramdisk(archive);
  ASSERT_TRUE(listed) << listed.error().describe();
  std::map<std::string, RamdiskEntry> by_path;  // GNU cpio stores "./bin" as "bin"
  for (const auto& e : *listed) by_path[e.path] = e;
  ASSERT_TRUE(by_path.count("bin"));
  EXPECT_EQ(by_path["bin"].type, EntryType::kSymlink);
  EXPECT_EQ(by_path["bin"].link_target, "usr/bin");
  ASSERT_TRUE(by_path.count("usr/bin/tool"));
  EXPECT_EQ(by_path["usr/bin/tool"].size, 3u);
  EXPECT_EQ(by_path["usr/bin"].type, EntryType::kDirectory);
}

/// One newc member as a writer lays it out: header, name, padding, data, padding.
std::string member(const std::string& name, uint32_t mode, const std::string& data,
                   uint32_t declared_size, uint32_t declared_name_size = 0) {
  const uint32_t name_size =
      declared_name_size ? declared_name_size : static_cast<uint32_t>(name.size() + 1);
  std::string m = util::format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 1u,
                               mode, 0u, 0u, 1u, 0u, declared_size, 0u, 0u, 0u, 0u, name_size, 0u);
  m += name;
  m += '\0';
  m.append(newc_padding(kNewcHeaderSize + name.size() + 1), '\0');
  m += data;
  m.append(newc_padding(data.size()), '\0');
  return m;
}

void write_text(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(RamdiskLister, ReadsChecksummedNewcFromGnuCpio) {
  if (!testing::have_tool("cpio"))
    FAIL() << "missing prerequisite (scripts/setup installs it): no GNU cpio";
  testsupport::TempDir dir;
  const auto tree = dir.file("tree");
  ASSERT_TRUE(testing::run("mkdir -p '" + tree + "/etc' && printf 12345 > '" + tree + "/etc/f'"));
  const auto archive = dir.file("crc.cpio");
  ASSERT_TRUE(testing::run(
      "cd '" + tree + "' && printf 'etc\\netc/f\\n' | cpio -o -H crc --quiet > '" + archive + "'"));
  auto listed = list_ramdisk(archive);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].path, "etc/f");
  EXPECT_EQ((*listed)[1].size, 5u);
}

// Fuzz finding 4 (fuzz/regressions/fuzz_ramdisk_lister/declared-name-size-572MB.cpio.gz): a
// header's name size decided what libarchive allocated. Now it is refused for what it is.
TEST(RamdiskLister, DeclaredNameSizeBeyondPathMaxIsRefused) {
  testsupport::TempDir dir;
  write_text(dir.file("a.cpio"),
             member("init", 0100755, "x", 1) + member("dev", 040755, "", 0, 0x22222222u));
  auto listed = list_ramdisk(dir.file("a.cpio"));
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("PATH_MAX"), std::string::npos) << listed.error().message;
  EXPECT_NE(listed.error().message.find("at byte 120"), std::string::npos)
      << listed.error().message;
}

TEST(RamdiskLister, SymlinkTargetBeyondPathMaxIsRefused) {
  testsupport::TempDir dir;
  write_text(dir.file("a.cpio"), member("bin", 0120777, "usr/bin", 0xfffffff0u));
  auto listed = list_ramdisk(dir.file("a.cpio"));
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("symlink bin"), std::string::npos)
      << listed.error().message;
}

// A declared data size is read through, not allocated: 4 GiB claimed in a 200-byte file is an
// archive that ends early.
TEST(RamdiskLister, DeclaredDataSizeBeyondTheFileEndsEarly) {
  testsupport::TempDir dir;
  write_text(dir.file("a.cpio"), member("init", 0100755, "abc", 0xffffffffu));
  auto listed = list_ramdisk(dir.file("a.cpio"));
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("ends in a member's data"), std::string::npos)
      << listed.error().message;
}

TEST(RamdiskLister, NameWithoutNulAndMissingTrailerAreErrors) {
  testsupport::TempDir dir;
  std::string bad = member("init", 0100755, "", 0);
  bad[kNewcHeaderSize + 4] = 'x';  // where the NUL was
  write_text(dir.file("a.cpio"), bad);
  auto listed = list_ramdisk(dir.file("a.cpio"));
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("does not end in NUL"), std::string::npos)
      << listed.error().message;
  write_text(dir.file("b.cpio"), member("init", 0100755, "", 0));  // no TRAILER!!!
  listed = list_ramdisk(dir.file("b.cpio"));
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("ends in a member's header"), std::string::npos)
      << listed.error().message;
  write_text(dir.file("c.cpio"), member("init", 0100755, "", 0) + member("TRAILER!!!", 0, "", 0));
  listed = list_ramdisk(dir.file("c.cpio"));
  ASSERT_TRUE(listed) << listed.error().describe();
  EXPECT_EQ(listed->size(), 1u);
}

TEST(RamdiskLister, MissingFileCarriesErrno) {
  auto listed = list_ramdisk("/nonexistent-zk/ramdisk.img");
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().errnum, ENOENT);
  EXPECT_NE(listed.error().message.find("/nonexistent-zk/ramdisk.img"), std::string::npos);
}

TEST(RamdiskLister, NotAnArchiveIsAnError) {
  testsupport::TempDir dir;
  const auto path = dir.file("text");
  std::ofstream(path) << "this is not a cpio archive, not even a compressed one, and it is longer "
                         "than the 110 bytes of one member's header\n";
  auto listed = list_ramdisk(path);
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find(path), std::string::npos) << listed.error().message;
  EXPECT_NE(listed.error().message.find("not a newc cpio header"), std::string::npos)
      << listed.error().message;
  write_text(path, "short");
  listed = list_ramdisk(path);
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("not a newc cpio archive"), std::string::npos)
      << listed.error().message;
  write_text(path, "");
  listed = list_ramdisk(path);
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find(path), std::string::npos) << listed.error().message;
}

TEST(RamdiskLister, TruncatedArchiveIsAnError) {
  testsupport::TempDir dir;
  testing::write_fake_dumper(dir.file("dumper"), 100000);
  RamdiskSpec spec;
  spec.dumper_path = dir.file("dumper");
  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    spec.compression = c;
    const auto path = dir.file("full");
    ASSERT_TRUE(write_ramdisk(spec, path));
    auto bytes = testing::read_bytes(path);
    bytes.resize(bytes.size() / 2);
    std::ofstream(dir.file("half"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    auto listed = list_ramdisk(dir.file("half"));
    EXPECT_FALSE(listed);
  }
}

}  // namespace
}  // namespace zk::initramfs
