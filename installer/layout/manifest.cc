// SPDX-License-Identifier: MIT
#include "installer/layout/manifest.h"

#include "util/sha256.h"
#include "util/strings.h"

namespace zk::installer::layout {
namespace {

constexpr std::string_view kFormatLine = "format=zfcpdump-kit-layout-1";

}  // namespace

Result<void> check_manifest_values(const Manifest& m) {
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"dumper.version", &m.dumper_version},
        {"kernel.release", &m.kernel_release},
        {"compressor", &m.compressor},
        {"dumper.params", &m.dumper_params},
        {"kernel.version", &m.kernel_version},
        {"image.source", &m.image_source}}) {
    if (value->size() > kManifestMaxValueBytes)
      return fail(util::format("manifest: %s is %zu bytes (at most %zu)", key, value->size(),
                               kManifestMaxValueBytes));
    for (unsigned char c : *value)
      if (c < 0x20 || c == 0x7f)
        return fail(util::format("manifest: %s holds a control character", key));
    if (!value->empty() && (value->front() == ' ' || value->back() == ' '))
      return fail(util::format("manifest: %s starts or ends with a space", key));
  }
  return {};
}

std::string render_manifest(const Manifest& m) {
  using ull = unsigned long long;
  auto optional = [](const char* key, const std::string& value) {
    return value.empty() ? std::string() : std::string(key) + "=" + value + "\n";
  };
  return util::format(
      "# Written by zfcpdump-install build or hook; read by zfcpdump-install disk, check and "
      "hook.\n"
      "%.*s\n"
      "image.size=%llu\nimage.sha256=%s\n"
      "initrd.size=%llu\ninitrd.sha256=%s\n"
      "dumper.version=%s\nkernel.release=%s\ncompressor=%s\nhsa.size=%llu\n%s%s%s%s",
      static_cast<int>(kFormatLine.size()), kFormatLine.data(), static_cast<ull>(m.image_size),
      m.image_sha256.c_str(), static_cast<ull>(m.initrd_size), m.initrd_sha256.c_str(),
      m.dumper_version.c_str(), m.kernel_release.c_str(), m.compressor.c_str(),
      static_cast<ull>(m.hsa_size), optional("dumper.params", m.dumper_params).c_str(),
      optional("kernel.version", m.kernel_version).c_str(),
      optional("image.source", m.image_source).c_str(),
      optional("kernel.memory", m.kernel_memory ? std::to_string(m.kernel_memory) : "").c_str());
}

Result<Manifest> parse_manifest(std::string_view text) {
  if (text.size() > kManifestMaxBytes)
    return fail(util::format("manifest: %zu bytes (at most %zu)", text.size(), kManifestMaxBytes));
  Manifest m;
  bool format_seen = false;
  auto parse_line = [&](unsigned lineno, std::string_view line) -> Result<void> {
    if (line == kFormatLine) {
      format_seen = true;
      return {};
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return fail(util::format("manifest line %u: no '=' in \"%.*s\"", lineno,
                               static_cast<int>(line.size()), line.data()));
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    // Bounded values keep every manifest this parser accepts renderable within the limit.
    if (value.size() > kManifestMaxValueBytes)
      return fail(util::format("manifest line %u: value of %zu bytes (at most %zu)", lineno,
                               value.size(), kManifestMaxValueBytes));
    auto number = [&](uint64_t& out) -> Result<void> {
      auto v = util::parse_u64(value);
      if (!v)
        return fail(util::format("manifest line %u: %.*s is not a number", lineno,
                                 static_cast<int>(key.size()), key.data()));
      out = *v;
      return {};
    };
    auto digest = [&](std::string& out) -> Result<void> {
      if (!util::is_sha256_hex(value) &&
          !(value.empty() && key == "initrd.sha256"))  // empty: no ramdisk
        return fail(util::format("manifest line %u: %.*s is not a SHA-256", lineno,
                                 static_cast<int>(key.size()), key.data()));
      out = value;
      return {};
    };
    Result<void> r;
    if (key == "image.size") r = number(m.image_size);
    else if (key == "image.sha256") r = digest(m.image_sha256);
    else if (key == "initrd.size") r = number(m.initrd_size);
    else if (key == "initrd.sha256") r = digest(m.initrd_sha256);
    else if (key == "dumper.version") m.dumper_version = value;
    else if (key == "kernel.release") m.kernel_release = value;
    else if (key == "compressor") m.compressor = value;
    else if (key == "hsa.size") r = number(m.hsa_size);
    else if (key == "dumper.params") m.dumper_params = value;
    else if (key == "kernel.version") m.kernel_version = value;
    else if (key == "image.source") m.image_source = value;
    else if (key == "kernel.memory") r = number(m.kernel_memory);
    return r;
  };
  if (auto ok = util::for_each_content_line(text, parse_line); !ok)
    return std::unexpected(ok.error());
  if (!format_seen) return fail("manifest: no \"" + std::string(kFormatLine) + "\" line");
  if (m.image_sha256.empty()) return fail("manifest: no image.sha256");
  return m;
}

}  // namespace zk::installer::layout
