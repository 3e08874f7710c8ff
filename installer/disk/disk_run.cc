// SPDX-License-Identifier: MIT
#include "installer/disk/disk_run.h"

#include "initramfs-gen/config_overlay.h"
#include "installer/disk/roots.h"
#include "installer/disk/zipl_conf.h"
#include "installer/layout/build_layout.h"
#include "installer/state/registry.h"
#include "ondisk/dump_area.h"
#include "util/strings.h"

namespace zk::installer::disk {

Result<InstalledLayout> layout_for_disk(const std::string& dir) {
  auto l = read_installed_layout(dir);
  if (!l)
    return fail("no usable dump-tool layout in " + dir + " (" + l.error().describe() +
                "): run zfcpdump-install build first");
  return l;
}

DiskRun::DiskRun(system::Host& host, DiskRequest request, DiskObserver observer)
    : host_(host), observer_(std::move(observer)) {
  o_.request = std::move(request);
  o_.registry_path = layout::layout_dir(o_.request.options.root, o_.request.registry);
}

bool DiskRun::stop(DiskStop why, std::string reason) {
  o_.stop = why;
  o_.stop_reason = std::move(reason);
  return false;
}

std::string DiskRun::layout_dir() const {
  return layout::layout_dir(o_.request.options.root, o_.request.zfcpdump_dir);
}

/// Registered names resolved through the Host (a registry entry names a disk by a stable link).
DiskNodeOf DiskRun::node_of() {
  return [this](const std::string& name) -> std::optional<std::string> {
    auto dev = host_.resolve_block_device(name);
    if (!dev) return std::nullopt;
    return dev->disk_node;
  };
}

bool DiskRun::examine() {
  auto dev = host_.resolve_block_device(o_.request.options.device);
  if (!dev) return stop(DiskStop::kFailure, dev.error().describe());
  o_.dev = *dev;
  {
    // Steps 1 and 2 read the disk; nothing of ours holds it open after them.
    auto file = host_.open_read(o_.dev.disk_node);
    if (!file) return stop(DiskStop::kFailure, file.error().describe());
    if (!look(**file) || !check(**file)) return false;
  }
  return size_and_plan();
}

bool DiskRun::apply(const std::string& question) {
  return consent(question) && partition() && check_layout() && install_tool() &&
         (o_.stopped_before_zipl || (register_disk() && dump_on_panic()));
}

bool DiskRun::look(util::File& file) {
  auto& opt = o_.request.options;
  tell(DiskEvent::kLooking);
  auto partition = partition_to_use(o_.dev, opt.device, opt.partition);
  if (!partition) return stop(DiskStop::kUsage, partition.error().describe());
  opt.partition = *partition;
  tell(DiskEvent::kDeviceResolved);

  o_.before = inspect_dump_tool(
      file, o_.dev.is_image ? std::nullopt : std::optional<uint32_t>(o_.dev.logical_block_size));
  auto sector_size = sector_size_to_use(o_.dev, opt.sector_size, o_.before);
  if (!sector_size) return stop(DiskStop::kUsage, sector_size.error().describe());
  o_.sector_size = *sector_size;
  auto table = ondisk::read_partition_table(file, o_.sector_size);
  if (!table) o_.table_unreadable = table.error().describe();
  else o_.table = *table;
  tell(DiskEvent::kDeviceDescribed);

  auto members = host_.disk_members(o_.dev);
  if (!members) return stop(DiskStop::kFailure, members.error().describe());
  o_.members = *members;
  o_.targets = probe_targets(o_.dev, o_.table, o_.members,
                             [this](const std::string& node) { return host_.exists(node); });
  for (const auto& t : o_.targets) {
    auto found = host_.find_signatures(t);
    if (!found) return stop(DiskStop::kFailure, found.error().describe());
    o_.signatures.push_back(*found);
    tell(DiskEvent::kTargetProbed);
  }
  tell(DiskEvent::kLooked);
  return true;
}

bool DiskRun::check(util::File& file) {
  const auto& opt = o_.request.options;
  tell(DiskEvent::kChecking);
  DiskFacts& f = o_.facts;
  f.device = o_.dev;
  f.table = o_.table;
  for (const auto& m : o_.members)
    if (m.partition) f.kernel_partitions.push_back(*m.partition);
  f.partition = opt.partition;
  f.inspection = o_.before;
  auto uses = host_.find_uses(o_.members);
  if (!uses) return stop(DiskStop::kFailure, uses.error().describe());
  f.uses = *uses;
  // Only what the job overwrites counts: with --partition N, that partition's signatures.
  f.signatures = signatures_in_scope(o_.targets, o_.signatures, opt.partition);
  if (o_.before.verdict == ToolVerdict::kValid)
    if (auto area = ondisk::inspect_dump_area(file, *o_.before.tool)) f.area = *area;
  auto installed = layout::read_installed_manifest(layout_dir());
  auto registry = state::load_registry(o_.registry_path);
  if (!registry) return stop(DiskStop::kFailure, registry.error().describe());
  f.currency =
      tool_currency(find_registered(*registry, o_.dev.disk_node, node_of()),
                    installed ? std::optional<std::string>(installed->second) : std::nullopt);

  o_.refusals = assess(f, false);
  o_.judgement = judge(o_.refusals, opt.force);
  tell(DiskEvent::kJudged);
  if (!o_.judgement.blocking.empty())
    return stop(o_.judgement.already_current ? DiskStop::kAlreadyCurrent : DiskStop::kFailure, "");
  if (opt.force) o_.to_wipe = f.signatures;
  return true;
}

bool DiskRun::size_and_plan() {
  const auto& opt = o_.request.options;
  tell(DiskEvent::kSizing);
  auto layout = layout_for_disk(layout_dir());
  if (!layout) return stop(DiskStop::kFailure, layout.error().describe());
  o_.layout = *layout;
  if (opt.memory) {
    o_.memory = *opt.memory;
  } else {
    auto info = host_.memory_info();
    if (!info)
      return stop(DiskStop::kFailure, "cannot tell how much memory this system can have (" +
                                          info.error().describe() + "): give --memory SIZE");
    o_.memory = info->total();
    o_.online_now = info->online();
  }
  tell(DiskEvent::kMemoryKnown);
  if (auto possible = host_.possible_cpus()) o_.cpus = count_cpu_list(*possible).value_or(1);
  PlanInput in;
  in.memory = o_.memory;
  in.cpus = o_.cpus;
  in.sector_size = o_.sector_size;
  in.disk_size = o_.dev.size;
  in.image_bytes = o_.layout.image_bytes;
  in.initrd_bytes = o_.layout.initrd_bytes;
  // A disk with a wwid gets its own copy of the ramdisk, naming it: zipl copies a few hundred
  // bytes more, which the dump area's size must leave room for.
  // So does a disk given its own dump level.
  const auto& level = o_.request.options.dump_level;
  const std::string wwid = o_.dev.is_image ? std::string() : o_.dev.wwid;
  if ((!wwid.empty() || level) && o_.layout.initrd_bytes) {
    auto text = disk_defaults_text(o_.layout.manifest.dumper_params, wwid, level);
    auto bytes = text ? initramfs::ramdisk_with_overlay_bytes(o_.layout.initrd_bytes, *text)
                      : Result<uint64_t>(std::unexpected(text.error()));
    if (!bytes) return stop(DiskStop::kFailure, bytes.error().describe());
    o_.own_ramdisk_text = *text;
    in.initrd_bytes = *bytes;
  }
  in.table = o_.table;
  in.partition = opt.partition;
  in.label = opt.label;
  in.size = opt.size;
  in.dump_area = opt.dump_area;
  in.allow_small = opt.allow_small;
  o_.plan = plan_dump_partition(in);
  tell(DiskEvent::kSized);
  if (!o_.plan.refusal.empty()) return stop(DiskStop::kFailure, o_.plan.refusal);

  o_.zipl_target =
      o_.dev.is_image ? o_.dev.disk_node : host_.partition_node(o_.dev, o_.target().number);
  o_.zipl = choose_zipl(opt.zipl, o_.request.zipl_env ? o_.request.zipl_env->c_str() : nullptr,
                        o_.request.configured_zipl);
  o_.runs_zipl = runs_zipl(o_.dev, opt.zipl);
  // Found out only when step 6 runs it, a missing zipl would leave the disk partitioned and
  // its signatures erased, with no dump tool: look for it before anything is written.
  if (o_.runs_zipl) {
    if (auto found = host_.find_program(o_.zipl.program); !found)
      return stop(DiskStop::kFailure,
                  "cannot run zipl (" + found.error().describe() + ", zipl from " + o_.zipl.source +
                      "): install s390-tools, or give --zipl PATH; nothing was " + "written");
  }
  tell(DiskEvent::kPlanned);
  return true;
}

bool DiskRun::consent(const std::string& question) {
  if (o_.request.options.yes) return true;
  switch (host_.ask_consent(question)) {
    case system::Consent::kGiven: return true;
    case system::Consent::kRefused:
      return stop(DiskStop::kFailure, "cancelled: nothing was written");
    case system::Consent::kNoTerminal: break;
  }
  return stop(DiskStop::kUsage,
              "standard input is not a terminal, so nobody can confirm: give --yes to let "
              "zfcpdump-install write to " +
                  o_.dev.disk_node + " (nothing was written)");
}

bool DiskRun::partition() {
  tell(DiskEvent::kPartitioning);
  const auto target = o_.target();
  {
    auto lock = host_.lock_disk(o_.dev.disk_node);
    if (!lock) return stop(DiskStop::kFailure, lock.error().describe());
    for (const auto& t : targets_to_wipe(o_.targets, o_.to_wipe)) {
      auto gone = host_.wipe_signatures(t);
      if (!gone) return stop(DiskStop::kFailure, gone.error().describe());
      o_.wiped.push_back(*gone);
      tell(DiskEvent::kTargetWiped);
    }
    tell(DiskEvent::kWipedAll);
    if (o_.new_table()) {
      auto written = host_.write_partition_table(o_.dev.disk_node, *o_.new_table());
      if (!written) return stop(DiskStop::kFailure, written.error().describe());
      o_.written = *written;
      tell(DiskEvent::kTableWritten);
    }
  }  // the lock ends here: udev may now create the partition nodes
  if (o_.dev.is_image) return true;
  std::string node = o_.zipl_target;
  if (o_.new_table()) {
    auto waited = host_.wait_for_partition(o_.dev, target.number, target.start, target.size);
    if (!waited) return stop(DiskStop::kFailure, waited.error().describe());
    node = *waited;
  } else if (!host_.exists(node)) {
    return stop(DiskStop::kFailure,
                util::format("partition %u: no %s", target.number, node.c_str()));
  }
  o_.zipl_target = node;
  tell(DiskEvent::kPartitionReady);
  return true;
}

bool DiskRun::check_layout() {
  tell(DiskEvent::kCheckingLayout);
  auto lock = layout::lock_layout_dir(layout_dir());
  if (!lock) return stop(DiskStop::kFailure, lock.error().describe());
  layout_lock_ = std::move(*lock);
  auto now = layout_for_disk(layout_dir());
  if (!now) return stop(DiskStop::kFailure, now.error().describe());
  if (now->manifest_sha256 != o_.layout.manifest_sha256)
    return stop(DiskStop::kFailure,
                util::format("the dump-tool layout changed while the disk was being partitioned: "
                             "run zfcpdump-install disk --partition %u again",
                             o_.target().number));
  o_.installed = *now;
  tell(DiskEvent::kLayoutChecked);
  return true;
}

/// Steps 6 and 7: zipl, and the checks of what it wrote, through the path the hook shares.
bool DiskRun::install_tool() {
  const auto& opt = o_.request.options;
  o_.stopped_before_zipl = !o_.runs_zipl;
  tell(DiskEvent::kInstalling);
  if (o_.stopped_before_zipl) return true;
  InstallRequest q;
  q.zipl = o_.zipl.program;
  q.target = o_.zipl_target;
  q.disk_node = o_.dev.disk_node;
  q.is_image = o_.dev.is_image;
  q.sector_size = o_.sector_size;
  q.block_size =
      o_.dev.is_image ? std::nullopt : std::optional<uint32_t>(o_.dev.logical_block_size);
  q.expected = o_.target();
  if (!o_.own_ramdisk_text.empty()) {
    auto own = DiskRamdisk::write(layout_dir() + "/" + layout::kInitrdName, o_.own_ramdisk_text);
    if (!own) return stop(DiskStop::kFailure, own.error().describe());
    own_ramdisk_.emplace(std::move(*own));
    q.ramdisk_source = own_ramdisk_->path();
    q.ramdisk_target = layout_dir() + "/" + layout::kInitrdName;
  }
  o_.zipl_command = zipl_command(q).display();
  tell(DiskEvent::kRunningZipl);
  o_.install = install_and_verify(host_, q);
  own_ramdisk_.reset();
  o_.own_ramdisk_used = !q.ramdisk_source.empty() && !o_.install.own_ramdisk_refused;
  const auto& done = o_.install;
  if (done.stage == InstallStage::kVerified) o_.dump_size = done.after.tool->superblock.dump_size;
  if (done.stage != InstallStage::kCannotRun) tell(DiskEvent::kZiplDone);
  switch (done.stage) {
    case InstallStage::kCannotRun:
      return stop(DiskStop::kFailure, "cannot run zipl (" + done.error.describe() +
                                          "): install s390-tools, or give --zipl PATH");
    case InstallStage::kZiplFailed:
      o_.zipl_status = done.run.status.code;
      return stop(done.run.status.code ? DiskStop::kZiplFailed : DiskStop::kFailure,
                  o_.zipl_command + " " + done.run.status.describe() +
                      (done.run.output.empty() ? "" : ":\n" + done.run.output));
    case InstallStage::kCannotRead: return stop(DiskStop::kFailure, done.error.describe());
    case InstallStage::kNotVerified:
      return stop(DiskStop::kFailure,
                  "zipl reported success, but the disk does not hold the dump tool it should: " +
                      done.problems[0]);
    case InstallStage::kVerified: break;
  }
  // With --allow-small or --dump-area, step 3 warned already.
  if (o_.dump_size < o_.plan.sizing.dump_needed && !opt.allow_small && !opt.dump_area)
    return stop(DiskStop::kFailure,
                util::format("the dump size (%s) is smaller than a dump of this system can be (%s)",
                             util::human_size(o_.dump_size).c_str(),
                             util::human_size(o_.plan.sizing.dump_needed).c_str()));
  return true;
}

bool DiskRun::register_disk() {
  tell(DiskEvent::kRegistering);
  const auto target = o_.target();
  o_.stable = host_.stable_disk_path(o_.dev);
  auto reg = state::load_registry(o_.registry_path);
  if (!reg) return stop(DiskStop::kFailure, reg.error().describe());
  for (const auto& old : registered_names(*reg, o_.dev.disk_node, node_of())) {
    if (old == o_.stable) continue;
    o_.replaced.push_back(old);
    reg->remove(old);
  }
  tell(DiskEvent::kEntriesReplaced);
  state::DiskEntry entry{o_.stable,
                         target.number,
                         target.start,
                         target.size,
                         o_.dump_size,
                         o_.installed.manifest_sha256,
                         o_.request.options.dump_area.value_or(0)};
  entry.wwid = o_.dev.wwid;  // how the dumper names this disk (zfcpdump.disk=wwid:...)
  // The disk's own level is what its ramdisk says only when zipl got that ramdisk.
  if (o_.own_ramdisk_used) entry.dump_level = o_.request.options.dump_level;
  reg->upsert(entry);
  if (auto saved = state::save_registry(o_.registry_path, *reg); !saved)
    return stop(DiskStop::kFailure, saved.error().describe());
  tell(DiskEvent::kRegistered);
  layout_lock_ = util::Fd();  // what follows reads nothing of the layout
  if (!o_.dev.is_image) zipl_conf_section();
  return true;
}

/// The zipl.conf(5) dump section that installs the same dump tool (templates/zipl-dump.conf.in),
/// for administrators who drive zipl from /etc/zipl.conf. Shown only; a problem is a note.
void DiskRun::zipl_conf_section() {
  auto values =
      zipl_dump_values(o_.zipl_target, o_.stable, o_.target().number, o_.request.zfcpdump_dir);
  auto tmpl = load_template(template_candidates(kZiplDumpTemplate));
  auto text =
      values && tmpl ? render_template(tmpl->second, *values) : Result<std::string>(std::string());
  auto& s = o_.zipl_conf;
  if (!values || !tmpl || !text) {
    s.problem = (!values ? values.error() : !tmpl ? tmpl.error() : text.error()).describe();
  } else {
    s.section = values->at("SECTION");
    s.text = *text;
  }
  tell(DiskEvent::kZiplConfSection);
}

bool DiskRun::dump_on_panic() {
  const auto& opt = o_.request.options;
  tell(DiskEvent::kDumpconf);
  if (!o_.dev.zfcp) return true;
  auto values = dumpconf_values(*o_.dev.zfcp, o_.stable, o_.target().number);
  if (!values) return stop(DiskStop::kFailure, values.error().describe());
  auto tmpl = load_template(template_candidates(kDumpconfTemplate));
  if (!tmpl) return stop(DiskStop::kFailure, tmpl.error().describe());
  auto text = render_template(tmpl->second, *values);
  if (!text) return stop(DiskStop::kFailure, tmpl->first + ": " + text.error().describe());
  o_.dumpconf_text = *text;
  tell(DiskEvent::kDumpconfRendered);
  if (!opt.write_dumpconf) return true;
  o_.dumpconf_path = under_root(opt.root, kDumpconfPath);
  auto installed = install_with_backup(o_.dumpconf_path, o_.dumpconf_text, host_.now());
  if (!installed) return stop(DiskStop::kFailure, installed.error().describe());
  o_.dumpconf_file = *installed;
  tell(DiskEvent::kDumpconfWritten);
  return true;
}

}  // namespace zk::installer::disk
