// SPDX-License-Identifier: MIT
#include "installer/disk/in_use.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include <libmount/libmount.h>

#include "blockdev/disk.h"
#include "util/fd.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::disk {
namespace {

struct TableUnref {
  void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
struct IterFree {
  void operator()(libmnt_iter* i) const { mnt_free_iter(i); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
using Table = std::unique_ptr<libmnt_table, TableUnref>;

/// `text` as a libmount table. libmount guesses the format from the first line that is not
/// blank or a comment: "<number> <number>" is mountinfo, "Filename<tab>" the header of
/// /proc/swaps, anything else fstab; it skips each line it cannot read in that format.
Result<Table> read_table(std::string_view text, const char* what) {
  Table table(mnt_new_table());
  if (!table) return fail_errno(ENOMEM, std::string("read ") + what);
  if (text.empty()) return table;  // fmemopen refuses an empty buffer
  // Read-only ("r"): fmemopen never writes to the buffer it is given.
  std::unique_ptr<FILE, FileClose> stream(
      ::fmemopen(const_cast<char*>(text.data()), text.size(), "r"));
  if (!stream) return fail_errno(errno, std::string("read ") + what);
  if (const int rc = mnt_table_parse_stream(table.get(), stream.get(), what); rc < 0)
    return fail_errno(-rc, std::string("read ") + what);
  return table;
}

/// Calls `f` with each entry of `table`, in the order of the text.
template <class F>
Result<void> for_each_entry(libmnt_table* table, F f) {
  std::unique_ptr<libmnt_iter, IterFree> it(mnt_new_iter(MNT_ITER_FORWARD));
  if (!it) return fail_errno(ENOMEM, "iterate over a mount table");
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(table, it.get(), &fs) == 0) f(fs);
  return {};
}

std::string or_empty(const char* s) { return s ? std::string(s) : std::string(); }

/// The entries of a mountinfo text; nullopt when libmount read the text as another format
/// (its first line is no mountinfo line). Only mountinfo entries have a mount root. libmount
/// puts the running system's root device in place of the kernel's "/dev/root" where it can,
/// which only helps device_name() below.
Result<std::optional<std::vector<MountEntry>>> mountinfo_entries(std::string_view text) {
  auto table = read_table(text, "mountinfo");
  if (!table) return std::unexpected(table.error());
  std::vector<MountEntry> out;
  bool mountinfo = true;
  auto walked = for_each_entry(table->get(), [&](libmnt_fs* fs) {
    if (!mnt_fs_get_root(fs)) mountinfo = false;
    const dev_t devno = mnt_fs_get_devno(fs);
    out.push_back({util::format("%u:%u", ::major(devno), ::minor(devno)),
                   or_empty(mnt_fs_get_target(fs)), or_empty(mnt_fs_get_source(fs))});
  });
  if (!walked) return std::unexpected(walked.error());
  if (!mountinfo) return std::nullopt;
  return out;
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
  auto entries = mountinfo_entries(text);
  return entries && *entries ? std::move(**entries) : std::vector<MountEntry>{};
}

std::vector<std::string> parse_swaps(std::string_view text) {
  std::vector<std::string> out;
  auto table = read_table(text, "swaps");
  if (!table) return out;
  // A table read as another format has no swap types: nothing in it is a swap area.
  (void)for_each_entry(table->get(), [&](libmnt_fs* fs) {
    const char* type = mnt_fs_get_swaptype(fs);
    const char* source = mnt_fs_get_source(fs);
    if (type && std::string_view(type) == "partition" && source && *source)
      out.emplace_back(source);
  });
  return out;
}

Result<std::vector<Use>> find_uses(const std::vector<Member>& members,
                                   const system::SysRoots& roots, bool exclusive_probe) {
  std::vector<Use> uses;
  if (members.empty()) return uses;
  const std::string mountinfo_path = roots.proc + "/self/mountinfo";
  auto mountinfo = util::read_file(mountinfo_path, 16 << 20);
  if (!mountinfo) return std::unexpected(mountinfo.error().wrap("list the mounted file systems"));
  auto entries = mountinfo_entries(*mountinfo);
  if (!entries) return std::unexpected(entries.error().wrap("list the mounted file systems"));
  // Every system has a root file system: a table without a mount is none the kernel wrote,
  // and a disk that might be mounted is not written.
  if (!*entries || (*entries)->empty())
    return fail("list the mounted file systems: " + mountinfo_path + " is no mountinfo table");
  const auto& mounts = **entries;
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
