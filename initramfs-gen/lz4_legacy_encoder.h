// SPDX-License-Identifier: MIT
#pragma once
/// The lz4 "legacy" format, the only lz4 format the kernel's ramdisk unpacker (CONFIG_RD_LZ4)
/// reads: the magic 0x184C2102 (little-endian), then blocks of at most 8 MiB of input, each a
/// little-endian 32-bit compressed size followed by an lz4 block. libarchive writes only the
/// newer frame format; the kernel's own build uses `lz4 -l` for the same reason.

#include <memory>
#include <vector>

#include "initramfs-gen/stream_encoder.h"

namespace zk::initramfs {

class Lz4LegacyEncoder final : public StreamEncoder {
 public:
  /// The block size the format fixes: every block but the last holds exactly this much input.
  static constexpr size_t kBlockInput = 8u << 20;

  /// `level`: lz4's high-compression level (1..12); the output depends only on the input, the
  /// level and the liblz4 version.
  static Result<std::unique_ptr<Lz4LegacyEncoder>> create(ByteOutput output, int level = 12);

  Result<void> write(std::span<const std::byte> data) override;
  Result<void> finish() override;

 private:
  Lz4LegacyEncoder(ByteOutput output, int level) : output_(std::move(output)), level_(level) {}
  Result<void> flush_block();

  ByteOutput output_;
  int level_;
  std::vector<std::byte> pending_;  ///< input of the current block
  bool finished_ = false;
};

}  // namespace zk::initramfs
