// SPDX-License-Identifier: MIT
#pragma once
/// An lsinitrd-like text rendering of list_ramdisk()'s result.

#include <cstdint>
#include <span>
#include <string>

#include "initramfs-gen/ramdisk_entry.h"

namespace zk::initramfs {

/// `ls -l` style: "-rwxr-xr-x", "drwxr-xr-x", "crw-------", "drwxrwxrwt" (s/S, t/T for
/// setuid, setgid and sticky).
[[nodiscard]] std::string mode_string(EntryType type, uint32_t mode);

/// One line per entry, in the given order, each ending in '\n':
///   mode nlink uid gid size-or-device mtime(UTC) path[ -> target]
/// e.g.
///   -rwxr-xr-x   1 0     0         780520 1970-01-01 00:00:00 init
///   crw-------   1 0     0            5,1 1970-01-01 00:00:00 dev/console
/// Owners are numeric (a ramdisk's ids mean nothing in the host's user database); device
/// nodes show "major,minor" where files show their size. Deterministic: no locale, no time
/// zone.
[[nodiscard]] std::string format_listing(std::span<const RamdiskEntry> entries);

}  // namespace zk::initramfs
