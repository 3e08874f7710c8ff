// SPDX-License-Identifier: MIT
#pragma once
/// A file that appears under its name complete or not at all: written to a temporary file in
/// the same directory, flushed, and renamed over the target on commit(); destroyed without
/// commit, it removes the temporary file. What every installed file goes through.

#include <cstdint>
#include <span>
#include <string>

#include "util/error.h"
#include "util/fd.h"

namespace zk::util {

class AtomicFile {
 public:
  /// Creates the temporary file beside `path` with `mode` (applied at commit, so a half-written
  /// file is never executable or readable by others).
  static Result<AtomicFile> create(const std::string& path, unsigned mode = 0644);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  Result<void> write(std::span<const std::byte> data);
  Result<void> write(std::string_view text);
  /// Whether commit() waits for the data to reach the disk.
  enum class Durability {
    kSynced,       ///< fsync the file before the rename and the directory after it: installed files
    kRenamedOnly,  ///< just the rename: build products that are copied or installed afterwards
  };
  /// chmod, (fsync), rename over the target, (fsync the directory).
  Result<void> commit(Durability durability = Durability::kSynced);

  [[nodiscard]] const std::string& temp_path() const { return temp_; }
  [[nodiscard]] uint64_t bytes_written() const { return written_; }
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  AtomicFile(std::string path, std::string temp, Fd fd, unsigned mode)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(std::move(fd)), mode_(mode) {}

  std::string path_;
  std::string temp_;
  Fd fd_;
  unsigned mode_;
  uint64_t written_ = 0;
  bool committed_ = false;
};

/// Writes `data` to `path` atomically.
Result<void> write_file_atomically(const std::string& path, std::string_view data,
                                   unsigned mode = 0644);

}  // namespace zk::util
