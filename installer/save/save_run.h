// SPDX-License-Identifier: MIT
#pragma once
/// `zfcpdump-install save DEVICE [DIR]`, the doing: from a dump disk (whole disk, partition or
/// image file) to `DIR/<host>-<dump time>/` with `vmcore` (kdump-compressed by makedumpfile, or
/// an ELF core with holes), `dmesg.txt` and `info.json`. It never writes to the disk.
///
/// Order: the dump is read and fingerprinted; the free space of DIR is checked against the
/// worst case and the floor before anything is written; everything goes into a temporary
/// directory in DIR (kTemporaryPrefix; an interrupted save's leftovers are removed by the next
/// save), is synced and renamed into place, DIR synced; only then are older saved dumps removed
/// (retention) and the registry told (save/dump_fingerprint.h). A dump whose verification
/// fails or whose disk cannot be read to the end is saved all the same, as far as it goes, and
/// says so (SaveStop::kSavedDamaged).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "installer/save/save_plan.h"

namespace zk::installer::save {

struct SaveRequest {
  std::string device;
  std::string dir = "/var/crash";
  SaveFormat format = SaveFormat::kKdump;
  std::string compress = "zstd";
  unsigned dump_level = 31;
  std::string makedumpfile = "makedumpfile";
  unsigned keep = 3;
  uint64_t min_free = 256u << 20;
  std::string registry;   ///< the registry file to mark the dump saved in; empty: none
  std::string host_name;  ///< for the directory's name; empty: this system's
};

enum class SaveStop {
  kSaved,         ///< saved and verified (or, without a record, its structure checked)
  kSavedDamaged,  ///< saved, but the dump is damaged: a digest mismatch, a read error, headers
  kNothing,       ///< the dump area holds no dump (empty, or an interrupted dump)
  kNoSpace,       ///< refused before writing: DIR has not the room for the worst case
  kFailed,        ///< an error (reason)
};

struct SaveOutcome {
  SaveStop stop = SaveStop::kFailed;
  std::string reason;  ///< for every stop but kSaved: why
  std::string disk, partition_node;
  std::string saved_dir;     ///< the final directory
  std::string fingerprint;   ///< of the dump saved
  std::string format;        ///< "kdump" or "elf" (what was written)
  std::string verification;  ///< "ok", "failed", "no record", "invalid record", "read error"
  uint64_t memory = 0, dump_bytes = 0, vmcore_bytes = 0;
  uint64_t space_needed = 0, space_available = 0;
  double seconds = 0;
  bool dmesg = false;
  bool registry_marked = false;
  std::vector<std::string> removed;   ///< older saved dumps retention removed
  std::vector<std::string> notices;   ///< said as notes (no makedumpfile: ELF, ...)
  std::vector<std::string> warnings;  ///< said as warnings
};

struct SaveEvents {
  std::function<void(const std::string& text)> step;
  std::function<void(uint64_t done, uint64_t total)> progress;
};

[[nodiscard]] SaveOutcome run_save(const SaveRequest& request, const SaveEvents& events);

}  // namespace zk::installer::save
