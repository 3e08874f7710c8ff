// SPDX-License-Identifier: MIT
#include "initramfs-gen/compression.h"

#include <array>
#include <string>
#include <utility>

namespace zk::initramfs {
namespace {

struct Known {
  Compression compression;
  std::string_view name;
  std::string_view kernel_option;
};

constexpr std::array<Known, 5> kKnown{{
    {Compression::kNone, "none", ""},
    {Compression::kGzip, "gzip", "CONFIG_RD_GZIP"},
    {Compression::kXz, "xz", "CONFIG_RD_XZ"},
    {Compression::kZstd, "zstd", "CONFIG_RD_ZSTD"},
    {Compression::kLz4, "lz4", "CONFIG_RD_LZ4"},
}};

const Known& known(Compression c) {
  for (const auto& k : kKnown)
    if (k.compression == c) return k;
  return kKnown[0];  // unreachable for a valid enumerator
}

}  // namespace

Result<Compression> parse_compression(std::string_view name) {
  for (const auto& k : kKnown)
    if (k.name == name) return k.compression;
  return fail("unknown compression '" + std::string(name) +
              "' (expected none, gzip, xz, zstd or lz4)");
}

std::string_view compression_name(Compression c) { return known(c).name; }

std::string_view kernel_config_option(Compression c) { return known(c).kernel_option; }

}  // namespace zk::initramfs
