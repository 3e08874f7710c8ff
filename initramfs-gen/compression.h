// SPDX-License-Identifier: MIT
#pragma once
/// The compressors a zfcpdump ramdisk may use, with the names the installer's options use and
/// the kernel configuration option that must be set for the kernel to unpack each one.

#include <string_view>

#include "util/error.h"

namespace zk::initramfs {

enum class Compression {
  kNone,  ///< a plain newc cpio; every kernel reads it
  kGzip,  ///< CONFIG_RD_GZIP (the default: every distribution kernel has it)
  kXz,    ///< CONFIG_RD_XZ; written with a CRC32 check, the only one the kernel verifies
  kZstd,  ///< CONFIG_RD_ZSTD
  kLz4,   ///< CONFIG_RD_LZ4; written in the legacy format, the only one the kernel reads
};

inline constexpr Compression kDefaultCompression = Compression::kGzip;

/// "none", "gzip", "xz", "zstd" or "lz4" (exactly, lower case); anything else is an error that
/// lists the valid names.
[[nodiscard]] Result<Compression> parse_compression(std::string_view name);

/// The name parse_compression() accepts for `c`.
[[nodiscard]] std::string_view compression_name(Compression c);

/// "CONFIG_RD_GZIP", "CONFIG_RD_XZ", "CONFIG_RD_ZSTD", "CONFIG_RD_LZ4"; "" for kNone, which
/// needs no option.
[[nodiscard]] std::string_view kernel_config_option(Compression c);

}  // namespace zk::initramfs
