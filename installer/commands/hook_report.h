// SPDX-License-Identifier: MIT
#pragma once
/// The telling of `zfcpdump-install hook`: turns the job's outcome (hook/hook_run.h) into what
/// the user reads: steps and notes as they happen, the result (text lines or the JSON object)
/// and the exit status. With nothing to do the hook says nothing (--json: the object).

#include <string>

#include "installer/cli/report.h"
#include "installer/hook/hook_run.h"

namespace zk::installer::commands {

/// hook's own exit status: the layout is installed, but a registered disk is not current.
inline constexpr int kHookDisksNotCurrent = 4;

/// Tells what `event` means, reading the parts of `outcome` that are final at that moment.
void tell_hook_event(cli::Report& r, hook::HookEvent event, const hook::HookOutcome& outcome);

/// Nothing to do for `action`: no output in text mode, the object with --json. Returns 0.
int hook_nothing_to_do(cli::Report& r, const std::string& action, const std::string& reason);

/// Finishes the report and returns the exit status: 0 all current (or nothing to do), 1 the
/// layout could not be changed, 2 usage, 4 a registered disk is not current.
int finish_hook(cli::Report& r, const hook::HookOutcome& outcome);

}  // namespace zk::installer::commands
