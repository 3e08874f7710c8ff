// SPDX-License-Identifier: MIT
#pragma once
/// Small string helpers that the dumper can afford (no iostreams, no <format> in g++ 12).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::util {

/// printf into a std::string.
[[nodiscard]] std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Parses an unsigned integer in `base` (0: 0x/0 prefixes decide), the whole of `text` after
/// trimming surrounding white space; nullopt on anything else, including overflow.
[[nodiscard]] std::optional<uint64_t> parse_u64(std::string_view text, int base = 10);

/// The value of one hex digit (either case); nullopt for any other character.
[[nodiscard]] std::optional<unsigned> hex_digit_value(char c);

/// `text` without leading and trailing blanks, tabs, carriage returns and newlines.
[[nodiscard]] std::string_view trim(std::string_view text);

/// Parses a size such as "512M", "4G", "1048576", "32MiB" (binary units); nullopt on error.
[[nodiscard]] std::optional<uint64_t> parse_size(std::string_view text);

/// Calls `fn(lineno, line)` for each line of `text` (1-based numbers) with surrounding blanks
/// trimmed, skipping empty lines and lines starting with '#': the shape of every small text
/// file the toolkit keeps (configuration, manifest, registry). Stops at the first error.
Result<void> for_each_content_line(
    std::string_view text, const std::function<Result<void>(unsigned, std::string_view)>& fn);

/// Splits `line` into words at runs of the characters trim() removes.
[[nodiscard]] std::vector<std::string_view> split_words(std::string_view line);

/// "1.5 GiB" style rendering of a byte count, for messages.
[[nodiscard]] std::string human_size(uint64_t bytes);

}  // namespace zk::util
