// SPDX-License-Identifier: MIT
#include "blockdev/partitions.h"

#include <algorithm>
#include <cerrno>

#include "blockdev/disk.h"
#include "blockdev/text_file.h"
#include "util/strings.h"

namespace zk::blockdev {
namespace {

std::optional<unsigned> partition_number(std::string_view text) {
  const auto n = util::parse_u64(text);
  if (!n || *n == 0 || *n > kMaxPartitionNumber) return std::nullopt;
  return static_cast<unsigned>(*n);
}

/// A start or size attribute in bytes.
Result<uint64_t> sectors_in_bytes(const std::string& path) {
  auto text = read_text(path);
  if (!text) return std::unexpected(text.error());
  const auto v = util::parse_u64(*text);
  if (!v || *v > (UINT64_MAX >> 9)) return fail("unexpected value \"" + *text + "\" in " + path);
  return *v << 9;
}

}  // namespace

bool is_partition(const SysRoots& roots, const std::string& name) {
  return exists(block_dir(roots, name) + "/partition");
}

Result<Partition> read_partition(const SysRoots& roots, const std::string& name) {
  const std::string dir = block_dir(roots, name);
  auto number_text = read_text(dir + "/partition");
  if (!number_text) return std::unexpected(number_text.error());
  const auto number = partition_number(*number_text);
  if (!number)
    return fail("unexpected partition number \"" + *number_text + "\" in " + dir + "/partition");
  auto start = sectors_in_bytes(dir + "/start");
  if (!start) return std::unexpected(start.error());
  auto size = sectors_in_bytes(dir + "/size");
  if (!size) return std::unexpected(size.error());
  if (*start > UINT64_MAX - *size) return fail("partition " + dir + " ends beyond 2^64 bytes");
  auto devno = device_number(roots, name);
  if (!devno) return std::unexpected(devno.error());
  return Partition{name, *number, *start, *size, *devno};
}

Result<std::vector<Partition>> partitions(const SysRoots& roots, const std::string& disk) {
  std::vector<Partition> parts;
  const std::string dir = block_dir(roots, disk);
  for (const auto& entry : list_dir(dir)) {
    // Partitions are the subdirectories with a `partition` attribute; the kernel names them
    // after the disk, which sysfs also links from class/block.
    if (!exists(dir + "/" + entry + "/partition")) continue;
    auto part = read_partition(roots, disk + "/" + entry);
    if (!part) return std::unexpected(part.error());
    part->name = entry;
    parts.push_back(std::move(*part));
  }
  std::sort(parts.begin(), parts.end(),
            [](const Partition& a, const Partition& b) { return a.number < b.number; });
  return parts;
}

std::optional<DmPartitionUuid> parse_dm_partition_uuid(std::string_view uuid) {
  if (!uuid.starts_with("part")) return std::nullopt;
  const auto dash = uuid.find('-');
  if (dash == std::string_view::npos || dash == 4 || dash + 1 == uuid.size()) return std::nullopt;
  const std::string_view digits = uuid.substr(4, dash - 4);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const auto number = partition_number(digits);
  if (!number) return std::nullopt;
  return DmPartitionUuid{*number, std::string(uuid.substr(dash + 1))};
}

Result<std::vector<DmPartition>> kpartx_partitions(const SysRoots& roots, const std::string& map,
                                                   const std::string& map_uuid) {
  std::vector<DmPartition> parts;
  for (const auto& holder : holders(roots, map)) {
    const auto dm = device_mapper(roots, holder);
    const auto uuid = dm ? parse_dm_partition_uuid(dm->uuid) : std::nullopt;
    if (!uuid || uuid->map_uuid != map_uuid) continue;  // LVM, dm-crypt, ...: users, not parts
    auto devno = device_number(roots, holder);
    if (!devno) return std::unexpected(devno.error());
    parts.push_back({holder, uuid->number, *devno});
  }
  std::sort(parts.begin(), parts.end(),
            [](const DmPartition& a, const DmPartition& b) { return a.number < b.number; });
  return parts;
}

}  // namespace zk::blockdev
