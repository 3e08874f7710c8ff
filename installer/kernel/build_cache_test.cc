// SPDX-License-Identifier: MIT
#include "installer/kernel/build_cache.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "installer/kernel/cached_build.h"
#include "installer/kernel/fake_kernel_tree.h"

namespace zk::installer::kernel {
namespace {

using testing::FakeKernelTree;
namespace fs = std::filesystem;

CacheKeyInputs base_inputs() {
  return {"6.1.192",
          "linux-source-6.1.tar.xz size 1 mtime 2.0",
          "zfcpdump_defconfig",
          {"CONFIG_A=y\n"},
          "bzImage",
          "s390x-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0"};
}

TEST(BuildCache, KeyNamesTheVersionAndHashesEverything) {
  const std::string key = cache_key(base_inputs());
  ASSERT_EQ(key.size(), std::string("6.1.192-").size() + 16);
  EXPECT_TRUE(key.starts_with("6.1.192-"));
  EXPECT_EQ(key, cache_key(base_inputs())) << "stable";
  std::vector<CacheKeyInputs> variants(7, base_inputs());
  variants[0].source_version = "6.1.193";
  variants[1].source_identity = "linux-source-6.1.tar.xz size 1 mtime 3.0";
  variants[2].defconfig = "defconfig";
  variants[3].fragment_contents = {"CONFIG_A=m\n"};
  variants[4].fragment_contents = {"CONFIG_A=y\n", ""};
  variants[5].target = "vmlinux";
  variants[6].toolchain = "s390x-linux-gnu-gcc (Debian 13) 13";
  for (const auto& v : variants) EXPECT_NE(cache_key(v), key);
  // Field boundaries matter: moving bytes between fragments changes the key.
  auto a = base_inputs(), b = base_inputs();
  a.fragment_contents = {"ab", "c"};
  b.fragment_contents = {"a", "bc"};
  EXPECT_NE(cache_key(a), cache_key(b));
}

TEST(BuildCache, RootFromEnvironment) {
  const char* old = std::getenv("ZFCPDUMP_KIT_CACHE");
  const std::string saved = old ? old : "";
  ::setenv("ZFCPDUMP_KIT_CACHE", "/somewhere/cache", 1);
  EXPECT_EQ(default_cache_root().value_or(""), "/somewhere/cache");
  ::unsetenv("ZFCPDUMP_KIT_CACHE");
  EXPECT_EQ(default_cache_root().value_or(""),
            std::string(std::getenv("HOME")) + "/.cache/zfcpdump-kit");
  if (old) ::setenv("ZFCPDUMP_KIT_CACHE", saved.c_str(), 1);
}

TEST(BuildCache, StoreThenFind) {
  testsupport::TempDir dir;
  fs::create_directories(dir.file("out"));
  BuildArtifacts built{dir.file("out/bzImage"), dir.file("out/vmlinux"), dir.file("out/.config"),
                       dir.file("out/log"), "6.1.192"};
  for (const auto* p : {&built.image, &built.vmlinux, &built.config, &built.log})
    FakeKernelTree::put(*p, *p);
  EXPECT_FALSE(find_cached_build(dir.file("entry")).has_value());
  auto stored = store_build(built, dir.file("entry"), "bzImage", /*move=*/true);
  ASSERT_TRUE(stored.has_value()) << stored.error().describe();
  EXPECT_EQ(stored->image, dir.file("entry/bzImage"));
  EXPECT_EQ(stored->config, dir.file("entry/config"));
  EXPECT_EQ(stored->log, dir.file("entry/build.log"));
  EXPECT_EQ(stored->release, "6.1.192");
  EXPECT_EQ(FakeKernelTree::read(stored->vmlinux), built.vmlinux);
  EXPECT_FALSE(fs::exists(built.vmlinux)) << "moved, not copied";
  auto found = find_cached_build(dir.file("entry"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->vmlinux, stored->vmlinux);
  fs::remove(dir.file("entry/vmlinux"));
  EXPECT_FALSE(find_cached_build(dir.file("entry")).has_value()) << "an incomplete entry is no hit";
}

TEST(BuildCache, BuildsOnceThenReuses) {
  FakeKernelTree t;
  FakeKernelTree::put(t.file("frag"), "CONFIG_RD_XZ=y\n");
  CachedBuildRequest r;
  r.source_dir = t.src();
  r.source_identity = "test tree";
  r.fragments = {t.file("frag")};
  r.cache_root = t.file("cache");
  r.toolchain = Toolchain{"s390", "fake-"};
  auto first = build_or_reuse(r);
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  EXPECT_FALSE(first->from_cache);
  EXPECT_TRUE(first->key.starts_with("6.1.192-"));
  EXPECT_EQ(first->entry_dir, t.file("cache") + "/kernel/" + first->key);
  EXPECT_EQ(first->artifacts.image, first->entry_dir + "/bzImage");
  EXPECT_EQ(first->artifacts.release, "6.1.192");
  EXPECT_NE(FakeKernelTree::read(first->artifacts.log).find("### bzImage"), std::string::npos);
  EXPECT_FALSE(fs::exists(first->entry_dir + ".build")) << "the object tree is removed";
  const std::string calls = t.calls();

  auto second = build_or_reuse(r);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->key, first->key);
  EXPECT_EQ(second->artifacts.image, first->artifacts.image);
  EXPECT_EQ(t.calls(), calls) << "make was not run again";

  FakeKernelTree::put(t.file("frag"), "CONFIG_RD_XZ=y\nCONFIG_RD_ZSTD=y\n");
  auto changed = build_or_reuse(r);
  ASSERT_TRUE(changed.has_value());
  EXPECT_FALSE(changed->from_cache);
  EXPECT_NE(changed->key, first->key);
}

TEST(BuildCache, FailedBuildKeepsItsDirectoryAndLog) {
  FakeKernelTree t;
  ::setenv("FAKE_MAKE_FAIL", "1", 1);
  CachedBuildRequest r;
  r.source_dir = t.src();
  r.cache_root = t.file("cache");
  r.toolchain = Toolchain{"s390", "fake-"};
  auto failed = build_or_reuse(r);
  ASSERT_FALSE(failed.has_value());
  const std::string& m = failed.error().message;
  const size_t at = m.find("the whole log is ");
  ASSERT_NE(at, std::string::npos) << m;
  const std::string log = m.substr(at + 17, m.find(',', at) - at - 17);
  EXPECT_TRUE(fs::exists(log)) << log;
  EXPECT_NE(log.find(".build/"), std::string::npos);
  for (const auto& e : fs::directory_iterator(t.file("cache/kernel")))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
}

}  // namespace
}  // namespace zk::installer::kernel
