// SPDX-License-Identifier: MIT
#pragma once
/// The small text files of sysfs and procfs (attributes such as `size`, `dev`, `dm/uuid`),
/// their directories and their links. Nothing here knows what an attribute means; the readers
/// of the block-device layout (disk.h, partitions.h) do.

#include <cstddef>
#include <string>
#include <vector>

#include "util/error.h"

namespace zk::blockdev {

/// The content of a small text file, trailing blanks and newlines removed (sysfs pads SCSI
/// vendor and model with blanks). Reads at most `limit` bytes: a longer file is cut there, as
/// a sysfs attribute never is longer than a page.
Result<std::string> read_text(const std::string& path, size_t limit = 4096);
/// Writes `text` to an existing file in one write (sysfs attributes are never created).
Result<void> write_text(const std::string& path, const std::string& text);
/// Whether `path` names anything (stat succeeds, links followed).
[[nodiscard]] bool exists(const std::string& path);

/// The most entries list_dir() returns: far more block devices or links than any machine has.
inline constexpr size_t kMaxDirEntries = 1 << 16;
/// The entries of a directory such as /sys/class/block or a device's holders/, without dot
/// entries, sorted. A missing or unreadable directory has none; after kMaxDirEntries the
/// listing stops.
[[nodiscard]] std::vector<std::string> list_dir(const std::string& path);
/// The last component of a symbolic link's target (device/driver -> "sd"); empty when `path` is
/// no link.
[[nodiscard]] std::string link_name(const std::string& path);
/// `path` with every link resolved (realpath(3)).
Result<std::string> resolve_path(const std::string& path);

}  // namespace zk::blockdev
