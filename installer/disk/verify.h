// SPDX-License-Identifier: MIT
#pragma once
/// The one judgement of a disk's dump tool, shared by `zfcpdump-install check` (report on a
/// disk) and `zfcpdump-install disk` (verify what zipl just wrote, and refuse to redo a disk
/// that is already current): the dump tool as zgetdump -d sees it, its partition, its
/// checksum, and whether the registry says it was written from the installed layout.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "ondisk/dump_disk.h"
#include "ondisk/partition_table.h"
#include "util/file.h"

namespace zk::installer::disk {

enum class ToolVerdict {
  kValid,             ///< a dump tool whose partition is in the table and whose checksum holds
  kNoTool,            ///< no readable SCSI dump tool (or an I/O error reading it)
  kUnknownPartition,  ///< the superblock names a partition the table does not have
  kReused,            ///< the checksum does not match: the partition was used for something else
};

struct ToolInspection {
  ToolVerdict verdict = ToolVerdict::kNoTool;
  std::optional<ondisk::DumpDisk> tool;        ///< unless kNoTool
  std::optional<ondisk::Partition> partition;  ///< for kValid and kReused
  std::string problem;                         ///< why, for every verdict but kValid
};

/// Reads the dump tool of `disk` (ondisk::read_dump_disk) and matches it with the partition
/// table. `block_size` is the disk's logical block size; nullopt for an image file (found from
/// the program table). A dump tool whose area holds an interrupted dump (busy marker) is valid.
[[nodiscard]] ToolInspection inspect_dump_tool(util::File& disk,
                                               std::optional<uint32_t> block_size);

/// What `disk` demands of the tool zipl just wrote, beyond kValid: it sits in `expected` (the
/// partition we made or were given) and its checksum is the fresh-install one. Empty: all good.
[[nodiscard]] std::vector<std::string> fresh_tool_problems(const ToolInspection& inspection,
                                                           const ondisk::Partition& expected);

enum class Currency { kCurrent, kStale, kNotRegistered, kNoLayout };

/// "current", "stale", "unknown (disk not registered)", "unknown (no installed layout)".
[[nodiscard]] const char* currency_name(Currency c);

/// The registry entry for the disk whose node is `disk_node` (entries are stored under stable
/// names such as /dev/disk/by-id/..., so each is resolved), or nullptr.
[[nodiscard]] const state::DiskEntry* find_registered(const state::Registry& registry,
                                                      const std::string& disk_node,
                                                      const system::SysRoots& roots = {});

/// The names of every registry entry for that disk (it may have been registered under another
/// link before).
[[nodiscard]] std::vector<std::string> registered_names(const state::Registry& registry,
                                                        const std::string& disk_node,
                                                        const system::SysRoots& roots = {});

/// The whole-disk node a registered name resolves to, or nullopt (through the Host, so that
/// the matching itself stays a pure decision).
using DiskNodeOf = std::function<std::optional<std::string>(const std::string& name)>;

/// find_registered and registered_names with the resolution given by the caller.
[[nodiscard]] const state::DiskEntry* find_registered(const state::Registry& registry,
                                                      const std::string& disk_node,
                                                      const DiskNodeOf& node_of);
[[nodiscard]] std::vector<std::string> registered_names(const state::Registry& registry,
                                                        const std::string& disk_node,
                                                        const DiskNodeOf& node_of);

/// Whether the dump tool on the disk was written from the installed layout: the registry's
/// entry records the SHA-256 of the layout manifest it was written from.
[[nodiscard]] Currency tool_currency(const state::DiskEntry* entry,
                                     const std::optional<std::string>& installed_manifest_sha);

}  // namespace zk::installer::disk
