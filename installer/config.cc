#include "installer/config.h"

#include <cerrno>

#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer {

Result<Config> parse_config(std::string_view text, Config c) {
  auto parse_line = [&c](unsigned lineno, std::string_view line) -> Result<void> {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return fail(util::format("line %u: expected \"key = value\"", lineno));
    const std::string key(util::trim(line.substr(0, eq)));
    std::string value(util::trim(line.substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (key == "zfcpdump_dir") c.zfcpdump_dir = value;
    else if (key == "zipl") c.zipl = value;
    else if (key == "compress") c.compress = value;
    else if (key == "kernel_match") c.kernel_match = value;
    else if (key == "registry") c.registry = value;
    else if (key == "dumper") c.dumper = value;
    else if (key == "kernel_config") c.kernel_config = value;
    else return fail(util::format("line %u: unknown key \"%s\"", lineno, key.c_str()));
    if ((key == "zfcpdump_dir" || key == "registry") && (value.empty() || value.front() != '/'))
      return fail(util::format("line %u: %s must be an absolute path", lineno, key.c_str()));
    return {};
  };
  if (auto ok = util::for_each_content_line(text, parse_line); !ok)
    return std::unexpected(ok.error());
  return c;
}

Result<Config> load_config(const std::string& path, bool required) {
  auto text = util::read_file(path, 65536);
  if (!text) {
    if (text.error().errnum == ENOENT && !required) return Config{};
    return std::unexpected(text.error());
  }
  auto c = parse_config(*text);
  if (!c) return std::unexpected(c.error().wrap(path));
  return c;
}

}  // namespace zk::installer
