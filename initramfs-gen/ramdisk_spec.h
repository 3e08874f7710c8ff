// SPDX-License-Identifier: MIT
#pragma once
/// What goes into a zfcpdump ramdisk: the caller's inputs to write_ramdisk().

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "initramfs-gen/compression.h"
#include "util/error.h"

namespace zk::initramfs {

/// The most configuration text the dumper reads from /etc/zfcpdump.conf (dumper/init_mode.cc);
/// write_ramdisk() refuses more rather than have the dumper silently cut it.
inline constexpr size_t kMaxConfigBytes = 16384;

/// The largest mtime a newc header holds (8 hex digits, unsigned): early 2106.
inline constexpr int64_t kMaxNewcMtime = 0xffffffffLL;

struct RamdiskSpec {
  /// The static zfcpdump-dumper; becomes /init (0755). A non-empty regular file.
  std::string dumper_path;
  /// When set, stored verbatim as /etc/zfcpdump.conf (0644): the dumper's baked-in defaults,
  /// kernel-parameter words such as "dump_debug=2 zfcpdump.action=poweroff" that the dumper
  /// reads before /proc/cmdline (so the command line wins). At most kMaxConfigBytes.
  std::optional<std::string> config_text;
  Compression compression = kDefaultCompression;
  /// The mtime of every entry, in seconds since the epoch (0..kMaxNewcMtime): SOURCE_DATE_EPOCH
  /// (see mtime_from_environment()) or 0, never the current time, so that equal inputs give
  /// byte-identical ramdisks.
  int64_t mtime = 0;
};

/// SOURCE_DATE_EPOCH as the reproducible-builds convention defines it: 0 when unset or empty;
/// an error when it is not a decimal number of seconds in 0..kMaxNewcMtime (a build that asks
/// for reproducibility must not silently get something else).
[[nodiscard]] Result<int64_t> mtime_from_environment();

}  // namespace zk::initramfs
