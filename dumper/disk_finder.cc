// SPDX-License-Identifier: MIT
#include "dumper/disk_finder.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <map>

#include "blockdev/disk.h"
#include "blockdev/partitions.h"
#include "dumper/disk_choice.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::dumper {
namespace {

bool same_hex(const std::string& a, const std::string& b) {
  auto x = util::parse_u64(a, 16), y = util::parse_u64(b, 16);
  return x && y && *x == *y;
}

bool same_busid(std::string a, std::string b) {
  for (auto* s : {&a, &b})
    for (auto& c : *s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return a == b;
}

/// Whole disks zipl can write a dump tool to: driver sd, or a dm-multipath map.
std::vector<std::string> dump_capable_disks(const SystemRoots& roots) {
  std::vector<std::string> out;
  for (auto& name : blockdev::whole_disks(roots)) {
    const auto dm = blockdev::device_mapper(roots, name);
    if (blockdev::driver(roots, name) == "sd" || (dm && dm->uuid.starts_with("mpath-")))
      out.push_back(std::move(name));
  }
  return out;
}

/// Makes sure /dev/<name> exists: devtmpfs normally provides it; without devtmpfs the node is
/// created from the major:minor in sysfs.
Result<std::string> device_node(const SystemRoots& roots, const std::string& name) {
  const std::string path = roots.dev + "/" + name;
  if (exists(path)) return path;
  auto number = blockdev::device_number(roots, name);
  if (!number) return std::unexpected(number.error());
  if (::mknod(path.c_str(), S_IFBLK | 0600, makedev(number->major, number->minor)) != 0 &&
      errno != EEXIST)
    return fail_errno(errno, "mknod " + path);
  return path;
}

/// The SCSI scan the finder starts when no disk shows up by itself (scsi_mod.scan=manual, or a
/// kernel that did not scan): target by target, one target of every host per step, so that the
/// finder looks for the dump disk after each and stops scanning once it is there. A wildcard
/// scan ("- - -") returns only after every target has been probed: 256 on a virtio-scsi bus,
/// about 13 s under TCG, while the disk at target 0 is attached after a fraction of a second.
/// (Running that scan beside the dump is no way out: each probed target joins and leaves the
/// host's shared tag set, which freezes every queue of the host, the dump disk's included.)
class ScsiScan {
 public:
  void start(const SystemRoots& roots, const FindOptions& o) {
    const std::string hosts = roots.sys + "/class/scsi_host";
    for (const auto& h : blockdev::list_dir(hosts)) {
      if (o.log) o.log(2, "starting the SCSI scan of " + h + ", target by target");
      scan_files_.push_back(hosts + "/" + h + "/scan");
    }
  }
  /// Scans the next target on every host that has more; false once every host is done. A host
  /// is done when it refuses the target (EINVAL beyond its max_id); after kTargets targets the
  /// rest of every host is scanned at once, so no bus is left half scanned.
  bool step(const FindOptions& o) {
    if (scan_files_.empty()) return false;
    const bool last = next_ == kTargets;
    const std::string what = last ? std::string("- - -") : util::format("- %u -", next_);
    const std::string which =
        last ? std::string("the remaining targets") : "target " + std::to_string(next_);
    std::erase_if(scan_files_, [&](const std::string& f) {
      if (o.log) o.log(3, "scanning SCSI " + which + " of " + f);
      return !write_text(f, what) || last;
    });
    ++next_;
    return true;
  }

 private:
  static constexpr unsigned kTargets = 256;
  std::vector<std::string> scan_files_;
  unsigned next_ = 0;
};

}  // namespace

std::string ipl_type(const SystemRoots& roots) {
  auto t = read_text(roots.sys + "/firmware/ipl/ipl_type");
  return t ? *t : std::string();
}

std::optional<FcpIpl> read_fcp_dump_ipl(const SystemRoots& roots) {
  if (ipl_type(roots) != "fcp_dump") return std::nullopt;
  const std::string ipl = roots.sys + "/firmware/ipl/";
  FcpIpl f;
  auto get = [&](const char* attr) {
    auto v = read_text(ipl + attr);
    return v ? *v : std::string();
  };
  f.device = get("device");
  f.wwpn = get("wwpn");
  f.lun = get("lun");
  f.bootprog = get("bootprog");
  return f;
}

Result<void> bring_fcp_online(const SystemRoots& roots, const FcpIpl& ipl,
                              const std::function<void(const std::string&)>& trace) {
  // Automatic LUN scanning would attach every LUN of the port; the dump wants exactly one.
  const std::string scan = roots.sys + "/module/zfcp/parameters/allow_lun_scan";
  if (exists(scan)) (void)write_text(scan, "0");
  const std::string dev = roots.sys + "/bus/ccw/drivers/zfcp/" + ipl.device;
  if (!exists(dev)) return fail("FCP device " + ipl.device + " is not known to the zfcp driver");
  trace("setting FCP device " + ipl.device + " online");
  if (auto r = write_text(dev + "/online", "1"); !r) return r;
  if (exists(dev + "/port_add")) {  // gone since automatic port scanning; harmless when present
    trace("adding port " + ipl.wwpn);
    (void)write_text(dev + "/port_add", ipl.wwpn);
  }
  const std::string unit_add = dev + "/" + ipl.wwpn + "/unit_add";
  trace("adding LUN " + ipl.lun);
  if (auto r = write_text(unit_add, ipl.lun);
      !r && r.error().errnum != EEXIST && r.error().errnum != EINVAL)
    return r;
  return {};
}

Result<std::vector<ondisk::Partition>> sysfs_partitions(const SystemRoots& roots,
                                                        const std::string& disk) {
  auto found = blockdev::partitions(roots, disk);
  if (!found) return std::unexpected(found.error());
  std::vector<ondisk::Partition> parts;
  for (const auto& p : *found) parts.push_back({p.number, p.start, p.size});
  return parts;
}

Result<FoundDisk> probe_dump_disk(const std::string& name, const std::string& path,
                                  const std::vector<ondisk::Partition>& partitions) {
  auto file = util::PosixFile::open(path, util::OpenMode::kRead);
  if (!file) return std::unexpected(file.error());
  auto& f = **file;
  auto dd = ondisk::read_dump_disk(
      f, f.is_block_device() ? std::optional<uint32_t>(f.logical_block_size()) : std::nullopt);
  if (!dd) return std::unexpected(dd.error());
  ondisk::PartitionTable table{ondisk::LabelType::kDos, partitions};
  auto part = ondisk::find_dump_partition(table, dd->superblock);
  if (!part)
    return fail(
        util::format("%s: the dump superblock names a partition at byte %llu of %llu "
                     "bytes, which is not a partition of this disk",
                     path.c_str(), static_cast<unsigned long long>(dd->superblock.part_start),
                     static_cast<unsigned long long>(dd->superblock.part_size)));
  if (part->number < 1 || part->number > 15)
    return fail(util::format("%s: dump partition %u is outside 1..15", path.c_str(), part->number));
  return FoundDisk{name, path, part->number, *dd};
}

Result<FoundDisk> find_dump_disk(const SystemRoots& roots, const std::optional<FcpIpl>& fcp,
                                 const FindOptions& o) {
  const double start = o.clock();
  bool scanned = false;
  ScsiScan scan;
  std::map<std::string, std::string> last_error;
  std::optional<double> first_seen;  // when the first candidate turned up (no FCP IPL)
  for (;;) {
    std::vector<std::string> disks = dump_capable_disks(roots);
    std::vector<FoundDisk> found_disks;
    std::vector<DiskCandidate> candidates;
    for (const auto& name : disks) {
      if (fcp) {
        const auto z = blockdev::zfcp_attributes(roots, name);
        if (!z || !same_busid(z->hba_id, fcp->device) || !same_hex(z->wwpn, fcp->wwpn) ||
            !same_hex(z->fcp_lun, fcp->lun))
          continue;
      }
      // An offline path (one of several to a LUN, or the only one) rejects every I/O; a
      // blocked one holds it. Skipped and looked at again on the next round, so that a path
      // that comes back is taken; a map's other paths carry its LUN meanwhile.
      if (const std::string state = blockdev::scsi_state(roots, name);
          !state.empty() && state != "running") {
        const std::string why = name + ": SCSI path is " + state + ", skipped";
        if (last_error[name] != why && o.log) o.log(1, why);
        last_error[name] = why;
        continue;
      }
      auto node = device_node(roots, name);
      if (!node) {
        last_error[name] = node.error().describe();
        continue;
      }
      auto parts = sysfs_partitions(roots, name);
      if (!parts) {
        last_error[name] = parts.error().describe();
        continue;
      }
      auto found = probe_dump_disk(name, *node, *parts);
      if (found && fcp) return found;  // the IPL's LUN decides alone
      if (found) {
        candidates.push_back({name, blockdev::wwid(roots, name), blockdev::holders(roots, name)});
        found_disks.push_back(std::move(*found));
        last_error.erase(name);
        continue;
      }
      if (last_error[name] != found.error().describe()) {
        last_error[name] = found.error().describe();
        if (o.log) o.log(2, name + ": " + last_error[name]);
      }
    }
    const double elapsed = o.clock() - start;
    std::optional<Result<DiskChoice>> choice;
    if (!candidates.empty()) {
      if (!first_seen) first_seen = o.clock();
      choice = choose_dump_disk(candidates, o.wanted);
      const bool settled = o.clock() - *first_seen >= kSettleSeconds || elapsed >= o.timeout_s;
      // A choice that names a candidate is final, and so are several without a choice; one
      // without a choice waits to settle, one that names none waits for its disk.
      if (*choice && (!o.wanted.empty() || settled)) {
        if (o.log)
          o.log(1, "taking " + found_disks[(*choice)->index].path + ": " + (*choice)->reason);
        return std::move(found_disks[(*choice)->index]);
      }
      const bool malformed = !o.wanted.empty() && !o.wanted.starts_with(kWwidChoicePrefix);
      if (!*choice && ((o.wanted.empty() && candidates.size() > 1) || malformed))
        return std::unexpected((*choice).error());
    }
    if (!scanned && disks.empty() && (o.manual_scsi_scan || elapsed >= 1.0)) {
      scan.start(roots, o);
      scanned = true;
    }
    // Look again at once after a scan step: the target just scanned may hold the disk.
    if ((candidates.empty() || !o.wanted.empty()) && scan.step(o)) continue;
    if (elapsed >= o.timeout_s) {
      if (choice && !*choice) return std::unexpected((*choice).error());
      std::string why = fcp ? "no SCSI disk for FCP device " + fcp->device + " WWPN " + fcp->wwpn +
                                  " LUN " + fcp->lun
                            : std::string("no disk holds a valid zipl dump record");
      why += util::format(" after %u s", o.timeout_s);
      for (const auto& [name, err] : last_error) why += "; " + err;
      return fail(why);
    }
    o.sleep(0.1);
  }
}

}  // namespace zk::dumper
