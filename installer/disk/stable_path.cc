// SPDX-License-Identifier: MIT
#include "installer/disk/stable_path.h"

#include <limits.h>

#include <cstdlib>
#include <optional>

#include "blockdev/text_file.h"

namespace zk::installer::disk {
namespace {

std::optional<std::string> real(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return std::nullopt;
  return std::string(buf);
}

bool is_partition_link(const std::string& name) {
  const auto pos = name.rfind("-part");
  if (pos == std::string::npos || pos + 5 == name.size()) return false;
  for (size_t i = pos + 5; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

int rank(const std::string& name) {
  static constexpr const char* kPrefixes[] = {"dm-uuid-mpath-", "scsi-3", "wwn-", "scsi-",
                                              "dm-name-"};
  int r = 0;
  for (const char* p : kPrefixes) {
    if (name.rfind(p, 0) == 0) return r;
    ++r;
  }
  return r;
}

/// The best link in `dir` that resolves to `target`, by rank and then name.
std::optional<std::string> best_link(const std::string& dir, const std::string& target) {
  std::optional<std::string> best;
  int best_rank = 0;
  for (const auto& name : blockdev::list_dir(dir)) {  // sorted: the first of a rank wins
    if (is_partition_link(name)) continue;
    const std::string path = dir + "/" + name;
    auto r = real(path);
    if (!r || *r != target) continue;
    if (!best || rank(name) < best_rank) {
      best = path;
      best_rank = rank(name);
    }
  }
  return best;
}

}  // namespace

std::string stable_disk_path(const system::BlockDevice& disk, const system::SysRoots& roots) {
  auto target = real(disk.disk_node);
  if (disk.is_image || !target) return target.value_or(disk.disk_node);
  for (const char* sub : {"/disk/by-id", "/disk/by-path"})
    if (auto link = best_link(roots.dev + sub, *target)) return *link;
  return disk.disk_node;
}

}  // namespace zk::installer::disk
