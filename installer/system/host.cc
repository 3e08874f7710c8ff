// SPDX-License-Identifier: MIT
#include "installer/system/host.h"

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

#include "installer/disk/disk_lock.h"
#include "installer/disk/partition_wait.h"
#include "installer/disk/stable_path.h"
#include "util/posix_file.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::system {

/// sysfs's CPU list is one short line; anything longer is not it.
inline constexpr size_t kCpuListMaxBytes = 4096;

Result<std::unique_ptr<util::File>> RealHost::open_read(const std::string& path) {
  auto file = util::PosixFile::open(path, util::OpenMode::kRead);
  if (!file) return std::unexpected(file.error());
  return std::unique_ptr<util::File>(std::move(*file));
}

Result<ReopenedDisk> RealHost::open_uncached(const std::string& path) {
  auto file = util::PosixFile::open(path, util::OpenMode::kRead);
  if (!file) return std::unexpected(file.error());
  ReopenedDisk d;
  if ((*file)->is_block_device() && ::ioctl((*file)->fd(), BLKFLSBUF, 0) != 0) d.flushed = false;
  d.file = std::move(*file);
  return d;
}

Result<BlockDevice> RealHost::resolve_block_device(const std::string& path) {
  return system::resolve_block_device(path, roots_);
}

std::string RealHost::partition_node(const BlockDevice& disk, unsigned n) {
  return system::partition_node(disk, n, roots_);
}

std::string RealHost::stable_disk_path(const BlockDevice& disk) {
  return disk::stable_disk_path(disk, roots_);
}

Result<std::vector<disk::Member>> RealHost::disk_members(const BlockDevice& disk) {
  return disk::disk_members(disk, roots_);
}

Result<std::vector<disk::Use>> RealHost::find_uses(const std::vector<disk::Member>& members) {
  return disk::find_uses(members, roots_);
}

bool RealHost::exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

Result<MemoryInfo> RealHost::memory_info() { return read_memory_info(roots_.sys); }

std::optional<std::string> RealHost::possible_cpus() {
  auto text = util::read_file(roots_.sys + "/devices/system/cpu/possible", kCpuListMaxBytes);
  if (!text) return std::nullopt;
  return *text;
}

Result<kernel::HsaSize> RealHost::hsa_size() { return kernel::hsa_size(roots_.sys, std::nullopt); }

Result<std::vector<disk::Signature>> RealHost::find_signatures(const disk::ProbeTarget& target) {
  return disk::find_signatures(target);
}

Result<std::vector<disk::Signature>> RealHost::wipe_signatures(const disk::ProbeTarget& target) {
  return disk::wipe_signatures(target);
}

Result<util::Fd> RealHost::lock_disk(const std::string& path) { return disk::lock_disk(path); }

Result<disk::WrittenTable> RealHost::write_partition_table(const std::string& path,
                                                           const disk::PartitionPlan& plan) {
  return disk::write_partition_table(path, plan);
}

Result<std::string> RealHost::wait_for_partition(const BlockDevice& disk, unsigned number,
                                                 uint64_t start, uint64_t size) {
  return disk::wait_for_partition(disk, number, start, size, roots_);
}

Result<std::string> RealHost::find_program(const std::string& name) {
  return util::find_program(name);
}

Result<util::CapturedRun> RealHost::run(const util::Command& command) {
  return util::run_capture(command);
}

std::time_t RealHost::now() { return std::time(nullptr); }

Consent RealHost::ask_consent(const std::string& question) {
  if (!::isatty(STDIN_FILENO)) return Consent::kNoTerminal;
  std::fflush(stdout);
  std::fprintf(stderr, "%s\nType 'yes' to continue: ", question.c_str());
  std::fflush(stderr);
  char line[64];
  if (!std::fgets(line, sizeof line, stdin)) return Consent::kRefused;
  const auto answer = util::trim(line);
  return answer == "yes" || answer == "y" ? Consent::kGiven : Consent::kRefused;
}

}  // namespace zk::installer::system
