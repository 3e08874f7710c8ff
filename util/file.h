// SPDX-License-Identifier: MIT
#pragma once
/// The seam through which every disk and vmcore byte passes (in the spirit of ninja's
/// DiskInterface): the dumper and the installer talk to `File`, production code hands them a
/// `PosixFile`, and tests hand them a fault-injecting wrapper.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "util/error.h"

namespace zk::util {

class File {
 public:
  virtual ~File() = default;

  /// Reads up to `buf.size()` bytes at `offset`. Returns the count read; 0 only at end of file.
  /// Retries EINTR itself.
  virtual Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) = 0;
  /// Writes up to `buf.size()` bytes at `offset`. Returns the count written, which may be short
  /// (then the next call usually reports why). Retries EINTR itself.
  virtual Result<size_t> write_at(std::span<const std::byte> buf, uint64_t offset) = 0;
  /// Makes written data durable (fsync).
  virtual Result<void> sync() = 0;
  /// Size in bytes (of the file, or of the block device).
  [[nodiscard]] virtual uint64_t size() const = 0;
  /// Name for messages (usually the path).
  [[nodiscard]] virtual const std::string& name() const = 0;
  /// The unit in which direct I/O must be aligned (offsets, lengths, buffer addresses);
  /// 1 when the file is not opened for direct I/O.
  [[nodiscard]] virtual size_t direct_io_alignment() const { return 1; }
  /// The logical sector size for a block device, 512 for anything else.
  [[nodiscard]] virtual uint32_t logical_block_size() const { return 512; }
  /// Whether this is a block device (a real disk) rather than an image file.
  [[nodiscard]] virtual bool is_block_device() const { return false; }
  /// Hint that [offset, offset + length) was written and will not be read again: a buffered
  /// file writes it back and drops it from the page cache, so a dump does not fill the little
  /// memory of the dump kernel. No effect on direct I/O.
  virtual void drop_written(uint64_t offset, uint64_t length) {
    (void)offset;
    (void)length;
  }
};

/// Reads exactly `buf.size()` bytes at `offset`; end of file before that is an error that says
/// where and how much was missing.
Result<void> read_exact(File& file, std::span<std::byte> buf, uint64_t offset);
/// Writes all of `buf` at `offset`, continuing after short writes; a write that makes no
/// progress is an error.
Result<void> write_all(File& file, std::span<const std::byte> buf, uint64_t offset);

}  // namespace zk::util
