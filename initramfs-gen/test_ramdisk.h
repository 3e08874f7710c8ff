// SPDX-License-Identifier: MIT
#pragma once
/// Helpers for zk_initramfs's tests: input files, reading outputs back, running host tools.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "initramfs-gen/compression.h"

namespace zk::initramfs::testing {

/// The compressions write_ramdisk() can produce.
inline constexpr Compression kWritable[] = {Compression::kNone, Compression::kGzip,
                                            Compression::kXz, Compression::kZstd,
                                            Compression::kLz4};

/// Writes `size` bytes that compress about as well as machine code (a repeating pattern with
/// pseudo-random bytes mixed in); the same `size` and `seed` always give the same bytes.
void write_fake_dumper(const std::string& path, size_t size, uint32_t seed = 1);
/// The whole file; empty when it cannot be read.
[[nodiscard]] std::vector<std::byte> read_bytes(const std::string& path);
[[nodiscard]] bool exists(const std::string& path);
/// Names in `dir`, sorted, without "." and "..".
[[nodiscard]] std::vector<std::string> directory_names(const std::string& dir);

/// Whether `tool` is on PATH.
[[nodiscard]] bool have_tool(const std::string& tool);
/// Runs `command` with /bin/sh; its standard output, or nullopt when it exits non-zero.
[[nodiscard]] std::optional<std::string> run(const std::string& command);
/// A shell pipeline that writes the decompressed contents of `path` to standard output
/// ("gzip -dc 'path'", "cat 'path'", ...), and the tool it needs.
[[nodiscard]] std::string decompress_command(Compression c, const std::string& path);
[[nodiscard]] std::string decompressor_tool(Compression c);

}  // namespace zk::initramfs::testing
