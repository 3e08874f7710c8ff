// SPDX-License-Identifier: MIT
#pragma once
/// Releasing a dump area: after a dump was saved, mark the area empty for the next dump, as
/// `zipl -d` left it (its first 64 KiB zeroed, docs/on-disk-format.md), with the superblock's
/// checksum kept consistent, so that `zgetdump -d` still accepts the disk, `zgetdump -i` finds
/// no dump and `zfcpdump-install check` says "empty". Only the first 64 KiB of the dump area
/// and the superblock's checksum field are written; nothing else on the disk changes.

#include <cstdint>

#include "ondisk/dump_disk.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::installer::save {

/// How many bytes at the start of the dump area `zipl -d` zeroes (or the whole area when it is
/// smaller), and so what a release zeroes.
inline constexpr uint64_t kZiplZeroedBytes = 64 * 1024;

struct ReleaseRequest {
  /// The registry's verdict: the dump in the area was saved (its fingerprint is the registry's
  /// `saved_fingerprint`). An unsaved dump is refused unless `force`.
  bool saved = false;
  /// Release even an unsaved dump, an interrupted one (busy marker), a damaged one, or data
  /// that is not a dump. Never overrides a partition that is no longer zipl's (stale checksum
  /// without the busy marker): that needs `zfcpdump-install disk` again.
  bool force = false;
};

enum class ReleaseResult {
  kReleased,      ///< the area held something and is empty now
  kAlreadyEmpty,  ///< nothing was written: the area was empty and the checksum matched
};

/// Releases the dump area of `target` on `disk` (the whole disk `target` was read from, opened
/// read-write without direct I/O). Refusals come before any write and say why. The writes
/// follow the dumper's own protocol (docs/dump-protocol.md): the area reads "busy" until the
/// last write, so that a failure or a crash at any point leaves a disk the dumper still writes
/// to (checksum matching, or the busy marker at the start of the area) and `check` reports
/// "incomplete" until a forced release ends it:
///   1. the busy marker at the start of the area (the dump is gone from here on) and the
///      checksum of the area with it, as the dumper stores them;
///   2. zeros over the rest of the first 64 KiB of the area;
///   3. the checksum the area will have once the marker is zeroed too;
///   4. zeros over the marker.
/// Each step is synced before the next.
Result<ReleaseResult> release_dump_area(util::File& disk, const ondisk::DumpDisk& target,
                                        const ReleaseRequest& request);

}  // namespace zk::installer::save
