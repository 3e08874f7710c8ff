// SPDX-License-Identifier: MIT
// fuzz_dumper_identity: the search for the dumper's identity string in a dumper binary
// (ondisk/dumper_identity.h), which build_layout runs on whatever --dumper names.
//
// Oracles, from what the header promises: a version found is 1 to kDumperVersionMaxLength
// characters of the allowed set, and the input really holds the prefix, that version and a NUL
// at the first place where such a string starts; nothing found means no such place exists.
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "ondisk/dumper_identity.h"

namespace {

using zk::ondisk::kDumperIdentityPrefix;
using zk::ondisk::kDumperVersionMaxLength;

bool allowed(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view(".+~_-").find(c) != std::string_view::npos;
}

/// Whether a complete identity string starts at `at` (the slow, obvious way).
bool identity_at(std::string_view bytes, size_t at) {
  if (bytes.substr(at, kDumperIdentityPrefix.size()) != kDumperIdentityPrefix) return false;
  size_t n = 0;
  const size_t start = at + kDumperIdentityPrefix.size();
  while (start + n < bytes.size() && allowed(bytes[start + n])) ++n;
  return n >= 1 && n <= kDumperVersionMaxLength && start + n < bytes.size() &&
         bytes[start + n] == '\0';
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto version = zk::ondisk::find_dumper_version(bytes);
  size_t first = std::string_view::npos;
  for (size_t at = 0; at < bytes.size() && first == std::string_view::npos; ++at)
    if (identity_at(bytes, at)) first = at;
  FUZZ_CHECK(version.has_value() == (first != std::string_view::npos));
  if (version) {
    FUZZ_CHECK(!version->empty() && version->size() <= kDumperVersionMaxLength);
    for (char c : *version) FUZZ_CHECK(allowed(c));
    const std::string expected = std::string(kDumperIdentityPrefix) + *version + '\0';
    FUZZ_CHECK(bytes.substr(first, expected.size()) == expected);
  }
  return 0;
}
