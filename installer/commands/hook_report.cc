// SPDX-License-Identifier: MIT
#include "installer/commands/hook_report.h"

#include <algorithm>

#include "installer/commands/command.h"
#include "util/strings.h"

namespace zk::installer::commands {
namespace {

using hook::HookEvent;
using hook::HookOutcome;

/// The layout builder's messages, held back by the job, told now.
void replay(cli::Report& r, const std::vector<hook::BuildMessage>& messages) {
  using Kind = hook::BuildMessage::Kind;
  for (const auto& [kind, text] : messages) {
    switch (kind) {
      case Kind::kStep: r.step(text); break;
      case Kind::kNote: r.note(text); break;
      case Kind::kWarn: r.warn(text); break;
      case Kind::kError: r.error(text); break;
    }
  }
}

void layout_built(cli::Report& r, const HookOutcome& o) {
  if (o.built && !o.layout_changed) return;  // nothing changed: nothing to say
  replay(r, o.build_messages);
  if (!o.built) return;
  const auto& built = *o.built;
  const bool dry = o.request.dry_run;
  for (const auto& name : built.installed.changed)
    r.note((dry ? "would update " : "updated ") + name);
  if (dry) r.field("dry_run", true);
  r.field("directory", built.installed.dir);
  if (!o.kernel_version.empty()) r.field("kernel_version", o.kernel_version);
  r.field("kernel_release", built.release);
  r.field("ramdisk_bytes", built.ramdisk.file_bytes);
  r.field("hsa_left_bytes", built.hsa_left);
}

void registry_read(cli::Report& r, const HookOutcome& o) {
  if (r.json()) r.field("action", o.request.action);
  if (!o.registry_readable) return;
  r.field("layout_changed", o.layout_changed);
  r.field("manifest_sha256", o.manifest_sha256);
  if (!o.stale) return;
  r.step("Updating the dump disks registered in " + o.registry_path);
  if (o.zipl_reads_elsewhere)
    r.warn(std::string("zipl reads the dump tool from ") + layout::kDefaultZfcpdumpDir +
           " of this system (the path is compiled into zipl), not from " + o.dir);
}

/// Tells what happened to one disk: the zipl command and its output, the result; a disk that is
/// not current as an error with the remedy. `memory`: this system's, for the dump-size warning.
void disk_done(cli::Report& r, const hook::DiskUpdate& u, uint64_t memory) {
  const std::string name =
      util::format("%s (partition %u)", u.entry.disk.c_str(), u.entry.partition);
  if (u.outcome == hook::DiskOutcome::kCurrent) {
    r.note(name + ": current");
    return;
  }
  if (u.outcome == hook::DiskOutcome::kPlanned) {
    r.note(name + ": " + u.detail);
    return;
  }
  if (!u.command.empty()) r.note(name + ": " + u.command);
  if (u.outcome != hook::DiskOutcome::kUpdated) {
    r.error(name + ": " + hook::outcome_name(u.outcome) + ": " + u.detail +
            (u.zipl_output.empty() ? "" : ":\n" + u.zipl_output) +
            (u.remedy.empty() ? "" : "; " + u.remedy));
    return;
  }
  size_t pos = 0;
  while (pos < u.zipl_output.size()) {
    const size_t eol = std::min(u.zipl_output.find('\n', pos), u.zipl_output.size());
    if (eol > pos) r.note("  zipl: " + u.zipl_output.substr(pos, eol - pos));
    pos = eol + 1;
  }
  r.note(util::format("%s: updated and verified, dump size %s", name.c_str(),
                      util::human_size(u.entry.dump_size).c_str()));
  if (u.entry.dump_size < memory)
    r.warn(util::format(
        "%s: the dump size (%s) is smaller than this system's memory (%s): a dump may not fit",
        name.c_str(), util::human_size(u.entry.dump_size).c_str(),
        util::human_size(memory).c_str()));
}

cli::Json disks_json(const std::vector<hook::DiskUpdate>& updates) {
  cli::Json a = cli::Json::array();
  for (const auto& u : updates) {
    cli::Json d = {{"disk", u.entry.disk},
                   {"partition", u.entry.partition},
                   {"outcome", hook::outcome_name(u.outcome)},
                   {"dump_size", u.entry.dump_size}};
    if (!u.detail.empty()) d["detail"] = u.detail;
    if (!u.remedy.empty()) d["remedy"] = u.remedy;
    if (!u.command.empty()) d["command"] = u.command;
    if (!u.zipl_output.empty()) d["zipl_output"] = u.zipl_output;
    a.push_back(std::move(d));
  }
  return a;
}

void removed(cli::Report& r, const HookOutcome& o) {
  cli::Json list = cli::Json::array();
  for (const auto& name : o.removed) {
    r.note("removed " + name);
    list.push_back(name);
  }
  if (r.json()) r.field("action", o.request.action);
  r.field("kernel_version", o.kernel_version);
  r.field_json("removed", std::move(list));
  const size_t n = o.disks_left;
  if (n)
    r.warn(util::format(
        "%zu registered dump disk%s keep%s the dump tool zipl wrote from this kernel: %s still "
        "dump%s, but zfcpdump-install disk and hook refresh need a layout again (install a dump "
        "kernel, or run zfcpdump-install build)",
        n, n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "it" : "they", n == 1 ? "s" : ""));
}

}  // namespace

void tell_hook_event(cli::Report& r, HookEvent event, const HookOutcome& o) {
  switch (event) {
    case HookEvent::kLayoutBuilt: layout_built(r, o); break;
    case HookEvent::kRegistryRead: registry_read(r, o); break;
    case HookEvent::kDiskDone: disk_done(r, o.updates.back(), o.memory); break;
    case HookEvent::kDisksDone:
      r.field_json("disks", disks_json(o.updates));
      r.field("disks_current",
              util::format("%llu of %zu", static_cast<unsigned long long>(o.summary.current),
                           o.registered));
      break;
    case HookEvent::kRemoving:
      r.step("Removing the dump-tool layout of kernel " + o.kernel_version + " from " + o.dir);
      break;
    case HookEvent::kRemoved: removed(r, o); break;
  }
}

int hook_nothing_to_do(cli::Report& r, const std::string& action, const std::string& reason) {
  if (r.json()) {
    r.field("action", action);
    r.field("done", std::string("nothing"));
    r.field("reason", reason);
    r.finish(true);
  }
  return kExitOk;
}

int finish_hook(cli::Report& r, const HookOutcome& o) {
  if (o.stop == hook::HookStop::kNothingToDo)
    return hook_nothing_to_do(r, o.request.action, o.stop_reason);
  if (!o.stop_reason.empty()) r.error(o.stop_reason);
  r.finish(o.stop == hook::HookStop::kNone);
  switch (o.stop) {
    case hook::HookStop::kNone:
    case hook::HookStop::kNothingToDo: return kExitOk;
    case hook::HookStop::kUsage: return kExitUsage;
    case hook::HookStop::kFailure: return kExitFailure;
    case hook::HookStop::kDisksNotCurrent: return kHookDisksNotCurrent;
  }
  return kExitFailure;
}

}  // namespace zk::installer::commands
