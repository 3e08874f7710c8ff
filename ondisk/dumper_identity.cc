// SPDX-License-Identifier: MIT
#include "ondisk/dumper_identity.h"

#include "util/read_file.h"

namespace zk::ondisk {
namespace {

bool is_version_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
         c == '+' || c == '~' || c == '_' || c == '-';
}

}  // namespace

std::optional<std::string> find_dumper_version(std::string_view bytes) {
  for (size_t at = bytes.find(kDumperIdentityPrefix); at != std::string_view::npos;
       at = bytes.find(kDumperIdentityPrefix, at + 1)) {
    const size_t start = at + kDumperIdentityPrefix.size();
    size_t end = start;
    while (end < bytes.size() && end - start <= kDumperVersionMaxLength &&
           is_version_char(bytes[end]))
      ++end;
    const size_t length = end - start;
    if (length >= 1 && length <= kDumperVersionMaxLength && end < bytes.size() &&
        bytes[end] == '\0')
      return std::string(bytes.substr(start, length));
  }
  return std::nullopt;
}

Result<std::optional<std::string>> read_dumper_version(const std::string& path) {
  auto bytes = util::read_file(path, kDumperMaxBytes);
  if (!bytes) return std::unexpected(bytes.error().wrap("read the dumper's version"));
  return find_dumper_version(*bytes);
}

}  // namespace zk::ondisk
