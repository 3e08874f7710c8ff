// SPDX-License-Identifier: MIT
#include "ondisk/vmcoreinfo_table.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "util/strings.h"

namespace zk::ondisk {
namespace {

/// A key is printable ASCII without blanks: anything else is not a line the kernel wrote.
bool plausible_key(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

/// Strict digits in `base` (10 or 16), no sign, no prefix, no blanks; nullopt on overflow.
std::optional<uint64_t> parse_digits(std::string_view s, int base) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (base == 16) {
      auto h = util::hex_digit_value(c);
      if (!h) return std::nullopt;
      d = *h;
    } else {
      if (c < '0' || c > '9') return std::nullopt;
      d = static_cast<unsigned>(c - '0');
    }
    if (v > (std::numeric_limits<uint64_t>::max() - d) / static_cast<unsigned>(base))
      return std::nullopt;
    v = v * static_cast<unsigned>(base) + d;
  }
  return v;
}

std::string quoted(std::string_view s) {
  constexpr size_t kShown = 40;
  std::string out = "\"";
  for (char c : s.substr(0, kShown)) out += (c >= ' ' && c < 0x7f) ? c : '?';
  out += s.size() > kShown ? "...\"" : "\"";
  return out;
}

}  // namespace

Result<VmcoreinfoTable> VmcoreinfoTable::parse(std::string_view text,
                                               const VmcoreinfoLimits& limits) {
  if (text.size() > limits.max_text_bytes)
    return fail(util::format("VMCOREINFO: %zu bytes of text (at most %zu)", text.size(),
                             limits.max_text_bytes));
  struct Line {
    std::string_view key, value;
    size_t order;
  };
  std::vector<Line> lines;
  VmcoreinfoTable table;
  size_t pos = 0, lineno = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    ++lineno;
    pos = eol + 1;
    if (line.size() > limits.max_line_bytes)
      return fail(util::format("VMCOREINFO line %zu: %zu bytes (at most %zu)", lineno, line.size(),
                               limits.max_line_bytes));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || !plausible_key(line.substr(0, eq))) {
      ++table.ignored_lines_;
      continue;
    }
    if (lines.size() >= limits.max_entries)
      return fail(util::format("VMCOREINFO: more than %zu entries", limits.max_entries));
    lines.push_back({line.substr(0, eq), line.substr(eq + 1), lines.size()});
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.key < b.key; });
  for (const Line& l : lines) {
    if (!table.entries_.empty() && table.entries_.back().key == l.key) {
      Entry& e = table.entries_.back();
      if (l.value != e.value && !e.conflicting) e.conflicting = std::string(l.value);
      continue;
    }
    table.entries_.push_back({std::string(l.key), std::string(l.value), std::nullopt, l.order});
  }
  return table;
}

const VmcoreinfoTable::Entry* VmcoreinfoTable::find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Entry& e, std::string_view k) { return e.key < k; });
  return it != entries_.end() && it->key == key ? &*it : nullptr;
}

std::optional<std::string_view> VmcoreinfoTable::raw(std::string_view key) const {
  const Entry* e = find(key);
  if (!e || e->conflicting) return std::nullopt;
  return std::string_view(e->value);
}

Result<std::string_view> VmcoreinfoTable::text(std::string_view key) const {
  const Entry* e = find(key);
  if (!e) return fail(util::format("VMCOREINFO has no %.*s", int(key.size()), key.data()));
  if (e->conflicting)
    return fail(util::format("VMCOREINFO gives %s twice: %s and %s", e->key.c_str(),
                             quoted(e->value).c_str(), quoted(*e->conflicting).c_str()));
  return std::string_view(e->value);
}

Result<uint64_t> VmcoreinfoTable::unsigned_value(std::string key, int base) const {
  auto t = text(key);
  if (!t) return std::unexpected(t.error());
  auto v = parse_digits(*t, base);
  if (!v)
    return fail(util::format(
        "VMCOREINFO %s=%s is not %s", key.c_str(), quoted(*t).c_str(),
        base == 16 ? "a 64-bit hexadecimal number" : "a 64-bit unsigned decimal number"));
  return *v;
}

Result<int64_t> VmcoreinfoTable::signed_value(std::string key) const {
  auto t = text(key);
  if (!t) return std::unexpected(t.error());
  std::string_view digits = *t;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  auto v = parse_digits(digits, 10);
  const uint64_t bound = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (!v || *v > bound)
    return fail(util::format("VMCOREINFO %s=%s is not a 64-bit signed decimal number", key.c_str(),
                             quoted(*t).c_str()));
  return negative ? static_cast<int64_t>(0 - *v) : static_cast<int64_t>(*v);
}

Result<uint64_t> VmcoreinfoTable::symbol(std::string_view name) const {
  return unsigned_value("SYMBOL(" + std::string(name) + ")", 16);
}

Result<uint64_t> VmcoreinfoTable::size(std::string_view type) const {
  return unsigned_value("SIZE(" + std::string(type) + ")", 10);
}

Result<uint64_t> VmcoreinfoTable::offset(std::string_view type_member) const {
  return unsigned_value("OFFSET(" + std::string(type_member) + ")", 10);
}

Result<int64_t> VmcoreinfoTable::number(std::string_view name) const {
  return signed_value("NUMBER(" + std::string(name) + ")");
}

Result<uint64_t> VmcoreinfoTable::length(std::string_view name) const {
  return unsigned_value("LENGTH(" + std::string(name) + ")", 10);
}

Result<uint64_t> VmcoreinfoTable::page_size() const {
  auto v = unsigned_value("PAGESIZE", 10);
  if (!v) return v;
  if (*v < 512 || *v > (1u << 20) || (*v & (*v - 1)) != 0)
    return fail(util::format("VMCOREINFO PAGESIZE=%llu is not a power of two from 512 to 1 MiB",
                             static_cast<unsigned long long>(*v)));
  return v;
}

Result<std::string_view> VmcoreinfoTable::os_release() const {
  auto t = text("OSRELEASE");
  if (t && t->empty()) return fail("VMCOREINFO OSRELEASE is empty");
  return t;
}

Result<uint64_t> VmcoreinfoTable::kernel_offset() const {
  return unsigned_value("KERNELOFFSET", 16);
}

Result<int64_t> VmcoreinfoTable::crash_time() const { return signed_value("CRASHTIME"); }

std::vector<std::string> VmcoreinfoTable::ambiguous_keys() const {
  std::vector<const Entry*> found;
  for (const Entry& e : entries_)
    if (e.conflicting) found.push_back(&e);
  std::sort(found.begin(), found.end(),
            [](const Entry* a, const Entry* b) { return a->first_seen < b->first_seen; });
  std::vector<std::string> keys;
  for (const Entry* e : found) keys.push_back(e->key);
  return keys;
}

}  // namespace zk::ondisk
