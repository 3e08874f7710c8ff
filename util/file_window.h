// SPDX-License-Identifier: MIT
#pragma once
/// A `File` that shows a byte range of another one: a partition inside a whole-disk image, so
/// that the same vmcore reader serves /proc/vmcore and a dump written on a disk.

#include <string>

#include "util/file.h"
#include "util/strings.h"

namespace zk::util {

class FileWindow final : public File {
 public:
  /// Shows bytes [start, start + length) of `base`, clipped to the size of `base`.
  FileWindow(File& base, uint64_t start, uint64_t length)
      : base_(base),
        start_(start),
        name_(format("%s@%llu", base.name().c_str(), static_cast<unsigned long long>(start))) {
    const uint64_t avail = base.size() > start ? base.size() - start : 0;
    length_ = length < avail ? length : avail;
  }

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override {
    if (offset >= length_) return size_t{0};
    if (buf.size() > length_ - offset) buf = buf.first(static_cast<size_t>(length_ - offset));
    return base_.read_at(buf, start_ + offset);
  }
  Result<size_t> write_at(std::span<const std::byte> buf, uint64_t offset) override {
    if (offset >= length_) return size_t{0};
    if (buf.size() > length_ - offset) buf = buf.first(static_cast<size_t>(length_ - offset));
    return base_.write_at(buf, start_ + offset);
  }
  Result<void> sync() override { return base_.sync(); }
  [[nodiscard]] uint64_t size() const override { return length_; }
  [[nodiscard]] const std::string& name() const override { return name_; }

 private:
  File& base_;
  uint64_t start_;
  uint64_t length_;
  std::string name_;
};

}  // namespace zk::util
