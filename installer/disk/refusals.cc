// SPDX-License-Identifier: MIT
#include "installer/disk/refusals.h"

#include "util/strings.h"

namespace zk::installer::disk {

std::optional<Refusal> driver_refusal(const system::BlockDevice& d) {
  if (d.is_image || d.zipl_capable) return std::nullopt;
  const std::string scsi_only =
      "use a SCSI disk: an FCP LUN (driver sd), a multipath map over FCP LUNs, or a virtio-scsi "
      "disk in an emulator";
  if (d.driver == "virtio_blk")
    return Refusal{
        RefusalKind::kDriver,
        d.disk_node +
            " is a virtio-blk disk: zipl 2.16 does install a dump tool on it, but a SCSI dump "
            "is IPLed from an FCP device, so the machine can never dump to this disk",
        scsi_only};
  if (d.driver == "device-mapper (multipath)")
    return Refusal{RefusalKind::kDriver,
                   d.disk_node + " is a multipath map whose paths are not all SCSI disks (sd)",
                   scsi_only};
  return Refusal{RefusalKind::kDriver,
                 d.disk_node + " is driven by " + d.driver +
                     ": zipl installs the zfcpdump dump tool only on SCSI disks (sd) and multipath "
                     "maps over them",
                 scsi_only};
}

std::vector<Refusal> assess(const DiskFacts& f, bool force) {
  std::vector<Refusal> out;
  const std::string& disk = f.device.disk_node;
  if (auto r = driver_refusal(f.device)) out.push_back(*r);
  for (const auto& u : f.uses)
    out.push_back({RefusalKind::kInUse, u.member + " " + u.what, u.advice});

  if (f.partition) {
    const unsigned n = *f.partition;
    bool found = false;
    for (const auto& p : f.table.partitions) found = found || p.number == n;
    if (n == 0 || n > kMaxZiplPartition)
      out.push_back(
          {RefusalKind::kPartitionChoice,
           util::format("partition %u: zipl uses partitions 1 to %u", n, kMaxZiplPartition),
           "choose another partition, or let zfcpdump-install partition the disk (no "
           "--partition)"});
    else if (f.table.type == ondisk::LabelType::kNone)
      out.push_back({RefusalKind::kPartitionChoice, disk + " has no DOS or GPT partition table",
                     "let zfcpdump-install partition the disk (no --partition)"});
    else if (!found)
      out.push_back(
          {RefusalKind::kPartitionChoice,
           util::format(
               "%s has no primary partition %u (zipl refuses extended and logical partitions)",
               disk.c_str(), n),
           "choose a primary partition, or let zfcpdump-install partition the disk (no "
           "--partition)"});
  }

  const bool valid = f.inspection && f.inspection->verdict == ToolVerdict::kValid;
  // Our own current dump disk: its partitions and label are ours, and say nothing new.
  const bool current = valid && f.currency == Currency::kCurrent &&
                       (!f.partition || *f.partition == f.inspection->partition->number);
  if (current)
    out.push_back({RefusalKind::kCurrentDumpDisk,
                   util::format("%s is already a current dump disk (partition %u, dump size %s)",
                                disk.c_str(), f.inspection->partition->number,
                                util::human_size(f.inspection->tool->superblock.dump_size).c_str()),
                   "nothing to do; --force prepares it again"});
  if (valid && f.area &&
      (f.area->kind == ondisk::DumpAreaKind::kDump ||
       f.area->kind == ondisk::DumpAreaKind::kBusy)) {
    const std::string what = f.area->kind == ondisk::DumpAreaKind::kBusy
                                 ? "an interrupted dump"
                                 : util::format("a dump (%s of memory, kernel %s)",
                                                util::human_size(f.area->dump->memory_size).c_str(),
                                                f.area->dump->os_release.c_str());
    out.push_back(
        {RefusalKind::kDumpPresent,
         util::format("partition %u of %s holds %s", f.inspection->partition->number, disk.c_str(),
                      what.c_str()),
         util::format(
             "copy it off first (zgetdump %s > dump.elf), then use --force",
             f.device.is_image
                 ? "<partition>"
                 : system::partition_node(f.device, f.inspection->partition->number).c_str())});
  }
  std::string list;
  for (const auto& p : f.table.partitions)
    list += (list.empty() ? "" : ", ") +
            util::format("%u (%s)", p.number, util::human_size(p.size).c_str());
  for (unsigned n : f.kernel_partitions) {
    bool in_table = false;
    for (const auto& p : f.table.partitions) in_table = in_table || p.number == n;
    if (!in_table) list += (list.empty() ? "" : ", ") + util::format("%u", n);
  }
  if (!f.partition && !list.empty() && !current) {
    out.push_back({RefusalKind::kPartitions,
                   util::format("%s has partitions: %s; a new partition table replaces them",
                                disk.c_str(), list.c_str()),
                   "make sure nothing on them is needed, then use --force (or --partition N to use "
                   "one as it is)"});
  }
  for (const auto& s : f.signatures)
    if (!current || s.usage != "partition table")
      out.push_back({RefusalKind::kSignatures, s.describe(),
                     "make sure it holds nothing needed, then use --force to erase it (wipefs -a "
                     "does the same)"});

  if (force) std::erase_if(out, [](const Refusal& r) { return r.forceable(); });
  return out;
}

}  // namespace zk::installer::disk
