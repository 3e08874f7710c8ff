// SPDX-License-Identifier: MIT
#pragma once
/// The layout of the zfcpdump ramdisk: which entries, with which metadata, in which order.
/// Pure (no I/O), so that the writer only has to copy it into the archive.

#include <cstdint>
#include <vector>

#include "initramfs-gen/ramdisk_entry.h"
#include "initramfs-gen/ramdisk_spec.h"

namespace zk::initramfs {

/// Where an entry's data comes from.
enum class Content {
  kNone,    ///< directories and device nodes
  kDumper,  ///< the bytes of spec.dumper_path
  kConfig,  ///< spec.config_text
};

struct PlannedEntry {
  RamdiskEntry entry;
  Content content = Content::kNone;
};

/// The entries for `spec`, whose dumper file holds `dumper_size` bytes:
///   dev/ (0755), dev/console (c 5,1, 0600), dev/null (c 1,3, 0666),
///   etc/ (0755) and etc/zfcpdump.conf (0644) only with a config text,
///   init (0755, the dumper), proc/ (0555), sys/ (0555), tmp/ (1777).
/// The dumper mounts proc, sysfs, devtmpfs and debugfs (on sys/kernel/debug, which sysfs
/// provides). Sorted bytewise by path (so a directory precedes its contents); inode numbers
/// 1, 2, ... in that order; nlink 2 for directories, 1 otherwise; uid and gid 0; every mtime
/// spec.mtime.
[[nodiscard]] std::vector<PlannedEntry> plan_ramdisk(const RamdiskSpec& spec, uint64_t dumper_size);

}  // namespace zk::initramfs
