// SPDX-License-Identifier: MIT
#include "installer/kernel/source_tree.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "installer/kernel/fake_kernel_tree.h"
#include "util/process.h"

namespace zk::installer::kernel {
using util::Command;
using util::run_command;
namespace {

using testing::FakeKernelTree;
namespace fs = std::filesystem;

TEST(SourceTree, ReadsTheMakefileVersion) {
  FakeKernelTree t;
  auto v = read_source_version(t.src());
  ASSERT_TRUE(v.has_value()) << v.error().describe();
  EXPECT_EQ(*v, "6.1.192");
  FakeKernelTree::put(t.src() + "/Makefile",
                      "VERSION = 6\nPATCHLEVEL = 8\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n");
  EXPECT_EQ(read_source_version(t.src()).value_or(""), "6.8.0-rc3");
}

TEST(SourceTree, RefusesWhatIsNotAnS390KernelTree) {
  FakeKernelTree t;
  fs::remove_all(t.src() + "/arch/s390");
  auto no_s390 = read_source_version(t.src());
  ASSERT_FALSE(no_s390.has_value());
  EXPECT_NE(no_s390.error().message.find("has no arch/s390"), std::string::npos);
  FakeKernelTree::put(t.src() + "/Makefile", "all:\n\techo hi\n");
  auto other = read_source_version(t.src());
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("not a Linux source tree"), std::string::npos);
  auto none = read_source_version(t.file("nowhere"));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().errnum, ENOENT);
}

/// A small tarball of the fake tree: linux-source-6.1/{Makefile,arch/s390/...}.
std::string make_tarball(const FakeKernelTree& t, const std::string& name) {
  fs::create_directories(t.file("stage"));
  fs::remove_all(t.file("stage/linux-source-6.1"));
  fs::copy(t.src(), t.file("stage/linux-source-6.1"), fs::copy_options::recursive);
  const std::string tar = t.file(name);
  auto st =
      run_command(Command{{"tar", "-cJf", tar, "-C", t.file("stage"), "linux-source-6.1"}, {}}, {});
  EXPECT_TRUE(st.has_value() && st->ok());
  return tar;
}

TEST(SourceTree, UnpacksOnceAndReuses) {
  FakeKernelTree t;
  const std::string tar = make_tarball(t, "linux-source-6.1.tar.xz");
  const std::string cache = t.file("cache");
  auto first = unpack_source_tarball(tar, cache);
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  EXPECT_TRUE(first->unpacked_now);
  EXPECT_EQ(first->version, "6.1.192");
  EXPECT_TRUE(first->dir.starts_with(cache + "/linux-source-6.1-")) << first->dir;
  EXPECT_TRUE(first->dir.ends_with("/linux-source-6.1")) << first->dir;
  EXPECT_TRUE(first->identity.starts_with("linux-source-6.1.tar.xz size ")) << first->identity;
  auto again = unpack_source_tarball(tar, cache);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->unpacked_now);
  EXPECT_EQ(again->dir, first->dir);
  // No temporary directories are left behind.
  for (const auto& e : fs::directory_iterator(cache))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();

  // Another tarball (here: same name, new mtime) is unpacked beside it.
  struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, tar.c_str(), times, 0), 0);
  auto newer = unpack_source_tarball(tar, cache);
  ASSERT_TRUE(newer.has_value());
  EXPECT_TRUE(newer->unpacked_now);
  EXPECT_NE(newer->dir, first->dir);
}

TEST(SourceTree, RefusesTarballsWithoutOneTree) {
  FakeKernelTree t;
  fs::create_directories(t.file("two/a"));
  fs::create_directories(t.file("two/b"));
  FakeKernelTree::put(t.file("two/a/Makefile"), "");
  FakeKernelTree::put(t.file("two/b/Makefile"), "");
  ASSERT_TRUE(run_command(
      Command{{"tar", "-cf", t.file("two.tar"), "-C", t.file("two"), "a", "b"}, {}}, {}));
  auto r = unpack_source_tarball(t.file("two.tar"), t.file("cache"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("more than one top-level directory"), std::string::npos);
  FakeKernelTree::put(t.file("garbage.tar"), "not a tarball at all");
  auto g = unpack_source_tarball(t.file("garbage.tar"), t.file("cache"));
  ASSERT_FALSE(g.has_value());
  EXPECT_NE(g.error().message.find("unpack " + t.file("garbage.tar") + ": tar -xf"),
            std::string::npos)
      << g.error().message;
  for (const auto& e : fs::directory_iterator(t.file("cache")))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  EXPECT_FALSE(unpack_source_tarball(t.file("missing.tar"), t.file("cache")).has_value());
}

}  // namespace
}  // namespace zk::installer::kernel
