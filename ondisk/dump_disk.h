// SPDX-License-Identifier: MIT
#pragma once
/// A whole SCSI disk prepared by `zipl -d`: the boot record, its program table with a dump
/// program, the boot_info pointing at the dump superblock, and the superblock itself, read and
/// checked together. This is what the dumper trusts before it writes, what `zfcpdump-install
/// check` reports, and the same judgement `zgetdump -d` makes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ondisk/dump_superblock.h"
#include "ondisk/partition_table.h"
#include "ondisk/zipl_boot_record.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

/// What the dumper writes at the start of the dump area while a dump is in progress; the stock
/// tool and zgetdump know it too.
inline constexpr char kBusyMarker[] = "zfcpdump busy";

struct DumpDisk {
  uint32_t block_size = 512;  ///< logical block size the program table is addressed in
  ScsiMbr mbr;
  uint64_t superblock_offset = 0;  ///< byte offset on the whole disk
  DumpSuperblock superblock;
  uint32_t checksum_now = 0;  ///< cksm() of the checksummed area as it is on disk now
  bool busy = false;          ///< the dump area starts with kBusyMarker

  /// Whether the partition still holds what zipl (or the last dump) left there.
  [[nodiscard]] bool checksum_matches() const { return superblock.csum == checksum_now; }
  /// Whether a dump may be written: the checksum matches, or it is stale only because a dump
  /// was interrupted between writing the busy marker and storing the checksum (no file system
  /// starts with the busy marker, so the partition is still ours).
  [[nodiscard]] bool usable_for_dump() const { return checksum_matches() || busy; }
};

/// The version fields, as zipl writes them. Only boot_info's is a condition: the stock
/// dumper refuses a disk whose boot_info version is not 1, so this one does too. Neither the
/// stock dumper nor zgetdump looks at the boot record's version or the superblock's (zgetdump
/// shows the latter), so a value other than 1 is reported, never refused: a newer zipl that
/// raised one would otherwise leave a disk every stock tool takes and ours refuses
/// (docs/on-disk-format.md, "Version fields").
inline constexpr uint8_t kBootInfoVersion = 1;
inline constexpr uint32_t kBootRecordVersion = 1;
inline constexpr uint64_t kDumpSuperblockVersion = 1;

/// Warnings about version fields that are not what zipl writes (empty when all are).
[[nodiscard]] std::vector<std::string> version_warnings(const DumpDisk& d);

/// Reads and checks the dump tool on `disk`. `block_size` is the disk's logical block size;
/// for an image file pass nullopt and it is found from the program table (512 or 4096).
/// Fails, naming the first field that is wrong, when the disk does not carry a SCSI dump tool
/// whose superblock lies on the disk. A checksum mismatch is not a failure here: callers read
/// `checksum_matches()`.
Result<DumpDisk> read_dump_disk(util::File& disk, std::optional<uint32_t> block_size);

/// Computes cksm() of the checksummed area described by `sb` on `disk`.
Result<uint32_t> compute_dump_checksum(util::File& disk, const DumpSuperblock& sb);

/// The partition of `table` whose start and size are the superblock's, if any.
[[nodiscard]] std::optional<Partition> find_dump_partition(const PartitionTable& table,
                                                           const DumpSuperblock& sb);

}  // namespace zk::ondisk
