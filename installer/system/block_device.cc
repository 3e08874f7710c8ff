// SPDX-License-Identifier: MIT
#include "installer/system/block_device.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "blockdev/partitions.h"
#include "blockdev/text_file.h"

namespace zk::installer::system {
namespace {

/// Where a node of a partition map over a multipath map leads: the map (its one slave) and the
/// partition number from the uuid kpartx gave it. nullopt for any other device.
Result<std::optional<blockdev::BlockNode>> dm_partition_parent(const SysRoots& roots,
                                                               const std::string& path,
                                                               const std::string& name) {
  const auto dm = blockdev::device_mapper(roots, name);
  if (!dm || !dm->uuid.starts_with("part")) return std::nullopt;
  const auto uuid = blockdev::parse_dm_partition_uuid(dm->uuid);
  if (!uuid) return fail("unexpected device-mapper partition " + dm->uuid);
  const auto slaves = blockdev::slaves(roots, name);
  if (slaves.empty()) return fail(path + ": device-mapper partition without a parent map");
  return blockdev::BlockNode{name, uuid->number, slaves.back()};
}

}  // namespace

namespace {

/// A map's zfcp attributes: dumpconf names one path (one FCP device, WWPN and LUN), so take
/// one that works now; the others are told as alternatives, in case that one fails later.
void choose_zfcp_path(const SysRoots& roots, const std::vector<std::string>& paths,
                      BlockDevice& d) {
  for (const auto& p : paths) {
    auto z = blockdev::zfcp_attributes(roots, p);
    if (!z) continue;
    std::string state = blockdev::scsi_state(roots, p);
    if (!d.zfcp && (state.empty() || state == "running")) {
      d.zfcp = std::move(*z);
      d.zfcp_path = p;
    } else {
      d.zfcp_alternatives.push_back({p, state.empty() ? "unknown" : std::move(state), *z});
    }
  }
}

}  // namespace

Result<BlockDevice> resolve_block_device(const std::string& path, const SysRoots& roots) {
  BlockDevice d;
  d.given = path;
  auto real = blockdev::resolve_path(path);
  if (!real) return std::unexpected(real.error());
  struct stat st{};
  if (::stat(real->c_str(), &st) != 0) return fail_errno(errno, "stat " + *real);
  if (S_ISREG(st.st_mode)) {
    d.is_image = true;
    d.disk_node = *real;
    d.size = static_cast<uint64_t>(st.st_size);
    d.driver = "image file";
    return d;
  }
  if (!S_ISBLK(st.st_mode)) return fail(path + " is neither a block device nor a disk image file");

  auto node = blockdev::find_by_number(roots, {::major(st.st_rdev), ::minor(st.st_rdev)});
  if (!node) return std::unexpected(node.error().wrap("find " + path + " in sysfs"));
  if (!node->partition) {
    auto parent = dm_partition_parent(roots, path, node->name);
    if (!parent) return std::unexpected(parent.error());
    if (*parent) node = **parent;
  }
  d.partition = node->partition;
  const std::string& name = node->disk;
  d.disk_name = name;
  d.disk_node = roots.dev + "/" + name;
  // A disk whose size or block sizes cannot be read keeps the defaults; the planner refuses a
  // size of 0.
  auto size = blockdev::size_bytes(roots, name);
  d.size = size ? *size : 0;
  auto sizes = blockdev::block_sizes(roots, name);
  if (!sizes) return std::unexpected(sizes.error());
  d.logical_block_size = sizes->logical;
  d.physical_block_size = sizes->physical;
  const auto model = blockdev::model(roots, name);
  d.vendor = model.vendor;
  d.model = model.model;

  const std::string drv = blockdev::driver(roots, name);
  const auto dm = blockdev::device_mapper(roots, name);
  const std::string uuid = dm ? dm->uuid : std::string();
  if (uuid.starts_with("mpath-")) {
    d.driver = "device-mapper (multipath)";
    // zipl handles multipath maps whose paths are SCSI disks.
    const auto paths = blockdev::slaves(roots, name);
    bool all_sd = !paths.empty();
    for (const auto& p : paths) all_sd = all_sd && blockdev::driver(roots, p) == "sd";
    d.zipl_capable = all_sd;
    choose_zfcp_path(roots, paths, d);
  } else if (!uuid.empty()) {
    d.driver = "device-mapper (" + uuid.substr(0, uuid.find('-')) + ")";
  } else {
    d.driver = drv.empty() ? std::string("unknown") : drv;
    d.zipl_capable = drv == "sd";
  }
  if (drv == "sd") d.zfcp = blockdev::zfcp_attributes(roots, name);
  d.wwid = blockdev::wwid(roots, name);
  return d;
}

std::string partition_node(const BlockDevice& disk, unsigned n, const SysRoots& roots) {
  if (disk.is_image) return {};
  // sda -> sda1; names ending in a digit (nvme0n1, dm-0 via kpartx) take a 'p'.
  const std::string& name = disk.disk_name;
  if (name.starts_with("dm-")) {
    // kpartx names the partition map after the map: /dev/mapper/<map>-part<n> (or <map><n>).
    const auto dm = blockdev::device_mapper(roots, name);
    const std::string map = dm ? dm->name : std::string();
    for (const auto& candidate : {map + "-part" + std::to_string(n), map + "p" + std::to_string(n),
                                  map + std::to_string(n)})
      if (::access((roots.dev + "/mapper/" + candidate).c_str(), F_OK) == 0)
        return roots.dev + "/mapper/" + candidate;
    return roots.dev + "/mapper/" + map + "-part" + std::to_string(n);
  }
  const bool digit = !name.empty() && name.back() >= '0' && name.back() <= '9';
  return roots.dev + "/" + name + (digit ? "p" : "") + std::to_string(n);
}

}  // namespace zk::installer::system
