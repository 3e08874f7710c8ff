// SPDX-License-Identifier: MIT
#pragma once
/// A kernel .config (or a config fragment) as data: `CONFIG_X=y|m|"string"|number` and
/// `# CONFIG_X is not set`. Reading is bounded: a .config is about 150 KB, so files over
/// kMaxConfigBytes or lines over kMaxConfigLineBytes are refused rather than read.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "util/error.h"

namespace zk::installer::kernel {

inline constexpr size_t kMaxConfigBytes = 4u << 20;
inline constexpr size_t kMaxConfigLineBytes = 64u << 10;

/// One option's value as the file states it.
struct ConfigValue {
  enum class Kind {
    kNotSet,  ///< `# CONFIG_X is not set`
    kYes,     ///< =y
    kModule,  ///< =m
    kString,  ///< ="..." (text holds the unescaped string)
    kNumber,  ///< =123, =-1, =0x1f (text holds it as written)
  };
  Kind kind = Kind::kNotSet;
  std::string text;  ///< "y", "m", the string, the number; empty for kNotSet

  /// As it would appear after `CONFIG_X=`: y, m, "quoted", 0x1; "is not set" for kNotSet.
  [[nodiscard]] std::string display() const;
  friend bool operator==(const ConfigValue&, const ConfigValue&) = default;
};

class KernelConfig {
 public:
  /// Parses config text. `name` is used in messages ("FILE line N: ..."). Blank lines and other
  /// comments are skipped; any other line is an error (a wrong file, not a .config). A later
  /// line for the same option replaces an earlier one, as in Kconfig.
  static Result<KernelConfig> parse(std::string_view text, std::string_view name);
  /// Reads and parses `path`; refuses files over kMaxConfigBytes and gzip files (such as
  /// /proc/config.gz) with a message saying so.
  static Result<KernelConfig> load(const std::string& path);

  /// The value of `option` ("CONFIG_CRASH_DUMP" or "CRASH_DUMP"); nullptr when the file does
  /// not mention it (which Kconfig also reads as "not set").
  [[nodiscard]] const ConfigValue* value(std::string_view option) const;
  /// Whether `option` is =y.
  [[nodiscard]] bool is_builtin(std::string_view option) const;
  /// All options, by full name (CONFIG_...).
  [[nodiscard]] const std::map<std::string, ConfigValue, std::less<>>& options() const {
    return options_;
  }

 private:
  std::map<std::string, ConfigValue, std::less<>> options_;
};

/// "CONFIG_X" for "X" or "CONFIG_X".
[[nodiscard]] std::string config_option_name(std::string_view option);

}  // namespace zk::installer::kernel
