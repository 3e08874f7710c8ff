// SPDX-License-Identifier: MIT
#pragma once
/// The registry of prepared dump disks (/etc/zfcpdump-kit/disks): which disks
/// `zfcpdump-install disk` made, with the layout manifest their dump tool was written from, so
/// that the packaging hook can re-run zipl on every disk whose tool is stale. One line a disk,
/// whitespace-separated key=value words; written atomically.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace zk::installer::state {

inline constexpr const char* kDefaultRegistryPath = "/etc/zfcpdump-kit/disks";
inline constexpr size_t kRegistryMaxBytes = 1 << 20;
inline constexpr size_t kRegistryMaxEntries = 1024;

struct DiskEntry {
  std::string disk;  ///< stable path (/dev/disk/by-id/...), else the node given
  unsigned partition = 0;
  uint64_t part_start = 0;  ///< bytes
  uint64_t part_size = 0;
  uint64_t dump_size = 0;
  std::string manifest_sha256;  ///< the layout the dump tool was written from
  /// The dump area the administrator chose with `disk --dump-area` (0: sized for a full dump).
  /// Written as dump_area= only when set, so that older registries read and render the same.
  uint64_t dump_area_chosen = 0;
  /// The dump last saved from this disk by `zfcpdump-install save`: its fingerprint
  /// (save/dump_fingerprint.h), the directory it went to and when (UTC seconds). Empty
  /// fingerprint: nothing saved. Written as saved=, saved_dir=, saved_time= only when set. A
  /// dump on the disk whose fingerprint equals `saved_fingerprint` is not saved again.
  std::string saved_fingerprint{};
  std::string saved_dir{};
  uint64_t saved_time = 0;
  /// The disk's identity as the dumper names it (blockdev::wwid(), given to the dumper as
  /// zfcpdump.disk=wwid:<this>, dumper/disk_choice.h); empty when the disk has none (no SCSI
  /// identification VPD page, an image). Written as wwid= only when set.
  std::string wwid{};
  /// The dump level baked into this disk's own ramdisk by `disk --dump-level` (the dumper's
  /// zfcpdump.dump_level=); nullopt: the layout's. Written as dump_level= only when set.
  std::optional<unsigned> dump_level{};
};

struct Registry {
  std::vector<DiskEntry> disks;
  [[nodiscard]] const DiskEntry* find(const std::string& disk) const;
  /// Replaces the entry of the same disk, or adds one.
  void upsert(const DiskEntry& e);
  /// Removes the entry; false when there was none.
  bool remove(const std::string& disk);
};

[[nodiscard]] std::string render_registry(const Registry& r);
/// Parses the registry text; a malformed line is an error naming the line.
Result<Registry> parse_registry(std::string_view text);
/// Reads the registry at `path`; a missing file is an empty registry.
Result<Registry> load_registry(const std::string& path);
Result<void> save_registry(const std::string& path, const Registry& r);

}  // namespace zk::installer::state
