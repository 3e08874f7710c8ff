// SPDX-License-Identifier: MIT
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
    else if (key == "save_dir") c.save_dir = value;
    else if (key == "save_keep") {
      auto n = util::parse_u64(value);
      if (!n || *n > 1000)
        return fail(util::format("line %u: save_keep must be 0 to 1000", lineno));
      c.save_keep = static_cast<unsigned>(*n);
    } else if (key == "save_min_free") {
      auto n = util::parse_size(value);
      if (!n) return fail(util::format("line %u: save_min_free must be a size", lineno));
      c.save_min_free = *n;
    } else if (key == "save_format") {
      if (value != "kdump" && value != "elf")
        return fail(util::format("line %u: save_format must be kdump or elf", lineno));
      c.save_format = value;
    } else if (key == "save_compress") {
      if (value != "zstd" && value != "lzo" && value != "snappy" && value != "zlib" &&
          value != "none")
        return fail(
            util::format("line %u: save_compress must be zstd, lzo, snappy, zlib or none", lineno));
      c.save_compress = value;
    } else if (key == "save_dump_level") {
      auto n = util::parse_u64(value);
      if (!n || *n > 31)
        return fail(util::format("line %u: save_dump_level must be 0 to 31", lineno));
      c.save_dump_level = static_cast<unsigned>(*n);
    } else if (key == "makedumpfile") c.makedumpfile = value;
    else if (key == "harvest") {
      if (value != "yes" && value != "no")
        return fail(util::format("line %u: harvest must be yes or no", lineno));
      c.harvest = value == "yes";
    } else return fail(util::format("line %u: unknown key \"%s\"", lineno, key.c_str()));
    if ((key == "zfcpdump_dir" || key == "registry" || key == "save_dir") &&
        (value.empty() || value.front() != '/'))
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
