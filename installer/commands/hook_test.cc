// SPDX-License-Identifier: MIT
// run_hook against a system::HostDouble for the registered disks (zipl is a test double; the
// real one runs in tests/packaging/hook_refresh_in_guest), with the layout built for real
// below --root around Debian's s390x kernel and the dumper of this build.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "installer/commands/command.h"
#include "installer/commands/command_test_util.h"
#include "installer/kernel/test_paths.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/host_double.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"

namespace zk::installer::commands {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
const std::string kStale(64, '0');
const std::string kDiskName = "/dev/disk/by-id/scsi-3600507630bffc3200000000000001700";

using testing::slurp;

class HookCommand : public ::testing::Test {
 protected:
  std::string root() const { return dir_.file("root"); }

  /// The dumper of the host build is x86-64 and dynamic, so the hook runs with --force unless a
  /// test says otherwise (harmless for the s390x build's static dumper): what these tests
  /// judge is the layout and the disks.
  testing::Ran hook(std::vector<std::string> words, bool json = true, bool force = true) {
    words.insert(words.end(), {"--root", root()});
    if (force && (words[0] == "add" || words[0] == "refresh")) words.push_back("--force");
    return testing::run_command(hook_spec(), run_hook_on, words, config_, host_, json);
  }

  /// A layout around Debian's s390x kernel (from the sysroot scripts/setup prepares), the
  /// dumper of this build, and a registered disk whose tool is stale. False: a prerequisite
  /// is missing (the test has failed, saying which).
  bool prepare_layout_and_disk() {
    auto images = kernel::testing::sysroot_boot_files("vmlinuz-");
    if (images.empty()) {
      ADD_FAILURE() << "missing prerequisite: no boot/vmlinuz-*-s390x in "
                    << kernel::testing::s390x_sysroot() << " (run scripts/setup)";
      return false;
    }
    config_.dumper = ZK_TEST_DUMPER;
    testsupport::make_zero_file(dir_.file("initrd"), 4096);
    layout::LayoutInput in;
    in.root = root();
    in.kernel_image_path = images.back();
    in.ramdisk_path = dir_.file("initrd");
    in.dumper_version = "old";
    in.compressor = "gzip";
    in.kernel_release = "6.1.0-test-s390x";
    auto made = layout::install_layout(in);
    EXPECT_TRUE(made) << made.error().describe();
    if (!made) return false;

    testsupport::SyntheticDiskSpec spec;
    spec.disk_size = 64 * kMiB;
    testsupport::make_synthetic_dump_disk(dir_.file("disk.img"), spec);
    const system::BlockDevice dev = system::scsi_disk_sda(64 * kMiB, kDiskName);
    host_.add_disk(dev, slurp(dir_.file("disk.img")));
    host_.partition_nodes["/dev/sda/1"] = "/dev/sda1";
    host_.nodes = {"/dev/sda1"};
    host_.memory = system::MemoryInfo{16 * kMiB, 2, 2};  // 32 MiB: the tool's 62 MiB fit it
    state::Registry reg;
    reg.disks = {{kDiskName, 1, kMiB, 63 * kMiB, 62 * kMiB, kStale}};
    auto saved = state::save_registry(root() + config_.registry, reg);
    EXPECT_TRUE(saved) << saved.error().describe();
    return saved.has_value();
  }

  testsupport::TempDir dir_;
  Config config_;
  system::HostDouble host_;
};

TEST_F(HookCommand, AnotherKernelIsNothingToDoAndSaysNothing) {
  auto text = hook({"add", "6.1.0-50-s390x", "/boot/vmlinuz-6.1.0-50-s390x"}, false);
  EXPECT_EQ(text.status, kExitOk);
  EXPECT_EQ(text.out, "");
  EXPECT_EQ(text.err, "");
  auto json = hook({"add", "6.1.0-50-s390x", "/boot/vmlinuz-6.1.0-50-s390x"});
  EXPECT_EQ(json.status, kExitOk);
  EXPECT_EQ(json.json["action"], "add");
  EXPECT_EQ(json.json["done"], "nothing");
  EXPECT_TRUE(json.json["ok"].get<bool>());
}

TEST_F(HookCommand, UsageErrorsAre2) {
  EXPECT_EQ(hook({"frobnicate", "6.1-zfcpdump"}).status, kExitUsage);
  EXPECT_EQ(hook({"add", "6.1-zfcpdump"}).status, kExitUsage);
  EXPECT_EQ(hook({"refresh", "extra"}).status, kExitUsage);
  auto bad = hook({"add", "../6.1-zfcpdump", "/boot/x"});
  EXPECT_EQ(bad.status, kExitUsage);
  EXPECT_FALSE(bad.json["ok"].get<bool>());
}

TEST_F(HookCommand, AMissingImageIs1) {
  auto ran = hook({"add", "6.1-zfcpdump", dir_.file("no-such-image")});
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_FALSE(ran.json["ok"].get<bool>());
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(HookCommand, RefreshWithoutALayoutIsNothingToDo) {
  auto ran = hook({"refresh"});
  EXPECT_EQ(ran.status, kExitOk);
  EXPECT_EQ(ran.json["reason"], "no layout is installed");
}

TEST_F(HookCommand, RefreshBringsAStaleDiskInStep) {
  if (!prepare_layout_and_disk()) return;
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  auto ran = hook({"refresh", "--hsa-size", "1G"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_TRUE(ran.json["layout_changed"].get<bool>());
  EXPECT_EQ(ran.json["disks_current"], "1 of 1");
  ASSERT_EQ(ran.json["disks"].size(), 1u);
  EXPECT_EQ(ran.json["disks"][0]["outcome"], "updated");
  EXPECT_EQ(ran.json["disks"][0]["command"], "zipl -d /dev/sda1");
  EXPECT_EQ(host_.commands_run, std::vector<std::string>{"zipl -d /dev/sda1"});
  auto reg = state::load_registry(root() + config_.registry);
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->disks[0].manifest_sha256, ran.json["manifest_sha256"].get<std::string>());

  // Again: everything is current, nothing to do, and zipl does not run.
  host_.commands_run.clear();
  auto again = hook({"refresh", "--hsa-size", "1G"}, false);
  EXPECT_EQ(again.status, kExitOk);
  EXPECT_EQ(again.out, "");
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(HookCommand, ReziplRewritesACurrentDiskAndChangesNoLayout) {
  if (!prepare_layout_and_disk()) return;
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{0, 0}, "Done.\n", false};
  };
  ASSERT_EQ(hook({"refresh", "--hsa-size", "1G"}).status, kExitOk);  // the disk is current
  const auto manifest = slurp(root() + "/lib/s390-tools/zfcpdump/zfcpdump-kit.manifest");
  host_.commands_run.clear();

  // A new zipl: refresh has nothing to do, rezipl runs zipl on the current disk and verifies.
  EXPECT_EQ(hook({"refresh", "--hsa-size", "1G"}, false).out, "");
  EXPECT_TRUE(host_.commands_run.empty());
  auto ran = hook({"rezipl"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_EQ(ran.json["action"], "rezipl");
  ASSERT_EQ(ran.json["disks"].size(), 1u);
  EXPECT_EQ(ran.json["disks"][0]["outcome"], "updated");
  EXPECT_EQ(host_.commands_run, std::vector<std::string>{"zipl -d /dev/sda1"});
  EXPECT_EQ(slurp(root() + "/lib/s390-tools/zfcpdump/zfcpdump-kit.manifest"), manifest);
  EXPECT_EQ(hook({"rezipl", "extra"}).status, kExitUsage);
}

TEST_F(HookCommand, ReziplWithoutALayoutOrADiskIsNothingToDo) {
  auto ran = hook({"rezipl"});
  EXPECT_EQ(ran.status, kExitOk);
  EXPECT_EQ(ran.json["reason"], "no layout is installed");
  EXPECT_TRUE(host_.commands_run.empty());
}

TEST_F(HookCommand, RefreshRefusesADumperThatIsNotAStaticS390xProgram) {
  if (!prepare_layout_and_disk()) return;
  const auto manifest = slurp(root() + "/lib/s390-tools/zfcpdump/zfcpdump-kit.manifest");
  // Debian's s390x makedumpfile: dynamic, on the host build and the s390x one alike.
  const std::string dynamic = kernel::testing::s390x_sysroot() + "/usr/bin/makedumpfile";
  auto ran = hook({"refresh", "--hsa-size", "1G", "--dumper", dynamic}, true, false);
  EXPECT_EQ(ran.status, kExitFailure);
  EXPECT_NE(ran.json["errors"][0].get<std::string>().find("cannot run as /init"), std::string::npos)
      << ran.out;
  EXPECT_TRUE(host_.commands_run.empty());
  EXPECT_EQ(slurp(root() + "/lib/s390-tools/zfcpdump/zfcpdump-kit.manifest"), manifest);
}

TEST_F(HookCommand, ADryRunNamesWhatWouldChangeAndWritesNothing) {
  if (!prepare_layout_and_disk()) return;
  const std::string layout = root() + "/lib/s390-tools/zfcpdump";
  auto tree = [&] {
    std::string t;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root()))
      t += e.path().string() + " " +
           std::to_string(e.is_regular_file() ? testsupport::file_fingerprint(e.path()) : 0) + "\n";
    return t;
  };
  const std::string before = tree();
  auto ran = hook({"refresh", "--hsa-size", "1G", "--dry-run"});
  ASSERT_EQ(ran.status, kExitOk) << ran.err << ran.out;
  EXPECT_TRUE(ran.json["dry_run"].get<bool>());
  EXPECT_TRUE(ran.json["layout_changed"].get<bool>());  // the ramdisk would be rebuilt
  ASSERT_EQ(ran.json["disks"].size(), 1u);
  EXPECT_EQ(ran.json["disks"][0]["outcome"], "planned");
  EXPECT_TRUE(host_.commands_run.empty());
  EXPECT_EQ(tree(), before);  // no file below root changed, none was added (no lock file)

  auto rezipl = hook({"rezipl", "--dry-run"});
  ASSERT_EQ(rezipl.status, kExitOk) << rezipl.err;
  EXPECT_EQ(rezipl.json["disks"][0]["outcome"], "planned");
  EXPECT_TRUE(host_.commands_run.empty());
  EXPECT_EQ(tree(), before);
  EXPECT_EQ(hook({"remove", "6.1-zfcpdump", "--dry-run"}).status, kExitUsage);
}

TEST_F(HookCommand, ADiskZiplFailsOnIs4) {
  if (!prepare_layout_and_disk()) return;
  host_.on_run = [](const util::Command&, system::HostDouble&) -> Result<util::CapturedRun> {
    return util::CapturedRun{{1, 0}, "Error: busy\n", false};
  };
  auto ran = hook({"refresh", "--hsa-size", "1G"});
  EXPECT_EQ(ran.status, 4);
  EXPECT_FALSE(ran.json["ok"].get<bool>());
  EXPECT_EQ(ran.json["disks_current"], "0 of 1");
  EXPECT_EQ(ran.json["disks"][0]["outcome"], "failed");
  EXPECT_EQ(ran.json["disks"][0]["zipl_output"], "Error: busy\n");
  auto reg = state::load_registry(root() + config_.registry);
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->disks[0].manifest_sha256, kStale);
}

}  // namespace
}  // namespace zk::installer::commands
