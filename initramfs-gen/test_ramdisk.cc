// SPDX-License-Identifier: MIT
#include "initramfs-gen/test_ramdisk.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "util/read_file.h"

namespace zk::initramfs::testing {

void write_fake_dumper(const std::string& path, size_t size, uint32_t seed) {
  std::string data;
  data.reserve(size);
  uint32_t state = seed * 2654435761u + 1;
  static constexpr std::string_view kCode = "\xeb\xcf\xf0\x78\x00\x24\xa7\xfb\xff\x60\xe3\x10";
  for (size_t i = 0; data.size() < size; ++i) {
    state = state * 1103515245u + 12345u;
    if ((state >> 16) % 4 == 0) {
      data += static_cast<char>(state >> 24);
    } else {
      data += kCode[i % kCode.size()];
    }
  }
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(size));
}

std::vector<std::byte> read_bytes(const std::string& path) {
  const std::string chars = util::read_file(path, size_t{1} << 30).value_or("");
  std::vector<std::byte> bytes(chars.size());
  std::transform(chars.begin(), chars.end(), bytes.begin(),
                 [](char c) { return static_cast<std::byte>(c); });
  return bytes;
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> directory_names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool have_tool(const std::string& tool) {
  return run("command -v " + tool + " >/dev/null 2>&1").has_value();
}

std::optional<std::string> run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

std::string decompressor_tool(Compression c) {
  switch (c) {
    case Compression::kNone: return "cat";
    case Compression::kGzip: return "gzip";
    case Compression::kXz: return "xz";
    case Compression::kZstd: return "zstd";
    case Compression::kLz4: return "lz4";
  }
  return "false";
}

std::string decompress_command(Compression c, const std::string& path) {
  const std::string quoted = "'" + path + "'";
  if (c == Compression::kNone) return "cat " + quoted;
  return decompressor_tool(c) + " -dc " + quoted;
}

}  // namespace zk::initramfs::testing
