#include "installer/disk/members.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>

#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::disk {

std::string block_attr(const system::SysRoots& roots, const std::string& name,
                       const std::string& attr) {
  auto t = util::read_file(roots.sys + "/class/block/" + name + "/" + attr, 4096);
  return t ? std::string(util::trim(*t)) : std::string();
}

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(path.c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<Member>> disk_members(const system::BlockDevice& disk,
                                         const system::SysRoots& roots) {
  std::vector<Member> members;
  if (disk.is_image) return members;
  const std::string& name = disk.disk_name;
  const std::string devnum = block_attr(roots, name, "dev");
  if (devnum.empty())
    return fail_errno(ENOENT, "find " + name + " in " + roots.sys + "/class/block");
  members.push_back({name, devnum, roots.dev + "/" + name, std::nullopt});

  const std::string dir = roots.sys + "/class/block/" + name;
  const std::string uuid = block_attr(roots, name, "dm/uuid");
  if (!uuid.empty()) {
    // A device-mapper map: kpartx's partition maps hold it, named "part<N>-<its uuid>".
    for (const auto& h : list_dir(dir + "/holders")) {
      const std::string huuid = block_attr(roots, h, "dm/uuid");
      if (huuid.rfind("part", 0) != 0) continue;
      const auto dash = huuid.find('-');
      if (dash == std::string::npos || huuid.substr(dash + 1) != uuid) continue;
      auto n = util::parse_u64(huuid.substr(4, dash - 4));
      if (!n || *n == 0 || *n > 256) continue;
      members.push_back(
          {h, block_attr(roots, h, "dev"), roots.dev + "/" + h, static_cast<unsigned>(*n)});
    }
  } else {
    // Kernel partitions are subdirectories with a "partition" attribute.
    for (const auto& e : list_dir(dir)) {
      auto n = util::parse_u64(block_attr(roots, name + "/" + e, "partition"));
      if (!n) continue;
      members.push_back({e, block_attr(roots, name + "/" + e, "dev"), roots.dev + "/" + e,
                         static_cast<unsigned>(*n)});
    }
  }
  std::sort(members.begin() + 1, members.end(),
            [](const Member& a, const Member& b) { return *a.partition < *b.partition; });
  return members;
}

}  // namespace zk::installer::disk
