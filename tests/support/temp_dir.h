// SPDX-License-Identifier: MIT
#pragma once
/// A temporary directory for one test, removed with everything in it on destruction.

#include <cstdint>
#include <string>

namespace zk::testsupport {

class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::string& path() const { return path_; }
  /// path() + "/" + name
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Creates (or truncates) `path` as a file of `size` bytes, all zero (sparse).
void make_zero_file(const std::string& path, uint64_t size);
/// The sha256-free fingerprint tests use to say "unchanged": FNV-1a over the whole file.
uint64_t file_fingerprint(const std::string& path);

}  // namespace zk::testsupport
