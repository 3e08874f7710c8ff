// SPDX-License-Identifier: MIT
#pragma once
/// Why a disk must not become a dump disk (yet): everything `zfcpdump-install disk` checks
/// before it writes a byte, judged together from facts gathered beforehand, so that the user
/// sees every reason at once, each with what to do about it.

#include <optional>
#include <string>
#include <vector>

#include "installer/disk/in_use.h"
#include "installer/disk/signatures.h"
#include "installer/disk/verify.h"
#include "installer/system/block_device.h"
#include "ondisk/dump_area.h"
#include "ondisk/partition_table.h"

namespace zk::installer::disk {

/// zipl accepts partitions 1 to 15 (the minors a SCSI disk has).
inline constexpr unsigned kMaxZiplPartition = 15;

enum class RefusalKind {
  kDriver,           ///< not a disk zipl can put a usable dump tool on
  kInUse,            ///< mounted, swap, held, open exclusively
  kPartitionChoice,  ///< --partition N names no usable partition
  kCurrentDumpDisk,  ///< already a current dump disk of ours (--force: prepare it again)
  kDumpPresent,      ///< the dump area holds a dump not yet copied off (--force)
  kPartitions,       ///< a new table would replace existing partitions (--force)
  kSignatures,       ///< file systems, RAID/LVM members, swap, tables would be erased (--force)
};

struct Refusal {
  RefusalKind kind;
  std::string reason;  ///< what is wrong, naming the device
  std::string remedy;  ///< what to do about it
  [[nodiscard]] bool forceable() const {
    return kind == RefusalKind::kCurrentDumpDisk || kind == RefusalKind::kDumpPresent ||
           kind == RefusalKind::kPartitions || kind == RefusalKind::kSignatures;
  }
};

struct DiskFacts {
  system::BlockDevice device;
  std::vector<Use> uses;
  ondisk::PartitionTable table;             ///< as on the disk now
  std::vector<unsigned> kernel_partitions;  ///< partition numbers the kernel has (logical ones too)
  std::optional<unsigned> partition;        ///< --partition N (or the partition named as DEVICE)
  std::vector<Signature> signatures;        ///< in what the job would overwrite
  std::optional<ToolInspection> inspection;   ///< the dump tool on the disk now
  std::optional<ondisk::DumpAreaState> area;  ///< its dump area, when the tool is valid
  Currency currency = Currency::kNotRegistered;
};

/// Every reason to refuse, hard ones first. `force` drops the forceable ones (the caller then
/// wipes the signatures it was shown).
[[nodiscard]] std::vector<Refusal> assess(const DiskFacts& facts, bool force);

/// The reason a driver cannot carry a dump disk, or nullopt when it can (sd, multipath over
/// sd; an image file is always accepted: it is prepared here and used elsewhere).
[[nodiscard]] std::optional<Refusal> driver_refusal(const system::BlockDevice& device);

}  // namespace zk::installer::disk
