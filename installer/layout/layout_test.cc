// SPDX-License-Identifier: MIT
#include "installer/layout/layout.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/read_file.h"

namespace zk::installer::layout {
namespace {

namespace fs = std::filesystem;

struct Inputs {
  testsupport::TempDir dir;
  LayoutInput in;
  Inputs() {
    EXPECT_TRUE(util::write_file_atomically(dir.file("image"), "kernel bytes"));
    EXPECT_TRUE(util::write_file_atomically(dir.file("rd"), "ramdisk bytes"));
    in.root = dir.file("root");
    in.kernel_image_path = dir.file("image");
    in.ramdisk_path = dir.file("rd");
    in.dumper_version = "0.1.0";
    in.compressor = "gzip";
  }
};

TEST(Layout, InstallsFilesLinksAndManifest) {
  Inputs t;
  auto r = install_layout(t.in);
  ASSERT_TRUE(r) << r.error().describe();
  const std::string d = t.dir.file("root") + "/lib/s390-tools/zfcpdump";
  EXPECT_EQ(r->dir, d);
  EXPECT_EQ(*util::read_file(d + "/zfcpdump-image", 100), "kernel bytes");
  EXPECT_EQ(*util::read_file(d + "/zfcpdump-initrd", 100), "ramdisk bytes");
  EXPECT_EQ(fs::read_symlink(d + "/zfcpdump.image"), "zfcpdump-image");
  EXPECT_EQ(fs::read_symlink(d + "/zfcpdump.rd"), "zfcpdump-initrd");
  auto m = read_installed_manifest(d);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->first.image_size, 12u);
  EXPECT_EQ(m->second, r->manifest_sha256);
  EXPECT_EQ(r->changed.size(), 5u);
}

TEST(Layout, RerunChangesNothing) {
  Inputs t;
  ASSERT_TRUE(install_layout(t.in));
  const std::string d = t.dir.file("root") + "/lib/s390-tools/zfcpdump";
  const auto before = fs::last_write_time(d + "/zfcpdump-image");
  auto r = install_layout(t.in);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed.empty());
  EXPECT_EQ(fs::last_write_time(d + "/zfcpdump-image"), before);
}

TEST(Layout, NewRamdiskReplacesOnlyWhatChanged) {
  Inputs t;
  auto first = install_layout(t.in);
  ASSERT_TRUE(first);
  ASSERT_TRUE(util::write_file_atomically(t.dir.file("rd"), "a newer ramdisk"));
  auto r = install_layout(t.in);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->changed, (std::vector<std::string>{"zfcpdump-initrd", "zfcpdump-kit.manifest"}));
  EXPECT_NE(r->manifest_sha256, first->manifest_sha256);
}

TEST(Layout, ConfigurableDirectoryAndMissingInput) {
  Inputs t;
  t.in.zfcpdump_dir = "/usr/lib/s390-tools/zfcpdump";
  ASSERT_TRUE(install_layout(t.in));
  EXPECT_TRUE(fs::exists(t.dir.file("root") + "/usr/lib/s390-tools/zfcpdump/zfcpdump-image"));
  t.in.kernel_image_path = t.dir.file("missing");
  auto r = install_layout(t.in);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("missing"), std::string::npos);
}

TEST(Layout, ValueTheManifestCannotHoldWritesNothing) {
  Inputs t;
  t.in.kernel_version = "6.1-zfcpdump\nimage.size=1";
  ASSERT_FALSE(install_layout(t.in));
  EXPECT_FALSE(fs::exists(t.dir.file("root") + "/lib/s390-tools/zfcpdump/zfcpdump-image"));
}

TEST(Layout, RemoveUndoesInstall) {
  Inputs t;
  t.in.kernel_version = "6.1-zfcpdump";
  ASSERT_TRUE(install_layout(t.in));
  const std::string d = t.dir.file("root") + "/lib/s390-tools/zfcpdump";
  ASSERT_TRUE(util::write_file_atomically(d + "/other", "not ours"));
  auto removed = remove_layout(d);
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_EQ(*removed,
            (std::vector<std::string>{"zfcpdump-kit.manifest", "zfcpdump.image", "zfcpdump.rd",
                                      "zfcpdump-initrd", "zfcpdump-image"}));
  EXPECT_TRUE(fs::exists(d + "/other"));
  EXPECT_FALSE(read_installed_manifest(d));
  auto again = remove_layout(d);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TEST(Layout, Dir) {
  EXPECT_EQ(layout_dir("/", "/lib/s390-tools/zfcpdump"), "/lib/s390-tools/zfcpdump");
  EXPECT_EQ(layout_dir("/stage/", "/lib/x"), "/stage/lib/x");
  EXPECT_EQ(layout_dir("/stage", "lib/x"), "/stage/lib/x");
}

}  // namespace
}  // namespace zk::installer::layout
