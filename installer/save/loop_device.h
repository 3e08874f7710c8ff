// SPDX-License-Identifier: MIT
#pragma once
/// A read-only loop device over a byte range of an image file: how makedumpfile, which reads
/// only whole files, reads the dump area of a disk image (the dump starts at the partition's
/// first byte, so the range is the partition). Detached when it goes out of scope.

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::installer::save {

class LoopDevice {
 public:
  /// `losetup --find --show --read-only --offset OFFSET --sizelimit SIZE IMAGE` (needs root).
  static Result<LoopDevice> attach(const std::string& image, uint64_t offset, uint64_t size);
  LoopDevice(LoopDevice&& other) noexcept : node_(std::move(other.node_)) { other.node_.clear(); }
  LoopDevice& operator=(LoopDevice&&) = delete;
  LoopDevice(const LoopDevice&) = delete;
  ~LoopDevice();
  [[nodiscard]] const std::string& node() const { return node_; }

 private:
  explicit LoopDevice(std::string node) : node_(std::move(node)) {}
  std::string node_;
};

}  // namespace zk::installer::save
