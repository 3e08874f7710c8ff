// SPDX-License-Identifier: MIT
// disk::DiskRun against a system::HostDouble (a TEST DOUBLE: the disk and everything the kernel
// says about it are in memory, zipl is a function the test gives; the real zipl, libfdisk and
// libblkid run in tests/installer and tests/integration). What each step finds or refuses is
// asserted on the outcome and on the events the job told, not on any text: the words are the
// renderer's (commands/disk_report.cc, whose output commands/disk_test.cc checks).
#include "installer/disk/disk_run.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "installer/commands/command_test_util.h"
#include "installer/config.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/host_double.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"

namespace zk::installer::disk {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

class DiskRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    install_layout(200 * 1024);
    disk_ = system::scsi_disk_sda(64 * kMiB);
    host_.members["/dev/sda"] = {{"sda", "8:0", "/dev/sda", std::nullopt}};
    host_.partition_nodes["/dev/sda/1"] = "/dev/sda1";
    host_.stable_names["/dev/sda"] = "/dev/disk/by-id/scsi-3600507630bffc3200000000000001700";
    host_.memory = system::MemoryInfo{256 * kMiB, 16, 8};  // 4 GiB
    host_.cpus = "0-3\n";
    host_.programs = {"zipl"};
    request_.options.device = "/dev/sda";
    request_.options.root = dir_.file("root");
    request_.options.allow_small = true;
    request_.options.yes = true;
    request_.registry = Config().registry;
  }

  /// A layout below --root whose kernel has `kernel_bytes`.
  void install_layout(size_t kernel_bytes) {
    testsupport::make_zero_file(dir_.file("kernel"), kernel_bytes);
    testsupport::make_zero_file(dir_.file("initrd"), 20 * 1024);
    layout::LayoutInput in;
    in.root = dir_.file("root");
    in.kernel_image_path = dir_.file("kernel");
    in.ramdisk_path = dir_.file("initrd");
    in.dumper_version = "test";
    in.compressor = "gzip";
    auto made = layout::install_layout(in);
    ASSERT_TRUE(made) << made.error().describe();
  }

  /// A zipl that writes the dump tool a real zipl leaves on a 64 MiB disk with partition 1.
  void zipl_writes_the_tool() {
    testsupport::SyntheticDiskSpec spec;
    spec.disk_size = 64 * kMiB;
    testsupport::make_synthetic_dump_disk(dir_.file("zipl-made.img"), spec);
    made_ = commands::testing::slurp(dir_.file("zipl-made.img"));
    host_.on_run = [this](const util::Command&,
                          system::HostDouble& h) -> Result<util::CapturedRun> {
      h.bytes_of("/dev/sda") = made_;
      return util::CapturedRun{{0, 0}, "Done.\n", false};
    };
  }

  DiskRun job() {
    return DiskRun(host_, request_,
                   [this](DiskEvent e, const DiskOutcome&) { events_.push_back(e); });
  }

  [[nodiscard]] bool told(DiskEvent e) const {
    return std::find(events_.begin(), events_.end(), e) != events_.end();
  }

  testsupport::TempDir dir_;
  system::HostDouble host_;
  system::BlockDevice disk_;
  DiskRequest request_;
  std::vector<DiskEvent> events_;
  std::vector<std::byte> made_;
};

TEST_F(DiskRunTest, ExamineReadsAndPlansButWritesNothing) {
  host_.add_disk(disk_);
  auto run = job();
  ASSERT_TRUE(run.examine()) << run.outcome().stop_reason;
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kNone);
  EXPECT_EQ(events_.front(), DiskEvent::kLooking);
  EXPECT_EQ(events_.back(), DiskEvent::kPlanned);
  EXPECT_EQ(o.target().number, 1u);
  EXPECT_EQ(o.target().start, kMiB);
  ASSERT_TRUE(o.new_table());
  EXPECT_EQ(o.zipl_target, "/dev/sda1");
  EXPECT_TRUE(o.runs_zipl);
  EXPECT_EQ(o.memory, 4ull << 30);
  EXPECT_EQ(o.cpus, 4u);
  EXPECT_TRUE(host_.tables_written.empty());
  EXPECT_TRUE(host_.wiped.empty());
  EXPECT_TRUE(host_.commands_run.empty());
  EXPECT_TRUE(host_.questions.empty());
}

TEST_F(DiskRunTest, ADeviceThatDoesNotResolveStopsBeforeTheFirstStep) {
  auto run = job();  // no disk added
  EXPECT_FALSE(run.examine());
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
  EXPECT_FALSE(run.outcome().stop_reason.empty());
  EXPECT_TRUE(events_.empty());
}

TEST_F(DiskRunTest, APartitionOtherThanTheOptionIsAUsageStopInStepOne) {
  disk_.given = "/dev/sda2";
  disk_.partition = 2;
  host_.add_disk(disk_);
  request_.options.device = "/dev/sda2";
  request_.options.partition = 3;
  auto run = job();
  EXPECT_FALSE(run.examine());
  EXPECT_EQ(run.outcome().stop, DiskStop::kUsage);
  EXPECT_EQ(events_, std::vector<DiskEvent>{DiskEvent::kLooking});
}

TEST_F(DiskRunTest, ARefusalIsToldByTheEventsAndStopsWithoutAReason) {
  host_.add_disk(disk_);
  host_.uses = {{"sda1", "is mounted on /boot", "unmount it"}};
  request_.options.force = true;
  auto run = job();
  EXPECT_FALSE(run.examine());
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kFailure);
  EXPECT_TRUE(o.stop_reason.empty());  // each refusal is in o.refusals, told at kJudged
  EXPECT_EQ(events_.back(), DiskEvent::kJudged);
  ASSERT_EQ(o.judgement.blocking.size(), 1u);
  EXPECT_EQ(o.judgement.blocking[0].kind, RefusalKind::kInUse);
}

TEST_F(DiskRunTest, ForceKeepsTheSignaturesToWipeForStepFour) {
  host_.add_disk(disk_);
  host_.signatures["the disk"] = {{"the disk", "ext4", "filesystem", 0x438, 2, "", ""}};
  request_.options.force = true;
  auto run = job();
  ASSERT_TRUE(run.examine()) << run.outcome().stop_reason;
  ASSERT_EQ(run.outcome().to_wipe.size(), 1u);
  EXPECT_EQ(run.outcome().to_wipe[0].type, "ext4");
  EXPECT_TRUE(host_.wiped.empty());  // examine only planned it
}

TEST_F(DiskRunTest, UnknownMemoryStopsWhileSizing) {
  host_.add_disk(disk_);
  host_.memory.reset();
  auto run = job();
  EXPECT_FALSE(run.examine());
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
  EXPECT_NE(run.outcome().stop_reason.find("give --memory SIZE"), std::string::npos);
  EXPECT_EQ(events_.back(), DiskEvent::kSizing);
}

TEST_F(DiskRunTest, ASmallAreaStopsWithThePlansRefusal) {
  host_.add_disk(disk_);
  request_.options.allow_small = false;
  auto run = job();
  EXPECT_FALSE(run.examine());
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kFailure);
  EXPECT_EQ(o.stop_reason, o.plan.refusal);
  EXPECT_TRUE(o.plan.small);
  EXPECT_EQ(events_.back(), DiskEvent::kSized);
}

TEST_F(DiskRunTest, AMissingZiplStopsBeforeThePlanIsComplete) {
  host_.add_disk(disk_);
  host_.programs.clear();
  auto run = job();
  EXPECT_FALSE(run.examine());
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
  EXPECT_NE(run.outcome().stop_reason.find("nothing was written"), std::string::npos);
  EXPECT_FALSE(told(DiskEvent::kPlanned));
}

TEST_F(DiskRunTest, WithoutYesTheHostIsAskedAndItsAnswerCounts) {
  host_.add_disk(disk_);
  request_.options.yes = false;
  auto run = job();
  ASSERT_TRUE(run.examine());
  EXPECT_FALSE(run.apply("may I?"));
  EXPECT_EQ(run.outcome().stop, DiskStop::kUsage);  // no terminal: nobody can say yes
  EXPECT_EQ(host_.questions, std::vector<std::string>{"may I?"});
  EXPECT_FALSE(told(DiskEvent::kPartitioning));

  host_.consent = system::Consent::kRefused;
  auto refused = job();
  ASSERT_TRUE(refused.examine());
  EXPECT_FALSE(refused.apply("may I?"));
  EXPECT_EQ(refused.outcome().stop, DiskStop::kFailure);
  EXPECT_TRUE(host_.tables_written.empty());
}

TEST_F(DiskRunTest, ZiplFailingStopsWithItsStatusAfterPartitioning) {
  host_.add_disk(disk_);
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{5, 0}, "Error: Partition too small\n", false};
  };
  auto run = job();
  ASSERT_TRUE(run.examine());
  EXPECT_FALSE(run.apply(""));
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kZiplFailed);
  EXPECT_EQ(o.zipl_status, 5);
  EXPECT_EQ(o.install.stage, InstallStage::kZiplFailed);
  EXPECT_EQ(o.zipl_command, "zipl -d /dev/sda1");
  EXPECT_EQ(host_.tables_written.size(), 1u);
  EXPECT_EQ(events_.back(), DiskEvent::kZiplDone);
  EXPECT_FALSE(told(DiskEvent::kRegistering));
}

TEST_F(DiskRunTest, ZiplKilledByASignalIsAFailureWithoutAStatusOfItsOwn) {
  host_.add_disk(disk_);
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 9}, "", false};
  };
  auto run = job();
  ASSERT_TRUE(run.examine());
  EXPECT_FALSE(run.apply(""));
  EXPECT_EQ(run.outcome().install.stage, InstallStage::kZiplFailed);
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
}

TEST_F(DiskRunTest, ZiplSayingYesWithoutTheToolStopsBeforeRegistering) {
  host_.add_disk(disk_);
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 0}, "", false};
  };
  auto run = job();
  ASSERT_TRUE(run.examine());
  EXPECT_FALSE(run.apply(""));
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
  EXPECT_EQ(run.outcome().stop_reason.rfind("zipl reported success", 0), 0u);
  EXPECT_FALSE(told(DiskEvent::kRegistering));
  auto reg = state::load_registry(run.outcome().registry_path);
  ASSERT_TRUE(reg);
  EXPECT_TRUE(reg->disks.empty());
}

TEST_F(DiskRunTest, AVerifiedToolIsRegisteredAndEveryStepIsTold) {
  host_.add_disk(disk_);
  zipl_writes_the_tool();
  auto run = job();
  ASSERT_TRUE(run.examine());
  ASSERT_TRUE(run.apply("")) << run.outcome().stop_reason;
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kNone);
  EXPECT_EQ(o.dump_size, 62 * kMiB);
  EXPECT_EQ(o.stable, host_.stable_names["/dev/sda"]);
  EXPECT_EQ(o.zipl_target, "/dev/sda1");
  EXPECT_FALSE(o.dev.zfcp);  // not an FCP LUN: step 9 ends at once
  EXPECT_EQ(events_.back(), DiskEvent::kDumpconf);
  for (auto e : {DiskEvent::kPartitioning, DiskEvent::kWipedAll, DiskEvent::kTableWritten,
                 DiskEvent::kPartitionReady, DiskEvent::kLayoutChecked, DiskEvent::kZiplDone,
                 DiskEvent::kRegistered, DiskEvent::kZiplConfSection})
    EXPECT_TRUE(told(e)) << static_cast<int>(e);
  auto reg = state::load_registry(o.registry_path);
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->disks.size(), 1u);
  EXPECT_EQ(reg->disks[0].manifest_sha256, o.installed.manifest_sha256);
  EXPECT_EQ(reg->disks[0].wwid, "");  // scsi_disk_sda has no device/wwid
}

TEST_F(DiskRunTest, TheDisksWwidIsRegisteredForTheDumpersChoice) {
  disk_.wwid = "naa.600507630bffc3200000000000001700";
  host_.add_disk(disk_);
  zipl_writes_the_tool();
  auto run = job();
  ASSERT_TRUE(run.examine());
  ASSERT_TRUE(run.apply("")) << run.outcome().stop_reason;
  auto reg = state::load_registry(run.outcome().registry_path);
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->disks.size(), 1u);
  EXPECT_EQ(reg->disks[0].wwid, "naa.600507630bffc3200000000000001700");
}

TEST_F(DiskRunTest, ALayoutChangedAfterThePlanStopsBeforeZipl) {
  host_.add_disk(disk_);
  zipl_writes_the_tool();
  auto run = job();
  ASSERT_TRUE(run.examine());
  install_layout(300 * 1024);  // a hook replaced the layout while the user read the plan
  EXPECT_FALSE(run.apply(""));
  EXPECT_EQ(run.outcome().stop, DiskStop::kFailure);
  EXPECT_NE(run.outcome().stop_reason.find("layout changed"), std::string::npos);
  EXPECT_EQ(events_.back(), DiskEvent::kCheckingLayout);
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(DiskRunTest, AnImageIsPartitionedAndStopsBeforeZipl) {
  disk_.given = disk_.disk_node = dir_.file("disk.img");
  disk_.is_image = true;
  disk_.driver = "image file";
  host_.add_disk(disk_);
  request_.options.device = disk_.disk_node;
  auto run = job();
  ASSERT_TRUE(run.examine());
  EXPECT_FALSE(run.outcome().runs_zipl);
  EXPECT_TRUE(run.apply(""));
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, DiskStop::kNone);
  EXPECT_TRUE(o.stopped_before_zipl);
  EXPECT_EQ(events_.back(), DiskEvent::kInstalling);
  EXPECT_EQ(host_.tables_written.size(), 1u);
  EXPECT_TRUE(host_.commands_run.empty());
}

}  // namespace
}  // namespace zk::installer::disk
