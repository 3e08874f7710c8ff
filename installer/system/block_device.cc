#include "installer/system/block_device.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>

#include "util/posix_file.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::system {
namespace {

std::string read_attr(const std::string& path) {
  auto t = util::read_file(path, 4096);
  return t ? std::string(util::trim(*t)) : std::string();
}

std::string link_name(const std::string& path) {
  std::error_code ec;
  auto target = std::filesystem::read_symlink(path, ec);
  return ec ? std::string() : target.filename().string();
}

/// A dm map that is a partition of another map (kpartx): "part1-mpath-<wwid>".
bool dm_partition(const std::string& uuid) { return uuid.rfind("part", 0) == 0; }

}  // namespace

Result<BlockDevice> resolve_block_device(const std::string& path, const SysRoots& roots) {
  BlockDevice d;
  d.given = path;
  char real[PATH_MAX];
  if (!::realpath(path.c_str(), real)) return fail_errno(errno, "resolve " + path);
  struct stat st{};
  if (::stat(real, &st) != 0) return fail_errno(errno, "stat " + std::string(real));
  if (S_ISREG(st.st_mode)) {
    d.is_image = true;
    d.disk_node = real;
    d.size = static_cast<uint64_t>(st.st_size);
    d.driver = "image file";
    return d;
  }
  if (!S_ISBLK(st.st_mode)) return fail(path + " is neither a block device nor a disk image file");

  // /sys/dev/block/MAJ:MIN leads to the device's sysfs directory.
  const std::string by_devno = util::format("%s/dev/block/%u:%u", roots.sys.c_str(),
                                            ::major(st.st_rdev), ::minor(st.st_rdev));
  std::error_code ec;
  std::filesystem::path sysdir = std::filesystem::canonical(by_devno, ec);
  if (ec) return fail_errno(ec.value(), "find " + path + " in sysfs (" + by_devno + ")");
  std::string name = sysdir.filename().string();
  if (std::filesystem::exists(sysdir / "partition")) {
    auto n = util::parse_u64(read_attr((sysdir / "partition").string()));
    if (!n || *n == 0 || *n > 256) return fail("unexpected partition number for " + path);
    d.partition = static_cast<unsigned>(*n);
    sysdir = sysdir.parent_path();
    name = sysdir.filename().string();
  } else if (auto uuid = read_attr((sysdir / "dm/uuid").string()); dm_partition(uuid)) {
    // A partition map on top of a multipath map: its one slave is the whole map.
    const auto digits = uuid.find_first_of("0123456789");
    auto n = util::parse_u64(uuid.substr(4, uuid.find('-') - 4));
    if (digits != 4 || !n) return fail("unexpected device-mapper partition " + uuid);
    d.partition = static_cast<unsigned>(*n);
    std::string slave;
    if (DIR* dir = ::opendir((sysdir / "slaves").c_str())) {
      while (dirent* e = ::readdir(dir))
        if (e->d_name[0] != '.') slave = e->d_name;
      ::closedir(dir);
    }
    if (slave.empty()) return fail(path + ": device-mapper partition without a parent map");
    sysdir = std::filesystem::canonical(roots.sys + "/class/block/" + slave, ec);
    if (ec) return fail_errno(ec.value(), "find the parent of " + path);
    name = slave;
  }
  d.disk_name = name;
  d.disk_node = roots.dev + "/" + name;
  const std::string s = sysdir.string();
  auto sectors = util::parse_u64(read_attr(s + "/size"));
  d.size = sectors ? *sectors * 512 : 0;  // sysfs counts 512-byte units whatever the sector size
  if (auto v = util::parse_u64(read_attr(s + "/queue/logical_block_size")))
    d.logical_block_size = static_cast<uint32_t>(*v);
  if (auto v = util::parse_u64(read_attr(s + "/queue/physical_block_size")))
    d.physical_block_size = static_cast<uint32_t>(*v);
  d.vendor = read_attr(s + "/device/vendor");
  d.model = read_attr(s + "/device/model");

  const std::string drv = link_name(s + "/device/driver");
  const std::string uuid = read_attr(s + "/dm/uuid");
  if (uuid.rfind("mpath-", 0) == 0) {
    d.driver = "device-mapper (multipath)";
    // zipl handles multipath maps whose paths are SCSI disks.
    bool all_sd = true, any = false;
    if (DIR* dir = ::opendir((s + "/slaves").c_str())) {
      while (dirent* e = ::readdir(dir)) {
        if (e->d_name[0] == '.') continue;
        any = true;
        all_sd =
            all_sd && link_name(roots.sys + "/class/block/" + e->d_name + "/device/driver") == "sd";
      }
      ::closedir(dir);
    }
    d.zipl_capable = any && all_sd;
  } else if (!uuid.empty()) {
    d.driver = "device-mapper (" + uuid.substr(0, uuid.find('-')) + ")";
  } else {
    d.driver = drv.empty() ? std::string("unknown") : drv;
    d.zipl_capable = drv == "sd";
  }
  if (drv == "sd") {
    ZfcpAttributes z{read_attr(s + "/device/hba_id"), read_attr(s + "/device/wwpn"),
                     read_attr(s + "/device/fcp_lun")};
    if (!z.hba_id.empty() && !z.wwpn.empty() && !z.fcp_lun.empty()) d.zfcp = z;
  }
  return d;
}

std::string partition_node(const BlockDevice& disk, unsigned n, const SysRoots& roots) {
  if (disk.is_image) return {};
  // sda -> sda1; names ending in a digit (nvme0n1, dm-0 via kpartx) take a 'p'.
  const std::string& name = disk.disk_name;
  if (name.rfind("dm-", 0) == 0) {
    // kpartx names the partition map after the map: /dev/mapper/<map>-part<n> (or <map><n>).
    const std::string map = read_attr(roots.sys + "/class/block/" + name + "/dm/name");
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
