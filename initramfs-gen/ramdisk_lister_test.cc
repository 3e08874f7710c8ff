#include "initramfs-gen/ramdisk_lister.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <map>

#include "initramfs-gen/ramdisk_layout.h"
#include "initramfs-gen/ramdisk_writer.h"
#include "initramfs-gen/test_ramdisk.h"
#include "tests/support/temp_dir.h"

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
  if (!testing::have_tool("cpio") || !testing::have_tool("gzip")) FAIL() << "missing prerequisite (scripts/setup installs it): " << "no GNU cpio";
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

TEST(RamdiskLister, MissingFileCarriesErrno) {
  auto listed = list_ramdisk("/nonexistent-zk/ramdisk.img");
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().errnum, ENOENT);
  EXPECT_NE(listed.error().message.find("/nonexistent-zk/ramdisk.img"), std::string::npos);
}

TEST(RamdiskLister, NotAnArchiveIsAnError) {
  testsupport::TempDir dir;
  const auto path = dir.file("text");
  std::ofstream(path) << "this is not a cpio archive, not even a compressed one\n";
  auto listed = list_ramdisk(path);
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
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    auto listed = list_ramdisk(dir.file("half"));
    EXPECT_FALSE(listed);
  }
}

}  // namespace
}  // namespace zk::initramfs
