// SPDX-License-Identifier: MIT
#include "util/strings.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace zk::util {

std::string format(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  const int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string out;
  if (n > 0) {
    out.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(out.data(), out.size(), fmt, ap2);
    out.resize(static_cast<size_t>(n));
  }
  va_end(ap2);
  return out;
}

namespace {

/// What trim() removes and split_words() splits at: one set, so that a value a line's words
/// yield never ends in a character that trimming the rendered line would drop.
constexpr std::string_view kBlanks = " \t\r\n";

bool is_blank(char c) { return kBlanks.find(c) != std::string_view::npos; }

}  // namespace

std::string_view trim(std::string_view text) {
  const auto b = text.find_first_not_of(kBlanks);
  if (b == std::string_view::npos) return {};
  const auto e = text.find_last_not_of(kBlanks);
  return text.substr(b, e - b + 1);
}

std::optional<unsigned> hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
  return std::nullopt;
}

std::optional<uint64_t> parse_u64(std::string_view text, int base) {
  text = trim(text);
  if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  if (base == 0 || base == 16) {
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      text.remove_prefix(2);
      base = 16;
    } else if (base == 0) {
      base = 10;
    }
  }
  uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    const auto digit = hex_digit_value(c);
    if (!digit || *digit >= static_cast<unsigned>(base)) return std::nullopt;
    if (value > (std::numeric_limits<uint64_t>::max() - *digit) / static_cast<uint64_t>(base))
      return std::nullopt;
    value = value * static_cast<uint64_t>(base) + *digit;
  }
  return value;
}

std::optional<uint64_t> parse_size(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  auto number = parse_u64(text.substr(0, digits));
  if (!number) return std::nullopt;
  std::string_view unit = text.substr(digits);
  unsigned shift = 0;
  if (unit.empty() || unit == "B") shift = 0;
  else if (unit == "K" || unit == "KiB" || unit == "k") shift = 10;
  else if (unit == "M" || unit == "MiB") shift = 20;
  else if (unit == "G" || unit == "GiB") shift = 30;
  else if (unit == "T" || unit == "TiB") shift = 40;
  else return std::nullopt;
  if (shift && *number > (std::numeric_limits<uint64_t>::max() >> shift)) return std::nullopt;
  return *number << shift;
}

Result<void> for_each_content_line(
    std::string_view text, const std::function<Result<void>(unsigned, std::string_view)>& fn) {
  size_t pos = 0;
  unsigned lineno = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++lineno;
    if (line.empty() || line.front() == '#') continue;
    if (auto r = fn(lineno, line); !r) return r;
  }
  return {};
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t p = 0;
  while (p < line.size()) {
    while (p < line.size() && is_blank(line[p])) ++p;
    size_t end = p;
    while (end < line.size() && !is_blank(line[end])) ++end;
    if (end > p) words.push_back(line.substr(p, end - p));
    p = end;
  }
  return words;
}

std::string human_size(uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  unsigned u = 0;
  while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
    v /= 1024.0;
    ++u;
  }
  if (u == 0) return format("%llu B", static_cast<unsigned long long>(bytes));
  return format("%.1f %s", v, units[u]);
}

}  // namespace zk::util
