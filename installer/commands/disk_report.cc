// SPDX-License-Identifier: MIT
#include "installer/commands/disk_report.h"

#include "filter/dump_level.h"
#include "installer/commands/command.h"
#include "installer/disk/disk_ramdisk.h"
#include "installer/disk/roots.h"
#include "util/strings.h"

namespace zk::installer::commands {
namespace {

/// The zfcpdump.disk= baked into the installed ramdisk's defaults (the manifest's dumper
/// parameters; the last one counts, as in the dumper), empty when none.
std::string baked_disk_choice(const std::string& dumper_params) {
  constexpr std::string_view key = "zfcpdump.disk=";
  std::string out;
  for (std::string_view word : util::split_words(dumper_params))
    if (word.starts_with(key)) out = std::string(word.substr(key.size()));
  return out;
}

/// Tells how the dumper will find the disk just registered: by its own copy of the ramdisk
/// (which names it), else by a kernel parameter, and whether the shared defaults name another.
void disk_choice(cli::Report& r, const disk::DiskOutcome& o) {
  const std::string baked = baked_disk_choice(o.installed.manifest.dumper_params);
  const std::string ours = o.dev.wwid.empty() ? std::string() : "wwid:" + o.dev.wwid;
  if (!ours.empty()) r.field("dumper_disk_choice", ours);
  if (o.own_ramdisk_used) {
    if (!ours.empty())
      r.note("this disk's copy of the ramdisk names it (zfcpdump.disk=" + ours +
             "): the dumper writes this disk even with other dump disks attached");
    r.field("own_ramdisk", true);
    return;
  }
  if (!o.own_ramdisk_text.empty()) {
    r.warn("zipl got the shared ramdisk, not this disk's own (see zipl's output)" +
           (ours.empty() ? std::string()
                         : ": with several dump disks attached, give zfcpdump.disk=" + ours +
                               " in the dump's SCP data"));
  } else if (!ours.empty()) {
    r.note("the dumper knows this disk as zfcpdump.disk=" + ours +
           " (give it in the dump's SCP data when several dump disks are attached)");
  } else if (!o.dev.is_image) {
    r.note(
        "this disk has no wwid: the dumper takes it only when it is the one dump disk "
        "attached (or the FCP dump IPL names its LUN)");
  }
  r.field("own_ramdisk", false);
  if (!baked.empty() && baked == ours)
    r.note("the ramdisk's defaults name this disk (zfcpdump.disk=" + baked + ")");
  else if (!baked.empty())
    r.warn("the ramdisk's defaults name zfcpdump.disk=" + baked +
           ", not this disk: a dump other than an FCP dump IPL of this LUN goes there, or "
           "nowhere (zfcpdump-install build --dumper-param zfcpdump.disk=" +
           (ours.empty() ? std::string("wwid:WWID") : ours) + " changes it)");
}

/// The dump level this disk's dumper takes: its own (disk --dump-level, when zipl got the
/// disk's ramdisk), else the layout's baked one; and what that level leaves out.
void dump_level(cli::Report& r, const disk::DiskOutcome& o) {
  const auto& asked = o.request.options.dump_level;
  const unsigned layout_level = disk::dump_level_of(o.installed.manifest.dumper_params);
  const unsigned level = asked && o.own_ramdisk_used ? *asked : layout_level;
  r.field("dump_level", uint64_t{level});
  if (asked && !o.own_ramdisk_used)
    r.warn(util::format(
        "dump level %u is not in this disk's ramdisk (zipl got the shared one): the dumper takes "
        "the layout's level %u; give zfcpdump.dump_level=%u in the dump's SCP data, or bake it "
        "into the layout (zfcpdump-install build --dump-level %u)",
        *asked, layout_level, *asked, *asked));
  if (level == 0) r.note("dump level 0: the dumper copies every byte of memory (a full copy)");
  else if (level > 1)
    r.note(util::format(
        "dump level %u: the dump leaves out %s, which crash then reads as zeros; a dump level "
        "of 1 keeps all memory (zfcpdump.dump_level=1 in the dump's SCP data for one dump)",
        level, filter::dump_level_words(level).c_str()));
}

using disk::DiskEvent;
using disk::DiskOutcome;
using ull = unsigned long long;

std::string sized(uint64_t b) {
  return util::format("%s (%llu bytes)", util::human_size(b).c_str(), static_cast<ull>(b));
}

/// Each line of `text` as a note (with `prefix`); blank lines, and with `skip_comments` lines
/// starting with '#', are left out.
void note_lines(cli::Report& r, const std::string& text, const std::string& prefix,
                bool skip_comments) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t eol = text.find('\n', pos);
    const std::string line =
        text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (!line.empty() && !(skip_comments && line[0] == '#')) r.note(prefix + line);
    pos = eol == std::string::npos ? text.size() : eol + 1;
  }
}

cli::Json json_partitions(const ondisk::PartitionTable& t) {
  cli::Json a = cli::Json::array();
  for (const auto& p : t.partitions)
    a.push_back({{"number", p.number}, {"start", p.start}, {"size", p.size}});
  return a;
}

cli::Json json_signatures(const std::vector<std::vector<disk::Signature>>& per_target) {
  cli::Json a = cli::Json::array();
  for (const auto& found : per_target)
    for (const auto& s : found)
      a.push_back({{"where", s.where}, {"type", s.type}, {"usage", s.usage}, {"offset", s.offset}});
  return a;
}

void device_resolved(cli::Report& r, const DiskOutcome& o) {
  const auto& dev = o.dev;
  const auto& device = o.request.options.device;
  if (dev.partition)
    r.note(util::format("%s is partition %u of %s: that partition is used as it is", device.c_str(),
                        *dev.partition, dev.disk_node.c_str()));
  r.field("device", device);
  r.field("disk", dev.disk_node);
  r.field("image", dev.is_image);
  r.field("driver", dev.driver);
  r.field("size", dev.size);
}

void device_described(cli::Report& r, const DiskOutcome& o) {
  const auto& dev = o.dev;
  r.field("logical_block_size", uint64_t{o.sector_size});
  r.field("physical_block_size", uint64_t{dev.is_image ? o.sector_size : dev.physical_block_size});
  if (dev.is_image) {
    r.note(util::format("an image file of %s, taken to have %u-byte sectors%s",
                        sized(dev.size).c_str(), o.sector_size,
                        o.request.options.sector_size ? ""
                        : o.before.tool               ? " (from its dump tool)"
                                                      : " (--sector-size to change)"));
  } else {
    const std::string model(util::trim(dev.vendor + " " + dev.model));
    r.note("disk: " + dev.disk_node + (model.empty() ? "" : ", " + model) + ", driver " +
           dev.driver);
    r.note(util::format("size: %s; sectors: %u bytes logical, %u physical", sized(dev.size).c_str(),
                        dev.logical_block_size, dev.physical_block_size));
    if (dev.zfcp) {
      r.note("FCP device " + dev.zfcp->hba_id + ", WWPN " + dev.zfcp->wwpn + ", LUN " +
             dev.zfcp->fcp_lun);
      r.field("hba_id", dev.zfcp->hba_id);
      r.field("wwpn", dev.zfcp->wwpn);
      r.field("lun", dev.zfcp->fcp_lun);
    } else {
      r.note("no zfcp attributes: not an FCP LUN (an emulator's SCSI disk, say)");
    }
  }
  const auto& table = o.table;
  if (o.table_unreadable) r.note("partition table: unreadable (" + *o.table_unreadable + ")");
  if (table.type == ondisk::LabelType::kNone) {
    if (!o.table_unreadable) r.note("partition table: none");
  } else {
    r.note(util::format("partition table: %s, %zu primary partition%s",
                        disk::label_name(table.type), table.partitions.size(),
                        table.partitions.size() == 1 ? "" : "s"));
    for (const auto& p : table.partitions)
      r.note(util::format("  partition %u: from byte %llu, %s", p.number, static_cast<ull>(p.start),
                          sized(p.size).c_str()));
  }
  r.field("label_found", std::string(disk::label_name(table.type)));
  r.field_json("partitions_found", json_partitions(table));
}

void looked(cli::Report& r, const DiskOutcome& o) {
  bool none = true;
  for (const auto& found : o.signatures) none = none && found.empty();
  if (none) r.note("signatures: none (no file system, RAID, LVM, swap or partition table)");
  r.field_json("signatures_found", json_signatures(o.signatures));
  const auto& before = o.before;
  if (before.tool)
    r.note(util::format(
        "dump tool: %s%s, dump size %s",
        before.verdict == disk::ToolVerdict::kValid ? "valid" : "invalid",
        before.partition ? util::format(" on partition %u", before.partition->number).c_str() : "",
        util::human_size(before.tool->superblock.dump_size).c_str()));
  else r.note("dump tool: none");
}

void judged(cli::Report& r, const DiskOutcome& o) {
  const bool force = o.request.options.force;
  // In the order assess gave them, as the user has always seen them.
  for (const auto& ref : o.refusals) {
    if (force && ref.forceable()) r.warn("--force: " + ref.reason);
    else r.error(ref.reason + "; " + ref.remedy);
  }
  if (!o.judgement.blocking.empty()) r.field("refused", true);
  else
    r.note(o.refusals.empty() ? "nothing uses the disk and it holds no data"
                              : "nothing uses the disk");
}

void memory_known(cli::Report& r, const DiskOutcome& o) {
  if (!o.online_now) r.note("memory: " + sized(o.memory) + " (--memory)");
  else
    r.note(util::format("memory: %s online and standby (%s online now)", sized(o.memory).c_str(),
                        util::human_size(*o.online_now).c_str()));
}

/// The sizing, then the plan as far as it got (its refusal is the stop reason).
void sized_plan(cli::Report& r, const DiskOutcome& o) {
  const auto& opt = o.request.options;
  const auto& plan = o.plan;
  const auto& z = plan.sizing;
  const auto& l = o.layout;
  r.note(util::format("vmcore headers and notes: %s (1 MiB + 4 KiB for each of %u possible CPUs)",
                      util::human_size(z.header_margin).c_str(), o.cpus));
  r.note("kernel image segment that Linux 6.x adds to a vmcore: up to " +
         util::human_size(z.kernel_image_margin));
  r.note(
      util::format("dump tool behind the dump area (zipl's reserve for %u-byte blocks, kernel %s, "
                   "ramdisk %s): %s",
                   o.sector_size, util::human_size(l.image_bytes).c_str(),
                   l.initrd_bytes ? util::human_size(l.initrd_bytes).c_str() : "none",
                   sized(z.zipl_reserve).c_str()));
  r.note("smallest dump partition: " + sized(z.partition_min));
  r.field("memory", o.memory);
  r.field("dump_needed", z.dump_needed);
  r.field("zipl_reserve", z.zipl_reserve);
  r.field("partition_min", z.partition_min);
  if (!plan.target) return;
  const auto target = *plan.target;
  if (!plan.new_table) {
    r.note(util::format("dump partition: the existing partition %u, %s", target.number,
                        sized(target.size).c_str()));
  } else {
    if (plan.new_table->capped_by_label)
      r.warn(
          "a DOS partition table addresses only the first 2^32 sectors of this disk: --label gpt "
          "uses all of it");
    r.note(util::format("dump partition: a new partition 1 from 1 MiB, %s, %s",
                        sized(plan.new_table->size).c_str(),
                        opt.size        ? "--size"
                        : opt.dump_area ? "sized for --dump-area"
                                        : "the whole disk"));
  }
  if (!plan.predicted) return;
  r.note("dump area (zipl's maximum dump size): " + sized(*plan.predicted));
  r.field("partition", uint64_t{target.number});
  r.field("partition_start", target.start);
  r.field("partition_size", target.size);
  r.field("expected_dump_size", *plan.predicted);
  if (!plan.refusal.empty()) return;
  if (plan.chosen_small) r.warn(disk::chosen_area_risk(plan, o.memory));
  else if (plan.small) r.warn("--allow-small: " + disk::small_area_message(plan, o.memory));
  if (opt.dump_area) r.field("dump_area_chosen", *opt.dump_area);
}

void planned(cli::Report& r, const DiskOutcome& o) {
  const auto& opt = o.request.options;
  r.step(opt.dry_run ? "Plan (--dry-run: nothing is written)" : "Plan");
  for (const auto& sig : o.to_wipe) r.note("erase " + sig.describe());
  if (const auto& table = o.new_table()) {
    r.note("write a new partition table to " + o.dev.disk_node + ":");
    note_lines(r, disk::render_sfdisk_script(*table), "  ", false);
    r.field("plan_label", std::string(disk::label_name(table->label)));
    r.field_json("plan_sfdisk", disk::render_sfdisk_script(*table));
  }
  if (!o.runs_zipl) {
    r.note("stop before zipl: an image file is no SCSI disk (see --zipl)");
    return;
  }
  std::string command;
  for (const auto& a : disk::zipl_dump_argv(o.zipl.program, o.zipl_target))
    command += (command.empty() ? "" : " ") + a;
  r.note("install the dump tool: " + command + " (zipl from " + o.zipl.source + ")");
  r.field("zipl_command", command);
  r.note("verify it, and register the disk in " + o.registry_path);
  if (!o.dev.is_image && (opt.root != "/" || o.request.zfcpdump_dir != layout::kDefaultZfcpdumpDir))
    r.warn(std::string("zipl reads the dump tool from ") + layout::kDefaultZfcpdumpDir +
           " of this system (the path is compiled into zipl), not from " + o.layout.dir);
  if (opt.write_dumpconf) r.note("write " + disk::under_root(opt.root, disk::kDumpconfPath));
}

void table_written(cli::Report& r, const DiskOutcome& o) {
  for (const auto& m : o.written->messages) r.note(m);
  r.note(util::format("wrote a %s partition table with partition 1 (%s)",
                      disk::label_name(o.new_table()->label),
                      util::human_size(o.new_table()->size).c_str()));
  if (!o.dev.is_image && !o.written->kernel_notified)
    r.note("the kernel did not re-read it: " + o.written->reread_problem);
}

void layout_checked(cli::Report& r, const DiskOutcome& o) {
  const auto& now = o.installed;
  r.note(util::format(
      "%s: kernel %s, ramdisk %s, dumper %s", now.dir.c_str(),
      util::human_size(now.image_bytes).c_str(),
      now.initrd_bytes ? util::human_size(now.initrd_bytes).c_str() : "none",
      now.manifest.dumper_version.empty() ? "(unknown)" : now.manifest.dumper_version.c_str()));
  if (!now.manifest.kernel_release.empty()) r.note("dump kernel: " + now.manifest.kernel_release);
  r.field("layout", now.dir);
}

void installing(cli::Report& r, const DiskOutcome& o) {
  r.step("Installing the dump tool with zipl");
  if (!o.stopped_before_zipl) return;
  r.note(
      "an image file: zipl needs a SCSI disk, so the job stops here. Attach the image to an "
      "s390x system as a SCSI disk and run zfcpdump-install disk --partition 1 on it there, or "
      "give --zipl a program that installs the dump tool on an image");
  r.field("stopped_before", std::string("zipl"));
}

/// What zipl said, then the checks of what it wrote (the stop reason tells a failure).
void zipl_done(cli::Report& r, const DiskOutcome& o) {
  const auto& done = o.install;
  if (done.stage == disk::InstallStage::kZiplFailed) {
    r.field_json("zipl_output", done.run.output);
    return;
  }
  note_lines(r, done.run.output, "zipl: ", false);
  r.step("Verifying what zipl wrote");
  if (done.stage == disk::InstallStage::kCannotRead) return;
  if (!done.flushed) r.note("could not flush the disk's buffers (BLKFLSBUF); reading anyway");
  if (done.stage == disk::InstallStage::kNotVerified) {
    for (size_t i = 1; i < done.problems.size(); ++i) r.error(done.problems[i]);
    return;
  }
  r.note(util::format("dump tool on partition %u, checksum 0x%08x as zipl leaves it, dump size %s",
                      o.target().number, done.after.tool->checksum_now,
                      sized(o.dump_size).c_str()));
  r.field("dump_size", o.dump_size);
  r.field("checksum_ok", done.after.tool->checksum_matches());
  if (o.dump_size != o.plan.predicted.value_or(0))
    r.warn(util::format(
        "zipl's dump size (%llu bytes) is not the %llu bytes its formula predicts: a different "
        "zipl version?",
        static_cast<ull>(o.dump_size), static_cast<ull>(o.plan.predicted.value_or(0))));
}

void zipl_conf_section(cli::Report& r, const DiskOutcome& o) {
  const auto& s = o.zipl_conf;
  if (!s.problem.empty()) {
    r.note("no zipl.conf section: " + s.problem);
    return;
  }
  r.note("for /etc/zipl.conf, the same dump tool as a section (zipl " + s.section + "):");
  note_lines(r, s.text, "  ", true);
  r.field_json("zipl_conf", s.text);
}

void dumpconf(cli::Report& r, const DiskOutcome& o) {
  r.step("Dump on panic (dumpconf)");
  if (o.dev.zfcp && !o.dev.zfcp_path.empty()) {
    // dumpconf names one path of the map; the machine dumps through that one alone.
    r.field("dumpconf_path", o.dev.zfcp_path);
    r.note("the FCP device, WWPN and LUN are those of path " + o.dev.zfcp_path +
           " of the multipath map (SCSI state running); the dump IPL uses that path only");
    std::string others;
    for (const auto& a : o.dev.zfcp_alternatives)
      others += (others.empty() ? "" : "; ") + a.name + " (" + a.state +
                "): DEVICE=" + a.zfcp.hba_id + " WWPN=" + a.zfcp.wwpn + " LUN=" + a.zfcp.fcp_lun;
    if (!others.empty()) {
      r.field("dumpconf_alternatives", others);
      r.note("the map's other paths are alternatives; if path " + o.dev.zfcp_path +
             " fails, set DEVICE, WWPN and LUN to one of them: " + others);
    }
    return;
  }
  if (o.dev.zfcp) return;
  if (!o.dev.zfcp_alternatives.empty()) {
    std::string others;
    for (const auto& a : o.dev.zfcp_alternatives)
      others += (others.empty() ? "" : ", ") + a.name + " (" + a.state + ")";
    r.warn("no path of the multipath map " + o.dev.disk_node +
           " is running, so no dumpconf settings are made; its paths: " + others +
           ". Bring a path online (chccwdev -e, or check the SAN) and run again.");
    return;
  }
  r.note(o.dev.disk_node +
         " has no zfcp attributes (hba_id, wwpn, fcp_lun): it is not an FCP LUN, so the FCP "
         "device, WWPN and LUN that " +
         std::string(disk::kDumpconfPath) +
         " needs cannot be filled in here. On the machine, set DUMP_TYPE=fcp, DEVICE, WWPN, LUN, "
         "BOOTPROG=0 and BR_LBA=0 for the LUN that holds this disk.");
  if (o.request.options.write_dumpconf)
    r.warn("--write-dumpconf: nothing written, the disk is not an FCP LUN");
}

void dumpconf_rendered(cli::Report& r, const DiskOutcome& o) {
  r.field_json("dumpconf", o.dumpconf_text);
  note_lines(r, o.dumpconf_text, "", true);
  if (!o.request.options.write_dumpconf)
    r.note("install them as " + std::string(disk::kDumpconfPath) +
           " with --write-dumpconf, then: systemctl restart dumpconf");
}

void dumpconf_written(cli::Report& r, const DiskOutcome& o) {
  if (!o.dumpconf_file.backup.empty())
    r.note("kept the previous file as " + o.dumpconf_file.backup);
  r.note(o.dumpconf_file.changed ? "wrote " + o.dumpconf_path
                                 : o.dumpconf_path + " already says this");
  r.note("activate it: systemctl enable --now dumpconf (or systemctl restart dumpconf)");
  r.field("dumpconf_written", o.dumpconf_path);
}

}  // namespace

void tell_disk_event(cli::Report& r, DiskEvent event, const DiskOutcome& o) {
  switch (event) {
    case DiskEvent::kLooking: r.step("Looking at " + o.request.options.device); break;
    case DiskEvent::kDeviceResolved: device_resolved(r, o); break;
    case DiskEvent::kDeviceDescribed: device_described(r, o); break;
    case DiskEvent::kTargetProbed:
      for (const auto& sig : o.signatures.back()) r.note("signature: " + sig.describe());
      break;
    case DiskEvent::kLooked: looked(r, o); break;
    case DiskEvent::kChecking:
      r.step("Checking that " + o.dev.disk_node + " can become a dump disk");
      break;
    case DiskEvent::kJudged: judged(r, o); break;
    case DiskEvent::kSizing: r.step("Sizing the dump partition"); break;
    case DiskEvent::kMemoryKnown: memory_known(r, o); break;
    case DiskEvent::kSized: sized_plan(r, o); break;
    case DiskEvent::kPlanned: planned(r, o); break;
    case DiskEvent::kPartitioning:
      r.step(o.new_table() ? "Partitioning " + o.dev.disk_node
                           : util::format("Preparing partition %u", o.target().number));
      break;
    case DiskEvent::kTargetWiped:
      for (const auto& sig : o.wiped.back()) r.note("erased " + sig.describe());
      break;
    case DiskEvent::kWipedAll: {
      cli::Json wiped = cli::Json::array();
      for (const auto& gone : o.wiped)
        for (const auto& sig : gone) wiped.push_back(sig.describe());
      r.field_json("wiped", std::move(wiped));
      break;
    }
    case DiskEvent::kTableWritten: table_written(r, o); break;
    case DiskEvent::kPartitionReady:
      r.note("dump partition: " + o.zipl_target);
      r.field("partition_node", o.zipl_target);
      break;
    case DiskEvent::kCheckingLayout: r.step("Checking the dump-tool layout"); break;
    case DiskEvent::kLayoutChecked: layout_checked(r, o); break;
    case DiskEvent::kInstalling: installing(r, o); break;
    case DiskEvent::kRunningZipl: r.note("running " + o.zipl_command); break;
    case DiskEvent::kZiplDone: zipl_done(r, o); break;
    case DiskEvent::kRegistering: r.step("Registering the dump disk"); break;
    case DiskEvent::kEntriesReplaced:
      for (const auto& old : o.replaced) r.note("replacing the entry " + old);
      break;
    case DiskEvent::kRegistered:
      r.note("registered as " + o.stable + " in " + o.registry_path);
      r.field("registered_as", o.stable);
      disk_choice(r, o);
      dump_level(r, o);
      break;
    case DiskEvent::kZiplConfSection: zipl_conf_section(r, o); break;
    case DiskEvent::kDumpconf: dumpconf(r, o); break;
    case DiskEvent::kDumpconfRendered: dumpconf_rendered(r, o); break;
    case DiskEvent::kDumpconfWritten: dumpconf_written(r, o); break;
  }
}

std::string disk_consent_question(const DiskOutcome& o) {
  const std::string what =
      o.new_table()
          ? "write a new partition table to " + o.dev.disk_node + " (everything on it is lost)"
          : util::format("install the dump tool on partition %u of %s (everything on it is lost)",
                         o.target().number, o.dev.disk_node.c_str());
  return "zfcpdump-install is about to " + what + ".";
}

int finish_disk(cli::Report& r, const DiskOutcome& o) {
  if (!o.stop_reason.empty()) r.error(o.stop_reason);
  r.finish(o.stop == disk::DiskStop::kNone);
  switch (o.stop) {
    case disk::DiskStop::kNone: return kExitOk;
    case disk::DiskStop::kUsage: return kExitUsage;
    case disk::DiskStop::kFailure: return kExitFailure;
    case disk::DiskStop::kAlreadyCurrent: return kDiskAlreadyCurrent;
    case disk::DiskStop::kZiplFailed: return o.zipl_status;
  }
  return kExitFailure;
}

}  // namespace zk::installer::commands
