// SPDX-License-Identifier: MIT
#pragma once
/// check's exit statuses (zfcpdump-install(8), EXIT STATUS) and the one rule that combines the
/// two things check judges: the dump tool (valid, current or stale) and the dump area.

namespace zk::installer::commands {

inline constexpr int kCheckReady = 0;        ///< a current dump tool, empty dump area
inline constexpr int kCheckDump = 10;        ///< a valid dump is on the disk
inline constexpr int kCheckIncomplete = 11;  ///< an interrupted dump (busy marker)
inline constexpr int kCheckStale = 12;       ///< the dump tool is older than the layout, area empty
inline constexpr int kCheckDamaged = 13;     ///< an ELF core in the area that does not validate
inline constexpr int kCheckCorrupt = 14;     ///< --verify: the dump's bytes differ from its record
inline constexpr int kCheckNoTool = 20;      ///< no valid dump tool (or the partition was reused)
/// Added to the dump area's status (10, 11, 13, 14) when the tool is also stale (15, 16, 18,
/// 19): the dump is what an administrator must act on first, and the staleness is not hidden.
inline constexpr int kCheckStaleOffset = 5;

/// The exit status from the dump area's status (kCheckReady, kCheckDump, kCheckIncomplete,
/// kCheckDamaged or kCheckCorrupt) and whether the tool is stale. Every other value (a failure,
/// kCheckNoTool) is returned unchanged: without a valid tool there is no currency to tell.
constexpr int combine_check_status(int area_status, bool stale) {
  switch (area_status) {
    case kCheckReady: return stale ? kCheckStale : kCheckReady;
    case kCheckDump:
    case kCheckIncomplete:
    case kCheckDamaged:
    case kCheckCorrupt: return stale ? area_status + kCheckStaleOffset : area_status;
    default: return area_status;
  }
}

}  // namespace zk::installer::commands
