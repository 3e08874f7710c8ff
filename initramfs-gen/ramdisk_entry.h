// SPDX-License-Identifier: MIT
#pragma once
/// One member of a ramdisk's cpio archive, as written (ramdisk_layout.h) or listed
/// (ramdisk_lister.h).

#include <cstdint>
#include <string>

namespace zk::initramfs {

enum class EntryType {
  kRegular,
  kDirectory,
  kSymlink,
  kCharDevice,
  kBlockDevice,
  kFifo,
  kSocket,
  kOther
};

struct RamdiskEntry {
  std::string path;  ///< as stored: relative, no leading "/" or "./" in ours ("dev/console")
  EntryType type = EntryType::kRegular;
  uint32_t mode = 0;  ///< permission bits including setuid/setgid/sticky (07777), no type bits
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;        ///< data bytes (regular files; a symlink's target length)
  uint32_t rdev_major = 0;  ///< device nodes only
  uint32_t rdev_minor = 0;
  int64_t mtime = 0;
  uint64_t ino = 0;
  uint32_t nlink = 0;
  std::string link_target;  ///< symlinks only

  bool operator==(const RamdiskEntry&) const = default;
};

}  // namespace zk::initramfs
