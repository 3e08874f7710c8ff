// SPDX-License-Identifier: MIT
// zfcpdump-install save: copies a dump off a dump disk into DIR (save DEVICE [DIR]), saves
// every registered disk's unsaved dump (--registered: the harvest at boot,
// zfcpdump-kit-save.service), or marks a saved dump's area empty (--release DEVICE).
//
// The shape: deciding is save/save_plan.h and save/harvest.h, doing save/save_run.h and
// save/release.h, telling commands/save_report.h; this file parses the words and wires them.
#include <optional>

#include "installer/commands/command.h"
#include "installer/commands/save_report.h"
#include "installer/disk/verify.h"
#include "installer/layout/layout.h"
#include "installer/save/dump_fingerprint.h"
#include "installer/save/harvest.h"
#include "installer/save/release.h"
#include "installer/save/save_run.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "ondisk/dump_area.h"
#include "util/file_window.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::installer::commands {

const cli::CommandSpec& save_spec() {
  static const cli::CommandSpec spec{
      "save",
      "save [OPTION]... DEVICE [DIR] | save --registered [OPTION]... | save --release DEVICE",
      "Copies the dump on a dump disk (whole disk, partition or image file) into\n"
      "DIR/<host>-<dump time>/ (DIR: save_dir of the configuration, /var/crash): vmcore\n"
      "(kdump-compressed by makedumpfile, or with --format elf an ELF core with holes),\n"
      "dmesg.txt (the crashed kernel's log) and info.json. The dump's integrity record is\n"
      "checked on the bytes copied; a damaged dump is saved all the same (exit status 5).\n"
      "The free space is checked first; the directory appears complete or not at all; the\n"
      "newest save_keep saved dumps are kept. The disk is never written; the registry\n"
      "remembers the dump as saved. --registered saves every registered disk's unsaved dump\n"
      "(what zfcpdump-kit-save.service runs at boot); --release marks a saved dump's area\n"
      "empty for the next dump.",
      {
          {"format", 0, "FORMAT", "kdump (makedumpfile, the default) or elf"},
          {"compress", 0, "NAME",
           "makedumpfile's compressor: zstd (default), lzo, snappy, zlib, none"},
          {"dump-level", 'd', "N", "makedumpfile's dump level, 0 to 31 (default 31)"},
          {"keep", 0, "N", "keep the newest N saved dumps in DIR, 0: all (default 3)"},
          {"min-free", 0, "SIZE", "leave at least SIZE free in DIR (default 256M)"},
          {"registered", 0, "", "save every registered disk's unsaved dump"},
          {"release", 0, "", "mark the dump area of DEVICE empty (its dump must be saved)"},
          {"force", 0, "", "with --release: also an unsaved, interrupted or damaged dump"},
          {"root", 0, "DIR", "the registry is below DIR (default /)"},
      },
      0,
      2,
  };
  return spec;
}

namespace {

Result<save::SaveRequest> request_from(Context& ctx) {
  const Config& c = ctx.config;
  save::SaveRequest rq;
  rq.dir = c.save_dir;
  rq.format = c.save_format == "elf" ? save::SaveFormat::kElf : save::SaveFormat::kKdump;
  rq.compress = c.save_compress;
  rq.dump_level = c.save_dump_level;
  rq.makedumpfile = c.makedumpfile;
  rq.keep = c.save_keep;
  rq.min_free = c.save_min_free;
  rq.registry = layout::layout_dir(ctx.args.get("root").value_or("/"), c.registry);
  if (auto v = ctx.args.get("format")) {
    if (*v != "kdump" && *v != "elf") return fail("--format must be kdump or elf");
    rq.format = *v == "elf" ? save::SaveFormat::kElf : save::SaveFormat::kKdump;
  }
  if (auto v = ctx.args.get("compress")) {
    if (*v != "zstd" && *v != "lzo" && *v != "snappy" && *v != "zlib" && *v != "none")
      return fail("--compress must be zstd, lzo, snappy, zlib or none");
    rq.compress = *v;
  }
  if (auto v = ctx.args.get("dump-level")) {
    auto n = util::parse_u64(*v);
    if (!n || *n > 31) return fail("--dump-level must be 0 to 31");
    rq.dump_level = static_cast<unsigned>(*n);
  }
  if (auto v = ctx.args.get("keep")) {
    auto n = util::parse_u64(*v);
    if (!n || *n > 1000) return fail("--keep must be 0 to 1000");
    rq.keep = static_cast<unsigned>(*n);
  }
  if (auto v = ctx.args.get("min-free")) {
    auto n = util::parse_size(*v);
    if (!n) return fail("--min-free must be a size");
    rq.min_free = *n;
  }
  return rq;
}

int save_one(Context& ctx, save::SaveRequest rq) {
  auto& r = ctx.report;
  SaveProgress progress(r);
  save::SaveEvents events;
  events.step = [&](const std::string& t) {
    progress.finish();
    r.step(t);
  };
  events.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };
  r.step("save " + rq.device + " into " + rq.dir);
  const auto outcome = save::run_save(rq, events);
  progress.finish();
  return render_save(r, outcome);
}

int run_registered(Context& ctx, const save::SaveRequest& base) {
  auto& r = ctx.report;
  if (!ctx.config.harvest) {
    r.note("harvest = no in the configuration: nothing to do");
    r.finish(true);
    return kExitOk;
  }
  auto registry = state::load_registry(base.registry);
  if (!registry) {
    r.error(registry.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  std::vector<save::DiskFacts> facts;
  for (const auto& e : registry->disks) facts.push_back(save::gather_disk_facts(e));
  int status = kExitOk;
  unsigned saved = 0;
  cli::Json saves = cli::Json::array();  // one object per disk saved or tried
  for (const auto& d : save::plan_harvest(registry->disks, facts)) {
    if (d.action != save::HarvestAction::kSave) {
      if (d.warn) r.warn(save::harvest_line(d));
      else r.note(save::harvest_line(d));
      continue;
    }
    save::SaveRequest rq = base;
    rq.device = d.disk;
    const int s = save_one(ctx, rq);
    saves.push_back(r.flush_fields());
    saves.back()["exit_status"] = s;
    if (s == kExitOk) ++saved;
    // The worst outcome decides: a failure over a damaged dump over success.
    if (s == kExitFailure || s == kSaveNoSpace) status = kExitFailure;
    else if (s == kSaveDamaged && status == kExitOk) status = kSaveDamaged;
  }
  r.field("disks", uint64_t{registry->disks.size()});
  r.field("saved", uint64_t{saved});
  r.field_json("saves", std::move(saves));
  r.finish(status == kExitOk);
  return status;
}

int run_release(Context& ctx, const save::SaveRequest& base, const std::string& device) {
  auto& r = ctx.report;
  auto dev = system::resolve_block_device(device);
  if (!dev) {
    r.error(dev.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  auto file = util::PosixFile::open(dev->disk_node, util::OpenMode::kReadWrite);
  if (!file) {
    r.error(file.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  auto& disk = **file;
  const auto inspection = disk::inspect_dump_tool(
      disk, dev->is_image ? std::nullopt : std::optional<uint32_t>(disk.logical_block_size()));
  if (!inspection.tool || inspection.verdict == disk::ToolVerdict::kNoTool) {
    r.error("not a dump disk: " + inspection.problem);
    r.finish(false);
    return kExitFailure;
  }
  const auto& tool = *inspection.tool;
  // Saved: the registry's fingerprint is the dump's.
  bool saved = false;
  if (auto registry = state::load_registry(base.registry)) {
    if (const auto* entry = disk::find_registered(*registry, dev->disk_node)) {
      const auto& sb = tool.superblock;
      util::FileWindow area(disk, sb.part_start + sb.dump_offset, sb.dump_size);
      if (auto info = ondisk::read_vmcore(area))
        if (auto fp = save::dump_fingerprint(area, *info)) saved = save::already_saved(*entry, *fp);
    }
  }
  r.step("release the dump area of " + dev->disk_node);
  auto done = save::release_dump_area(disk, tool, {saved, ctx.args.has("force")});
  if (!done) {
    r.error(done.error().describe());
    r.finish(false);
    return kExitFailure;
  }
  r.field("disk", dev->disk_node);
  r.field("released",
          std::string(*done == save::ReleaseResult::kReleased ? "yes" : "already empty"));
  r.finish(true);
  return kExitOk;
}

}  // namespace

int run_save(Context& ctx) {
  auto& r = ctx.report;
  auto rq = request_from(ctx);
  if (!rq) {
    r.error(rq.error().describe());
    r.finish(false);
    return kExitUsage;
  }
  const auto& pos = ctx.args.positional;
  const bool registered = ctx.args.has("registered"), release = ctx.args.has("release");
  if (registered + release > 1 || (registered && !pos.empty()) || (release && pos.size() != 1) ||
      (!registered && !release && pos.empty()) || (ctx.args.has("force") && !release)) {
    r.error("usage: " + std::string(save_spec().synopsis));
    r.finish(false);
    return kExitUsage;
  }
  if (registered) return run_registered(ctx, *rq);
  if (release) return run_release(ctx, *rq, pos[0]);
  rq->device = pos[0];
  if (pos.size() > 1) rq->dir = pos[1];
  const int status = save_one(ctx, *rq);
  r.finish(status == kExitOk || status == kSaveDamaged || status == kSaveNothing);
  return status;
}

}  // namespace zk::installer::commands
