// SPDX-License-Identifier: MIT
#pragma once
/// Bringing one registered dump disk in step with the installed layout: the packaging hook's
/// work on each disk of the registry. The disk must still be what the registry says (the
/// dump tool zipl wrote, on the registered partition, nothing in use, no dump waiting to be
/// copied off); then zipl -d runs again, and what it wrote is verified with the same checks
/// `zfcpdump-install disk` makes, through the path both share (disk/install_tool.h). The
/// decisions (refuse_tool, refuse_use, summarize) are pure; update_disk gathers the facts and
/// acts through a system::Host. Nothing here prints.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/in_use.h"
#include "installer/disk/verify.h"
#include "installer/disk/zipl.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "installer/system/host.h"
#include "ondisk/dump_area.h"

namespace zk::installer::hook {

enum class DiskOutcome {
  kCurrent,  ///< the registry says its tool is the installed layout's: not touched
  kUpdated,  ///< zipl ran and the new tool was verified
  kMissing,  ///< the disk (or its partition's node) is not there
  kRefused,  ///< the disk is no longer what the registry says, or holds a dump: not touched
  kFailed,   ///< zipl could not run or failed, or what it wrote did not verify
  kPlanned,  ///< a dry run: zipl -d would run on it (the checks run when it really does)
};

/// "current", "updated", "missing", "refused", "failed", "planned".
[[nodiscard]] const char* outcome_name(DiskOutcome o);

struct DiskUpdateRequest {
  std::string manifest_sha256;  ///< of the installed layout: what "current" means
  disk::ZiplChoice zipl;
  /// Runs zipl -d on a disk whose tool is already the layout's too: zipl itself changed (its
  /// boot code is part of the dump tool), so "current" by the manifest is not current.
  bool rewrite_current = false;
  /// The layout's zfcpdump-initrd and baked dumper parameters: a disk registered with a wwid
  /// gets its own copy of the ramdisk, naming it, as `disk` gave it (disk/disk_ramdisk.h).
  /// Empty layout_initrd: every disk gets the shared one.
  std::string layout_initrd;
  std::string dumper_params;
};

struct DiskUpdate {
  DiskOutcome outcome = DiskOutcome::kFailed;
  std::string detail;      ///< why, for every outcome but kCurrent and kUpdated
  std::string remedy;      ///< what to do about it, when there is something
  state::DiskEntry entry;  ///< the registry entry; for kUpdated with the new manifest and dump size
  std::string command;     ///< the zipl command line run, if any
  std::string zipl_output;  ///< what zipl printed
  uint64_t previous_dump_size = 0;
};

/// Whether the disk still holds what the registry says: the tool zipl wrote (`before`), on the
/// registered partition, with no dump (`area`) waiting to be copied off. nullopt: it does;
/// else the refusal (kRefused), with its remedy. `node`: the partition's node, for the remedy.
[[nodiscard]] std::optional<DiskUpdate> refuse_tool(
    const state::DiskEntry& entry, const disk::ToolInspection& before,
    const std::optional<ondisk::DumpAreaState>& area, const std::string& node);

/// Whether anything uses the disk (`uses`) or its partition has no node (`node_exists`).
[[nodiscard]] std::optional<DiskUpdate> refuse_use(const state::DiskEntry& entry,
                                                   const std::vector<disk::Use>& uses,
                                                   const std::string& node, bool node_exists);

/// Updates the disk of registry entry `entry` when its tool is not the layout's (see the file
/// comment), through `host`. Never throws; every problem is an outcome with its detail.
[[nodiscard]] DiskUpdate update_disk(const state::DiskEntry& entry,
                                     const DiskUpdateRequest& request, system::Host& host);

/// Whether any registered disk's tool is not the layout `manifest_sha256`.
[[nodiscard]] bool any_stale(const state::Registry& registry, const std::string& manifest_sha256);

/// What the hook's disk updates add up to.
struct UpdateSummary {
  uint64_t current = 0;     ///< disks current or updated
  bool all_current = true;  ///< the hook's status: 0 when all are, else 4
};
[[nodiscard]] UpdateSummary summarize(const std::vector<DiskUpdate>& updates);

}  // namespace zk::installer::hook
