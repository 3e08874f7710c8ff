#include "installer/hook/disk_update.h"

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include "installer/disk/in_use.h"
#include "installer/disk/members.h"
#include "installer/disk/verify.h"
#include "ondisk/dump_area.h"
#include "util/posix_file.h"
#include "util/process.h"
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

std::string redo_remedy(const state::DiskEntry& e) {
  return util::format("prepare it again with zfcpdump-install disk --force --partition %u %s, or remove its line "
                      "from the registry",
                      e.partition, e.disk.c_str());
}

std::optional<uint32_t> block_size_of(const system::BlockDevice& dev) {
  return dev.is_image ? std::nullopt : std::optional<uint32_t>(dev.logical_block_size);
}

}  // namespace

const char* outcome_name(DiskOutcome o) {
  switch (o) {
    case DiskOutcome::kCurrent: return "current";
    case DiskOutcome::kUpdated: return "updated";
    case DiskOutcome::kMissing: return "missing";
    case DiskOutcome::kRefused: return "refused";
    case DiskOutcome::kFailed: return "failed";
  }
  return "?";
}

DiskUpdate update_disk(const state::DiskEntry& e, const DiskUpdateRequest& q) {
  DiskUpdate u;
  u.entry = e;
  u.previous_dump_size = e.dump_size;
  if (e.manifest_sha256 == q.manifest_sha256) return with(u, DiskOutcome::kCurrent, "");

  auto dev = system::resolve_block_device(e.disk, q.sys);
  if (!dev) return with(u, DiskOutcome::kMissing, dev.error().describe(), "attach it and run zfcpdump-install hook refresh");

  // 1. Is it still the disk the registry describes?
  disk::ToolInspection before;
  std::optional<ondisk::DumpAreaState> area;
  {
    auto file = util::PosixFile::open(dev->disk_node, util::OpenMode::kRead);
    if (!file) return with(u, DiskOutcome::kMissing, file.error().describe(), "attach it and run zfcpdump-install hook refresh");
    before = disk::inspect_dump_tool(**file, block_size_of(*dev));
    if (before.verdict == disk::ToolVerdict::kValid) {
      auto a = ondisk::inspect_dump_area(**file, *before.tool);
      if (!a) return with(u, DiskOutcome::kFailed, a.error().describe());
      area = *a;
    }
  }
  if (before.verdict != disk::ToolVerdict::kValid)
    return with(u, DiskOutcome::kRefused, "it no longer holds the dump tool zipl wrote: " + before.problem,
                redo_remedy(e));
  const auto& p = *before.partition;
  if (p.number != e.partition || p.start != e.part_start || p.size != e.part_size)
    return with(u, DiskOutcome::kRefused,
                util::format("its dump tool is on partition %u (byte %llu, %llu bytes), the registry says partition "
                             "%u (byte %llu, %llu bytes)",
                             p.number, static_cast<ull>(p.start), static_cast<ull>(p.size), e.partition,
                             static_cast<ull>(e.part_start), static_cast<ull>(e.part_size)),
                redo_remedy(e));
  const std::string node = dev->is_image ? dev->disk_node : system::partition_node(*dev, e.partition, q.sys);
  if (area && (area->kind == ondisk::DumpAreaKind::kDump || area->kind == ondisk::DumpAreaKind::kBusy))
    return with(u, DiskOutcome::kRefused,
                area->kind == ondisk::DumpAreaKind::kBusy
                    ? std::string("it holds an interrupted dump")
                    : util::format("it holds a dump (%s of memory, kernel %s) that a new dump tool could overwrite",
                                   util::human_size(area->dump->memory_size).c_str(), area->dump->os_release.c_str()),
                util::format("copy the dump off (zgetdump %s > dump.elf), then run zfcpdump-install disk --force "
                             "--partition %u %s",
                             node.empty() ? "<partition>" : node.c_str(), e.partition, e.disk.c_str()));

  // 2. Is anything using it?
  if (!dev->is_image) {
    auto members = disk::disk_members(*dev, q.sys);
    if (!members) return with(u, DiskOutcome::kFailed, members.error().describe());
    auto uses = disk::find_uses(*members, q.sys);
    if (!uses) return with(u, DiskOutcome::kFailed, uses.error().describe());
    if (!uses->empty())
      return with(u, DiskOutcome::kRefused, (*uses)[0].member + " " + (*uses)[0].what, (*uses)[0].advice);
    if (node.empty() || ::access(node.c_str(), F_OK) != 0)
      return with(u, DiskOutcome::kMissing, util::format("partition %u has no device node (%s)", e.partition,
                                                         node.empty() ? "none" : node.c_str()));
  }

  // 3. zipl -d, as `zfcpdump-install disk` runs it.
  util::Command cmd{disk::zipl_dump_argv(q.zipl.program, node), {}, {}};
  if (dev->is_image) cmd.env = disk::zipl_image_env(e.partition, before.tool->block_size);
  u.command = cmd.display();
  auto run = util::run_capture(cmd);
  if (!run)
    return with(u, DiskOutcome::kFailed, "cannot run zipl: " + run.error().describe(),
                "install s390-tools, or name the zipl to run (--zipl, zipl in the configuration)");
  u.zipl_output = run->output;
  if (!run->status.ok()) return with(u, DiskOutcome::kFailed, u.command + " " + run->status.describe());

  // 4. Verify what zipl wrote, with the checks `disk` makes.
  auto file = util::PosixFile::open(dev->disk_node, util::OpenMode::kRead);
  if (!file) return with(u, DiskOutcome::kFailed, file.error().describe());
  if ((*file)->is_block_device()) (void)::ioctl((*file)->fd(), BLKFLSBUF, 0);  // zipl wrote through the partition
  const auto after = disk::inspect_dump_tool(**file, block_size_of(*dev));
  const auto problems = disk::fresh_tool_problems(after, p);
  if (!problems.empty())
    return with(u, DiskOutcome::kFailed, "zipl reported success, but the disk does not hold the dump tool it should: " +
                                             problems[0], redo_remedy(e));
  u.entry.manifest_sha256 = q.manifest_sha256;
  u.entry.dump_size = after.tool->superblock.dump_size;
  return with(u, DiskOutcome::kUpdated, "");
}

}  // namespace zk::installer::hook
