// SPDX-License-Identifier: MIT
#pragma once
/// The header of one member of a newc cpio archive ("070701", or "070702" with a data
/// checksum): the format the kernel unpacks an initramfs from. The toolkit's only reader of the
/// format (libarchive writes it; ramdisk_lister.h reads it through this).
///
/// A header is 110 ASCII bytes: the 6-byte magic, then 13 fields of 8 hex digits (inode, mode,
/// uid, gid, nlink, mtime, file size, device major/minor, rdev major/minor, name size, check).
/// The name (name size bytes, NUL included) follows; the header plus the name, and the data,
/// are each padded to a multiple of 4 bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/error.h"

namespace zk::initramfs {

inline constexpr size_t kNewcHeaderSize = 110;

/// The largest name size (terminating NUL included) a header may declare: PATH_MAX, the
/// kernel's own limit (its unpacker skips a member with a longer name). Without a limit a
/// name's 8 hex digits could make a reader set aside 4 GiB for it.
inline constexpr uint32_t kNewcMaxNameSize = 4096;
/// The longest symlink target the kernel's unpacker creates (PATH_MAX less the NUL).
inline constexpr uint32_t kNewcMaxLinkTarget = 4095;

/// The name of the member that ends an archive.
inline constexpr std::string_view kNewcTrailer = "TRAILER!!!";

struct NewcHeader {
  bool with_checksum = false;  ///< "070702"
  uint32_t ino = 0;
  uint32_t mode = 0;  ///< type and permission bits, as in st_mode
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t nlink = 0;
  uint32_t mtime = 0;
  uint32_t file_size = 0;
  uint32_t dev_major = 0;
  uint32_t dev_minor = 0;
  uint32_t rdev_major = 0;
  uint32_t rdev_minor = 0;
  uint32_t name_size = 0;  ///< with the NUL; 1..kNewcMaxNameSize after decoding
  uint32_t check = 0;
};

/// Decodes the kNewcHeaderSize bytes of `bytes`. An error names the field that is not 8 hex
/// digits, a wrong magic (quoting what was found), or a name size of 0 or beyond
/// kNewcMaxNameSize.
[[nodiscard]] Result<NewcHeader> decode_newc_header(std::string_view bytes);

/// Bytes of padding after `length` bytes to reach a multiple of 4.
[[nodiscard]] constexpr uint32_t newc_padding(uint64_t length) {
  return static_cast<uint32_t>((4 - length % 4) % 4);
}

}  // namespace zk::initramfs
