// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_build.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "installer/kernel/fake_kernel_tree.h"

namespace zk::installer::kernel {
namespace {

using testing::FakeKernelTree;

TEST(KernelBuild, ToolchainDependsOnTheHost) {
  EXPECT_EQ(toolchain_for_host("s390x").arch, "");
  EXPECT_EQ(toolchain_for_host("s390x").cross_compile, "");
  EXPECT_EQ(toolchain_for_host("x86_64").arch, "s390");
  EXPECT_EQ(toolchain_for_host("x86_64").cross_compile, "s390x-linux-gnu-");
  EXPECT_EQ(toolchain_for_host("aarch64").cross_compile, "s390x-linux-gnu-");
}

TEST(KernelBuild, MakeArgv) {
  BuildOptions o;
  o.source_dir = "/src/linux";
  o.build_dir = "/out/k/";
  EXPECT_EQ(make_argv(o, {"s390", "s390x-linux-gnu-"}, {"bzImage"}, 2),
            (std::vector<std::string>{"make", "-C", "/src/linux", "O=/out/k/", "ARCH=s390",
                                      "CROSS_COMPILE=s390x-linux-gnu-", "-j2", "bzImage"}));
  EXPECT_EQ(make_argv(o, {}, {"olddefconfig"}, 1),
            (std::vector<std::string>{"make", "-C", "/src/linux", "O=/out/k/", "olddefconfig"}));
}

TEST(KernelBuild, KbuildSteps) {
  EXPECT_TRUE(is_kbuild_step("  CC      init/main.o"));
  EXPECT_TRUE(is_kbuild_step("  HOSTCC  scripts/basic/fixdep"));
  EXPECT_TRUE(is_kbuild_step("  LD      vmlinux"));
  EXPECT_TRUE(is_kbuild_step("  OBJCOPY arch/s390/boot/vmlinux.bin"));
  EXPECT_FALSE(is_kbuild_step("make[1]: Entering directory '/out'"));
  EXPECT_FALSE(is_kbuild_step("  GEN"));
  EXPECT_FALSE(is_kbuild_step("init/main.c:12: error: x"));
  EXPECT_FALSE(is_kbuild_step("  cc      lower case"));
}

TEST(KernelBuild, AvailableCpus) { EXPECT_GE(available_cpus(), 1u); }

TEST(KernelBuild, FragmentsAppliedOrNot) {
  testsupport::TempDir dir;
  FakeKernelTree::put(dir.file(".config"),
                      "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_S=\"x\"\nCONFIG_N=0x1\n");
  FakeKernelTree::put(dir.file("f1"), "CONFIG_A=m\nCONFIG_N=0x1\n");
  FakeKernelTree::put(
      dir.file("f2"),
      "CONFIG_A=y\n# CONFIG_B is not set\n# CONFIG_ABSENT is not set\nCONFIG_S=\"x\"\n");
  auto ok = check_fragments_applied(dir.file(".config"), {dir.file("f1"), dir.file("f2")});
  ASSERT_TRUE(ok.has_value()) << ok.error().describe();
  EXPECT_TRUE(ok->empty()) << "f2 overrides f1's A=m; an unmentioned option is not set";
  FakeKernelTree::put(dir.file("f3"), "CONFIG_B=y\nCONFIG_GONE=y\nCONFIG_S=\"y\"\n");
  auto bad = check_fragments_applied(dir.file(".config"), {dir.file("f3")});
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->size(), 3u);
  EXPECT_EQ((*bad)[0].option, "CONFIG_B");
  EXPECT_EQ((*bad)[0].actual, "is not set");
  EXPECT_EQ((*bad)[1].option, "CONFIG_GONE");
  EXPECT_EQ((*bad)[1].actual, "absent");
  EXPECT_EQ((*bad)[2].requested, "\"y\"");
}

BuildOptions fake_options(const FakeKernelTree& t) {
  BuildOptions o;
  o.source_dir = t.src();
  o.build_dir = t.file("out");
  o.log_path = t.file("build.log");
  o.toolchain = Toolchain{"s390", "fake-"};
  o.jobs = 3;
  return o;
}

TEST(KernelBuild, RunsThePhasesInOrder) {
  FakeKernelTree t;
  FakeKernelTree::put(t.file("frag"), "CONFIG_RD_XZ=y\n");
  BuildOptions o = fake_options(t);
  o.fragments = {t.file("frag")};
  std::vector<std::string> phases;
  uint64_t image_steps = 0;
  o.progress = [&](const BuildProgress& p) {
    if (phases.empty() || phases.back() != p.phase) phases.emplace_back(p.phase);
    if (p.phase == "bzImage") image_steps = p.steps;
  };
  o.progress_interval = std::chrono::seconds(10);
  auto a = build_kernel(o);
  ASSERT_TRUE(a.has_value()) << a.error().describe();
  EXPECT_EQ(phases, (std::vector<std::string>{"zfcpdump_defconfig", "fragments", "olddefconfig",
                                              "bzImage"}));
  EXPECT_EQ(a->image, t.file("out") + "/arch/s390/boot/bzImage");
  EXPECT_EQ(a->vmlinux, t.file("out") + "/vmlinux");
  EXPECT_EQ(a->config, t.file("out") + "/.config");
  EXPECT_EQ(a->log, t.file("build.log"));
  EXPECT_EQ(a->release, "6.1.192");
  EXPECT_NE(FakeKernelTree::read(a->config).find("CONFIG_RD_XZ=y"), std::string::npos);
  const std::string calls = t.calls();
  EXPECT_NE(calls.find("-C " + t.src() + " O=" + t.file("out") +
                       " ARCH=s390 CROSS_COMPILE=fake- zfcpdump_defconfig\n"),
            std::string::npos)
      << calls;
  EXPECT_NE(calls.find("CROSS_COMPILE=fake- -j3 bzImage\n"), std::string::npos) << calls;
  const std::string log = FakeKernelTree::read(a->log);
  EXPECT_NE(log.find("### bzImage: make -C "), std::string::npos) << log;
  EXPECT_NE(log.find("  CC      init/main.o"), std::string::npos);
  EXPECT_NE(log.find("merged"), std::string::npos);
  EXPECT_EQ(image_steps, 3u) << "CC, AS, LD; not the make[1] line";
}

TEST(KernelBuild, CountsStepsForProgress) {
  FakeKernelTree t;
  BuildOptions o = fake_options(t);
  o.progress_interval = std::chrono::milliseconds(50);
  std::vector<uint64_t> seen;
  std::string last;
  o.progress = [&](const BuildProgress& p) {
    if (p.phase != "bzImage") return;
    if (seen.empty() || seen.back() != p.steps) seen.push_back(p.steps);
    last = p.last_step;
  };
  // Slow down the output so that ticks happen between the lines.
  FakeKernelTree::put(
      t.bin() + "/make",
      "#!/bin/sh\nfor a; do out=${a#O=}; [ \"$out\" != \"$a\" ] && o=$out; t=$a; done\n"
      "case $t in bzImage) echo '  CC      a.o'; sleep 0.2; echo '  LD      vmlinux'; "
      "sleep 0.2; mkdir -p $o/arch/s390/boot $o/include/config; : > $o/arch/s390/boot/bzImage; "
      ": > $o/vmlinux; echo 6.1.192 > $o/include/config/kernel.release;; "
      "*) : > $o/.config;; esac\n");
  auto a = build_kernel(o);
  ASSERT_TRUE(a.has_value()) << a.error().describe();
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 2}))
      << "reported while running, not only at the end";
  EXPECT_EQ(last, "LD      vmlinux");
}

TEST(KernelBuild, FailureCarriesTheLogTail) {
  FakeKernelTree t;
  ::setenv("FAKE_MAKE_FAIL", "1", 1);
  auto a = build_kernel(fake_options(t));
  ASSERT_FALSE(a.has_value());
  const std::string& m = a.error().message;
  EXPECT_NE(m.find("kernel build failed in bzImage: make -C"), std::string::npos) << m;
  EXPECT_NE(m.find("exited with status 2; the whole log is " + t.file("build.log")),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\n  error 30"), std::string::npos) << m;
  EXPECT_NE(m.find("\n  error 11\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("\n  error 10\n"), std::string::npos) << "only the last 20 lines: " << m;
  EXPECT_TRUE(std::filesystem::exists(t.file("build.log")));
}

TEST(KernelBuild, FragmentOptionsThatDidNotTakeAreAnError) {
  FakeKernelTree t;
  FakeKernelTree::put(t.file("frag"), "CONFIG_RD_XZ=y\nCONFIG_UNKNOWN_SYMBOL=y\n");
  BuildOptions o = fake_options(t);
  o.fragments = {t.file("frag")};
  auto a = build_kernel(o);
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().message.find("CONFIG_UNKNOWN_SYMBOL: requested y, got absent"),
            std::string::npos)
      << a.error().message;
  EXPECT_EQ(t.calls().find("bzImage"), std::string::npos) << "no image build after a bad config";
}

TEST(KernelBuild, MissingFragmentOrLog) {
  FakeKernelTree t;
  BuildOptions o = fake_options(t);
  o.fragments = {t.file("nope")};
  auto a = build_kernel(o);
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().message.find("does not exist"), std::string::npos);
  o.fragments.clear();
  o.log_path.clear();
  EXPECT_FALSE(build_kernel(o).has_value());
}

TEST(KernelBuild, ToolchainIdentity) {
  FakeKernelTree t;
  auto id = toolchain_identity({"s390", "fake-"});
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  EXPECT_EQ(*id, "fake-gcc (Fake 1.0) 1.0");
  auto none = toolchain_identity({"s390", "zk-missing-"});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("the kernel build needs zk-missing-gcc"), std::string::npos);
}

}  // namespace
}  // namespace zk::installer::kernel
