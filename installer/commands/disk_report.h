// SPDX-License-Identifier: MIT
#pragma once
/// The telling of `zfcpdump-install disk`: turns the job's outcome (disk/disk_run.h) into what
/// the user reads, step lines and notes as each step happens, the result fields (text lines or
/// the JSON object) and the exit status at the end. The only place that words the disk job.

#include <string>

#include "installer/cli/report.h"
#include "installer/disk/disk_run.h"

namespace zk::installer::commands {

/// disk's own exit status (zfcpdump-install(8)): the disk already is a current dump disk of
/// ours and nothing was done. When zipl fails, disk exits with zipl's status.
inline constexpr int kDiskAlreadyCurrent = 3;

/// Tells what `event` means, reading the parts of `outcome` that are final at that moment.
void tell_disk_event(cli::Report& r, disk::DiskEvent event, const disk::DiskOutcome& outcome);

/// The question asked before anything is written (unless --yes).
[[nodiscard]] std::string disk_consent_question(const disk::DiskOutcome& outcome);

/// Finishes the report (the stop reason as an error, then the result) and returns the exit
/// status: 0 done or planned, 1 refused or failed, 2 usage, 3 already current, zipl's status.
int finish_disk(cli::Report& r, const disk::DiskOutcome& outcome);

}  // namespace zk::installer::commands
