// SPDX-License-Identifier: MIT
#pragma once
/// The advisory lock partitioners take on a whole disk while they change it (flock LOCK_EX on
/// the device node; systemd-udevd does not probe a disk so locked, and other well-behaved
/// partitioners wait): held from wiping the old signatures to writing the new table.

#include <chrono>
#include <string>

#include "util/error.h"
#include "util/fd.h"

namespace zk::installer::disk {

/// Opens `path` read-only and takes LOCK_EX, retrying for up to `patience` while udev holds
/// its short shared lock. The lock lasts as long as the returned descriptor.
Result<util::Fd> lock_disk(const std::string& path,
                           std::chrono::milliseconds patience = std::chrono::seconds(10));

}  // namespace zk::installer::disk
