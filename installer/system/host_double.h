// SPDX-License-Identifier: MIT
#pragma once
/// A Host that keeps the machine in memory, for the commands' unit tests: disks are byte
/// vectors, sysfs facts are values a test sets, programs (zipl) are functions a test gives,
/// and everything the command did to the machine is recorded. A TEST DOUBLE: no real disk, no
/// real zipl; the integration suites (tests/installer, tests/integration) run the real ones.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "installer/system/host.h"

namespace zk::installer::system {

/// The disk the installer's tests work on: a zipl-capable SCSI disk /dev/sda ("sda", driver sd)
/// of `size` bytes, named `given` on the command line.
[[nodiscard]] BlockDevice scsi_disk_sda(uint64_t size, const std::string& given = "/dev/sda");

class HostDouble final : public Host {
 public:
  /// A disk (or image) at `dev.disk_node` holding `bytes` (its size is dev.size; shorter
  /// contents read as zeros). Resolving `dev.given`, or the node, gives `dev`.
  void add_disk(const BlockDevice& dev, std::vector<std::byte> bytes = {});
  /// The bytes of the disk at `node` as they are now.
  [[nodiscard]] const std::vector<std::byte>& bytes(const std::string& node) const;
  /// Makes `name` resolve to `dev` as well (a /dev/disk/by-id link, say).
  void alias(const std::string& name, const BlockDevice& dev) { devices_[name] = dev; }

  // The facts a test sets.
  std::map<std::string, std::vector<disk::Member>> members;        ///< by disk node
  std::vector<disk::Use> uses;                                     ///< of any member
  std::map<std::string, std::vector<disk::Signature>> signatures;  ///< by ProbeTarget::where
  std::vector<std::string> nodes;                                  ///< paths that exist
  std::map<std::string, std::string> partition_nodes;              ///< "<disk node>/<n>" -> node
  std::map<std::string, std::string> stable_names;                 ///< disk node -> name
  std::optional<MemoryInfo> memory;                                ///< nullopt: unreadable
  std::optional<std::string> cpus;                                 ///< sysfs cpu/possible
  std::vector<std::string> programs;                               ///< find_program finds these
  /// What running a program does (zipl: may write into the disk through `bytes_of`).
  std::function<Result<util::CapturedRun>(const util::Command&, HostDouble&)> on_run;
  /// What sysfs says of the HSA; nullopt: nothing (the default size, as on z14 and older).
  std::optional<Result<kernel::HsaSize>> hsa;
  Consent consent = Consent::kNoTerminal;
  std::time_t clock = 1700000000;

  /// For on_run: the disk's bytes, to write what a zipl would.
  std::vector<std::byte>& bytes_of(const std::string& node);

  // What the command did.
  std::vector<std::string> commands_run;  ///< Command::display()
  std::vector<std::string> wiped;         ///< ProbeTarget::where
  std::vector<disk::PartitionPlan> tables_written;
  std::vector<std::string> questions;  ///< consent asked

  Result<std::unique_ptr<util::File>> open_read(const std::string& path) override;
  Result<ReopenedDisk> open_uncached(const std::string& path) override;
  Result<BlockDevice> resolve_block_device(const std::string& path) override;
  std::string partition_node(const BlockDevice& disk, unsigned n) override;
  std::string stable_disk_path(const BlockDevice& disk) override;
  Result<std::vector<disk::Member>> disk_members(const BlockDevice& disk) override;
  Result<std::vector<disk::Use>> find_uses(const std::vector<disk::Member>& members) override;
  bool exists(const std::string& path) override;
  Result<MemoryInfo> memory_info() override;
  std::optional<std::string> possible_cpus() override;
  Result<kernel::HsaSize> hsa_size() override;
  Result<std::vector<disk::Signature>> find_signatures(const disk::ProbeTarget& target) override;
  Result<std::vector<disk::Signature>> wipe_signatures(const disk::ProbeTarget& target) override;
  Result<util::Fd> lock_disk(const std::string& path) override;
  Result<disk::WrittenTable> write_partition_table(const std::string& path,
                                                   const disk::PartitionPlan& plan) override;
  Result<std::string> wait_for_partition(const BlockDevice& disk, unsigned number, uint64_t start,
                                         uint64_t size) override;
  Result<std::string> find_program(const std::string& name) override;
  Result<util::CapturedRun> run(const util::Command& command) override;
  std::time_t now() override { return clock; }
  Consent ask_consent(const std::string& question) override;

 private:
  struct Disk {
    BlockDevice dev;
    std::shared_ptr<std::vector<std::byte>> bytes;
  };
  std::map<std::string, Disk> disks_;           ///< by disk node
  std::map<std::string, BlockDevice> devices_;  ///< by any name
};

}  // namespace zk::installer::system
