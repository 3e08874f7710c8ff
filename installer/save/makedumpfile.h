// SPDX-License-Identifier: MIT
#pragma once
/// makedumpfile, run as a program (the field's tool for kdump-compressed dumps and for the
/// crashed kernel's log): its command lines, where it is, its version.

#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace zk::installer::save {

struct MakedumpfileOptions {
  std::string program = "makedumpfile";
  std::string compress = "zstd";  ///< zstd, lzo, snappy, zlib, none
  unsigned dump_level = 31;       ///< -d, 0..31
};

/// `program [-z|-l|-p|-c] --non-mmap -d N INPUT OUTPUT`: a kdump-compressed dump ("none": the
/// same format, pages uncompressed). Fails on a compressor or level makedumpfile does not know.
Result<std::vector<std::string>> compress_argv(const MakedumpfileOptions& o,
                                               const std::string& input, const std::string& output);

/// `program --non-mmap --dump-dmesg INPUT OUTPUT`: the crashed kernel's log as text.
[[nodiscard]] std::vector<std::string> dmesg_argv(const std::string& program,
                                                  const std::string& input,
                                                  const std::string& output);

/// The program's path: `program` itself when it holds a slash, else the first executable of
/// that name in PATH; nullopt when there is none.
[[nodiscard]] std::optional<std::string> find_program(const std::string& program);

/// "1.7.2" from `makedumpfile -v` ("makedumpfile: version 1.7.2 (released on ...)"); empty when
/// it says something else.
[[nodiscard]] std::string parse_makedumpfile_version(const std::string& output);

}  // namespace zk::installer::save
