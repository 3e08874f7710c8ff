// SPDX-License-Identifier: MIT
#pragma once
/// For the commands' unit tests: runs a subcommand the way main() does (its spec parses the
/// words), against a system::Host, with --json, and hands back the exit status and the report
/// parsed by a JSON parser (so a test sees what a program reading --json sees).

#include <cstddef>
#include <string>
#include <vector>

#include "installer/cli/report.h"
#include "installer/commands/common.h"
#include "installer/config.h"
#include "installer/system/host.h"

namespace zk::installer::commands::testing {

struct Ran {
  int status = -1;
  std::string out;  ///< standard output as printed
  std::string err;  ///< standard error as printed
  cli::Json json;   ///< `out` parsed; null when it was empty (the hook's silence)
};

/// Parses `words` against `spec`, runs `run` with a JSON report (text with `json` false).
/// A word list the spec refuses fails the test.
Ran run_command(const cli::CommandSpec& spec, int (*run)(Context&, system::Host&),
                const std::vector<std::string>& words, const Config& config, system::Host& host,
                bool json = true);

/// The whole file at `path` (an image a test made); empty when it cannot be read.
std::vector<std::byte> slurp(const std::string& path);

}  // namespace zk::installer::commands::testing
