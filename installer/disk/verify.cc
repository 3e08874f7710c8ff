// SPDX-License-Identifier: MIT
#include "installer/disk/verify.h"

#include "util/strings.h"

namespace zk::installer::disk {

using ull = unsigned long long;

ToolInspection inspect_dump_tool(util::File& disk, std::optional<uint32_t> block_size) {
  ToolInspection r;
  auto tool = ondisk::read_dump_disk(disk, block_size);
  if (!tool) {
    r.verdict = ToolVerdict::kNoTool;
    r.problem = "no valid SCSI dump tool: " + tool.error().describe();
    return r;
  }
  r.tool = *tool;
  const auto& sb = tool->superblock;
  auto table = ondisk::read_partition_table(disk, tool->block_size);
  if (table) r.partition = ondisk::find_dump_partition(*table, sb);
  if (!r.partition) {
    r.verdict = ToolVerdict::kUnknownPartition;
    r.problem = util::format(
        "the dump superblock names a partition at byte %llu (%llu bytes) that is not in "
        "the partition table",
        static_cast<ull>(sb.part_start), static_cast<ull>(sb.part_size));
    if (!table) r.problem += " (" + table.error().describe() + ")";
    return r;
  }
  if (!tool->usable_for_dump()) {
    r.verdict = ToolVerdict::kReused;
    r.problem =
        "the checksum of the partition start does not match the dump superblock: the partition was "
        "used for something else since zipl -d; run zfcpdump-install disk again";
    return r;
  }
  r.verdict = ToolVerdict::kValid;
  return r;
}

std::vector<std::string> fresh_tool_problems(const ToolInspection& inspection,
                                             const ondisk::Partition& expected) {
  std::vector<std::string> problems;
  if (inspection.verdict != ToolVerdict::kValid) {
    problems.push_back(inspection.problem);
    return problems;
  }
  const auto& p = *inspection.partition;
  if (p.number != expected.number || p.start != expected.start || p.size != expected.size)
    problems.push_back(
        util::format("the dump tool is on partition %u (byte %llu, %llu bytes), not on partition "
                     "%u (byte %llu, %llu bytes)",
                     p.number, static_cast<ull>(p.start), static_cast<ull>(p.size), expected.number,
                     static_cast<ull>(expected.start), static_cast<ull>(expected.size)));
  if (!inspection.tool->checksum_matches())
    problems.push_back(util::format(
        "the checksum of the dump area is 0x%08x, the superblock says 0x%08llx",
        inspection.tool->checksum_now, static_cast<ull>(inspection.tool->superblock.csum)));
  if (inspection.tool->busy) problems.push_back("the dump area starts with the busy marker");
  if (inspection.tool->superblock.dump_size == 0) problems.push_back("the dump size is 0");
  return problems;
}

const char* currency_name(Currency c) {
  switch (c) {
    case Currency::kCurrent: return "current";
    case Currency::kStale: return "stale";
    case Currency::kNotRegistered: return "unknown (disk not registered)";
    case Currency::kNoLayout: return "unknown (no installed layout)";
  }
  return "unknown";
}

namespace {

DiskNodeOf resolving_in(const system::SysRoots& roots) {
  return [roots](const std::string& name) -> std::optional<std::string> {
    auto other = system::resolve_block_device(name, roots);
    if (!other) return std::nullopt;
    return other->disk_node;
  };
}

}  // namespace

const state::DiskEntry* find_registered(const state::Registry& registry,
                                        const std::string& disk_node, const DiskNodeOf& node_of) {
  const state::DiskEntry* found = nullptr;
  for (const auto& e : registry.disks) {
    if (e.disk == disk_node) return &e;
    if (node_of(e.disk) == disk_node) found = &e;
  }
  return found;
}

std::vector<std::string> registered_names(const state::Registry& registry,
                                          const std::string& disk_node, const DiskNodeOf& node_of) {
  std::vector<std::string> names;
  for (const auto& e : registry.disks)
    if (e.disk == disk_node || node_of(e.disk) == disk_node) names.push_back(e.disk);
  return names;
}

const state::DiskEntry* find_registered(const state::Registry& registry,
                                        const std::string& disk_node,
                                        const system::SysRoots& roots) {
  return find_registered(registry, disk_node, resolving_in(roots));
}

std::vector<std::string> registered_names(const state::Registry& registry,
                                          const std::string& disk_node,
                                          const system::SysRoots& roots) {
  return registered_names(registry, disk_node, resolving_in(roots));
}

Currency tool_currency(const state::DiskEntry* entry,
                       const std::optional<std::string>& installed_manifest_sha) {
  if (!installed_manifest_sha) return Currency::kNoLayout;
  if (!entry) return Currency::kNotRegistered;
  return entry->manifest_sha256 == *installed_manifest_sha ? Currency::kCurrent : Currency::kStale;
}

}  // namespace zk::installer::disk
