// SPDX-License-Identifier: MIT
// hook::HookRun against a system::HostDouble for sysfs and the registered disks (a TEST DOUBLE:
// zipl is a function the test gives; the real one runs in tests/packaging), with the layout
// built for real below the root around Debian's s390x kernel and the dumper of this build.
// What the job found and did is asserted on its outcome and events, not on any text: the
// words are the renderer's (commands/hook_report.cc, whose output commands/hook_test.cc checks).
#include "installer/hook/hook_run.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "installer/commands/command_test_util.h"
#include "installer/config.h"
#include "installer/kernel/test_paths.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/host_double.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"

namespace zk::installer::hook {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
const std::string kStale(64, '0');
const std::string kDiskName = "/dev/disk/by-id/scsi-3600507630bffc3200000000000001700";

class HookRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    request_.root = dir_.file("root");
    request_.registry = Config().registry;
    request_.dumper = ZK_TEST_DUMPER;
    request_.configured_compress = "gzip";
    request_.zipl = {"zipl", "configuration"};
    request_.scratch_dir = dir_.file("scratch");
    std::filesystem::create_directories(request_.scratch_dir);
  }

  std::string registry_path() const { return request_.root + Config().registry; }

  /// A layout around Debian's s390x kernel made by hook add `kernel_version`, recording
  /// `hsa_size`. False: a prerequisite is missing (the test has failed, saying which).
  bool install_layout(uint64_t hsa_size, const std::string& kernel_version = "",
                      uint64_t kernel_memory = 0) {
    auto images = kernel::testing::sysroot_boot_files("vmlinuz-");
    if (images.empty()) {
      ADD_FAILURE() << "missing prerequisite: no boot/vmlinuz-*-s390x in "
                    << kernel::testing::s390x_sysroot() << " (run scripts/setup)";
      return false;
    }
    testsupport::make_zero_file(dir_.file("initrd"), 4096);
    layout::LayoutInput in;
    in.root = request_.root;
    in.kernel_image_path = images.back();
    in.ramdisk_path = dir_.file("initrd");
    in.dumper_version = "old";
    in.compressor = "gzip";
    in.kernel_release = "6.1.0-test-s390x";
    in.hsa_size = hsa_size;
    in.kernel_version = kernel_version;
    in.kernel_memory = kernel_memory;
    auto made = layout::install_layout(in);
    EXPECT_TRUE(made) << made.error().describe();
    return made.has_value();
  }

  /// A registered disk at /dev/sda whose tool is stale.
  void register_stale_disk() {
    testsupport::SyntheticDiskSpec spec;
    spec.disk_size = 64 * kMiB;
    testsupport::make_synthetic_dump_disk(dir_.file("disk.img"), spec);
    const system::BlockDevice dev = system::scsi_disk_sda(64 * kMiB, kDiskName);
    host_.add_disk(dev, commands::testing::slurp(dir_.file("disk.img")));
    host_.partition_nodes["/dev/sda/1"] = "/dev/sda1";
    host_.nodes = {"/dev/sda1"};
    host_.memory = system::MemoryInfo{16 * kMiB, 2, 2};
    state::Registry reg;
    reg.disks = {{kDiskName, 1, kMiB, 63 * kMiB, 62 * kMiB, kStale}};
    auto saved = state::save_registry(registry_path(), reg);
    ASSERT_TRUE(saved) << saved.error().describe();
  }

  HookRun job(const std::string& action) {
    request_.action = action;
    return HookRun(host_, request_,
                   [this](HookEvent e, const HookOutcome&) { events_.push_back(e); });
  }

  [[nodiscard]] bool told(HookEvent e) const {
    return std::find(events_.begin(), events_.end(), e) != events_.end();
  }

  testsupport::TempDir dir_;
  system::HostDouble host_;
  HookRequest request_;
  std::vector<HookEvent> events_;
};

TEST_F(HookRunTest, RefreshWithoutALayoutIsNothingToDo) {
  auto run = job("refresh");
  run.refresh();
  EXPECT_EQ(run.outcome().stop, HookStop::kNothingToDo);
  EXPECT_EQ(run.outcome().stop_reason, "no layout is installed");
  EXPECT_TRUE(events_.empty());
}

/// A 256 KiB stand-in for the dumper: these tests are about where the HSA budget comes from,
/// and the build's own dumper is 25 MiB under ASan, which no such budget holds.
std::string small_dumper(const testsupport::TempDir& dir) {
  testsupport::make_zero_file(dir.file("small-dumper"), 256 * 1024);
  return dir.file("small-dumper");
}

TEST_F(HookRunTest, WithoutAnHsaInSysfsTheInstalledLayoutsBudgetIsKept) {
  request_.dumper = small_dumper(dir_);
  if (!install_layout(48 * kMiB)) return;
  auto run = job("refresh");  // host_.hsa unset: sysfs has no HSA size, as on z14 and older
  run.refresh();
  const auto& o = run.outcome();
  ASSERT_TRUE(o.built) << o.stop_reason;
  EXPECT_EQ(o.built->hsa.source, kernel::HsaSource::kOverride);
  EXPECT_EQ(o.built->hsa.bytes, 48 * kMiB);
  EXPECT_TRUE(o.layout_changed);  // a new dumper in the ramdisk
  EXPECT_EQ(o.stop, HookStop::kNone);
  EXPECT_EQ(events_.front(), HookEvent::kLayoutBuilt);
}

TEST_F(HookRunTest, AnHsaSizeInSysfsIsNotOverriddenByTheInstalledLayouts) {
  // The kernel's size in memory measured when it was installed (the manifest's) is what the
  // refresh counts: Debian's compressed image alone would be estimated at four times its size.
  request_.dumper = small_dumper(dir_);
  if (!install_layout(48 * kMiB, "", 8 * kMiB)) return;
  host_.hsa = kernel::HsaSize{64 * kMiB, kernel::HsaSource::kSysfs, "sysfs (test double)"};
  auto run = job("refresh");
  run.refresh();
  const auto& o = run.outcome();
  ASSERT_TRUE(o.built) << o.stop_reason;
  EXPECT_NE(o.built->hsa.source, kernel::HsaSource::kOverride);
  EXPECT_EQ(o.built->needs.kernel, 8 * kMiB);
  EXPECT_EQ(o.built->needs.kernel_source, "as measured when the kernel was installed");
}

TEST_F(HookRunTest, AnUnusableHsaSizeOptionIsAUsageStopBeforeAnyBuild) {
  if (!install_layout(0)) return;
  request_.hsa_size = "0";
  auto run = job("refresh");
  run.refresh();
  EXPECT_EQ(run.outcome().stop, HookStop::kUsage);
  EXPECT_EQ(run.outcome().stop_reason, "invalid --hsa-size '0'");
  EXPECT_TRUE(events_.empty());
}

TEST_F(HookRunTest, AStaleDiskZiplFailsOnIsNotCurrentThoughTheLayoutIs) {
  if (!install_layout(0)) return;
  register_stale_disk();
  request_.hsa_size = "1G";
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{1, 0}, "Error: busy\n", false};
  };
  auto run = job("refresh");
  run.refresh();
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, HookStop::kDisksNotCurrent);
  EXPECT_TRUE(o.stop_reason.empty());  // the disk's problem is in its update, told at kDiskDone
  EXPECT_TRUE(o.registry_readable);
  EXPECT_TRUE(o.stale);
  ASSERT_EQ(o.updates.size(), 1u);
  EXPECT_EQ(o.updates[0].outcome, DiskOutcome::kFailed);
  EXPECT_EQ(o.summary.current, 0u);
  EXPECT_EQ(o.registered, 1u);
  EXPECT_EQ(events_, (std::vector<HookEvent>{HookEvent::kLayoutBuilt, HookEvent::kRegistryRead,
                                             HookEvent::kDiskDone, HookEvent::kDisksDone}));
}

TEST_F(HookRunTest, AnUnreadableRegistryLeavesTheDisksUnknown) {
  if (!install_layout(0)) return;
  request_.hsa_size = "1G";
  std::filesystem::create_directories(std::filesystem::path(registry_path()).parent_path());
  std::ofstream(registry_path()) << "not a registry\n";
  auto run = job("refresh");
  run.refresh();
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, HookStop::kDisksNotCurrent);
  EXPECT_FALSE(o.stop_reason.empty());
  EXPECT_FALSE(o.registry_readable);
  EXPECT_EQ(events_.back(), HookEvent::kRegistryRead);
}

TEST_F(HookRunTest, RemoveTakesOnlyTheLayoutItsKernelMade) {
  if (!install_layout(0, "6.1-zfcpdump")) return;
  register_stale_disk();
  auto other = job("remove");
  other.remove("6.2-zfcpdump");
  EXPECT_EQ(other.outcome().stop, HookStop::kNothingToDo);
  EXPECT_EQ(other.outcome().stop_reason, "the installed layout is that of kernel 6.1-zfcpdump");
  EXPECT_TRUE(events_.empty());

  auto run = job("remove");
  run.remove("6.1-zfcpdump");
  const auto& o = run.outcome();
  EXPECT_EQ(o.stop, HookStop::kNone);
  EXPECT_FALSE(o.removed.empty());
  EXPECT_EQ(o.disks_left, 1u);  // the disk keeps the tool zipl wrote
  EXPECT_EQ(events_, (std::vector<HookEvent>{HookEvent::kRemoving, HookEvent::kRemoved}));
  EXPECT_FALSE(std::filesystem::exists(o.dir + "/" + layout::kManifestName));
}

}  // namespace
}  // namespace zk::installer::hook
