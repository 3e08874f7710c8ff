// SPDX-License-Identifier: MIT
#pragma once
/// The harvest at boot (`zfcpdump-install save --registered`, run by zfcpdump-kit-save.service):
/// which registered dump disks hold a dump to save. Two parts: `gather_disk_facts` reads one
/// registry entry's disk (read-only), `plan_harvest` decides from those facts as values, so
/// that every decision and its reason is tested without a disk.
///
/// What is saved: a complete dump (sparse or full, partial included: the dump area ran out, but
/// what is there is a valid core) that the registry does not record as saved. An interrupted
/// dump (busy marker) is NOT saved: its ELF header and program headers, written last by the
/// dumper (docs/dump-protocol.md), are missing, so zgetdump, makedumpfile and crash cannot read
/// what is there; the harvest warns and leaves it to the administrator (`check`, then a forced
/// release). A damaged dump (an ELF header that does not validate) is skipped with a warning
/// for the same reason.

#include <span>
#include <string>
#include <vector>

#include "installer/state/registry.h"
#include "ondisk/dump_area.h"

namespace zk::installer::save {

/// What one registered disk holds now, as far as the harvest needs it.
struct DiskFacts {
  enum class Node {
    kPresent,     ///< the disk was read; `area` and the rest say what it holds
    kMissing,     ///< the registry's node does not exist (disk detached, not yet online)
    kUnreadable,  ///< the node exists but could not be opened or read (`detail`)
    kNoTool,      ///< no valid zipl dump tool on it any more (`detail`)
    kOtherDisk,   ///< a dump tool whose partition is not the registered one (`detail`)
  };
  Node node = Node::kMissing;
  ondisk::DumpAreaKind area = ondisk::DumpAreaKind::kEmpty;
  bool checksum_ok = true;
  std::string fingerprint{};  ///< for a dump: save/dump_fingerprint.h
  std::string detail{};
};

enum class HarvestAction { kSkip, kSave };

enum class HarvestReason {
  kUnsaved,       ///< save: a dump the registry does not record as saved
  kMissing,       ///< skip quietly: the disk is not there
  kNothing,       ///< skip quietly: the dump area is empty or was never used
  kAlreadySaved,  ///< skip quietly: the dump's fingerprint is the registry's saved one
  kBusy,          ///< skip, warn: an interrupted dump, unreadable by the dump readers
  kDamaged,       ///< skip, warn: an ELF core that does not validate
  kNoTool,        ///< skip, warn: the disk no longer carries the registered dump tool
  kUnreadable,    ///< skip, warn: an I/O error
};

struct HarvestDecision {
  std::string disk;  ///< the registry entry's node
  HarvestAction action = HarvestAction::kSkip;
  HarvestReason reason = HarvestReason::kNothing;
  /// Whether the caller should log this skip as a warning (the journal at boot) rather than
  /// keep quiet about it.
  bool warn = false;
  std::string detail{};  ///< what the facts said, for the warning
};

[[nodiscard]] const char* harvest_reason_name(HarvestReason r);

/// One line for the log (the journal at boot): the disk, what is done and why, e.g.
/// "/dev/disk/by-id/X: not saved (busy): an interrupted dump ...". The caller prints it, as a
/// warning when `decision.warn`.
[[nodiscard]] std::string harvest_line(const HarvestDecision& decision);

/// Whether `fingerprint` names the dump the registry entry records as saved.
[[nodiscard]] bool already_saved(const state::DiskEntry& entry, const std::string& fingerprint);

/// One decision per entry, in the registry's order; `facts[i]` belongs to `entries[i]` (an entry
/// without facts is taken as missing).
[[nodiscard]] std::vector<HarvestDecision> plan_harvest(std::span<const state::DiskEntry> entries,
                                                        std::span<const DiskFacts> facts);

/// Reads the facts of one registry entry: opens `entry.disk` read-only (never writes), checks
/// its dump tool (ondisk::read_dump_disk) and that the tool's partition is the registered one,
/// inspects the dump area and, for a dump, takes its fingerprint. Every failure is a fact
/// (kMissing, kUnreadable, kNoTool, kOtherDisk), not an error, so that one bad disk does not
/// stop the harvest of the others.
[[nodiscard]] DiskFacts gather_disk_facts(const state::DiskEntry& entry);

}  // namespace zk::installer::save
