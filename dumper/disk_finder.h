// SPDX-License-Identifier: MIT
#pragma once
/// Finding the dump disk in the dump kernel's world. For an `fcp_dump` IPL the disk is the FCP
/// LUN the machine IPLed from: its FCP device is brought online and the SCSI disk whose zfcp
/// attributes match is taken. For any other IPL (kdump, an emulator) every SCSI disk (driver
/// `sd`) and multipath map is probed for a zipl dump record. Either way the disk is polled for
/// until it appears or a timeout passes, and the dump partition is the one whose start and size
/// (from sysfs, in 512-byte units whatever the sector size) equal the superblock's.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dumper/sysfs.h"
#include "ondisk/dump_disk.h"
#include "ondisk/partition_table.h"
#include "util/error.h"

namespace zk::dumper {

/// The dump device the machine was IPLed with (/sys/firmware/ipl/*).
struct FcpIpl {
  std::string device;  ///< FCP device bus id, "0.0.1700"
  std::string wwpn;    ///< "0x5005076303004104"
  std::string lun;     ///< "0x4010400000000000"
  std::string bootprog;
};

/// The IPL type (`ccw`, `fcp`, `fcp_dump`, ...), empty when unknown.
[[nodiscard]] std::string ipl_type(const SystemRoots& roots);
/// The FCP dump IPL parameters when the IPL type is fcp_dump.
[[nodiscard]] std::optional<FcpIpl> read_fcp_dump_ipl(const SystemRoots& roots);
/// Sets the FCP device online and adds the port and LUN (steps that fail because they are
/// already done are not errors). `trace` receives a line per step.
Result<void> bring_fcp_online(const SystemRoots& roots, const FcpIpl& ipl,
                              const std::function<void(const std::string&)>& trace);

/// The partitions of block device `disk` ("sda") as the kernel sees them (blockdev::partitions),
/// by number, in bytes.
Result<std::vector<ondisk::Partition>> sysfs_partitions(const SystemRoots& roots,
                                                        const std::string& disk);

/// A dump disk that passed every check that can be made before writing.
struct FoundDisk {
  std::string name;        ///< "sda"
  std::string path;        ///< "/dev/sda"
  unsigned partition = 0;  ///< 1..15
  ondisk::DumpDisk dump;
};

/// Opens `path` read-only, reads the zipl dump record and matches the superblock's partition
/// against `partitions`. The error names the check that failed.
Result<FoundDisk> probe_dump_disk(const std::string& name, const std::string& path,
                                  const std::vector<ondisk::Partition>& partitions);

struct FindOptions {
  unsigned timeout_s = 120;
  /// zfcpdump.disk=: the disk to take when the IPL names none (dumper/disk_choice.h).
  std::string wanted;
  bool manual_scsi_scan = false;  ///< trigger the SCSI host scan at once
  std::function<void(int level, const std::string&)> log;
  std::function<double()> clock;  ///< monotonic seconds
  std::function<void(double)> sleep;
};

/// How long the finder keeps looking after it found a dump disk, when no zfcpdump.disk= is
/// given, so that a second one that shows up a moment later is seen and refused rather than
/// a race deciding which is written.
inline constexpr double kSettleSeconds = 2.0;

/// Polls until a dump disk is found or the timeout passes. With `fcp` the disk is the IPL's
/// LUN and nothing else. Otherwise every disk with a valid zipl dump record is a candidate and
/// choose_dump_disk() decides: the disk `options.wanted` names as soon as it is there, or,
/// without a choice, the only candidate once kSettleSeconds passed without another (several
/// are refused at once). The SCSI scan stops at the first candidate, as it does for the LUN.
/// The error lists what each disk seen failed on, or the candidates and why none was taken.
Result<FoundDisk> find_dump_disk(const SystemRoots& roots, const std::optional<FcpIpl>& fcp,
                                 const FindOptions& options);

}  // namespace zk::dumper
