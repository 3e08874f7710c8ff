// SPDX-License-Identifier: MIT
#include "installer/save/harvest.h"

#include <sys/stat.h>

#include <cerrno>
#include <optional>

#include "installer/save/dump_fingerprint.h"
#include "ondisk/dump_disk.h"
#include "util/file_window.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::installer::save {

const char* harvest_reason_name(HarvestReason r) {
  switch (r) {
    case HarvestReason::kUnsaved: return "unsaved";
    case HarvestReason::kMissing: return "missing";
    case HarvestReason::kNothing: return "nothing";
    case HarvestReason::kAlreadySaved: return "already saved";
    case HarvestReason::kBusy: return "busy";
    case HarvestReason::kDamaged: return "damaged";
    case HarvestReason::kNoTool: return "no dump tool";
    case HarvestReason::kUnreadable: return "unreadable";
  }
  return "?";
}

std::string harvest_line(const HarvestDecision& d) {
  std::string line = d.disk + ": ";
  if (d.action == HarvestAction::kSave) line += "saving (a dump not saved yet)";
  else line += std::string("not saved (") + harvest_reason_name(d.reason) + ")";
  if (!d.detail.empty()) line += ": " + d.detail;
  return line;
}

bool already_saved(const state::DiskEntry& entry, const std::string& fingerprint) {
  return !entry.saved_fingerprint.empty() && entry.saved_fingerprint == fingerprint;
}

namespace {

HarvestDecision decide(const state::DiskEntry& entry, const DiskFacts& f) {
  HarvestDecision d{entry.disk, HarvestAction::kSkip, HarvestReason::kNothing, false, f.detail};
  auto skip = [&](HarvestReason reason, bool warn, std::string detail = {}) {
    d.reason = reason;
    d.warn = warn;
    if (!detail.empty()) d.detail = std::move(detail);
    return d;
  };
  using Node = DiskFacts::Node;
  switch (f.node) {
    case Node::kMissing: return skip(HarvestReason::kMissing, false);
    case Node::kUnreadable: return skip(HarvestReason::kUnreadable, true);
    case Node::kNoTool:
    case Node::kOtherDisk: return skip(HarvestReason::kNoTool, true);
    case Node::kPresent: break;
  }
  using Kind = ondisk::DumpAreaKind;
  switch (f.area) {
    case Kind::kDump:
      // A dump under a stale checksum (the dumper stopped between its last page and the
      // checksum) is still a readable core: saved like any other.
      if (already_saved(entry, f.fingerprint)) return skip(HarvestReason::kAlreadySaved, false);
      d.action = HarvestAction::kSave;
      d.reason = HarvestReason::kUnsaved;
      return d;
    case Kind::kBusy:
      return skip(HarvestReason::kBusy, true,
                  "an interrupted dump (busy marker): its headers were never written, so no "
                  "dump reader can read it; not saved");
    case Kind::kInvalidDump:
      return skip(
          HarvestReason::kDamaged, true,
          "a damaged dump, not saved: " +
              (f.detail.empty() ? std::string("its ELF headers do not validate") : f.detail));
    case Kind::kEmpty:
    case Kind::kUnknown:
      // Nothing to save. A stale checksum over an area that holds no dump means the partition
      // was written by something else: the dumper would refuse the disk, which is worth a
      // warning at every boot until someone prepares it again.
      if (!f.checksum_ok)
        return skip(HarvestReason::kNoTool, true,
                    "the partition's checksum no longer matches: the dumper will refuse this "
                    "disk; run zfcpdump-install disk again");
      return skip(HarvestReason::kNothing, false);
  }
  return d;
}

}  // namespace

std::vector<HarvestDecision> plan_harvest(std::span<const state::DiskEntry> entries,
                                          std::span<const DiskFacts> facts) {
  std::vector<HarvestDecision> plan;
  plan.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i)
    plan.push_back(decide(entries[i], i < facts.size() ? facts[i] : DiskFacts{}));
  return plan;
}

DiskFacts gather_disk_facts(const state::DiskEntry& entry) {
  using Node = DiskFacts::Node;
  DiskFacts f;
  auto fact = [&](Node node, std::string detail) {
    f.node = node;
    f.detail = std::move(detail);
    return f;
  };
  struct stat st{};
  if (::stat(entry.disk.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return fact(Node::kMissing, {});
    return fact(Node::kUnreadable, Error{errno, entry.disk}.describe());
  }
  auto file = util::PosixFile::open(entry.disk, util::OpenMode::kRead);
  if (!file) return fact(Node::kUnreadable, file.error().describe());
  auto& disk = **file;
  auto tool = ondisk::read_dump_disk(disk, disk.is_block_device()
                                               ? std::optional<uint32_t>(disk.logical_block_size())
                                               : std::nullopt);
  if (!tool) return fact(Node::kNoTool, tool.error().describe());
  const auto& sb = tool->superblock;
  if ((entry.part_start && entry.part_start != sb.part_start) ||
      (entry.part_size && entry.part_size != sb.part_size))
    return fact(Node::kOtherDisk,
                util::format("the dump tool's partition (start %llu, size %llu) is not the "
                             "registered one (start %llu, size %llu)",
                             static_cast<unsigned long long>(sb.part_start),
                             static_cast<unsigned long long>(sb.part_size),
                             static_cast<unsigned long long>(entry.part_start),
                             static_cast<unsigned long long>(entry.part_size)));
  auto area = ondisk::inspect_dump_area(disk, *tool);
  if (!area) return fact(Node::kUnreadable, area.error().describe());
  f.node = Node::kPresent;
  f.area = area->kind;
  f.checksum_ok = tool->checksum_matches();
  f.detail = area->detail;
  if (area->kind == ondisk::DumpAreaKind::kDump) {
    util::FileWindow window(disk, sb.part_start + sb.dump_offset, sb.dump_size);
    auto fp = dump_fingerprint(window, *area->dump);
    if (!fp) return fact(Node::kUnreadable, fp.error().wrap("fingerprinting the dump").describe());
    f.fingerprint = std::move(*fp);
  }
  return f;
}

}  // namespace zk::installer::save
