// SPDX-License-Identifier: MIT
#pragma once
/// Which of the valid dump disks the dumper writes when the IPL does not decide (an FCP dump
/// IPL names its LUN, and that LUN decides alone). The operator, or `zfcpdump-install disk`
/// through the ramdisk's defaults, names the disk with `zfcpdump.disk=wwid:WWID`, WWID being
/// the LUN's World Wide Identifier as blockdev::wwid() gives it: the kernel's device/wwid
/// (SCSI device identification VPD page), which the dump kernel reads from sysfs without udev
/// or blkid, which every path to the LUN shares, and which stays the same across reboots,
/// re-partitioning and a copy of the disk's contents to another LUN (where a partition UUID
/// or the superblock's placement would be copied along and name two disks).
///
/// The rules: a path of a dm-multipath map that is itself a candidate is the map's disk, not
/// another one. A choice takes the candidate it names, or nothing; without a choice, one
/// candidate is taken and several are refused: the dumper does not guess, and writes nothing.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::dumper {

/// The only form of zfcpdump.disk= understood: "wwid:" followed by the identity.
inline constexpr std::string_view kWwidChoicePrefix = "wwid:";

/// A disk that holds a valid zipl dump record, as the finder saw it.
struct DiskCandidate {
  std::string name;                  ///< kernel name, "sda", "dm-0"
  std::string wwid;                  ///< blockdev::wwid(); empty when the disk has none
  std::vector<std::string> holders;  ///< the devices built on it (a map's name for a path)
};

/// How a candidate is named in messages: "wwid:naa.6005... (sda)" or "no wwid (sda)".
[[nodiscard]] std::string describe_candidate(const DiskCandidate& c);

/// The candidate to write: its index in `candidates`, and a sentence saying why it was taken.
struct DiskChoice {
  size_t index = 0;
  std::string reason;
};

/// Applies the rules above to `candidates` (in the finder's order) and `wanted`, the value of
/// zfcpdump.disk= (empty: none given). The error lists every candidate by identity and device.
Result<DiskChoice> choose_dump_disk(std::span<const DiskCandidate> candidates,
                                    std::string_view wanted);

}  // namespace zk::dumper
