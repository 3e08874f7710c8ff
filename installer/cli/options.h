// SPDX-License-Identifier: MIT
#pragma once
/// Command-line parsing for zfcpdump-install's subcommands. Each subcommand declares its
/// options in a table; the same table parses argv and renders --help, so help, parser and the
/// manual page (checked by a test) cannot drift apart.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::installer::cli {

struct OptionSpec {
  std::string_view name;        ///< long name without dashes: "compress"
  char short_name = 0;          ///< 'o', or 0
  std::string_view value_name;  ///< "FILE" for an option with a value, empty for a flag
  std::string_view help;
  bool repeatable = false;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>, std::less<>> values;  ///< by long name
  std::vector<std::string> positional;

  [[nodiscard]] bool has(std::string_view name) const { return values.contains(name); }
  /// The (last) value of an option, or nullopt.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
};

struct CommandSpec {
  std::string_view name;      ///< "ramdisk"
  std::string_view synopsis;  ///< "ramdisk -o FILE [OPTION]... | ramdisk --list FILE"
  std::string_view summary;   ///< one paragraph
  std::vector<OptionSpec> options;
  size_t min_positional = 0;
  size_t max_positional = 0;
};

/// Options every subcommand takes (--help, --json, --config, ...).
[[nodiscard]] const std::vector<OptionSpec>& common_options();

/// Parses `args` (the words after the subcommand name) against `spec` and the common options,
/// with glibc's getopt_long, so the conventions are the GNU ones: `--opt=value`, `--opt value`,
/// `-o value`, `-ovalue`, flags grouped (`-ny`), options before, between and after the
/// arguments (which keep their order, whatever POSIXLY_CORRECT says), and `--` ending the
/// options. Unlike getopt_long's default, a long option must be spelled out: `--dry` is an
/// unknown option, not `--dry-run`, so that a script's command line keeps its meaning when a
/// later version adds an option with the same prefix. An option without `repeatable` given
/// twice with a value is an error; a flag may be repeated. Errors name the option ("unknown
/// option '--x'", "option '--x' needs a value (FILE)", "option '--x' takes no value").
/// Not reentrant (getopt_long keeps global state): call it from one thread at a time.
Result<ParsedArgs> parse(const CommandSpec& spec, const std::vector<std::string>& args);

/// The --help text of a subcommand.
[[nodiscard]] std::string render_help(const CommandSpec& spec);

}  // namespace zk::installer::cli
