// SPDX-License-Identifier: MIT
#pragma once
/// XzEncoder: the .xz container the kernel's ramdisk unpacker (CONFIG_RD_XZ) can read. It exists
/// because libarchive's xz filter always writes a CRC64 check, which the kernel's XZ decoder
/// does not implement; the kernel's own scripts use `xz --check=crc32` for the same reason.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "initramfs-gen/stream_encoder.h"
#include "util/error.h"

namespace zk::initramfs {

/// One .xz stream: LZMA2 at `preset` (0..9), a 1 MiB dictionary (ample for a ramdisk of a few
/// MiB, and what the dump kernel, short of memory, allocates to unpack it) and a CRC32 check.
/// The output depends only on the input, the preset and the liblzma version.
class XzEncoder final : public StreamEncoder {
 public:
  /// Fails only when liblzma refuses the settings or has no memory.
  [[nodiscard]] static Result<std::unique_ptr<XzEncoder>> create(ByteOutput output,
                                                                 uint32_t preset = 6);
  XzEncoder(const XzEncoder&) = delete;
  XzEncoder& operator=(const XzEncoder&) = delete;
  ~XzEncoder() override;

  /// Compresses `data`, passing full output buffers to the output as they fill.
  [[nodiscard]] Result<void> write(std::span<const std::byte> data) override;
  /// Ends the stream (index and footer) and passes the rest to the output. No write() after.
  [[nodiscard]] Result<void> finish() override;

 private:
  struct State;
  explicit XzEncoder(std::unique_ptr<State> state);
  [[nodiscard]] Result<void> run(bool finishing);

  std::unique_ptr<State> state_;
};

}  // namespace zk::initramfs
