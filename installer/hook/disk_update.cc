// SPDX-License-Identifier: MIT
#include "installer/hook/disk_update.h"

#include <optional>

#include "installer/disk/disk_ramdisk.h"
#include "installer/disk/install_tool.h"
#include "installer/disk/verify.h"
#include "util/strings.h"

namespace zk::installer::hook {
namespace {

using ull = unsigned long long;

DiskUpdate with(DiskUpdate u, DiskOutcome o, std::string detail, std::string remedy = {}) {
  u.outcome = o;
  u.detail = std::move(detail);
  u.remedy = std::move(remedy);
  return u;
}

DiskUpdate of(const state::DiskEntry& e) {
  DiskUpdate u;
  u.entry = e;
  u.previous_dump_size = e.dump_size;
  return u;
}

std::string redo_remedy(const state::DiskEntry& e) {
  return util::format(
      "prepare it again with zfcpdump-install disk --force --partition %u %s, or remove its line "
      "from the registry",
      e.partition, e.disk.c_str());
}

std::optional<uint32_t> block_size_of(const system::BlockDevice& dev) {
  return dev.is_image ? std::nullopt : std::optional<uint32_t>(dev.logical_block_size);
}

constexpr const char* kAttachRemedy = "attach it and run zfcpdump-install hook refresh";

}  // namespace

const char* outcome_name(DiskOutcome o) {
  switch (o) {
    case DiskOutcome::kCurrent: return "current";
    case DiskOutcome::kUpdated: return "updated";
    case DiskOutcome::kMissing: return "missing";
    case DiskOutcome::kRefused: return "refused";
    case DiskOutcome::kFailed: return "failed";
    case DiskOutcome::kPlanned: return "planned";
  }
  return "?";
}

std::optional<DiskUpdate> refuse_tool(const state::DiskEntry& e, const disk::ToolInspection& before,
                                      const std::optional<ondisk::DumpAreaState>& area,
                                      const std::string& node) {
  if (before.verdict != disk::ToolVerdict::kValid)
    return with(of(e), DiskOutcome::kRefused,
                "it no longer holds the dump tool zipl wrote: " + before.problem, redo_remedy(e));
  const auto& p = *before.partition;
  if (p.number != e.partition || p.start != e.part_start || p.size != e.part_size)
    return with(
        of(e), DiskOutcome::kRefused,
        util::format(
            "its dump tool is on partition %u (byte %llu, %llu bytes), the registry says partition "
            "%u (byte %llu, %llu bytes)",
            p.number, static_cast<ull>(p.start), static_cast<ull>(p.size), e.partition,
            static_cast<ull>(e.part_start), static_cast<ull>(e.part_size)),
        redo_remedy(e));
  if (area &&
      (area->kind == ondisk::DumpAreaKind::kDump || area->kind == ondisk::DumpAreaKind::kBusy))
    return with(
        of(e), DiskOutcome::kRefused,
        area->kind == ondisk::DumpAreaKind::kBusy
            ? std::string("it holds an interrupted dump")
            : util::format(
                  "it holds a dump (%s of memory, kernel %s) that a new dump tool could overwrite",
                  util::human_size(area->dump->memory_size).c_str(),
                  area->dump->os_release.c_str()),
        util::format(
            "copy the dump off (zgetdump %s > dump.elf), then run zfcpdump-install disk --force "
            "--partition %u %s",
            node.empty() ? "<partition>" : node.c_str(), e.partition, e.disk.c_str()));
  return std::nullopt;
}

std::optional<DiskUpdate> refuse_use(const state::DiskEntry& e, const std::vector<disk::Use>& uses,
                                     const std::string& node, bool node_exists) {
  if (!uses.empty())
    return with(of(e), DiskOutcome::kRefused, uses[0].member + " " + uses[0].what, uses[0].advice);
  if (node.empty() || !node_exists)
    return with(of(e), DiskOutcome::kMissing,
                util::format("partition %u has no device node (%s)", e.partition,
                             node.empty() ? "none" : node.c_str()));
  return std::nullopt;
}

DiskUpdate update_disk(const state::DiskEntry& e, const DiskUpdateRequest& q, system::Host& host) {
  DiskUpdate u = of(e);
  if (e.manifest_sha256 == q.manifest_sha256 && !q.rewrite_current)
    return with(u, DiskOutcome::kCurrent, "");

  auto dev = host.resolve_block_device(e.disk);
  if (!dev) return with(u, DiskOutcome::kMissing, dev.error().describe(), kAttachRemedy);

  // 1. Is it still the disk the registry describes?
  disk::ToolInspection before;
  std::optional<ondisk::DumpAreaState> area;
  {
    auto file = host.open_read(dev->disk_node);
    if (!file) return with(u, DiskOutcome::kMissing, file.error().describe(), kAttachRemedy);
    before = disk::inspect_dump_tool(**file, block_size_of(*dev));
    if (before.verdict == disk::ToolVerdict::kValid) {
      auto a = ondisk::inspect_dump_area(**file, *before.tool);
      if (!a) return with(u, DiskOutcome::kFailed, a.error().describe());
      area = *a;
    }
  }
  const std::string node = dev->is_image ? dev->disk_node : host.partition_node(*dev, e.partition);
  if (auto refused = refuse_tool(e, before, area, node)) return *refused;

  // 2. Is anything using it?
  if (!dev->is_image) {
    auto members = host.disk_members(*dev);
    if (!members) return with(u, DiskOutcome::kFailed, members.error().describe());
    auto uses = host.find_uses(*members);
    if (!uses) return with(u, DiskOutcome::kFailed, uses.error().describe());
    if (auto refused = refuse_use(e, *uses, node, !node.empty() && host.exists(node)))
      return *refused;
  }

  // 3. zipl -d and the checks of what it wrote, as `zfcpdump-install disk` runs them.
  disk::InstallRequest install;
  install.zipl = q.zipl.program;
  install.target = node;
  install.disk_node = dev->disk_node;
  install.is_image = dev->is_image;
  install.sector_size = before.tool->block_size;
  install.block_size = block_size_of(*dev);
  install.expected = *before.partition;
  std::optional<disk::DiskRamdisk> own;
  // The disk's own ramdisk, as `disk` made it: naming the disk, with its own dump level.
  const std::string wwid = dev->is_image ? std::string() : e.wwid;
  if ((!wwid.empty() || e.dump_level) && !q.layout_initrd.empty()) {
    auto text = disk::disk_defaults_text(q.dumper_params, wwid, e.dump_level);
    auto written = text ? disk::DiskRamdisk::write(q.layout_initrd, *text)
                        : Result<disk::DiskRamdisk>(std::unexpected(text.error()));
    if (!written) return with(u, DiskOutcome::kFailed, written.error().describe());
    own.emplace(std::move(*written));
    install.ramdisk_source = own->path();
    install.ramdisk_target = q.layout_initrd;
  }
  auto done = disk::install_and_verify(host, install);
  u.command = done.command_line;
  u.zipl_output = done.run.output;
  switch (done.stage) {
    case disk::InstallStage::kCannotRun:
      return with(
          u, DiskOutcome::kFailed, "cannot run zipl: " + done.error.describe(),
          "install s390-tools, or name the zipl to run (--zipl, zipl in the configuration)");
    case disk::InstallStage::kZiplFailed:
      return with(u, DiskOutcome::kFailed, u.command + " " + done.run.status.describe());
    case disk::InstallStage::kCannotRead:
      return with(u, DiskOutcome::kFailed, done.error.describe());
    case disk::InstallStage::kNotVerified:
      return with(u, DiskOutcome::kFailed,
                  "zipl reported success, but the disk does not hold the dump tool it should: " +
                      done.problems[0],
                  redo_remedy(e));
    case disk::InstallStage::kVerified: break;
  }
  u.entry.manifest_sha256 = q.manifest_sha256;
  u.entry.dump_size = done.after.tool->superblock.dump_size;
  return with(u, DiskOutcome::kUpdated, "");
}

bool any_stale(const state::Registry& registry, const std::string& manifest_sha256) {
  for (const auto& e : registry.disks)
    if (e.manifest_sha256 != manifest_sha256) return true;
  return false;
}

UpdateSummary summarize(const std::vector<DiskUpdate>& updates) {
  UpdateSummary s;
  for (const auto& u : updates) {
    const bool ok = u.outcome == DiskOutcome::kCurrent || u.outcome == DiskOutcome::kUpdated ||
                    u.outcome == DiskOutcome::kPlanned;
    s.current += ok;
    s.all_current = s.all_current && ok;
  }
  return s;
}

}  // namespace zk::installer::hook
