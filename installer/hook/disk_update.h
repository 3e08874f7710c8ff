#pragma once
/// Bringing one registered dump disk in step with the installed layout: the packaging hook's
/// work on each disk of the registry. The disk must still be what the registry says (the
/// dump tool zipl wrote, on the registered partition, nothing in use, no dump waiting to be
/// copied off); then zipl -d runs again, and what it wrote is verified with the same checks
/// `zfcpdump-install disk` makes (disk/verify.h). Nothing here prints.

#include <cstdint>
#include <string>
#include <vector>

#include "installer/disk/zipl.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"

namespace zk::installer::hook {

enum class DiskOutcome {
  kCurrent,  ///< the registry says its tool is the installed layout's: not touched
  kUpdated,  ///< zipl ran and the new tool was verified
  kMissing,  ///< the disk (or its partition's node) is not there
  kRefused,  ///< the disk is no longer what the registry says, or holds a dump: not touched
  kFailed,   ///< zipl could not run or failed, or what it wrote did not verify
};

/// "current", "updated", "missing", "refused", "failed".
[[nodiscard]] const char* outcome_name(DiskOutcome o);

struct DiskUpdateRequest {
  std::string manifest_sha256;  ///< of the installed layout: what "current" means
  disk::ZiplChoice zipl;
  system::SysRoots sys;         ///< /sys, /dev, /proc (tests give a tree)
};

struct DiskUpdate {
  DiskOutcome outcome = DiskOutcome::kFailed;
  std::string detail;           ///< why, for every outcome but kCurrent and kUpdated
  std::string remedy;           ///< what to do about it, when there is something
  state::DiskEntry entry;       ///< the registry entry; for kUpdated with the new manifest and dump size
  std::string command;          ///< the zipl command line run, if any
  std::string zipl_output;      ///< what zipl printed
  uint64_t previous_dump_size = 0;
};

/// Updates the disk of registry entry `entry` when its tool is not the layout's (see the file
/// comment). Never throws; every problem is an outcome with its detail.
[[nodiscard]] DiskUpdate update_disk(const state::DiskEntry& entry, const DiskUpdateRequest& request);

}  // namespace zk::installer::hook
