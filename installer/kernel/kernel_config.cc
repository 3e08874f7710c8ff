// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_config.h"

#include <sys/stat.h>

#include <cerrno>

#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::kernel {

namespace {

constexpr std::string_view kPrefix = "CONFIG_";

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_option_name(std::string_view s) {
  if (!s.starts_with(kPrefix) || s.size() == kPrefix.size()) return false;
  for (char c : s)
    if (!is_name_char(c)) return false;
  return true;
}

bool is_number(std::string_view v) {
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    for (char c : v.substr(2))
      if (!util::hex_digit_value(c)) return false;
    return true;
  }
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  if (v.empty()) return false;
  for (char c : v)
    if (c < '0' || c > '9') return false;
  return true;
}

/// Unquotes a Kconfig string ("..." with \" and \\ escaped); nullopt when malformed.
std::optional<std::string> unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::nullopt;
  v = v.substr(1, v.size() - 2);
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\') {
      if (i + 1 == v.size()) return std::nullopt;
      out += v[++i];
    } else if (v[i] == '"') {
      return std::nullopt;
    } else {
      out += v[i];
    }
  }
  return out;
}

std::string where(std::string_view name, size_t line) {
  return util::format("%.*s line %zu", static_cast<int>(name.size()), name.data(), line);
}

}  // namespace

std::string config_option_name(std::string_view option) {
  if (option.starts_with(kPrefix)) return std::string(option);
  return std::string(kPrefix) + std::string(option);
}

std::string ConfigValue::display() const {
  switch (kind) {
    case Kind::kNotSet: return "is not set";
    case Kind::kString: {
      std::string out = "\"";
      for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    default: return text;
  }
}

Result<KernelConfig> KernelConfig::parse(std::string_view text, std::string_view name) {
  KernelConfig config;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.size() > kMaxConfigLineBytes)
      return fail(
          where(name, line_no) +
          util::format(": line longer than %zu bytes; not a kernel config", kMaxConfigLineBytes));
    line = util::trim(line);
    if (line.empty()) continue;

    if (line.front() == '#') {
      // "# CONFIG_X is not set" is a value; every other comment is decoration.
      constexpr std::string_view kNotSet = " is not set";
      std::string_view rest = util::trim(line.substr(1));
      if (rest.starts_with(kPrefix) && rest.ends_with(kNotSet)) {
        std::string_view option = rest.substr(0, rest.size() - kNotSet.size());
        if (is_option_name(option)) config.options_[std::string(option)] = ConfigValue{};
      }
      continue;
    }

    const size_t eq = line.find('=');
    const std::string_view option = line.substr(0, eq);
    if (eq == std::string_view::npos || !is_option_name(option))
      return fail(where(name, line_no) + ": expected CONFIG_NAME=value or a # comment, found \"" +
                  std::string(line.substr(0, 80)) + "\"; not a kernel config");
    const std::string_view raw = line.substr(eq + 1);
    ConfigValue value;
    if (raw == "y") {
      value = {ConfigValue::Kind::kYes, "y"};
    } else if (raw == "m") {
      value = {ConfigValue::Kind::kModule, "m"};
    } else if (raw == "n") {
      value = {};  // Kconfig reads =n as "is not set"; fragments sometimes say it that way
    } else if (is_number(raw)) {
      value = {ConfigValue::Kind::kNumber, std::string(raw)};
    } else if (auto s = unquote(raw)) {
      value = {ConfigValue::Kind::kString, std::move(*s)};
    } else {
      return fail(where(name, line_no) + ": " + std::string(option) + " has the value \"" +
                  std::string(raw.substr(0, 80)) +
                  "\", which is neither y, m, n, a number nor a quoted string");
    }
    config.options_[std::string(option)] = std::move(value);
  }
  return config;
}

Result<KernelConfig> KernelConfig::load(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return fail_errno(errno, "kernel config " + path);
  if (!S_ISREG(st.st_mode)) return fail("kernel config " + path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > kMaxConfigBytes)
    return fail(
        util::format("kernel config %s is %s, more than the %s a .config can plausibly be; "
                     "refusing to read it",
                     path.c_str(), util::human_size(static_cast<uint64_t>(st.st_size)).c_str(),
                     util::human_size(kMaxConfigBytes).c_str()));
  auto text = util::read_file(path, kMaxConfigBytes);
  if (!text) return std::unexpected(text.error().wrap("kernel config"));
  if (text->size() >= 2 && static_cast<unsigned char>((*text)[0]) == 0x1f &&
      static_cast<unsigned char>((*text)[1]) == 0x8b)
    return fail("kernel config " + path +
                " is gzip-compressed (like /proc/config.gz); decompress it first");
  return parse(*text, path);
}

const ConfigValue* KernelConfig::value(std::string_view option) const {
  auto it = option.starts_with(kPrefix) ? options_.find(option)
                                        : options_.find(config_option_name(option));
  return it == options_.end() ? nullptr : &it->second;
}

bool KernelConfig::is_builtin(std::string_view option) const {
  const ConfigValue* v = value(option);
  return v && v->kind == ConfigValue::Kind::kYes;
}

}  // namespace zk::installer::kernel
