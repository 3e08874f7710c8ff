// SPDX-License-Identifier: MIT
#pragma once
/// list_ramdisk(): the members of a newc cpio ramdisk (the format the kernel unpacks), compressed
/// with anything libarchive's filters read or not at all.

#include <cstddef>
#include <string>
#include <vector>

#include "initramfs-gen/ramdisk_entry.h"
#include "util/error.h"

namespace zk::initramfs {

/// More members than a real ramdisk has (dracut's largest have some 10 000); a listing stops
/// with an error beyond, rather than growing without bound on a corrupt or hostile file.
inline constexpr size_t kMaxListedEntries = 200000;
/// Bytes of names and symlink targets a listing holds at most (a dracut ramdisk has well under
/// 2 MiB): with kMaxListedEntries, what bounds a listing's memory.
inline constexpr size_t kMaxListedTextBytes = 64u << 20;

/// The members of the ramdisk at `path`, in archive order, up to the first TRAILER!!! (a
/// concatenation of several archives, such as early microcode before the main one, lists
/// only the first). Member data is read through and dropped, never held: memory grows with the
/// number of members and the length of their names (each at most PATH_MAX, as the kernel
/// allows), never with a size a header declares. Errors (with errno when the file cannot be
/// opened or read) name `path`, the member and its byte offset in the decompressed stream,
/// e.g. for a file that is no newc archive, one that ends early, or a header field beyond
/// the kernel's limits.
[[nodiscard]] Result<std::vector<RamdiskEntry>> list_ramdisk(const std::string& path);

}  // namespace zk::initramfs
