// SPDX-License-Identifier: MIT
#include "installer/disk/disk_plan.h"

#include "util/strings.h"

namespace zk::installer::disk {

Result<std::optional<unsigned>> partition_to_use(const system::BlockDevice& dev,
                                                 const std::string& given,
                                                 std::optional<unsigned> option) {
  if (!dev.partition) return option;
  if (option && *option != *dev.partition)
    return fail(util::format("%s is partition %u, but --partition says %u", given.c_str(),
                             *dev.partition, *option));
  return dev.partition;
}

Result<uint32_t> sector_size_to_use(const system::BlockDevice& dev, std::optional<uint32_t> option,
                                    const ToolInspection& before) {
  if (dev.is_image) {
    if (option) return *option;
    if (before.tool) return before.tool->block_size;  // what zipl found it to be
    return uint32_t{512};
  }
  if (option && *option != dev.logical_block_size)
    return fail(util::format("%s has %u-byte sectors; --sector-size is for image files",
                             dev.disk_node.c_str(), dev.logical_block_size));
  return dev.logical_block_size;
}

std::vector<ProbeTarget> probe_targets(const system::BlockDevice& dev,
                                       const ondisk::PartitionTable& table,
                                       const std::vector<Member>& members,
                                       const std::function<bool(const std::string&)>& node_exists) {
  std::vector<ProbeTarget> t;
  t.push_back({dev.disk_node, 0, 0, "the disk"});
  for (const auto& p : table.partitions) {
    ProbeTarget pt{dev.disk_node, p.start, p.size, util::format("partition %u", p.number)};
    for (const auto& m : members)
      if (m.partition == p.number && node_exists(m.node)) pt = {m.node, 0, 0, pt.where};
    t.push_back(pt);
  }
  for (const auto& m : members) {
    if (!m.partition) continue;
    bool listed = false;
    for (const auto& p : table.partitions) listed = listed || p.number == *m.partition;
    if (!listed && node_exists(m.node))
      t.push_back({m.node, 0, 0, util::format("partition %u", *m.partition)});
  }
  return t;
}

std::vector<Signature> signatures_in_scope(const std::vector<ProbeTarget>& targets,
                                           const std::vector<std::vector<Signature>>& found,
                                           std::optional<unsigned> partition) {
  std::vector<Signature> in;
  for (size_t i = 0; i < targets.size() && i < found.size(); ++i)
    if (!partition || targets[i].where == util::format("partition %u", *partition))
      in.insert(in.end(), found[i].begin(), found[i].end());
  return in;
}

Judgement judge(const std::vector<Refusal>& refusals, bool force) {
  Judgement j;
  bool only_current = !refusals.empty();
  for (const auto& ref : refusals) {
    only_current = only_current && ref.kind == RefusalKind::kCurrentDumpDisk;
    if (force && ref.forceable()) j.overridden.push_back(ref);
    else j.blocking.push_back(ref);
  }
  j.already_current = !j.blocking.empty() && only_current;
  return j;
}

std::vector<ProbeTarget> targets_to_wipe(const std::vector<ProbeTarget>& targets,
                                         const std::vector<Signature>& to_wipe) {
  std::vector<ProbeTarget> out;
  for (size_t i = targets.size(); i-- > 0;) {
    bool in_scope = false;
    for (const auto& sig : to_wipe) in_scope = in_scope || sig.where == targets[i].where;
    if (in_scope) out.push_back(targets[i]);
  }
  return out;
}

DiskPlan plan_dump_partition(const PlanInput& in) {
  DiskPlan plan;
  plan.sizing =
      compute_sizing({in.memory, in.cpus, in.sector_size, in.image_bytes, in.initrd_bytes});
  const auto& z = plan.sizing;
  if (in.partition) {
    ondisk::Partition target;  // an unknown N was refused before (RefusalKind::kPartitionChoice)
    for (const auto& p : in.table.partitions)
      if (p.number == *in.partition) target = p;
    plan.target = target;
  } else {
    const uint64_t wanted =
        in.dump_area ? partition_for_dump_size(*in.dump_area, in.sector_size, z.zipl_reserve)
                     : in.size.value_or(0);
    auto p = plan_partition(in.disk_size, in.sector_size, in.label, wanted);
    if (!p) {
      plan.refusal = p.error().describe() +
                     util::format("; a dump disk for this system needs at least %s",
                                  util::human_size(z.partition_min + kAlignment).c_str());
      return plan;
    }
    plan.new_table = *p;
    plan.target = ondisk::Partition{p->number, p->start, p->size};
  }
  plan.predicted =
      zipl_dump_size(plan.target->size, in.sector_size, in.image_bytes, in.initrd_bytes);
  if (!plan.predicted) {
    plan.refusal = util::format(
        "a partition of %s is too small even for the dump tool (zipl reserves %s): a dump disk "
        "for this system needs at least %s",
        util::human_size(plan.target->size).c_str(), util::human_size(z.zipl_reserve).c_str(),
        util::human_size(z.partition_min).c_str());
    return plan;
  }
  plan.small = *plan.predicted < z.dump_needed;
  plan.chosen_small = plan.small && in.dump_area.has_value();
  if (plan.small && !in.allow_small && !plan.chosen_small)
    plan.refusal = small_area_message(plan, in.memory) +
                   util::format("; use a partition of at least %s, or --allow-small to accept it",
                                util::human_size(z.partition_min).c_str());
  return plan;
}

std::string small_area_message(const DiskPlan& plan, uint64_t memory) {
  return util::format(
      "the dump area (%s) is smaller than a dump of this system can be (%s: memory %s plus headers "
      "and the kernel image segment): a dump may not fit",
      util::human_size(plan.predicted.value_or(0)).c_str(),
      util::human_size(plan.sizing.dump_needed).c_str(), util::human_size(memory).c_str());
}

std::string chosen_area_risk(const DiskPlan& plan, uint64_t memory) {
  return util::format(
      "--dump-area: the dump area (%s) is smaller than a full dump of this system (%s: memory %s "
      "plus "
      "headers): a dump whose data outgrows it is cut short and ends as a partial dump, marked "
      "partial, without the memory that did not fit; a full copy (zfcpdump.sparse=0) does not fit",
      util::human_size(plan.predicted.value_or(0)).c_str(),
      util::human_size(plan.sizing.dump_needed).c_str(), util::human_size(memory).c_str());
}

bool runs_zipl(const system::BlockDevice& dev, const std::optional<std::string>& zipl_option) {
  return !dev.is_image || zipl_option.has_value();
}

}  // namespace zk::installer::disk
