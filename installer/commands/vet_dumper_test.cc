// SPDX-License-Identifier: MIT
// The dumper that goes into a ramdisk must be a static s390x program: judged on real programs
// (Debian's s390x busybox-static and makedumpfile from the sysroot scripts/setup prepares, this
// machine's own /bin/true), through the ramdisk command.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "installer/commands/command.h"
#include "installer/commands/command_test_util.h"
#include "installer/kernel/test_paths.h"
#include "installer/system/host_double.h"
#include "ondisk/program_kind.h"
#include "tests/support/temp_dir.h"

namespace zk::installer::commands {
namespace {

int ramdisk_on(Context& ctx, system::Host&) { return run_ramdisk(ctx); }

std::string sysroot_file(const std::string& rel) {
  const std::string p = kernel::testing::s390x_sysroot() + rel;
  if (!std::filesystem::exists(p))
    ADD_FAILURE() << "missing prerequisite: " << p << " (run scripts/setup)";
  return p;
}

TEST(ProgramKind, TellsAStaticS390xProgramFromTheOthers) {
  auto busybox = ondisk::read_program_kind(sysroot_file("/bin/busybox"));
  ASSERT_TRUE(busybox) << busybox.error().describe();
  EXPECT_TRUE(ondisk::is_static_s390x(*busybox));
  EXPECT_EQ(ondisk::describe_program(*busybox), "a static s390x program");

  auto dynamic = ondisk::read_program_kind(sysroot_file("/usr/bin/makedumpfile"));
  ASSERT_TRUE(dynamic) << dynamic.error().describe();
  EXPECT_FALSE(ondisk::is_static_s390x(*dynamic));
  EXPECT_EQ(ondisk::describe_program(*dynamic),
            "a dynamically linked program (interpreter /lib/ld64.so.1)");

  auto host = ondisk::read_program_kind("/bin/true");
  ASSERT_TRUE(host) << host.error().describe();
  EXPECT_FALSE(ondisk::is_static_s390x(*host));
  EXPECT_NE(ondisk::describe_program(*host).find("not s390x"), std::string::npos);

  testsupport::TempDir dir;
  std::ofstream(dir.file("script")) << "#!/bin/sh\nexit 0\n";
  auto script = ondisk::read_program_kind(dir.file("script"));
  ASSERT_FALSE(script);
  EXPECT_NE(script.error().describe().find("not an ELF program"), std::string::npos);
}

TEST(VetDumper, TheRamdiskCommandRefusesADynamicDumperUnlessForced) {
  testsupport::TempDir dir;
  Config config;
  system::HostDouble host;
  const std::string dynamic = sysroot_file("/usr/bin/makedumpfile");
  auto refused = testing::run_command(
      ramdisk_spec(), ramdisk_on,
      {"-o", dir.file("rd.img"), "--compress", "none", "--dumper", dynamic}, config, host, true);
  EXPECT_EQ(refused.status, kExitFailure);
  const std::string error = refused.json["errors"][0];
  EXPECT_NE(error.find("a dynamically linked program (interpreter /lib/ld64.so.1)"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("--force"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(dir.file("rd.img")));

  auto forced = testing::run_command(
      ramdisk_spec(), ramdisk_on,
      {"-o", dir.file("rd.img"), "--compress", "none", "--dumper", dynamic, "--force"}, config,
      host, true);
  EXPECT_EQ(forced.status, kExitOk) << forced.err;
  EXPECT_EQ(forced.json["warnings"].size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir.file("rd.img")));

  auto fine = testing::run_command(
      ramdisk_spec(), ramdisk_on,
      {"-o", dir.file("rd2.img"), "--compress", "none", "--dumper", sysroot_file("/bin/busybox")},
      config, host, true);
  EXPECT_EQ(fine.status, kExitOk) << fine.err;
  EXPECT_EQ(fine.json["warnings"].size(), 0u);
}

TEST(RamdiskCommand, ADryRunWritesNoFileAndTellsTheRealSizes) {
  testsupport::TempDir dir;
  Config config;
  system::HostDouble host;
  const std::string busybox = sysroot_file("/bin/busybox");
  auto dry = testing::run_command(
      ramdisk_spec(), ramdisk_on,
      {"-o", dir.file("rd.img"), "--compress", "gzip", "--dumper", busybox, "--dry-run"}, config,
      host, true);
  ASSERT_EQ(dry.status, kExitOk) << dry.err;
  EXPECT_TRUE(dry.json["dry_run"].get<bool>());
  EXPECT_EQ(dry.json["ramdisk"], dir.file("rd.img"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("rd.img")));
  auto real = testing::run_command(
      ramdisk_spec(), ramdisk_on,
      {"-o", dir.file("rd.img"), "--compress", "gzip", "--dumper", busybox}, config, host, true);
  ASSERT_EQ(real.status, kExitOk) << real.err;
  EXPECT_EQ(dry.json["size"], real.json["size"]);  // reproducible: the same bytes
  EXPECT_EQ(std::filesystem::file_size(dir.file("rd.img")), real.json["size"].get<uint64_t>());
}

}  // namespace
}  // namespace zk::installer::commands
