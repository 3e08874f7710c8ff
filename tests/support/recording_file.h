// SPDX-License-Identifier: MIT
#pragma once
/// A util::File that passes every call through to another and records the offset and length of
/// every write, so that tests can check the order in which a dump writes the disk.

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "util/file.h"

namespace zk::testsupport {

class RecordingFile final : public util::File {
 public:
  explicit RecordingFile(util::File& base) : base_(base) {}
  Result<size_t> read_at(std::span<std::byte> b, uint64_t o) override {
    {
      std::lock_guard lock(mutex_);
      reads.push_back({o, b.size()});
    }
    return base_.read_at(b, o);
  }
  Result<size_t> write_at(std::span<const std::byte> b, uint64_t o) override {
    {
      std::lock_guard lock(mutex_);  // the dumper writes from several threads
      writes.push_back({o, b.size()});
    }
    return base_.write_at(b, o);
  }
  Result<void> sync() override { return base_.sync(); }
  uint64_t size() const override { return base_.size(); }
  const std::string& name() const override { return base_.name(); }
  size_t direct_io_alignment() const override { return base_.direct_io_alignment(); }
  /// (offset, length) of each write, in the order the writes started. Read it while no write is
  /// in flight.
  std::vector<std::pair<uint64_t, size_t>> writes;
  /// (offset, length) of each read, in the order the reads started.
  std::vector<std::pair<uint64_t, size_t>> reads;

 private:
  util::File& base_;
  std::mutex mutex_;
};

}  // namespace zk::testsupport
