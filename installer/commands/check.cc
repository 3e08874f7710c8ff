// SPDX-License-Identifier: MIT
// zfcpdump-install check DEVICE: what a dump disk holds, without changing it.
#include <time.h>

#include <optional>

#include "installer/commands/check_status.h"
#include "installer/commands/command.h"
#include "installer/disk/disk_ramdisk.h"
#include "installer/disk/dump_integrity.h"
#include "installer/disk/verify.h"
#include "installer/layout/layout.h"
#include "installer/save/dump_fingerprint.h"
#include "installer/save/harvest.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "installer/system/memory.h"
#include "ondisk/dump_area.h"
#include "ondisk/dump_disk.h"
#include "util/file_window.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::installer::commands {

const cli::CommandSpec& check_spec() {
  static const cli::CommandSpec spec{
      "check",
      "check [OPTION]... DEVICE",
      "Reports on a dump disk without changing it: whether it holds a valid SCSI dump tool\n"
      "(the judgement zgetdump -d makes), whether that tool is current with the installed\n"
      "layout, its maximum dump size against the memory of this system, and what the dump\n"
      "area holds: nothing, an interrupted dump, or a dump (kernel release, CPUs, memory,\n"
      "bytes on the disk and their ratio, partial or not, and the dump's integrity record:\n"
      "the dumper's version, start and end time), and whether that dump was saved (to\n"
      "which directory, when). DEVICE is the whole disk or one of its partitions, or a disk\n"
      "image file.",
      {
          {"memory", 0, "SIZE", "compare the dump size with SIZE instead of this system's memory"},
          {"root", 0, "DIR", "the installed layout and registry are below DIR (default /)"},
          {"verify", 0, "",
           "read the whole dump and check its integrity record's digests (14: a mismatch)"},
      },
      1,
      1,
  };
  return spec;
}

namespace {

using ull = unsigned long long;

std::string utc_text(uint64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  tm parts{};
  char text[32] = "?";
  if (gmtime_r(&t, &parts)) strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

/// What the dump in the area holds beyond its headers: bytes on the disk against memory, the
/// integrity record, and with --verify every digest. Returns check's status for the dump.
int report_dump(cli::Report& r, util::File& area, const ondisk::VmcoreInfo& dump, bool verify) {
  auto found = disk::read_integrity_record(area, dump);
  const disk::FoundRecord* rec = found && *found ? &**found : nullptr;
  // Bytes on the disk: what the dumper wrote (the record knows), else the end of the furthest
  // segment. Memory: of the dumped system (the record knows), else what the dump describes.
  const uint64_t bytes = rec ? rec->record.data_offset + rec->record.data_bytes : dump.data_end;
  const uint64_t memory = rec ? rec->record.memory_size : dump.memory_size;
  r.field("dump_bytes", bytes);
  r.field("dump_memory", dump.memory_size);
  r.field("dump_cpus", uint64_t{dump.cpu_count});
  r.field("dump_kernel", dump.os_release);
  if (dump.vmcoreinfo_from_memory)  // a core without the note (QEMU's), read as zgetdump reads it
    r.field("dump_vmcoreinfo", std::string("in memory (no VMCOREINFO note)"));
  if (memory > 0) {
    const double ratio = static_cast<double>(bytes) / static_cast<double>(memory);
    if (r.json()) r.field_json("dump_ratio", cli::Json(ratio));
    else r.field("dump_ratio", util::format("%.3f of memory on the disk", ratio));
  }
  if (!found) {
    r.field("dump_record", std::string("invalid"));
    r.warn("the dump's integrity record is not valid: " + found.error().describe());
    if (!verify) return kCheckDump;
    r.field("verify", std::string("failed"));
    r.error("cannot verify the dump: its integrity record is not valid");
    return kCheckCorrupt;
  }
  if (!rec) {
    r.field("dump_record", std::string("absent"));
    if (verify) {
      r.field("verify", std::string("no integrity record"));
      r.warn(
          "no integrity record (a full copy, or a dump by an older dumper): nothing to verify "
          "beyond the headers");
    }
    return kCheckDump;
  }
  const auto& rc = rec->record;
  r.field("dump_record", std::string("present"));
  r.field("dump_memory_total", rc.memory_size);
  r.field("dump_partial", rc.partial);
  r.field("dump_dumper_version", rc.dumper_version);
  r.field("dump_started", utc_text(rc.start_time));
  r.field("dump_ended", utc_text(rc.end_time));
  r.field("dump_chunks", uint64_t{rc.chunks.size()});
  r.field("dump_chunk_size", rc.chunk_size);
  const auto& f = rc.filter;
  r.field("dump_level", uint64_t{f.applied_level});
  r.field("dump_level_requested", uint64_t{f.requested_level});
  r.field("dump_left_out_bytes", f.left_out() * rc.page_size);
  if (f.applied_level != f.requested_level)
    r.warn(
        util::format("dump level %u was asked for and the dumper wrote the sparse full dump "
                     "(level 1): %s",
                     f.requested_level, f.note.c_str()));
  else if (f.stopped_at != ondisk::kFilterRanToEnd)
    r.warn(
        util::format("the dump level's filter stopped at memory 0x%llx and memory from there "
                     "is in the dump in full: %s",
                     static_cast<ull>(f.stopped_at), f.note.c_str()));
  if (rc.partial)
    r.warn(util::format("partial dump: the dump area was full after %s of %s of memory",
                        util::human_size(rc.memory_dumped).c_str(),
                        util::human_size(rc.memory_size).c_str()));
  if (!verify) return kCheckDump;

  auto v = disk::verify_integrity(area, *rec);
  if (!v) {
    r.error("verifying the dump: " + v.error().describe());
    return kExitFailure;
  }
  r.field("verify", std::string(v->ok() ? "ok" : "failed"));
  r.field("verify_headers", std::string(v->headers_ok ? "ok" : "bad"));
  r.field("verify_chunks", v->chunks);
  r.field("verify_bad_chunks", v->bad_chunks);
  if (!v->headers_ok)
    r.error(
        "the dump's header area (ELF header, program headers, notes) does not match its digest");
  if (v->first_bad) {
    r.field("verify_first_bad_address",
            util::format("0x%llx", static_cast<ull>(v->first_bad->paddr)));
    r.field("verify_first_bad_offset", v->first_bad->offset);
    r.error(util::format(
        "%llu of %llu chunks do not match their digests; the first holds memory from physical "
        "address 0x%llx (chunk %zu of %s at byte %llu of the dump area)",
        static_cast<ull>(v->bad_chunks), static_cast<ull>(v->chunks),
        static_cast<ull>(v->first_bad->paddr), v->first_bad->index,
        util::human_size(rc.chunk_size).c_str(), static_cast<ull>(v->first_bad->offset)));
  }
  return v->ok() ? kCheckDump : kCheckCorrupt;
}

/// The dump_area field for a dump: "dump", and when the registry records this very dump as
/// saved (its fingerprint is the entry's), where and when: in the text "dump, saved to DIR on
/// DATE", in --json saved_to and saved_at (ISO 8601, UTC) beside dump_area "dump". Saving does
/// not change check's exit status (10, a dump): the dump is still on the disk until it is
/// released. A fingerprint that cannot be read is a warning, not a failure of check.
void report_dump_area(cli::Report& r, util::File& area, const ondisk::VmcoreInfo& dump,
                      const state::DiskEntry* entry) {
  const std::string kind = ondisk::dump_area_kind_name(ondisk::DumpAreaKind::kDump);
  std::optional<std::string> fingerprint;
  if (entry && !entry->saved_fingerprint.empty()) {
    auto fp = save::dump_fingerprint(area, dump);
    if (fp) fingerprint = std::move(*fp);
    else r.warn("cannot tell whether the dump was saved: " + fp.error().describe());
  }
  if (!fingerprint || !save::already_saved(*entry, *fingerprint)) {
    r.field("dump_area", kind);
    return;
  }
  const std::string when = utc_text(entry->saved_time);
  if (r.json()) {
    r.field("dump_area", kind);
    r.field("saved_to", entry->saved_dir);
    r.field("saved_at", when);
  } else {
    r.field("dump_area", kind + ", saved to " + entry->saved_dir + " on " + when);
  }
}

}  // namespace

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
  for (const auto& w : ondisk::version_warnings(tool)) r.warn(w);

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
  int status = kCheckReady;  // the dump area's; a stale tool is added at the end
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
  }
  const bool stale = currency == disk::Currency::kStale;
  // The dump level the next dump of this disk takes: the disk's own (disk --dump-level, in its
  // ramdisk and the registry), else the layout's baked one (1 when none is baked). Only for a
  // registered disk: another disk's ramdisk is not known here.
  if (entry) {
    const unsigned configured = entry->dump_level ? *entry->dump_level
                                : installed ? disk::dump_level_of(installed->first.dumper_params)
                                            : 1;
    r.field("configured_dump_level", uint64_t{configured});
  }

  auto area = ondisk::inspect_dump_area(disk, tool);
  if (!area) {
    r.error(area.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  // A dump's field says whether it was saved (report_dump_area).
  if (area->kind != ondisk::DumpAreaKind::kDump)
    r.field("dump_area", std::string(ondisk::dump_area_kind_name(area->kind)));
  switch (area->kind) {
    case ondisk::DumpAreaKind::kDump: {
      util::FileWindow window(disk, sb.part_start + sb.dump_offset, sb.dump_size);
      report_dump_area(r, window, *area->dump, entry);
      status = report_dump(r, window, *area->dump, ctx.args.has("verify"));
      if (status == kExitFailure || status == kCheckCorrupt) {
        r.finish(false);
        return combine_check_status(status, stale);
      }
      break;
    }
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
  return combine_check_status(status, stale);
}

}  // namespace zk::installer::commands
