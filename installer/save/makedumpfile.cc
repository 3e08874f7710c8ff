// SPDX-License-Identifier: MIT
#include "installer/save/makedumpfile.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "util/strings.h"

namespace zk::installer::save {

Result<std::vector<std::string>> compress_argv(const MakedumpfileOptions& o,
                                               const std::string& input,
                                               const std::string& output) {
  std::vector<std::string> argv{o.program};
  if (o.compress == "zstd") argv.push_back("-z");
  else if (o.compress == "lzo") argv.push_back("-l");
  else if (o.compress == "snappy") argv.push_back("-p");
  else if (o.compress == "zlib") argv.push_back("-c");
  else if (o.compress != "none")
    return fail("unknown compressor \"" + o.compress + "\" (zstd, lzo, snappy, zlib, none)");
  if (o.dump_level > 31) return fail(util::format("dump level %u is not 0 to 31", o.dump_level));
  // --non-mmap: makedumpfile 1.7.2 maps its input in pieces by default, and that way misreads
  // a sparse dump (PT_LOADs without file data): even -d 1 then writes a file in which crash
  // cannot find the kernel's version. Read with read(2) it writes a good one (measured with
  // crash_to_dump.sh; docs/on-disk-format.md, "What the stock readers make of it").
  argv.insert(argv.end(), {"--non-mmap", "-d", std::to_string(o.dump_level), input, output});
  return argv;
}

std::vector<std::string> dmesg_argv(const std::string& program, const std::string& input,
                                    const std::string& output) {
  return {program, "--non-mmap", "--dump-dmesg", input, output};
}

std::optional<std::string> find_program(const std::string& program) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? std::optional(program) : std::nullopt;
  const char* env = std::getenv("PATH");
  const std::string_view path = env ? env : "/usr/sbin:/usr/bin:/sbin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find(':', start), path.size());
    const std::string_view dir = path.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate = std::string(dir) + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string parse_makedumpfile_version(const std::string& output) {
  const std::string key = "version ";
  const auto at = output.find(key);
  if (at == std::string::npos) return {};
  std::string v;
  for (size_t i = at + key.size(); i < output.size(); ++i) {
    const char c = output[i];
    if (!((c >= '0' && c <= '9') || c == '.' || (c >= 'a' && c <= 'z') || c == '-')) break;
    v += c;
  }
  return v.size() <= 32 ? v : std::string();
}

}  // namespace zk::installer::save
