// zfcpdump-install check DEVICE: what a dump disk holds, without changing it.
#include <optional>

#include "installer/commands/command.h"
#include "installer/disk/verify.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "installer/system/memory.h"
#include "ondisk/dump_area.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::installer::commands {

/// check's exit statuses, most urgent last (zfcpdump-install(8), EXIT STATUS).
inline constexpr int kCheckReady = 0;        ///< a current dump tool, empty dump area
inline constexpr int kCheckDump = 10;        ///< a valid dump is on the disk
inline constexpr int kCheckIncomplete = 11;  ///< an interrupted dump (busy marker)
inline constexpr int kCheckStale = 12;       ///< the dump tool is older than the layout
inline constexpr int kCheckDamaged = 13;     ///< an ELF core in the area that does not validate
inline constexpr int kCheckNoTool = 20;      ///< no valid dump tool (or the partition was reused)

const cli::CommandSpec& check_spec() {
  static const cli::CommandSpec spec{
      "check",
      "check [OPTION]... DEVICE",
      "Reports on a dump disk without changing it: whether it holds a valid SCSI dump tool\n"
      "(the judgement zgetdump -d makes), whether that tool is current with the installed\n"
      "layout, its maximum dump size against the memory of this system, and what the dump\n"
      "area holds: nothing, an interrupted dump, or a dump (size, CPUs, kernel release).\n"
      "DEVICE is the whole disk or one of its partitions, or a disk image file.",
      {
          {"memory", 0, "SIZE", "compare the dump size with SIZE instead of this system's memory"},
          {"root", 0, "DIR", "the installed layout and registry are below DIR (default /)"},
      },
      1,
      1,
  };
  return spec;
}

int run_check(Context& ctx) {
  auto& r = ctx.report;
  const std::string root = ctx.args.get("root").value_or("/");
  auto dev = system::resolve_block_device(ctx.args.positional[0]);
  if (!dev) {
    r.error(dev.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  r.field("disk", dev->disk_node);
  auto file = util::PosixFile::open(dev->disk_node, util::OpenMode::kRead);
  if (!file) {
    r.error(file.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  auto& disk = **file;
  const auto inspection = disk::inspect_dump_tool(
      disk, dev->is_image ? std::nullopt : std::optional<uint32_t>(disk.logical_block_size()));
  if (inspection.verdict == disk::ToolVerdict::kNoTool) {
    r.field("dump_tool", std::string("none"));
    r.error(inspection.problem);
    r.finish(false);
    return kCheckNoTool;
  }
  const auto& tool = *inspection.tool;
  const auto& sb = tool.superblock;
  r.field("block_size", uint64_t{tool.block_size});
  r.field("partition", inspection.partition ? uint64_t{inspection.partition->number} : uint64_t{0});
  r.field("dump_size", sb.dump_size);
  r.field("checksum_ok", tool.checksum_matches());
  if (inspection.verdict != disk::ToolVerdict::kValid) {
    r.field("dump_tool", std::string("invalid"));
    r.error(inspection.problem);
    r.finish(false);
    return kCheckNoTool;
  }
  r.field("dump_tool", std::string("valid"));

  // Memory: is the dump area large enough for everything this system can have online?
  uint64_t memory = 0;
  if (auto m = ctx.args.get("memory")) {
    auto v = util::parse_size(*m);
    if (!v) {
      r.error("invalid --memory '" + *m + "'");
      r.finish(false);
      return kExitUsage;
    }
    memory = *v;
  } else if (auto info = system::read_memory_info()) {
    memory = info->total();
  }
  if (memory) {
    r.field("memory", memory);
    if (sb.dump_size < memory)
      r.warn(util::format("the dump area (%s) is smaller than memory (%s): a dump may not fit",
                          util::human_size(sb.dump_size).c_str(),
                          util::human_size(memory).c_str()));
  }

  // Current or stale: the registry records the layout the tool was written from.
  int status = kCheckReady;
  auto registry = state::load_registry(layout::layout_dir(root, ctx.config.registry));
  auto installed =
      layout::read_installed_manifest(layout::layout_dir(root, ctx.config.zfcpdump_dir));
  const state::DiskEntry* entry =
      registry ? disk::find_registered(*registry, dev->disk_node) : nullptr;
  const auto currency = disk::tool_currency(
      entry, installed ? std::optional<std::string>(installed->second) : std::nullopt);
  const std::string tool_state = disk::currency_name(currency);
  r.field("tool_version", tool_state);
  if (currency == disk::Currency::kStale) {
    r.warn(
        "the dump tool on this disk is older than the installed layout: run zfcpdump-install "
        "disk --force or zfcpdump-install hook refresh");
    status = kCheckStale;
  }

  auto area = ondisk::inspect_dump_area(disk, tool);
  if (!area) {
    r.error(area.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  r.field("dump_area", std::string(ondisk::dump_area_kind_name(area->kind)));
  switch (area->kind) {
    case ondisk::DumpAreaKind::kDump:
      r.field("dump_bytes", area->dump->data_end);  // the area is larger than the dump
      r.field("dump_memory", area->dump->memory_size);
      r.field("dump_cpus", uint64_t{area->dump->cpu_count});
      r.field("dump_kernel", area->dump->os_release);
      status = kCheckDump;
      break;
    case ondisk::DumpAreaKind::kBusy:
      r.warn("the dump area holds an interrupted dump (busy marker)");
      status = kCheckIncomplete;
      break;
    case ondisk::DumpAreaKind::kInvalidDump:
      // A dump was written (it starts like one) but zgetdump could not read it back: worth a
      // status of its own, so that a script saving dumps does not take the disk for empty.
      r.warn("the dump area holds no valid dump: " + area->detail);
      status = kCheckDamaged;
      break;
    case ondisk::DumpAreaKind::kUnknown:
      // What the partition held before zipl -d: the dumper overwrites it, the disk is ready.
      r.warn("the dump area holds no valid dump: " + area->detail);
      break;
    case ondisk::DumpAreaKind::kEmpty: break;
  }
  r.finish(true);
  return status;
}

}  // namespace zk::installer::commands
