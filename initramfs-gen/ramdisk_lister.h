#pragma once
/// list_ramdisk(): the members of any cpio ramdisk (newc as the kernel reads it, and the other
/// cpio variants), compressed with anything libarchive reads or not at all.

#include <cstddef>
#include <string>
#include <vector>

#include "initramfs-gen/ramdisk_entry.h"
#include "util/error.h"

namespace zk::initramfs {

/// More members than a real ramdisk has (dracut's largest have some 10 000); a listing stops
/// with an error beyond, rather than growing without bound on a corrupt or hostile file.
inline constexpr size_t kMaxListedEntries = 200000;

/// The members of the ramdisk at `path`, in archive order, up to the first TRAILER!!! (a
/// concatenation of several archives, such as early microcode before the main one, lists
/// only the first). Member data is skipped, never held: memory grows with the number of
/// members and the length of their names, not with their sizes. Errors (with errno when the
/// file cannot be opened or read) name `path` and carry libarchive's explanation, e.g. for a
/// file that is no cpio archive or one that ends early.
[[nodiscard]] Result<std::vector<RamdiskEntry>> list_ramdisk(const std::string& path);

}  // namespace zk::initramfs
