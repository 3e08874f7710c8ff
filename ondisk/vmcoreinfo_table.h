// SPDX-License-Identifier: MIT
#pragma once
/// VMCOREINFO as a table of typed entries. The crashed kernel describes itself in text lines
/// "KEY=VALUE": SYMBOL(name)=<hex address>, SIZE(type)=<decimal>, OFFSET(type.member)=<decimal>,
/// NUMBER(name)=<signed decimal>, LENGTH(name)=<decimal>, PAGESIZE=<decimal>, OSRELEASE=<text>,
/// KERNELOFFSET=<hex>, CRASHTIME=<decimal seconds>. This is the one parser of that text:
/// vmcoreinfo_value (ondisk/vmcore.h) answers through it, and the page filter reads its sizes,
/// offsets and flag numbers from it.
///
/// The text comes from a crashed machine and is untrusted. Parsing is bounded (text size, line
/// length, entry count; see VmcoreinfoLimits) and every lookup checks the value's syntax and
/// range, failing with the key and the text found. Rules:
/// - A line without '=' or with an empty key is not an entry; it is counted (ignored_lines())
///   and otherwise ignored, as makedumpfile ignores what it does not ask for.
/// - A key given twice with the same value is one entry. A key given twice with different
///   values is ambiguous: every lookup of it fails, naming both values (the table never picks
///   one of two contradicting facts).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::ondisk {

struct VmcoreinfoLimits {
  size_t max_text_bytes = 64u << 10;  ///< a 6.1 kernel writes about 3 KiB
  size_t max_line_bytes = 512;        ///< the longest real line is under 100 bytes
  size_t max_entries = 4096;          ///< a 6.1 kernel writes about 150
};

class VmcoreinfoTable {
 public:
  /// Splits `text` into entries. Fails when the text, a line or the number of entries exceeds
  /// `limits`; a malformed line is not a failure (see the rules above).
  static Result<VmcoreinfoTable> parse(std::string_view text, const VmcoreinfoLimits& limits = {});

  /// The value of `key` ("OSRELEASE", "SIZE(page)"), nullopt when absent or ambiguous.
  [[nodiscard]] std::optional<std::string_view> raw(std::string_view key) const;
  /// The value of `key`; fails when absent or ambiguous.
  [[nodiscard]] Result<std::string_view> text(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return raw(key).has_value(); }

  /// SYMBOL(name): a virtual address, hexadecimal without prefix (at most 16 digits).
  [[nodiscard]] Result<uint64_t> symbol(std::string_view name) const;
  /// SIZE(type): bytes, unsigned decimal.
  [[nodiscard]] Result<uint64_t> size(std::string_view type) const;
  /// OFFSET(type.member): bytes, unsigned decimal.
  [[nodiscard]] Result<uint64_t> offset(std::string_view type_member) const;
  /// NUMBER(name): signed decimal (PAGE_BUDDY_MAPCOUNT_VALUE is negative).
  [[nodiscard]] Result<int64_t> number(std::string_view name) const;
  /// LENGTH(name): an array's element count, unsigned decimal.
  [[nodiscard]] Result<uint64_t> length(std::string_view name) const;
  /// PAGESIZE: a power of two from 512 to 1 MiB.
  [[nodiscard]] Result<uint64_t> page_size() const;
  /// OSRELEASE, non-empty.
  [[nodiscard]] Result<std::string_view> os_release() const;
  /// KERNELOFFSET: hexadecimal (the KASLR shift of the kernel image).
  [[nodiscard]] Result<uint64_t> kernel_offset() const;
  /// CRASHTIME: seconds since the epoch, signed decimal.
  [[nodiscard]] Result<int64_t> crash_time() const;

  /// Entries kept (an ambiguous key counts once).
  [[nodiscard]] size_t entry_count() const { return entries_.size(); }
  /// Lines that were not entries.
  [[nodiscard]] size_t ignored_lines() const { return ignored_lines_; }
  /// Keys given twice with different values, in the order first seen.
  [[nodiscard]] std::vector<std::string> ambiguous_keys() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    std::optional<std::string> conflicting;  ///< a second, different value: the key is ambiguous
    size_t first_seen = 0;                   ///< index among the entry lines
  };
  [[nodiscard]] const Entry* find(std::string_view key) const;
  [[nodiscard]] Result<uint64_t> unsigned_value(std::string key, int base) const;
  [[nodiscard]] Result<int64_t> signed_value(std::string key) const;

  std::vector<Entry> entries_;  ///< sorted by key
  size_t ignored_lines_ = 0;
};

}  // namespace zk::ondisk
