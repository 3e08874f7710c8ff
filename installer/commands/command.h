// SPDX-License-Identifier: MIT
#pragma once
/// The subcommands of zfcpdump-install. Each has a spec (options, help) and a run function;
/// main() parses the words after the subcommand against the spec and calls it.

#include <vector>

#include "installer/cli/options.h"
#include "installer/cli/report.h"
#include "installer/config.h"

namespace zk::installer::commands {

/// Exit statuses shared by every subcommand; `disk` adds 3, `hook` 4 and `check` its own above
/// 9 (zfcpdump-install(8)).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  const cli::ParsedArgs& args;
  cli::Report& report;
  const Config& config;
};

struct Command {
  const cli::CommandSpec& (*spec)();
  int (*run)(Context&);
};

/// All subcommands, in the order --help lists them.
[[nodiscard]] const std::vector<Command>& all_commands();

const cli::CommandSpec& check_spec();
int run_check(Context& ctx);

const cli::CommandSpec& disk_spec();
int run_disk(Context& ctx);

const cli::CommandSpec& ramdisk_spec();
int run_ramdisk(Context& ctx);

const cli::CommandSpec& build_spec();
int run_build(Context& ctx);

const cli::CommandSpec& hook_spec();
int run_hook(Context& ctx);

const cli::CommandSpec& save_spec();
int run_save(Context& ctx);

}  // namespace zk::installer::commands
