// SPDX-License-Identifier: MIT
#include "installer/system/host_double.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/strings.h"

namespace zk::installer::system {
namespace {

/// A disk held in memory; reads past the stored bytes (but within the size) give zeros.
class MemoryDisk final : public util::File {
 public:
  MemoryDisk(std::string name, std::shared_ptr<std::vector<std::byte>> bytes, uint64_t size,
             bool block_device, uint32_t block_size)
      : name_(std::move(name)),
        bytes_(std::move(bytes)),
        size_(size),
        block_device_(block_device),
        block_size_(block_size) {}

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override {
    if (offset >= size_) return size_t{0};
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size_ - offset));
    std::fill_n(buf.begin(), n, std::byte{0});
    if (offset < bytes_->size()) {
      const size_t have = static_cast<size_t>(std::min<uint64_t>(n, bytes_->size() - offset));
      std::memcpy(buf.data(), bytes_->data() + offset, have);
    }
    return n;
  }
  Result<size_t> write_at(std::span<const std::byte>, uint64_t) override {
    return fail_errno(EBADF, "write " + name_ + " (opened for reading)");
  }
  Result<void> sync() override { return {}; }
  [[nodiscard]] uint64_t size() const override { return size_; }
  [[nodiscard]] const std::string& name() const override { return name_; }
  [[nodiscard]] uint32_t logical_block_size() const override {
    return block_device_ ? block_size_ : 512;
  }
  [[nodiscard]] bool is_block_device() const override { return block_device_; }

 private:
  std::string name_;
  std::shared_ptr<std::vector<std::byte>> bytes_;
  uint64_t size_;
  bool block_device_;
  uint32_t block_size_;
};

}  // namespace

BlockDevice scsi_disk_sda(uint64_t size, const std::string& given) {
  BlockDevice dev;
  dev.given = given;
  dev.disk_node = "/dev/sda";
  dev.disk_name = "sda";
  dev.driver = "sd";
  dev.zipl_capable = true;
  dev.size = size;
  return dev;
}

void HostDouble::add_disk(const BlockDevice& dev, std::vector<std::byte> bytes) {
  disks_[dev.disk_node] = {dev, std::make_shared<std::vector<std::byte>>(std::move(bytes))};
  devices_[dev.disk_node] = dev;
  if (!dev.given.empty()) devices_[dev.given] = dev;
}

const std::vector<std::byte>& HostDouble::bytes(const std::string& node) const {
  return *disks_.at(node).bytes;
}

std::vector<std::byte>& HostDouble::bytes_of(const std::string& node) {
  return *disks_.at(node).bytes;
}

Result<std::unique_ptr<util::File>> HostDouble::open_read(const std::string& path) {
  auto it = disks_.find(path);
  if (it == disks_.end()) return fail_errno(ENOENT, "open " + path);
  const auto& d = it->second;
  return std::unique_ptr<util::File>(std::make_unique<MemoryDisk>(
      path, d.bytes, d.dev.size, !d.dev.is_image, d.dev.logical_block_size));
}

Result<ReopenedDisk> HostDouble::open_uncached(const std::string& path) {
  auto file = open_read(path);
  if (!file) return std::unexpected(file.error());
  return ReopenedDisk{std::move(*file), true};
}

Result<BlockDevice> HostDouble::resolve_block_device(const std::string& path) {
  auto it = devices_.find(path);
  if (it == devices_.end()) return fail_errno(ENOENT, "stat " + path);
  return it->second;
}

std::string HostDouble::partition_node(const BlockDevice& disk, unsigned n) {
  auto it = partition_nodes.find(disk.disk_node + "/" + std::to_string(n));
  return it == partition_nodes.end() ? std::string() : it->second;
}

std::string HostDouble::stable_disk_path(const BlockDevice& disk) {
  auto it = stable_names.find(disk.disk_node);
  return it == stable_names.end() ? disk.disk_node : it->second;
}

Result<std::vector<disk::Member>> HostDouble::disk_members(const BlockDevice& disk) {
  auto it = members.find(disk.disk_node);
  return it == members.end() ? std::vector<disk::Member>() : it->second;
}

Result<std::vector<disk::Use>> HostDouble::find_uses(const std::vector<disk::Member>&) {
  return uses;
}

bool HostDouble::exists(const std::string& path) {
  return disks_.count(path) || std::find(nodes.begin(), nodes.end(), path) != nodes.end();
}

Result<MemoryInfo> HostDouble::memory_info() {
  if (!memory) return fail_errno(ENOENT, "open /sys/devices/system/memory (test double: none)");
  return *memory;
}

std::optional<std::string> HostDouble::possible_cpus() { return cpus; }

Result<kernel::HsaSize> HostDouble::hsa_size() {
  if (hsa) return *hsa;
  return kernel::HsaSize{kernel::kDefaultHsaBytes, kernel::HsaSource::kDefault,
                         "default (test double: no sysfs file)"};
}

Result<std::vector<disk::Signature>> HostDouble::find_signatures(const disk::ProbeTarget& target) {
  auto it = signatures.find(target.where);
  return it == signatures.end() ? std::vector<disk::Signature>() : it->second;
}

Result<std::vector<disk::Signature>> HostDouble::wipe_signatures(const disk::ProbeTarget& target) {
  wiped.push_back(target.where);
  auto it = signatures.find(target.where);
  if (it == signatures.end()) return std::vector<disk::Signature>();
  auto gone = std::move(it->second);
  signatures.erase(it);
  return gone;
}

Result<util::Fd> HostDouble::lock_disk(const std::string& path) {
  if (!disks_.count(path)) return fail_errno(ENOENT, "open " + path);
  return util::Fd();
}

Result<disk::WrittenTable> HostDouble::write_partition_table(const std::string& path,
                                                             const disk::PartitionPlan& plan) {
  if (!disks_.count(path)) return fail_errno(ENOENT, "open " + path);
  tables_written.push_back(plan);
  return disk::WrittenTable{{}, true, ""};
}

Result<std::string> HostDouble::wait_for_partition(const BlockDevice& disk, unsigned number,
                                                   uint64_t, uint64_t) {
  const std::string node = partition_node(disk, number);
  if (node.empty())
    return fail(util::format("partition %u of %s did not appear (test double)", number,
                             disk.disk_node.c_str()));
  return node;
}

Result<std::string> HostDouble::find_program(const std::string& name) {
  if (std::find(programs.begin(), programs.end(), name) == programs.end())
    return fail_errno(ENOENT, "find " + name);
  return name;
}

Result<util::CapturedRun> HostDouble::run(const util::Command& command) {
  commands_run.push_back(command.display());
  if (!on_run) return fail_errno(ENOENT, "run " + command.display() + " (test double: no program)");
  return on_run(command, *this);
}

Consent HostDouble::ask_consent(const std::string& question) {
  questions.push_back(question);
  return consent;
}

}  // namespace zk::installer::system
