// SPDX-License-Identifier: MIT
// run_disk against a system::HostDouble: the disk and everything the kernel says about it are
// in memory, zipl is a function the test gives (a test double: the real zipl runs in
// tests/integration/installer_disk_in_guest, libfdisk and libblkid on images in
// tests/installer/disk_on_image.sh). The layout and the registry are real files below --root.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "installer/commands/command.h"
#include "installer/commands/command_test_util.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/host_double.h"
#include "installer/system/run_with_file.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::installer::commands {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;

using testing::slurp;

class DiskCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_sha_ = install_layout_with(std::string(20 * 1024, '\0'), "");
    ASSERT_FALSE(manifest_sha_.empty());

    disk_ = system::scsi_disk_sda(64 * kMiB);
    host_.members["/dev/sda"] = {{"sda", "8:0", "/dev/sda", std::nullopt}};
    host_.partition_nodes["/dev/sda/1"] = "/dev/sda1";
    host_.stable_names["/dev/sda"] = "/dev/disk/by-id/scsi-3600507630bffc3200000000000001700";
    host_.memory = system::MemoryInfo{256 * kMiB, 16, 8};  // 4 GiB, 2 GiB online
    host_.cpus = "0-3\n";
    host_.programs = {"zipl"};
  }

  std::string root() const { return dir_.file("root"); }
  std::string registry_path() const { return root() + config_.registry; }

  /// Installs the layout (again) with `ramdisk` as its ramdisk's bytes and `dumper_params`
  /// baked; returns its manifest's digest (empty, and a failure, when it cannot).
  std::string install_layout_with(const std::string& ramdisk, const std::string& dumper_params) {
    testsupport::make_zero_file(dir_.file("kernel"), 200 * 1024);
    {
      std::ofstream(dir_.file("initrd"), std::ios::binary) << ramdisk;
    }
    layout::LayoutInput in;
    in.root = root();
    in.kernel_image_path = dir_.file("kernel");
    in.ramdisk_path = dir_.file("initrd");
    in.dumper_version = "test";
    in.compressor = "gzip";
    in.dumper_params = dumper_params;
    auto made = layout::install_layout(in);
    EXPECT_TRUE(made) << made.error().describe();
    return made ? made->manifest_sha256 : std::string();
  }

  testing::Ran disk(std::vector<std::string> words) {
    words.insert(words.begin(), {"--root", root()});
    return testing::run_command(disk_spec(), run_disk_on, words, config_, host_);
  }

  /// The bytes zipl leaves on a 64 MiB disk with partition 1 from 1 MiB to the end.
  static std::vector<std::byte> zipl_made_disk(const testsupport::TempDir& dir) {
    testsupport::SyntheticDiskSpec spec;
    spec.disk_size = 64 * kMiB;
    testsupport::make_synthetic_dump_disk(dir.file("zipl-made.img"), spec);
    return slurp(dir.file("zipl-made.img"));
  }

  testsupport::TempDir dir_;
  Config config_;
  system::HostDouble host_;
  system::BlockDevice disk_;
  std::string manifest_sha_;
};

TEST_F(DiskCommand, DryRunShowsThePlanAndTouchesNothing) {
  host_.add_disk(disk_);
  auto ran = disk({"--dry-run", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitOk) << ran.err;
  EXPECT_TRUE(ran.json["ok"].get<bool>());
  EXPECT_EQ(ran.json["disk"], "/dev/sda");
  EXPECT_EQ(ran.json["memory"], 4 * kGiB);
  EXPECT_EQ(ran.json["partition"], 1);
  EXPECT_EQ(ran.json["partition_start"], kMiB);
  EXPECT_EQ(ran.json["partition_size"], 63 * kMiB);
  EXPECT_EQ(ran.json["plan_label"], "dos");
  EXPECT_EQ(ran.json["zipl_command"], "zipl -d /dev/sda1");
  // --allow-small said so, and --root does not move what zipl reads.
  ASSERT_EQ(ran.json["warnings"].size(), 2u);
  EXPECT_EQ(ran.json["warnings"][0].get<std::string>().rfind("--allow-small: the dump area", 0),
            0u);
  EXPECT_EQ(ran.json["warnings"][1].get<std::string>().rfind("zipl reads the dump tool from", 0),
            0u);
  EXPECT_TRUE(host_.tables_written.empty());
  EXPECT_TRUE(host_.wiped.empty());
  EXPECT_TRUE(host_.commands_run.empty());
  EXPECT_TRUE(host_.questions.empty());
}

TEST_F(DiskCommand, ASmallDiskIsRefusedWithoutAllowSmall) {
  host_.add_disk(disk_);
  auto ran = disk({"--dry-run", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_FALSE(ran.json["ok"].get<bool>());
  ASSERT_EQ(ran.json["errors"].size(), 1u);
  EXPECT_NE(ran.json["errors"][0].get<std::string>().find("or --allow-small to accept it"),
            std::string::npos);
}

TEST_F(DiskCommand, ADiskInUseIsRefusedEvenWithForce) {
  host_.add_disk(disk_);
  host_.uses = {{"sda1", "is mounted on /boot", "unmount it"}};
  auto ran = disk({"--force", "--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_TRUE(ran.json["refused"].get<bool>());
  EXPECT_EQ(ran.json["errors"], cli::Json::array({"sda1 is mounted on /boot; unmount it"}));
  EXPECT_TRUE(host_.tables_written.empty());
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(DiskCommand, SignaturesAreRefusedWithoutForce) {
  host_.add_disk(disk_);
  host_.signatures["the disk"] = {{"the disk", "ext4", "filesystem", 0x438, 2, "data", ""}};
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_TRUE(ran.json["refused"].get<bool>());
  EXPECT_EQ(ran.json["signatures_found"].size(), 1u);
  EXPECT_EQ(ran.json["signatures_found"][0]["type"], "ext4");
  EXPECT_TRUE(host_.wiped.empty());
}

TEST_F(DiskCommand, APartitionOtherThanThePartitionOptionIsAUsageError) {
  disk_.given = "/dev/sda2";
  disk_.partition = 2;
  host_.add_disk(disk_);
  auto ran = disk({"--partition", "3", "/dev/sda2"});
  EXPECT_EQ(ran.status, kExitUsage);
  EXPECT_EQ(ran.json["errors"],
            cli::Json::array({"/dev/sda2 is partition 2, but --partition says 3"}));
}

TEST_F(DiskCommand, UnknownMemoryAsksForTheMemoryOption) {
  host_.add_disk(disk_);
  host_.memory.reset();
  auto ran = disk({"--dry-run", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_NE(ran.json["errors"][0].get<std::string>().find("give --memory SIZE"), std::string::npos);
  ran = disk({"--dry-run", "--allow-small", "--memory", "1G", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitOk) << ran.err;
  EXPECT_EQ(ran.json["memory"], kGiB);
}

TEST_F(DiskCommand, AMissingZiplIsFoundOutBeforeAnythingIsWritten) {
  host_.add_disk(disk_);
  host_.programs.clear();
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_NE(ran.json["errors"][0].get<std::string>().find("nothing was written"),
            std::string::npos);
  EXPECT_TRUE(host_.tables_written.empty());
}

TEST_F(DiskCommand, WithoutATerminalItNeedsYes) {
  host_.add_disk(disk_);
  auto ran = disk({"--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitUsage);
  EXPECT_EQ(host_.questions.size(), 1u);
  EXPECT_TRUE(host_.tables_written.empty());

  host_.consent = system::Consent::kRefused;
  ran = disk({"--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_EQ(ran.json["errors"], cli::Json::array({"cancelled: nothing was written"}));
  EXPECT_TRUE(host_.tables_written.empty());
}

TEST_F(DiskCommand, ZiplFailingEndsWithZiplsStatus) {
  host_.add_disk(disk_);
  host_.signatures["the disk"] = {{"the disk", "ext4", "filesystem", 0x438, 2, "", ""}};
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{5, 0}, "Error: Partition too small\n", false};
  };
  auto ran = disk({"--force", "--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, 5);
  EXPECT_FALSE(ran.json["ok"].get<bool>());
  EXPECT_EQ(ran.json["zipl_output"], "Error: Partition too small\n");
  EXPECT_EQ(ran.json["wiped"], cli::Json::array({"ext4 file system at byte 0x438 of the disk"}));
  ASSERT_EQ(host_.tables_written.size(), 1u);
  EXPECT_EQ(host_.tables_written[0].start, kMiB);
  EXPECT_EQ(host_.commands_run, std::vector<std::string>{"zipl -d /dev/sda1"});
  EXPECT_EQ(ran.json["partition_node"], "/dev/sda1");
}

TEST_F(DiskCommand, ZiplWritingTheToolIsVerifiedAndRegistered) {
  host_.add_disk(disk_);
  const auto made = zipl_made_disk(dir_);
  host_.on_run = [&made](const util::Command& cmd,
                         system::HostDouble& h) -> Result<util::CapturedRun> {
    EXPECT_TRUE(cmd.env.empty());  // a disk: no image environment
    h.bytes_of("/dev/sda") = made;
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_TRUE(ran.json["ok"].get<bool>());
  EXPECT_EQ(ran.json["dump_size"], 62 * kMiB);
  EXPECT_TRUE(ran.json["checksum_ok"].get<bool>());
  EXPECT_EQ(ran.json["registered_as"], host_.stable_names["/dev/sda"]);
  auto reg = state::load_registry(registry_path());
  ASSERT_TRUE(reg) << reg.error().describe();
  ASSERT_EQ(reg->disks.size(), 1u);
  EXPECT_EQ(reg->disks[0].disk, host_.stable_names["/dev/sda"]);
  EXPECT_EQ(reg->disks[0].manifest_sha256, manifest_sha_);
  EXPECT_EQ(reg->disks[0].dump_size, 62 * kMiB);

  // The same disk again: already a current dump disk, nothing done (3).
  host_.commands_run.clear();
  host_.alias(host_.stable_names["/dev/sda"], disk_);
  auto again = disk({"--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(again.status, 3);
  EXPECT_TRUE(again.json["refused"].get<bool>());
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(DiskCommand, ADiskWithAWwidGetsItsOwnRamdiskNamingIt) {
  disk_.wwid = "naa.600507630bffc3200000000000001700";
  host_.add_disk(disk_);
  const auto made = zipl_made_disk(dir_);
  // What zipl was given: the command, and the ramdisk bind-mounted over the layout's (read
  // while zipl "runs", as the file exists only then).
  std::vector<std::string> argv;
  std::string own_ramdisk;
  host_.on_run = [&](const util::Command& c, system::HostDouble& h) -> Result<util::CapturedRun> {
    argv = c.argv;
    if (argv.size() > 2) {
      own_ramdisk = util::read_file(argv[2], size_t{1} << 30).value_or("");
    }
    h.bytes_of("/dev/sda") = made;
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  // The shared ramdisk's defaults name another disk; this disk's copy names this one and keeps
  // the other defaults.
  const std::string shared = "shared ramdisk bytes";
  install_layout_with(
      shared, "zfcpdump.progress=1 zfcpdump.disk=wwid:naa.600507630bffc3200000000000009999");
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_EQ(ran.json["dumper_disk_choice"], "wwid:naa.600507630bffc3200000000000001700");
  EXPECT_EQ(ran.json["own_ramdisk"], true);
  EXPECT_EQ(ran.json["zipl_command"], "zipl -d /dev/sda1") << "told as the zipl it runs";

  ASSERT_EQ(argv.size(), 8u);
  EXPECT_EQ(argv[1], "__run-with-file");
  EXPECT_EQ(argv[3], root() + "/lib/s390-tools/zfcpdump/zfcpdump-initrd");
  EXPECT_EQ(std::vector<std::string>(argv.begin() + 4, argv.end()),
            (std::vector<std::string>{"--", "zipl", "-d", "/dev/sda1"}));
  // The shared ramdisk, padded, then a second archive with this disk's defaults.
  ASSERT_GT(own_ramdisk.size(), 512u);
  EXPECT_EQ(own_ramdisk.substr(0, shared.size()), shared);
  EXPECT_EQ(own_ramdisk.substr(512, 6), "070701");
  EXPECT_NE(own_ramdisk.find("etc/zfcpdump.conf"), std::string::npos);
  EXPECT_NE(own_ramdisk.find("\nzfcpdump.progress=1\n"), std::string::npos);
  EXPECT_NE(own_ramdisk.find("\nzfcpdump.disk=wwid:naa.600507630bffc3200000000000001700\n"),
            std::string::npos);
  EXPECT_EQ(own_ramdisk.find("9999"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(argv[2])) << "the copy is removed after zipl";
  const std::string warnings = ran.json["warnings"].dump();
  EXPECT_EQ(warnings.find("defaults name"), std::string::npos) << warnings;
  auto reg = state::load_registry(registry_path());
  ASSERT_TRUE(reg) << reg.error().describe();
  ASSERT_EQ(reg->disks.size(), 1u);
  EXPECT_EQ(reg->disks[0].wwid, "naa.600507630bffc3200000000000001700");
}

TEST_F(DiskCommand, ADumpLevelGoesIntoTheDisksOwnRamdiskAndTheRegistry) {
  host_.add_disk(disk_);  // no wwid: the ramdisk of its own carries the dump level alone
  const auto made = zipl_made_disk(dir_);
  std::string own_ramdisk;
  host_.on_run = [&](const util::Command& c, system::HostDouble& h) -> Result<util::CapturedRun> {
    if (c.argv.size() > 2) own_ramdisk = util::read_file(c.argv[2], size_t{1} << 30).value_or("");
    h.bytes_of("/dev/sda") = made;
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  install_layout_with("shared ramdisk bytes", "zfcpdump.progress=1 zfcpdump.dump_level=17");

  auto bad = disk({"--yes", "--allow-small", "--dump-level", "32", "/dev/sda"});
  EXPECT_EQ(bad.status, kExitUsage);
  EXPECT_NE(bad.err.find("is not a dump level (0 to 31"), std::string::npos) << bad.err;

  auto ran = disk({"--yes", "--allow-small", "--dump-level", "31", "/dev/sda"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_EQ(ran.json["own_ramdisk"], true);
  EXPECT_EQ(ran.json["dump_level"], 31);
  EXPECT_EQ(ran.json.find("dumper_disk_choice"), ran.json.end()) << "no wwid, no disk choice";
  EXPECT_NE(own_ramdisk.find("\nzfcpdump.progress=1\n"), std::string::npos);
  EXPECT_NE(own_ramdisk.find("\nzfcpdump.dump_level=31\n"), std::string::npos);
  EXPECT_EQ(own_ramdisk.find("zfcpdump.dump_level=17"), std::string::npos) << "the disk's wins";
  EXPECT_EQ(own_ramdisk.find("zfcpdump.disk="), std::string::npos);
  auto reg = state::load_registry(registry_path());
  ASSERT_TRUE(reg) << reg.error().describe();
  ASSERT_EQ(reg->disks.size(), 1u);
  EXPECT_EQ(reg->disks[0].dump_level, 31u);
}

TEST_F(DiskCommand, WhenZiplGetsTheSharedRamdiskTheReportSaysSo) {
  disk_.wwid = "naa.600507630bffc3200000000000001700";
  host_.add_disk(disk_);
  const auto made = zipl_made_disk(dir_);
  host_.on_run = [&](const util::Command&, system::HostDouble& h) -> Result<util::CapturedRun> {
    h.bytes_of("/dev/sda") = made;
    return util::CapturedRun{{0, 0},
                             std::string(system::kRunWithFileFallback) +
                                 " (unshare(CLONE_NEWNS): Operation not "
                                 "permitted); it gets the shared one\nDone.\n",
                             false};
  };
  install_layout_with(std::string(4096, '\0'), "");
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_EQ(ran.json["own_ramdisk"], false);
  EXPECT_NE(ran.json["warnings"].dump().find("zipl got the shared ramdisk"), std::string::npos)
      << ran.json["warnings"].dump();
}

TEST_F(DiskCommand, AMultipathMapsDumpconfIsARunningPathsAndTheOthersAreTold) {
  // What resolve_block_device makes of a map whose first path is offline (tested on a sysfs
  // tree in dumpconf_test): the command renders and tells it.
  disk_.driver = "device-mapper (multipath)";
  disk_.zfcp = system::ZfcpAttributes{"0.0.1800", "0x500507630310c562", "0x4010400000000000"};
  disk_.zfcp_path = "sdc";
  disk_.zfcp_alternatives = {
      {"sdb", "offline", {"0.0.1700", "0x500507630300c562", "0x4010400000000000"}}};
  host_.add_disk(disk_);
  const auto made = zipl_made_disk(dir_);
  host_.on_run = [&made](const util::Command&, system::HostDouble& h) -> Result<util::CapturedRun> {
    h.bytes_of("/dev/sda") = made;
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_EQ(ran.json["dumpconf_path"], "sdc");
  EXPECT_EQ(ran.json["dumpconf_alternatives"],
            "sdb (offline): DEVICE=0.0.1700 WWPN=0x500507630300c562 LUN=0x4010400000000000");
  const std::string conf = ran.json["dumpconf"];
  EXPECT_NE(conf.find("\nDEVICE=0.0.1800\nWWPN=0x500507630310c562\n"), std::string::npos) << conf;
  // In words (text mode), for the administrator.
  disk_.given = "/dev/sda";
  host_.bytes_of("/dev/sda") = std::vector<std::byte>(64 * kMiB);
  auto text = testing::run_command(
      disk_spec(), run_disk_on, {"--root", root(), "--yes", "--allow-small", "--force", "/dev/sda"},
      config_, host_, false);
  EXPECT_NE(text.out.find("of path sdc of the multipath map (SCSI state running)"),
            std::string::npos)
      << text.out << text.err;
  EXPECT_NE(text.out.find("if path sdc fails, set DEVICE, WWPN and LUN to one of them: sdb "
                          "(offline): DEVICE=0.0.1700"),
            std::string::npos)
      << text.out;
}

TEST_F(DiskCommand, ZiplSuccessWithoutTheToolIsAFailure) {
  host_.add_disk(disk_);
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 0}, "", false};  // says yes, writes nothing
  };
  auto ran = disk({"--yes", "--allow-small", "/dev/sda"});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_NE(ran.json["errors"].back().get<std::string>().find(
                "zipl reported success, but the disk does not hold"),
            std::string::npos);
  EXPECT_FALSE(state::load_registry(registry_path()).value().disks.size());
}

TEST_F(DiskCommand, AnImageStopsBeforeZiplUnlessZiplIsGiven) {
  disk_.given = disk_.disk_node = dir_.file("disk.img");
  disk_.is_image = true;
  disk_.driver = "image file";
  host_.add_disk(disk_);
  auto ran = disk({"--yes", "--allow-small", disk_.disk_node});
  EXPECT_EQ(ran.status, kExitOk) << ran.err;
  EXPECT_EQ(ran.json["stopped_before"], "zipl");
  EXPECT_EQ(host_.tables_written.size(), 1u);
  EXPECT_TRUE(host_.commands_run.empty());
}

}  // namespace
}  // namespace zk::installer::commands
