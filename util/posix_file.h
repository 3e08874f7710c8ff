// SPDX-License-Identifier: MIT
#pragma once
/// `File` over a real file descriptor: a regular file or a block device.

#include <memory>
#include <string>

#include "util/fd.h"
#include "util/file.h"

namespace zk::util {

enum class OpenMode {
  kRead,             ///< O_RDONLY
  kReadWrite,        ///< O_RDWR, through the page cache
  kReadWriteDirect,  ///< O_RDWR|O_DIRECT; falls back to kReadWrite where O_DIRECT is refused
};

class PosixFile final : public File {
 public:
  /// Opens `path`. Sizes come from fstat, or from BLKGETSIZE64/BLKSSZGET for block devices.
  static Result<std::unique_ptr<PosixFile>> open(const std::string& path, OpenMode mode);

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override;
  Result<size_t> write_at(std::span<const std::byte> buf, uint64_t offset) override;
  Result<void> sync() override;
  [[nodiscard]] uint64_t size() const override { return size_; }
  [[nodiscard]] const std::string& name() const override { return path_; }
  [[nodiscard]] size_t direct_io_alignment() const override { return direct_ ? block_size_ : 1; }
  [[nodiscard]] uint32_t logical_block_size() const override { return block_size_; }
  [[nodiscard]] bool is_block_device() const override { return block_device_; }

  /// Whether O_DIRECT is in effect (false after a fallback).
  [[nodiscard]] bool direct() const { return direct_; }
  void drop_written(uint64_t offset, uint64_t length) override;
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  PosixFile(Fd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}

  Fd fd_;
  std::string path_;
  uint64_t size_ = 0;
  uint32_t block_size_ = 512;
  bool block_device_ = false;
  bool direct_ = false;
};

}  // namespace zk::util
