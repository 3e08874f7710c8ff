#include "installer/disk/in_use.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "blockdev/disk.h"
#include "util/fd.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::disk {
namespace {

/// mountinfo and swaps escape blanks, tabs, newlines and backslashes as \ooo.
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
        s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> w;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) w.push_back(line.substr(start, i - start));
  }
  return w;
}

template <class F>
void for_each_line(std::string_view text, F f) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    f(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
}

/// The sysfs name a /dev path stands for: <dev>/mapper/x -> dm-3; sda1 when it cannot be
/// resolved (a test-double tree, a device gone since).
std::string device_name(const std::string& path, const system::SysRoots& roots) {
  std::string p = path;
  if (p.rfind("/dev/", 0) == 0) p = roots.dev + p.substr(4);
  char real[PATH_MAX];
  if (::realpath(p.c_str(), real)) p = real;
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

/// "dm-2 (LVM logical volume vg-root)", "md0 (RAID)", for the holder `name`.
std::string describe_holder(const std::string& name, const system::SysRoots& roots,
                            std::string& advice) {
  const auto dm = blockdev::device_mapper(roots, name);
  const std::string uuid = dm ? dm->uuid : std::string();
  const std::string dmname = dm ? dm->name : std::string();
  if (uuid.rfind("LVM-", 0) == 0) {
    advice = "remove it from LVM first (lvremove/vgreduce, then pvremove)";
    return name + " (LVM logical volume " + dmname + ")";
  }
  if (uuid.rfind("mpath-", 0) == 0) {
    advice = "this disk is a path of the multipath map " + dmname + ": use " + roots.dev +
             "/mapper/" + dmname + " instead";
    return name + " (multipath map " + dmname + ")";
  }
  if (uuid.rfind("CRYPT-", 0) == 0) {
    advice = "close the encrypted volume first (cryptsetup close " + dmname + ")";
    return name + " (dm-crypt volume " + dmname + ")";
  }
  if (uuid.rfind("part", 0) == 0) {
    advice = "remove the partition maps first (kpartx -d)";
    return name + " (partition map " + dmname + ")";
  }
  if (!uuid.empty() || !dmname.empty()) {
    advice = "remove the device-mapper device first (dmsetup remove " +
             (dmname.empty() ? name : dmname) + ")";
    return name + " (device-mapper " + (dmname.empty() ? uuid : dmname) + ")";
  }
  if (name.rfind("md", 0) == 0) {
    advice =
        "stop the RAID array and remove this member first (mdadm --stop, mdadm --zero-superblock)";
    return name + " (RAID array)";
  }
  advice = "stop whatever uses it first";
  return name;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  for_each_line(text, [&](std::string_view line) {
    auto w = words(line);
    // id parent maj:min root mount-point options [optional...] - fstype source super-options
    size_t sep = 6;
    while (sep < w.size() && w[sep] != "-") ++sep;
    if (sep + 2 >= w.size()) return;  // no "-", fstype and source
    MountEntry e;
    e.devnum = std::string(w[2]);
    e.mount_point = unescape(w[4]);
    e.source = unescape(w[sep + 2]);
    out.push_back(std::move(e));
  });
  return out;
}

std::vector<std::string> parse_swaps(std::string_view text) {
  std::vector<std::string> out;
  bool header = true;
  for_each_line(text, [&](std::string_view line) {
    if (header) {
      header = false;
      if (line.rfind("Filename", 0) == 0) return;
    }
    auto w = words(line);
    if (w.size() >= 2 && w[1] == "partition") out.push_back(unescape(w[0]));
  });
  return out;
}

Result<std::vector<Use>> find_uses(const std::vector<Member>& members,
                                   const system::SysRoots& roots, bool exclusive_probe) {
  std::vector<Use> uses;
  if (members.empty()) return uses;
  auto mountinfo = util::read_file(roots.proc + "/self/mountinfo", 16 << 20);
  if (!mountinfo) return std::unexpected(mountinfo.error().wrap("list the mounted file systems"));
  const auto mounts = parse_mountinfo(*mountinfo);
  // No /proc/swaps: a kernel without swap support.
  auto swaps_text = util::read_file(roots.proc + "/swaps", 1 << 20);
  const auto swaps = swaps_text ? parse_swaps(*swaps_text) : std::vector<std::string>{};

  auto is_member = [&](const std::string& name) {
    for (const auto& m : members)
      if (m.name == name) return true;
    return false;
  };

  for (const auto& m : members) {
    const size_t before = uses.size();
    for (const auto& e : mounts)
      if ((!m.devnum.empty() && e.devnum == m.devnum) ||
          (e.source.rfind("/dev/", 0) == 0 && device_name(e.source, roots) == m.name))
        uses.push_back({m.name, "is mounted on " + e.mount_point,
                        "unmount it (umount " + e.mount_point + ") and remove it from /etc/fstab"});
    for (const auto& s : swaps)
      if (device_name(s, roots) == m.name)
        uses.push_back({m.name, "is used as swap",
                        "turn it off (swapoff " + s + ") and remove it from /etc/fstab"});
    for (const auto& h : blockdev::holders(roots, m.name)) {
      if (is_member(h)) continue;  // a multipath map's own partition maps
      std::string advice;
      const std::string holder = describe_holder(h, roots, advice);
      uses.push_back({m.name, "is held by " + holder, advice});
    }
    if (exclusive_probe && uses.size() == before) {
      struct stat st{};
      if (::stat(m.node.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) {
        util::Fd fd(::open(m.node.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK));
        if (!fd.valid() && errno == EBUSY)
          uses.push_back(
              {m.name, "is open exclusively by another program",
               "find it with 'lsof " + m.node + "' or 'fuser -vm " + m.node + "' and stop it"});
      }
    }
  }
  return uses;
}

}  // namespace zk::installer::disk
