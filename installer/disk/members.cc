// SPDX-License-Identifier: MIT
#include "installer/disk/members.h"

#include <cerrno>

#include "blockdev/disk.h"
#include "blockdev/partitions.h"

namespace zk::installer::disk {

Result<std::vector<Member>> disk_members(const system::BlockDevice& disk,
                                         const system::SysRoots& roots) {
  std::vector<Member> members;
  if (disk.is_image) return members;
  const std::string& name = disk.disk_name;
  auto number = blockdev::device_number(roots, name);
  if (!number) return std::unexpected(number.error().wrap("find " + name + " in sysfs"));
  members.push_back({name, number->text(), roots.dev + "/" + name, std::nullopt});

  if (const auto dm = blockdev::device_mapper(roots, name); dm && !dm->uuid.empty()) {
    // A device-mapper map: kpartx's partition maps hold it.
    auto parts = blockdev::kpartx_partitions(roots, name, dm->uuid);
    if (!parts) return std::unexpected(parts.error());
    for (const auto& p : *parts)
      members.push_back({p.name, p.device_number.text(), roots.dev + "/" + p.name, p.number});
  } else {
    auto parts = blockdev::partitions(roots, name);
    if (!parts) return std::unexpected(parts.error());
    for (const auto& p : *parts)
      members.push_back({p.name, p.device_number.text(), roots.dev + "/" + p.name, p.number});
  }
  return members;
}

}  // namespace zk::installer::disk
