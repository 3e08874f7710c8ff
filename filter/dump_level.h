// SPDX-License-Identifier: MIT
#pragma once
/// makedumpfile's dump level: a sum of the kinds of page left out of a dump.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ondisk/integrity_note.h"
#include "util/strings.h"

namespace zk::filter {

inline constexpr unsigned kExcludeZero = 1;          ///< pages whose bytes are all zero
inline constexpr unsigned kExcludeCache = 2;         ///< page cache without private data
inline constexpr unsigned kExcludeCachePrivate = 4;  ///< page cache, with or without it
inline constexpr unsigned kExcludeUser = 8;          ///< anonymous (and hugetlbfs) user pages
inline constexpr unsigned kExcludeFree = 16;         ///< free pages of the buddy allocator
inline constexpr unsigned kMaxDumpLevel = ondisk::kMaxDumpLevel;

/// Whether `level` needs the kernel's page structures (everything but zero pages does).
[[nodiscard]] constexpr bool needs_page_structures(unsigned level) {
  return (level & (kExcludeCache | kExcludeCachePrivate | kExcludeUser | kExcludeFree)) != 0;
}

/// A dump level as every command line and ramdisk default spells it (zfcpdump.dump_level=N,
/// --dump-level N): decimal 0 to 31; nullopt for anything else.
[[nodiscard]] inline std::optional<unsigned> parse_dump_level(std::string_view text) {
  const auto n = util::parse_u64(text);
  if (!n || *n > kMaxDumpLevel) return std::nullopt;
  return static_cast<unsigned>(*n);
}

/// What `level` leaves out, in words ("zero pages, free pages"); "nothing" for 0.
[[nodiscard]] inline std::string dump_level_words(unsigned level) {
  static constexpr struct {
    unsigned bit;
    const char* words;
  } kBits[] = {
      {kExcludeZero, "zero pages"},
      {kExcludeCache, "page cache"},
      {kExcludeCachePrivate, "page cache with private data"},
      {kExcludeUser, "user pages"},
      {kExcludeFree, "free pages"},
  };
  std::string out;
  for (const auto& b : kBits) {
    if (!(level & b.bit)) continue;
    if (!out.empty()) out += ", ";
    out += b.words;
  }
  return out.empty() ? "nothing" : out;
}

}  // namespace zk::filter
