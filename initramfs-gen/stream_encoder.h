// SPDX-License-Identifier: MIT
#pragma once
/// A compressor that libarchive's output is fed through when libarchive's own filter cannot
/// write what the kernel reads (xz with a CRC32 check, lz4 in the legacy format).

#include <functional>
#include <span>

#include "util/error.h"

namespace zk::initramfs {

/// Where compressed bytes go; an error stops the encoder.
using ByteOutput = std::function<Result<void>(std::span<const std::byte>)>;

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  /// Compresses `data`, passing output to the ByteOutput as it is produced.
  [[nodiscard]] virtual Result<void> write(std::span<const std::byte> data) = 0;
  /// Ends the stream and passes the rest to the output. No write() after.
  [[nodiscard]] virtual Result<void> finish() = 0;
};

}  // namespace zk::initramfs
