// SPDX-License-Identifier: MIT
#pragma once
/// The one seam between the installer's disk and hook commands and the machine (in the spirit
/// of ninja's DiskInterface and of util::File): every block device opened, every sysfs, /proc
/// and /dev fact, every program run (zipl), every partition table written, every signature
/// wiped, the clock and the user's consent go through a Host. RealHost delegates to the
/// functions that do it for real; tests hand the commands a HostDouble (host_double.h).
///
/// Files below --root (the layout, the registry, /etc/sysconfig/dumpconf) are not behind the
/// seam: tests point --root at a temporary directory, which is the real thing.

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/in_use.h"
#include "installer/disk/members.h"
#include "installer/disk/partitioner.h"
#include "installer/disk/signatures.h"
#include "installer/kernel/hsa.h"
#include "installer/system/block_device.h"
#include "installer/system/memory.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/file.h"
#include "util/process.h"

namespace zk::installer::system {

enum class Consent { kGiven, kRefused, kNoTerminal };

/// A disk opened to read what zipl just wrote through a partition's node.
struct ReopenedDisk {
  std::unique_ptr<util::File> file;
  bool flushed = true;  ///< false: the disk node's buffers could not be dropped (read anyway)
};

class Host {
 public:
  virtual ~Host() = default;

  /// Opens a block device or an image file for reading.
  virtual Result<std::unique_ptr<util::File>> open_read(const std::string& path) = 0;
  /// Opens `path` for reading after dropping what its node caches (BLKFLSBUF on a block
  /// device), since zipl wrote through the partition's node.
  virtual Result<ReopenedDisk> open_uncached(const std::string& path) = 0;

  /// system::resolve_block_device.
  virtual Result<BlockDevice> resolve_block_device(const std::string& path) = 0;
  /// system::partition_node.
  [[nodiscard]] virtual std::string partition_node(const BlockDevice& disk, unsigned n) = 0;
  /// disk::stable_disk_path: the name a disk is registered under.
  [[nodiscard]] virtual std::string stable_disk_path(const BlockDevice& disk) = 0;
  /// disk::disk_members.
  virtual Result<std::vector<disk::Member>> disk_members(const BlockDevice& disk) = 0;
  /// disk::find_uses of the members (mounts, swap, holders, exclusive opens).
  virtual Result<std::vector<disk::Use>> find_uses(const std::vector<disk::Member>& members) = 0;
  /// Whether a device node (or any path) exists.
  [[nodiscard]] virtual bool exists(const std::string& path) = 0;

  /// The memory this system can have online (sysfs memory blocks).
  virtual Result<MemoryInfo> memory_info() = 0;
  /// sysfs's list of possible CPUs ("0-63"), nullopt when it cannot be read.
  [[nodiscard]] virtual std::optional<std::string> possible_cpus() = 0;
  /// The HSA size sysfs tells (kernel::hsa_size without an override: the default when sysfs
  /// has none; an error when its file is there but unusable).
  virtual Result<kernel::HsaSize> hsa_size() = 0;

  /// disk::find_signatures and disk::wipe_signatures (libblkid).
  virtual Result<std::vector<disk::Signature>> find_signatures(const disk::ProbeTarget& target) = 0;
  virtual Result<std::vector<disk::Signature>> wipe_signatures(const disk::ProbeTarget& target) = 0;
  /// disk::lock_disk: held (the descriptor) while signatures are wiped and the table written.
  virtual Result<util::Fd> lock_disk(const std::string& path) = 0;
  /// disk::write_partition_table (libfdisk).
  virtual Result<disk::WrittenTable> write_partition_table(const std::string& path,
                                                           const disk::PartitionPlan& plan) = 0;
  /// disk::wait_for_partition: the node of the new partition once the kernel shows it.
  virtual Result<std::string> wait_for_partition(const BlockDevice& disk, unsigned number,
                                                 uint64_t start, uint64_t size) = 0;

  /// util::find_program: whether `name` can be run, before anything is written.
  virtual Result<std::string> find_program(const std::string& name) = 0;
  /// util::run_capture: runs a program (zipl) to its end and keeps what it said.
  virtual Result<util::CapturedRun> run(const util::Command& command) = 0;

  /// The wall clock (names backups).
  [[nodiscard]] virtual std::time_t now() = 0;
  /// Asks `question` on the terminal; only "yes" (or "y") gives consent.
  virtual Consent ask_consent(const std::string& question) = 0;
};

/// The machine itself, seen through `roots` (/sys, /dev, /proc; tests give a tree).
class RealHost final : public Host {
 public:
  explicit RealHost(SysRoots roots = {}) : roots_(std::move(roots)) {}

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
  std::time_t now() override;
  Consent ask_consent(const std::string& question) override;

 private:
  SysRoots roots_;
};

}  // namespace zk::installer::system
