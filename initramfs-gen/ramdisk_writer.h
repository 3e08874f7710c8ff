// SPDX-License-Identifier: MIT
#pragma once
/// write_ramdisk(): builds the zfcpdump ramdisk, a newc cpio archive (optionally compressed)
/// that the kernel unpacks into its rootfs, with the dumper as /init.

#include <cstddef>
#include <cstdint>
#include <string>

#include "initramfs-gen/compression.h"
#include "initramfs-gen/ramdisk_spec.h"
#include "util/error.h"

namespace zk::initramfs {

/// What write_ramdisk() produced.
struct RamdiskInfo {
  std::string path;  ///< the output path
  Compression compression = kDefaultCompression;
  size_t entries = 0;          ///< archive members, not counting the TRAILER!!! record
  uint64_t archive_bytes = 0;  ///< the uncompressed cpio
  uint64_t file_bytes = 0;     ///< the file written (compressed)
};

/// Writes the ramdisk that plan_ramdisk() (ramdisk_layout.h) describes for `spec` to
/// `output_path`. Reproducible: equal inputs (dumper bytes, config text, compression, mtime)
/// give byte-identical files; no current time, host name, user or file name is recorded
/// (gzip without name and with mtime 0; xz with a CRC32 check, as the kernel requires).
///
/// Errors (with errno and the path concerned where there is one): an unreadable, empty or
/// non-regular dumper; a dumper that changes size while read; config text above
/// kMaxConfigBytes; an mtime outside 0..kMaxNewcMtime; any write
/// failure. The checks on the inputs come before anything is created; the file is written
/// under a temporary name in the same directory and renamed to `output_path` only when
/// complete, so on failure no output (not even a partial one) is left and an existing
/// `output_path` is unchanged.
[[nodiscard]] Result<RamdiskInfo> write_ramdisk(const RamdiskSpec& spec,
                                                const std::string& output_path);

}  // namespace zk::initramfs
