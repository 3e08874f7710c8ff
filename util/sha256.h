// SPDX-License-Identifier: MIT
#pragma once
/// SHA-256 of files and strings (nettle), as lowercase hex: the identity of installed files in
/// the layout manifest and of inputs in cache keys.

#include <string>
#include <string_view>

#include "util/error.h"

namespace zk::util {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  /// The digest as 64 hex digits; the object is reset afterwards.
  std::string hex();

 private:
  alignas(16) unsigned char state_[128];
};

[[nodiscard]] std::string sha256_hex(std::string_view data);
/// Whether `s` is a digest as this module writes it: 64 lowercase hex digits.
[[nodiscard]] bool is_sha256_hex(std::string_view s);
/// SHA-256 of a file's contents, streamed.
Result<std::string> sha256_file(const std::string& path);

}  // namespace zk::util
