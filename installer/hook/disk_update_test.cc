// SPDX-License-Identifier: MIT
// The hook's work on one registered disk: the pure refusals, and update_disk against a
// system::HostDouble holding a disk laid out as zipl lays it out (tests/support's synthetic
// disk) with zipl as a test double. packaging_hooks runs the same path with fixture images
// the real zipl made and tests/installer/fake-zipl; packaging_hook_refresh_in_guest with the
// real zipl on a SCSI disk.
#include "installer/hook/disk_update.h"

#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "installer/commands/command_test_util.h"
#include "installer/system/host_double.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::installer::hook {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

using zk::installer::commands::testing::slurp;

state::DiskEntry entry() {
  return {"/dev/disk/by-id/scsi-3600507630bffc3200000000000001700",
          1,
          kMiB,
          63 * kMiB,
          62 * kMiB,
          "old"};
}

disk::ToolInspection valid_on(unsigned number, uint64_t start, uint64_t size) {
  disk::ToolInspection t;
  t.verdict = disk::ToolVerdict::kValid;
  t.tool = ondisk::DumpDisk{};
  t.partition = ondisk::Partition{number, start, size};
  return t;
}

TEST(HookDecisions, AToolThatIsGoneOrMovedIsRefused) {
  disk::ToolInspection none;
  none.problem = "no valid SCSI dump tool";
  auto r = refuse_tool(entry(), none, std::nullopt, "/dev/sda1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, DiskOutcome::kRefused);
  EXPECT_EQ(r->detail, "it no longer holds the dump tool zipl wrote: no valid SCSI dump tool");
  EXPECT_NE(r->remedy.find("zfcpdump-install disk --force --partition 1"), std::string::npos);

  auto moved = refuse_tool(entry(), valid_on(2, kMiB, 63 * kMiB), std::nullopt, "/dev/sda1");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->outcome, DiskOutcome::kRefused);
  EXPECT_NE(moved->detail.find("its dump tool is on partition 2"), std::string::npos);

  EXPECT_FALSE(refuse_tool(entry(), valid_on(1, kMiB, 63 * kMiB), std::nullopt, "/dev/sda1"));
}

TEST(HookDecisions, ADumpNotCopiedOffIsNeverOverwritten) {
  ondisk::DumpAreaState busy;
  busy.kind = ondisk::DumpAreaKind::kBusy;
  auto r = refuse_tool(entry(), valid_on(1, kMiB, 63 * kMiB), busy, "/dev/sda1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->detail, "it holds an interrupted dump");
  EXPECT_NE(r->remedy.find("zgetdump /dev/sda1 > dump.elf"), std::string::npos);
  ondisk::DumpAreaState empty;
  empty.kind = ondisk::DumpAreaKind::kEmpty;
  EXPECT_FALSE(refuse_tool(entry(), valid_on(1, kMiB, 63 * kMiB), empty, "/dev/sda1"));
}

TEST(HookDecisions, InUseOrWithoutANodeIsNotTouched) {
  auto used =
      refuse_use(entry(), {{"sda1", "is used as swap", "swapoff /dev/sda1"}}, "/dev/sda1", true);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->outcome, DiskOutcome::kRefused);
  EXPECT_EQ(used->detail, "sda1 is used as swap");
  auto missing = refuse_use(entry(), {}, "/dev/sda1", false);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->outcome, DiskOutcome::kMissing);
  EXPECT_EQ(missing->detail, "partition 1 has no device node (/dev/sda1)");
  EXPECT_FALSE(refuse_use(entry(), {}, "/dev/sda1", true));
}

TEST(HookDecisions, SummaryCountsCurrentAndUpdated) {
  std::vector<DiskUpdate> u(3);
  u[0].outcome = DiskOutcome::kCurrent;
  u[1].outcome = DiskOutcome::kUpdated;
  u[2].outcome = DiskOutcome::kFailed;
  auto s = summarize(u);
  EXPECT_EQ(s.current, 2u);
  EXPECT_FALSE(s.all_current);
  u.pop_back();
  EXPECT_TRUE(summarize(u).all_current);
  EXPECT_TRUE(summarize({}).all_current);
}

TEST(HookDecisions, StaleWhenAnyEntryIsNotTheLayouts) {
  state::Registry reg;
  EXPECT_FALSE(any_stale(reg, "new"));
  reg.disks = {entry()};
  EXPECT_TRUE(any_stale(reg, "new"));
  EXPECT_FALSE(any_stale(reg, "old"));
}

class UpdateDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    testsupport::SyntheticDiskSpec spec;
    spec.disk_size = 64 * kMiB;
    testsupport::make_synthetic_dump_disk(dir_.file("disk.img"), spec);
    dev_.given = entry().disk;
    dev_.disk_node = "/dev/sda";
    dev_.disk_name = "sda";
    dev_.driver = "sd";
    dev_.zipl_capable = true;
    dev_.size = 64 * kMiB;
    host_.add_disk(dev_, slurp(dir_.file("disk.img")));
    host_.partition_nodes["/dev/sda/1"] = "/dev/sda1";
    host_.nodes = {"/dev/sda1"};
    request_.manifest_sha256 = "new";
    request_.zipl = {"zipl", "configuration"};
  }
  testsupport::TempDir dir_;
  system::BlockDevice dev_;
  system::HostDouble host_;
  DiskUpdateRequest request_;
};

TEST_F(UpdateDisk, ACurrentDiskIsNotEvenOpened) {
  auto e = entry();
  e.manifest_sha256 = "new";
  auto u = update_disk(e, request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kCurrent);
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(UpdateDisk, ZiplRunsAndWhatItLeftIsVerified) {
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  auto u = update_disk(entry(), request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kUpdated) << u.detail;
  EXPECT_EQ(u.command, "zipl -d /dev/sda1");
  EXPECT_EQ(u.zipl_output, "Done.\n");
  EXPECT_EQ(u.entry.manifest_sha256, "new");
  EXPECT_EQ(u.entry.dump_size, 62 * kMiB);
  EXPECT_EQ(host_.commands_run, std::vector<std::string>{"zipl -d /dev/sda1"});
}

TEST_F(UpdateDisk, ARegisteredWwidGetsTheDisksOwnRamdiskAgain) {
  // As `disk` did: zipl gets this disk's copy of the layout ramdisk, naming it, with the
  // layout's other baked defaults.
  {
    std::ofstream(dir_.file("zfcpdump-initrd"), std::ios::binary) << "layout ramdisk";
  }
  request_.layout_initrd = dir_.file("zfcpdump-initrd");
  request_.dumper_params = "zfcpdump.action=poweroff";
  auto e = entry();
  e.wwid = "naa.6005076c0ffee000";
  std::vector<std::string> argv;
  std::string copy;
  host_.on_run = [&](const util::Command& c, system::HostDouble&) -> Result<util::CapturedRun> {
    argv = c.argv;
    copy = util::read_file(argv.at(2), size_t{1} << 30).value_or("");
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  auto u = update_disk(e, request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kUpdated) << u.detail;
  EXPECT_EQ(u.command, "zipl -d /dev/sda1");
  ASSERT_EQ(argv.size(), 8u);
  EXPECT_EQ(argv[1], "__run-with-file");
  EXPECT_EQ(argv[3], request_.layout_initrd);
  EXPECT_EQ(copy.substr(0, 14), "layout ramdisk");
  EXPECT_NE(copy.find("\nzfcpdump.action=poweroff\nzfcpdump.disk=wwid:naa.6005076c0ffee000\n"),
            std::string::npos);

  // Without a wwid the shared ramdisk, as before.
  argv.clear();
  auto plain = update_disk(entry(), request_, host_);
  EXPECT_EQ(plain.outcome, DiskOutcome::kUpdated) << plain.detail;
  EXPECT_EQ(argv, (std::vector<std::string>{"zipl", "-d", "/dev/sda1"}));
}

TEST_F(UpdateDisk, ZiplFailingIsAFailedDisk) {
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{1, 0}, "Error: busy\n", false};
  };
  auto u = update_disk(entry(), request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kFailed);
  EXPECT_EQ(u.detail, "zipl -d /dev/sda1 exited with status 1");
  EXPECT_EQ(u.zipl_output, "Error: busy\n");
  EXPECT_EQ(u.entry.manifest_sha256, "old");
}

TEST_F(UpdateDisk, ZiplThatCannotRunSaysWhatToInstall) {
  auto u = update_disk(entry(), request_, host_);  // no on_run: the program is not there
  EXPECT_EQ(u.outcome, DiskOutcome::kFailed);
  EXPECT_EQ(u.detail.rfind("cannot run zipl: ", 0), 0u) << u.detail;
  EXPECT_NE(u.remedy.find("install s390-tools"), std::string::npos);
}

TEST_F(UpdateDisk, ZiplThatDestroysTheToolIsCaught) {
  host_.on_run = [](const util::Command&, system::HostDouble& h) -> Result<util::CapturedRun> {
    auto& b = h.bytes_of("/dev/sda");
    std::fill(b.begin(), b.begin() + 512, std::byte{0});  // the boot record is gone
    return util::CapturedRun{{0, 0}, "", false};
  };
  auto u = update_disk(entry(), request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kFailed);
  EXPECT_EQ(u.detail.rfind(
                "zipl reported success, but the disk does not hold the dump tool it should: ", 0),
            0u)
      << u.detail;
}

TEST_F(UpdateDisk, AMissingDiskOrPartitionNode) {
  auto e = entry();
  e.disk = "/dev/disk/by-id/gone";
  auto u = update_disk(e, request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kMissing);
  EXPECT_EQ(u.remedy, "attach it and run zfcpdump-install hook refresh");

  host_.nodes.clear();
  auto n = update_disk(entry(), request_, host_);
  EXPECT_EQ(n.outcome, DiskOutcome::kMissing);
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(UpdateDisk, ADiskInUseIsLeftAlone) {
  host_.uses = {{"sda1", "is mounted on /mnt", "unmount it"}};
  auto u = update_disk(entry(), request_, host_);
  EXPECT_EQ(u.outcome, DiskOutcome::kRefused);
  EXPECT_EQ(u.detail, "sda1 is mounted on /mnt");
  EXPECT_TRUE(host_.commands_run.empty());
}

}  // namespace
}  // namespace zk::installer::hook
