// zfcpdump-install disk DEVICE: makes DEVICE a SCSI dump disk, telling the user each step:
// 1 look at the disk, 2 refuse what must not be overwritten, 3 size the dump partition (the
// plan; --dry-run stops here), 4 partition, 5 check the layout, 6 zipl -d, 7 verify what zipl
// wrote, 8 register the disk, 9 the dump-on-panic configuration. Nothing is written before
// step 4, and step 4 waits for the user's consent (--yes).
//
// Decisions (zfcpdump-install(8) should say the same):
// - The new partition spans the whole disk (a dump LUN is dedicated; more room only helps
//   when memory grows); --size limits it. A DOS label is capped at 2^32 sectors (GPT: --label).
// - The dump layout must exist before anything is written (sizing needs its file sizes), so
//   its check happens at step 3 and again, unchanged, at step 5 (ensure_layout).
// - Any use of the disk or of any of its partitions refuses the job, also with --partition N:
//   zipl writes the disk's LBA 0 too. Existing partitions, signatures, a dump not copied off
//   and "already a current dump disk" (exit status 3) are overridden by --force.
// - An image file: steps 1-5 run (partitioning writes the image); zipl needs a SCSI disk, so
//   the job stops before it, unless --zipl names a program that handles images (told the
//   partition and sector size through the environment, see disk/zipl.h: a wrapper around a
//   guest, or tests/installer/fake-zipl). Images are registered under their real path.
// - zipl's reserve uses the LOGICAL block size: zipl's "phy_block_size" comes from BLKSSZGET.
//
// The shape: the decisions are pure (disk/disk_plan.h, disk/refusals.h, disk/sizing.h), the
// machine is reached only through system::Host, zipl and its checks run through the path the
// hook shares (disk/install_tool.h); this file gathers, decides, acts and tells.
#include <cstdlib>
#include <optional>

#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/disk/disk_options.h"
#include "installer/disk/disk_plan.h"
#include "installer/disk/dumpconf.h"
#include "installer/disk/install_tool.h"
#include "installer/disk/installed_layout.h"
#include "installer/disk/partitioner.h"
#include "installer/disk/refusals.h"
#include "installer/disk/roots.h"
#include "installer/disk/signatures.h"
#include "installer/disk/sizing.h"
#include "installer/disk/verify.h"
#include "installer/disk/zipl.h"
#include "installer/disk/zipl_conf.h"
#include "installer/layout/build_layout.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "installer/system/host.h"
#include "ondisk/dump_area.h"
#include "util/fd.h"
#include "util/strings.h"

namespace zk::installer::commands {
namespace {

using ull = unsigned long long;

/// disk's own exit status (zfcpdump-install(8)): the disk already is a current dump disk of
/// ours and nothing was done. When zipl fails, disk exits with zipl's status.
inline constexpr int kDiskAlreadyCurrent = 3;

std::string sized(uint64_t b) {
  return util::format("%s (%llu bytes)", util::human_size(b).c_str(), static_cast<ull>(b));
}

int give_up(cli::Report& r, const std::string& message, int status = kExitFailure) {
  r.error(message);
  r.finish(false);
  return status;
}

/// Registered names resolved through the Host (a registry entry names a disk by a stable link).
disk::DiskNodeOf node_of(system::Host& host) {
  return [&host](const std::string& name) -> std::optional<std::string> {
    auto dev = host.resolve_block_device(name);
    if (!dev) return std::nullopt;
    return dev->disk_node;
  };
}

/// The installed dump-tool layout zipl reads; when there is none, the user is told to run
/// `zfcpdump-install build` (disk never builds it itself: that takes a kernel and minutes).
Result<disk::InstalledLayout> ensure_layout(const Context& ctx, const std::string& root) {
  const std::string dir = layout::layout_dir(root, ctx.config.zfcpdump_dir);
  auto l = disk::read_installed_layout(dir);
  if (!l)
    return fail("no usable dump-tool layout in " + dir + " (" + l.error().describe() +
                "): run zfcpdump-install build first");
  return l;
}

cli::Json json_partitions(const ondisk::PartitionTable& t) {
  cli::Json a = cli::Json::array();
  for (const auto& p : t.partitions)
    a.push_back({{"number", p.number}, {"start", p.start}, {"size", p.size}});
  return a;
}

cli::Json json_signatures(const std::vector<disk::Signature>& sigs) {
  cli::Json a = cli::Json::array();
  for (const auto& s : sigs)
    a.push_back({{"where", s.where}, {"type", s.type}, {"usage", s.usage}, {"offset", s.offset}});
  return a;
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

/// What a step returns: nullopt to go on, or the exit status to end the job with (having
/// finished the report).
using Stop = std::optional<int>;

struct Job {
  Job(Context& c, system::Host& h, disk::DiskOptions o)
      : ctx(c), host(h), r(c.report), opt(std::move(o)) {}

  Context& ctx;
  system::Host& host;
  cli::Report& r;
  disk::DiskOptions opt;

  // 1. what the device is
  system::BlockDevice dev;
  uint32_t sector_size = 512;
  disk::ToolInspection before;
  ondisk::PartitionTable table;
  std::vector<disk::Member> members;
  std::vector<disk::ProbeTarget> targets;
  std::vector<std::vector<disk::Signature>> signatures;  ///< per target
  // 2. what may be overwritten
  disk::DiskFacts facts;
  // 3. sizes and plan
  disk::InstalledLayout layout;
  disk::Sizing sizing;
  std::optional<disk::PartitionPlan> plan;  ///< a new table; nullopt: --partition N
  ondisk::Partition target;                 ///< the dump partition
  uint64_t predicted = 0;                   ///< zipl's dump size by its formula
  uint64_t memory = 0;                      ///< what the dump area is sized for
  std::vector<disk::Signature> to_wipe;
  disk::ZiplChoice zipl;
  std::string zipl_target;  ///< the partition node (an image: the image)
  bool runs_zipl = true;
  // 4.-8.
  std::string manifest_sha256;  ///< of the layout zipl installed
  uint64_t dump_size = 0;
  std::string stable;  ///< the registered name
  /// The layout lock (as build and hook take it), from the layout check until the disk is
  /// registered: zipl reads the image and ramdisk file by file, and a hook replacing them
  /// meanwhile would leave a tool made of two layouts, or a registry entry it then overwrote.
  util::Fd layout_lock;

  int fail(const std::string& message, int status = kExitFailure) {
    return give_up(r, message, status);
  }
};

Stop look_at_device(Job& j, util::File& file) {
  auto& r = j.r;
  r.step("Looking at " + j.opt.device);
  auto partition = disk::partition_to_use(j.dev, j.opt.device, j.opt.partition);
  if (!partition) return j.fail(partition.error().describe(), kExitUsage);
  j.opt.partition = *partition;
  if (j.dev.partition) {
    r.note(util::format("%s is partition %u of %s: that partition is used as it is",
                        j.opt.device.c_str(), *j.dev.partition, j.dev.disk_node.c_str()));
  }
  r.field("device", j.opt.device);
  r.field("disk", j.dev.disk_node);
  r.field("image", j.dev.is_image);
  r.field("driver", j.dev.driver);
  r.field("size", j.dev.size);

  j.before = disk::inspect_dump_tool(
      file, j.dev.is_image ? std::nullopt : std::optional<uint32_t>(j.dev.logical_block_size));
  auto sector_size = disk::sector_size_to_use(j.dev, j.opt.sector_size, j.before);
  if (!sector_size) return j.fail(sector_size.error().describe(), kExitUsage);
  j.sector_size = *sector_size;
  r.field("logical_block_size", uint64_t{j.sector_size});
  r.field("physical_block_size",
          uint64_t{j.dev.is_image ? j.sector_size : j.dev.physical_block_size});

  if (j.dev.is_image) {
    r.note(util::format("an image file of %s, taken to have %u-byte sectors%s",
                        sized(j.dev.size).c_str(), j.sector_size,
                        j.opt.sector_size ? ""
                        : j.before.tool   ? " (from its dump tool)"
                                          : " (--sector-size to change)"));
  } else {
    const std::string model(util::trim(j.dev.vendor + " " + j.dev.model));
    r.note("disk: " + j.dev.disk_node + (model.empty() ? "" : ", " + model) + ", driver " +
           j.dev.driver);
    r.note(util::format("size: %s; sectors: %u bytes logical, %u physical",
                        sized(j.dev.size).c_str(), j.dev.logical_block_size,
                        j.dev.physical_block_size));
    if (j.dev.zfcp) {
      r.note("FCP device " + j.dev.zfcp->hba_id + ", WWPN " + j.dev.zfcp->wwpn + ", LUN " +
             j.dev.zfcp->fcp_lun);
      r.field("hba_id", j.dev.zfcp->hba_id);
      r.field("wwpn", j.dev.zfcp->wwpn);
      r.field("lun", j.dev.zfcp->fcp_lun);
    } else {
      r.note("no zfcp attributes: not an FCP LUN (an emulator's SCSI disk, say)");
    }
  }

  auto table = ondisk::read_partition_table(file, j.sector_size);
  if (!table) r.note("partition table: unreadable (" + table.error().describe() + ")");
  else j.table = *table;
  if (j.table.type == ondisk::LabelType::kNone) {
    if (table) r.note("partition table: none");
  } else {
    r.note(util::format("partition table: %s, %zu primary partition%s",
                        disk::label_name(j.table.type), j.table.partitions.size(),
                        j.table.partitions.size() == 1 ? "" : "s"));
    for (const auto& p : j.table.partitions)
      r.note(util::format("  partition %u: from byte %llu, %s", p.number, static_cast<ull>(p.start),
                          sized(p.size).c_str()));
  }
  r.field("label_found", std::string(disk::label_name(j.table.type)));
  r.field_json("partitions_found", json_partitions(j.table));

  auto members = j.host.disk_members(j.dev);
  if (!members) return j.fail(members.error().describe());
  j.members = *members;
  j.targets = disk::probe_targets(j.dev, j.table, j.members,
                                  [&j](const std::string& node) { return j.host.exists(node); });
  std::vector<disk::Signature> all;
  for (const auto& t : j.targets) {
    auto found = j.host.find_signatures(t);
    if (!found) return j.fail(found.error().describe());
    for (const auto& sig : *found) r.note("signature: " + sig.describe());
    all.insert(all.end(), found->begin(), found->end());
    j.signatures.push_back(*found);
  }
  if (all.empty()) r.note("signatures: none (no file system, RAID, LVM, swap or partition table)");
  r.field_json("signatures_found", json_signatures(all));

  if (j.before.tool)
    r.note(util::format("dump tool: %s%s, dump size %s",
                        j.before.verdict == disk::ToolVerdict::kValid ? "valid" : "invalid",
                        j.before.partition
                            ? util::format(" on partition %u", j.before.partition->number).c_str()
                            : "",
                        util::human_size(j.before.tool->superblock.dump_size).c_str()));
  else r.note("dump tool: none");
  return std::nullopt;
}

Stop check_disk(Job& j, util::File& file) {
  auto& r = j.r;
  r.step("Checking that " + j.dev.disk_node + " can become a dump disk");
  disk::DiskFacts& f = j.facts;
  f.device = j.dev;
  f.table = j.table;
  for (const auto& m : j.members)
    if (m.partition) f.kernel_partitions.push_back(*m.partition);
  f.partition = j.opt.partition;
  f.inspection = j.before;
  auto uses = j.host.find_uses(j.members);
  if (!uses) return j.fail(uses.error().describe());
  f.uses = *uses;
  // Only what the job overwrites counts: with --partition N, that partition's signatures.
  f.signatures = disk::signatures_in_scope(j.targets, j.signatures, j.opt.partition);
  if (j.before.verdict == disk::ToolVerdict::kValid)
    if (auto area = ondisk::inspect_dump_area(file, *j.before.tool)) f.area = *area;
  auto installed =
      layout::read_installed_manifest(layout::layout_dir(j.opt.root, j.ctx.config.zfcpdump_dir));
  auto registry = state::load_registry(layout::layout_dir(j.opt.root, j.ctx.config.registry));
  if (!registry) return j.fail(registry.error().describe());
  f.currency =
      disk::tool_currency(disk::find_registered(*registry, j.dev.disk_node, node_of(j.host)),
                          installed ? std::optional<std::string>(installed->second) : std::nullopt);

  const auto refusals = disk::assess(f, false);
  const auto judged = disk::judge(refusals, j.opt.force);
  // In the order assess gave them, as the user has always seen them.
  for (const auto& ref : refusals) {
    if (j.opt.force && ref.forceable()) r.warn("--force: " + ref.reason);
    else r.error(ref.reason + "; " + ref.remedy);
  }
  if (!judged.blocking.empty()) {
    r.field("refused", true);
    r.finish(false);
    return judged.already_current ? kDiskAlreadyCurrent : kExitFailure;
  }
  if (j.opt.force) j.to_wipe = f.signatures;
  r.note(refusals.empty() ? "nothing uses the disk and it holds no data" : "nothing uses the disk");
  return std::nullopt;
}

Stop size_and_plan(Job& j) {
  auto& r = j.r;
  r.step("Sizing the dump partition");
  auto layout = ensure_layout(j.ctx, j.opt.root);
  if (!layout) return j.fail(layout.error().describe());
  j.layout = *layout;
  if (j.opt.memory) {
    j.memory = *j.opt.memory;
    r.note("memory: " + sized(j.memory) + " (--memory)");
  } else {
    auto info = j.host.memory_info();
    if (!info)
      return j.fail("cannot tell how much memory this system can have (" + info.error().describe() +
                    "): give --memory SIZE");
    j.memory = info->total();
    r.note(util::format("memory: %s online and standby (%s online now)", sized(j.memory).c_str(),
                        util::human_size(info->online()).c_str()));
  }
  unsigned cpus = 1;
  if (auto possible = j.host.possible_cpus()) cpus = disk::count_cpu_list(*possible).value_or(1);
  const auto& l = j.layout;
  disk::PlanInput in;
  in.memory = j.memory;
  in.cpus = cpus;
  in.sector_size = j.sector_size;
  in.disk_size = j.dev.size;
  in.image_bytes = l.image_bytes;
  in.initrd_bytes = l.initrd_bytes;
  in.table = j.table;
  in.partition = j.opt.partition;
  in.label = j.opt.label;
  in.size = j.opt.size;
  in.dump_area = j.opt.dump_area;
  in.allow_small = j.opt.allow_small;
  const auto plan = disk::plan_dump_partition(in);
  j.sizing = plan.sizing;
  const auto& z = j.sizing;
  r.note(util::format("vmcore headers and notes: %s (1 MiB + 4 KiB for each of %u possible CPUs)",
                      util::human_size(z.header_margin).c_str(), cpus));
  r.note("kernel image segment that Linux 6.x adds to a vmcore: up to " +
         util::human_size(z.kernel_image_margin));
  r.note(
      util::format("dump tool behind the dump area (zipl's reserve for %u-byte blocks, kernel %s, "
                   "ramdisk %s): %s",
                   j.sector_size, util::human_size(l.image_bytes).c_str(),
                   l.initrd_bytes ? util::human_size(l.initrd_bytes).c_str() : "none",
                   sized(z.zipl_reserve).c_str()));
  r.note("smallest dump partition: " + sized(z.partition_min));
  r.field("memory", j.memory);
  r.field("dump_needed", z.dump_needed);
  r.field("zipl_reserve", z.zipl_reserve);
  r.field("partition_min", z.partition_min);

  if (!plan.target) return j.fail(plan.refusal);
  j.target = *plan.target;
  j.plan = plan.new_table;
  if (!j.plan) {
    r.note(util::format("dump partition: the existing partition %u, %s", j.target.number,
                        sized(j.target.size).c_str()));
  } else {
    if (j.plan->capped_by_label)
      r.warn(
          "a DOS partition table addresses only the first 2^32 sectors of this disk: --label gpt "
          "uses all of it");
    r.note(util::format("dump partition: a new partition 1 from 1 MiB, %s, %s",
                        sized(j.plan->size).c_str(),
                        j.opt.size        ? "--size"
                        : j.opt.dump_area ? "sized for --dump-area"
                                          : "the whole disk"));
  }
  if (!plan.predicted) return j.fail(plan.refusal);
  j.predicted = *plan.predicted;
  r.note("dump area (zipl's maximum dump size): " + sized(j.predicted));
  r.field("partition", uint64_t{j.target.number});
  r.field("partition_start", j.target.start);
  r.field("partition_size", j.target.size);
  r.field("expected_dump_size", j.predicted);
  if (!plan.refusal.empty()) return j.fail(plan.refusal);
  if (plan.chosen_small) r.warn(disk::chosen_area_risk(plan, j.memory));
  else if (plan.small) r.warn("--allow-small: " + disk::small_area_message(plan, j.memory));
  if (j.opt.dump_area) r.field("dump_area_chosen", *j.opt.dump_area);

  // The plan.
  j.zipl_target = j.dev.is_image ? j.dev.disk_node : j.host.partition_node(j.dev, j.target.number);
  j.zipl = disk::choose_zipl(j.opt.zipl, std::getenv("ZIPL"), j.ctx.config.zipl);
  j.runs_zipl = disk::runs_zipl(j.dev, j.opt.zipl);
  // Found out only when step 6 runs it, a missing zipl would leave the disk partitioned and
  // its signatures erased, with no dump tool: look for it before anything is written.
  if (j.runs_zipl) {
    if (auto found = j.host.find_program(j.zipl.program); !found)
      return j.fail("cannot run zipl (" + found.error().describe() + ", zipl from " +
                    j.zipl.source +
                    "): install s390-tools, or give --zipl PATH; nothing was written");
  }
  r.step(j.opt.dry_run ? "Plan (--dry-run: nothing is written)" : "Plan");
  for (const auto& sig : j.to_wipe) r.note("erase " + sig.describe());
  if (j.plan) {
    r.note("write a new partition table to " + j.dev.disk_node + ":");
    note_lines(r, disk::render_sfdisk_script(*j.plan), "  ", false);
    r.field("plan_label", std::string(disk::label_name(j.plan->label)));
    r.field_json("plan_sfdisk", disk::render_sfdisk_script(*j.plan));
  }
  if (j.runs_zipl) {
    std::string command;
    for (const auto& a : disk::zipl_dump_argv(j.zipl.program, j.zipl_target))
      command += (command.empty() ? "" : " ") + a;
    r.note("install the dump tool: " + command + " (zipl from " + j.zipl.source + ")");
    r.field("zipl_command", command);
    r.note("verify it, and register the disk in " +
           layout::layout_dir(j.opt.root, j.ctx.config.registry));
    if (!j.dev.is_image &&
        (j.opt.root != "/" || j.ctx.config.zfcpdump_dir != layout::kDefaultZfcpdumpDir))
      r.warn(std::string("zipl reads the dump tool from ") + layout::kDefaultZfcpdumpDir +
             " of this system (the path is compiled into zipl), not from " + j.layout.dir);
    if (j.opt.write_dumpconf) r.note("write " + disk::under_root(j.opt.root, disk::kDumpconfPath));
  } else {
    r.note("stop before zipl: an image file is no SCSI disk (see --zipl)");
  }
  return std::nullopt;
}

Stop get_consent(Job& j) {
  if (j.opt.yes) return std::nullopt;
  const std::string what =
      j.plan
          ? "write a new partition table to " + j.dev.disk_node + " (everything on it is lost)"
          : util::format("install the dump tool on partition %u of %s (everything on it is lost)",
                         j.target.number, j.dev.disk_node.c_str());
  switch (j.host.ask_consent("zfcpdump-install is about to " + what + ".")) {
    case system::Consent::kGiven: return std::nullopt;
    case system::Consent::kRefused: return j.fail("cancelled: nothing was written");
    case system::Consent::kNoTerminal: break;
  }
  return j.fail(
      "standard input is not a terminal, so nobody can confirm: give --yes to let zfcpdump-install "
      "write to " +
          j.dev.disk_node + " (nothing was written)",
      kExitUsage);
}

Stop partition(Job& j) {
  auto& r = j.r;
  r.step(j.plan ? "Partitioning " + j.dev.disk_node
                : util::format("Preparing partition %u", j.target.number));
  {
    auto lock = j.host.lock_disk(j.dev.disk_node);
    if (!lock) return j.fail(lock.error().describe());
    cli::Json wiped = cli::Json::array();
    for (const auto& t : disk::targets_to_wipe(j.targets, j.to_wipe)) {
      auto gone = j.host.wipe_signatures(t);
      if (!gone) return j.fail(gone.error().describe());
      for (const auto& sig : *gone) {
        r.note("erased " + sig.describe());
        wiped.push_back(sig.describe());
      }
    }
    r.field_json("wiped", std::move(wiped));
    if (j.plan) {
      auto written = j.host.write_partition_table(j.dev.disk_node, *j.plan);
      if (!written) return j.fail(written.error().describe());
      for (const auto& m : written->messages) r.note(m);
      r.note(util::format("wrote a %s partition table with partition 1 (%s)",
                          disk::label_name(j.plan->label), util::human_size(j.plan->size).c_str()));
      if (!j.dev.is_image && !written->kernel_notified)
        r.note("the kernel did not re-read it: " + written->reread_problem);
    }
  }  // the lock ends here: udev may now create the partition nodes
  if (j.dev.is_image) return std::nullopt;
  std::string node = j.zipl_target;
  if (j.plan) {
    auto waited = j.host.wait_for_partition(j.dev, j.target.number, j.target.start, j.target.size);
    if (!waited) return j.fail(waited.error().describe());
    node = *waited;
  } else if (!j.host.exists(node)) {
    return j.fail(util::format("partition %u: no %s", j.target.number, node.c_str()));
  }
  j.zipl_target = node;
  r.note("dump partition: " + node);
  r.field("partition_node", node);
  return std::nullopt;
}

Stop check_layout(Job& j) {
  auto& r = j.r;
  r.step("Checking the dump-tool layout");
  auto lock = layout::lock_layout_dir(layout::layout_dir(j.opt.root, j.ctx.config.zfcpdump_dir));
  if (!lock) return j.fail(lock.error().describe());
  j.layout_lock = std::move(*lock);
  auto now = ensure_layout(j.ctx, j.opt.root);
  if (!now) return j.fail(now.error().describe());
  if (now->manifest_sha256 != j.layout.manifest_sha256)
    return j.fail(
        util::format("the dump-tool layout changed while the disk was being partitioned: run "
                     "zfcpdump-install disk --partition %u again",
                     j.target.number));
  r.note(util::format(
      "%s: kernel %s, ramdisk %s, dumper %s", now->dir.c_str(),
      util::human_size(now->image_bytes).c_str(),
      now->initrd_bytes ? util::human_size(now->initrd_bytes).c_str() : "none",
      now->manifest.dumper_version.empty() ? "(unknown)" : now->manifest.dumper_version.c_str()));
  if (!now->manifest.kernel_release.empty()) r.note("dump kernel: " + now->manifest.kernel_release);
  r.field("layout", now->dir);
  j.manifest_sha256 = now->manifest_sha256;
  return std::nullopt;
}

/// Steps 6 and 7: zipl, and the checks of what it wrote, through the path the hook shares.
Stop install_dump_tool(Job& j) {
  auto& r = j.r;
  r.step("Installing the dump tool with zipl");
  if (!j.runs_zipl) {
    r.note(
        "an image file: zipl needs a SCSI disk, so the job stops here. Attach the image to an "
        "s390x system as a "
        "SCSI disk and run zfcpdump-install disk --partition 1 on it there, or give --zipl a "
        "program that installs "
        "the dump tool on an image");
    r.field("stopped_before", std::string("zipl"));
    r.finish(true);
    return kExitOk;
  }
  disk::InstallRequest q;
  q.zipl = j.zipl.program;
  q.target = j.zipl_target;
  q.disk_node = j.dev.disk_node;
  q.is_image = j.dev.is_image;
  q.sector_size = j.sector_size;
  q.block_size = j.dev.is_image ? std::nullopt : std::optional<uint32_t>(j.dev.logical_block_size);
  q.expected = j.target;
  const std::string command = disk::zipl_command(q).display();
  r.note("running " + command);
  const auto done = disk::install_and_verify(j.host, q);
  if (done.stage == disk::InstallStage::kCannotRun)
    return j.fail("cannot run zipl (" + done.error.describe() +
                  "): install s390-tools, or give --zipl PATH");
  if (done.stage == disk::InstallStage::kZiplFailed) {
    r.field_json("zipl_output", done.run.output);
    return j.fail(command + " " + done.run.status.describe() +
                      (done.run.output.empty() ? "" : ":\n" + done.run.output),
                  done.run.status.code ? done.run.status.code : kExitFailure);
  }
  note_lines(r, done.run.output, "zipl: ", false);

  r.step("Verifying what zipl wrote");
  if (done.stage == disk::InstallStage::kCannotRead) return j.fail(done.error.describe());
  if (!done.flushed) r.note("could not flush the disk's buffers (BLKFLSBUF); reading anyway");
  if (done.stage == disk::InstallStage::kNotVerified) {
    for (size_t i = 1; i < done.problems.size(); ++i) r.error(done.problems[i]);
    return j.fail("zipl reported success, but the disk does not hold the dump tool it should: " +
                  done.problems[0]);
  }
  const auto& after = done.after;
  j.dump_size = after.tool->superblock.dump_size;
  r.note(util::format("dump tool on partition %u, checksum 0x%08x as zipl leaves it, dump size %s",
                      j.target.number, after.tool->checksum_now, sized(j.dump_size).c_str()));
  r.field("dump_size", j.dump_size);
  r.field("checksum_ok", after.tool->checksum_matches());
  if (j.dump_size != j.predicted)
    r.warn(
        util::format("zipl's dump size (%llu bytes) is not the %llu bytes its formula predicts: a "
                     "different zipl "
                     "version?",
                     static_cast<ull>(j.dump_size), static_cast<ull>(j.predicted)));
  // With --allow-small or --dump-area, step 3 warned already.
  if (j.dump_size < j.sizing.dump_needed && !j.opt.allow_small && !j.opt.dump_area)
    return j.fail(util::format(
        "the dump size (%s) is smaller than a dump of this system can be (%s)",
        util::human_size(j.dump_size).c_str(), util::human_size(j.sizing.dump_needed).c_str()));
  return std::nullopt;
}

/// The zipl.conf(5) dump section that installs the same dump tool (templates/zipl-dump.conf.in),
/// for administrators who drive zipl from /etc/zipl.conf. Shown only; a problem is a note.
void zipl_conf_section(Job& j) {
  auto values =
      disk::zipl_dump_values(j.zipl_target, j.stable, j.target.number, j.ctx.config.zfcpdump_dir);
  auto tmpl = disk::load_template(disk::template_candidates(disk::kZiplDumpTemplate));
  auto text = values && tmpl ? disk::render_template(tmpl->second, *values)
                             : Result<std::string>(std::string());
  if (!values || !tmpl || !text) {
    j.r.note("no zipl.conf section: " + (!values ? values.error()
                                         : !tmpl ? tmpl.error()
                                                 : text.error())
                                            .describe());
    return;
  }
  j.r.note("for /etc/zipl.conf, the same dump tool as a section (zipl " + values->at("SECTION") +
           "):");
  note_lines(j.r, *text, "  ", true);
  j.r.field_json("zipl_conf", *text);
}

Stop register_disk(Job& j) {
  auto& r = j.r;
  r.step("Registering the dump disk");
  j.stable = j.host.stable_disk_path(j.dev);
  const std::string path = layout::layout_dir(j.opt.root, j.ctx.config.registry);
  auto reg = state::load_registry(path);
  if (!reg) return j.fail(reg.error().describe());
  for (const auto& old : disk::registered_names(*reg, j.dev.disk_node, node_of(j.host))) {
    if (old == j.stable) continue;
    r.note("replacing the entry " + old);
    reg->remove(old);
  }
  reg->upsert({j.stable, j.target.number, j.target.start, j.target.size, j.dump_size,
               j.manifest_sha256, j.opt.dump_area.value_or(0)});
  if (auto saved = state::save_registry(path, *reg); !saved)
    return j.fail(saved.error().describe());
  r.note("registered as " + j.stable + " in " + path);
  r.field("registered_as", j.stable);
  j.layout_lock = util::Fd();  // what follows reads nothing of the layout
  if (!j.dev.is_image) zipl_conf_section(j);
  return std::nullopt;
}

Stop dump_on_panic(Job& j) {
  auto& r = j.r;
  r.step("Dump on panic (dumpconf)");
  if (!j.dev.zfcp) {
    r.note(j.dev.disk_node +
           " has no zfcp attributes (hba_id, wwpn, fcp_lun): it is not an FCP LUN, so the FCP "
           "device, WWPN and LUN that " +
           std::string(disk::kDumpconfPath) +
           " needs cannot be filled in here. On the "
           "machine, set DUMP_TYPE=fcp, DEVICE, WWPN, LUN, BOOTPROG=0 and BR_LBA=0 for the LUN "
           "that holds this disk.");
    if (j.opt.write_dumpconf)
      r.warn("--write-dumpconf: nothing written, the disk is not an FCP LUN");
    return std::nullopt;
  }
  auto values = disk::dumpconf_values(*j.dev.zfcp, j.stable, j.target.number);
  if (!values) return j.fail(values.error().describe());
  auto tmpl = disk::load_template(disk::template_candidates(disk::kDumpconfTemplate));
  if (!tmpl) return j.fail(tmpl.error().describe());
  auto text = disk::render_template(tmpl->second, *values);
  if (!text) return j.fail(tmpl->first + ": " + text.error().describe());
  r.field_json("dumpconf", *text);
  note_lines(r, *text, "", true);
  if (!j.opt.write_dumpconf) {
    r.note("install them as " + std::string(disk::kDumpconfPath) +
           " with --write-dumpconf, then: systemctl restart dumpconf");
    return std::nullopt;
  }
  const std::string path = disk::under_root(j.opt.root, disk::kDumpconfPath);
  auto installed = disk::install_with_backup(path, *text, j.host.now());
  if (!installed) return j.fail(installed.error().describe());
  if (!installed->backup.empty()) r.note("kept the previous file as " + installed->backup);
  r.note(installed->changed ? "wrote " + path : path + " already says this");
  r.note("activate it: systemctl enable --now dumpconf (or systemctl restart dumpconf)");
  r.field("dumpconf_written", path);
  return std::nullopt;
}

}  // namespace

const cli::CommandSpec& disk_spec() {
  static const cli::CommandSpec spec{
      "disk",
      "disk [OPTION]... DEVICE",
      "Makes DEVICE a SCSI dump disk: checks that nothing uses it and that it holds no data\n"
      "(or erases it with --force), sizes the dump partition for all the memory this system can\n"
      "have online plus the dump tool, writes the partition table, runs zipl -d, verifies what\n"
      "zipl wrote, registers the disk, and prints the dumpconf settings for dump on panic.\n"
      "DEVICE is a whole disk (an FCP LUN, a multipath map; /dev/disk/by-id links are fine) or\n"
      "one of its partitions (then used as it is, like --partition), or a disk image file: the\n"
      "image is checked and partitioned, and the job stops before zipl, which needs a SCSI\n"
      "disk, unless --zipl names a program that can install the dump tool on an image.\n"
      "Nothing is written before the plan is shown and confirmed (--yes when standard input\n"
      "is not a terminal).\n"
      "Exit status: 0 done (or planned), 1 refused or failed, 2 usage, 3 DEVICE already is a\n"
      "current dump disk (nothing done); when zipl fails, zipl's own exit status.",
      {
          {"dry-run", 'n', "",
           "show what would be done (checks, sizes, partition table, zipl command); write nothing"},
          {"yes", 'y', "",
           "do not ask for confirmation (required when standard input is not a terminal)"},
          {"force", 'f', "",
           "erase existing partitions and signatures (file systems, RAID, LVM, swap) and redo a "
           "current dump disk"},
          {"allow-small", 0, "",
           "accept a dump partition smaller than memory (a dump may not fit)"},
          {"label", 0, "TYPE", "partition table to write: dos (default) or gpt"},
          {"partition", 0, "N",
           "use the existing partition N as it is instead of partitioning the disk"},
          {"size", 0, "SIZE", "size of the new dump partition (default: the whole disk)"},
          {"dump-area", 0, "SIZE",
           "size the new partition for a dump area of SIZE, even below a full dump (recorded; "
           "warns)"},
          {"memory", 0, "SIZE", "size the dump area for SIZE of memory instead of this system's"},
          {"sector-size", 0, "BYTES", "sector size of an image file: 512 (default) or 4096"},
          {"zipl", 0, "PATH", "the zipl to run (default: $ZIPL, else zipl from the configuration)"},
          {"write-dumpconf", 0, "",
           "install the dump-on-panic settings as /etc/sysconfig/dumpconf (keeping a backup)"},
          {"root", 0, "DIR",
           "the layout, the registry and /etc/sysconfig/dumpconf are below DIR (default /)"},
      },
      1,
      1,
  };
  return spec;
}

int run_disk(Context& ctx) {
  system::RealHost host;
  return run_disk_on(ctx, host);
}

int run_disk_on(Context& ctx, system::Host& host) {
  auto parsed = disk::parse_disk_options(ctx.args);
  if (!parsed) return give_up(ctx.report, parsed.error().describe(), kExitUsage);
  Job j(ctx, host, *parsed);

  auto dev = host.resolve_block_device(j.opt.device);
  if (!dev) return j.fail(dev.error().describe());
  j.dev = *dev;
  {
    // Steps 1 and 2 read the disk; nothing of ours holds it open after them.
    auto file = host.open_read(j.dev.disk_node);
    if (!file) return j.fail(file.error().describe());
    if (auto s = look_at_device(j, **file)) return *s;
    if (auto s = check_disk(j, **file)) return *s;
  }
  if (auto s = size_and_plan(j)) return *s;
  if (j.opt.dry_run) {
    j.r.finish(true);
    return kExitOk;
  }
  for (auto step :
       {get_consent, partition, check_layout, install_dump_tool, register_disk, dump_on_panic})
    if (auto s = step(j)) return *s;
  j.r.finish(true);
  return kExitOk;
}

}  // namespace zk::installer::commands
