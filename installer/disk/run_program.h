#pragma once
/// Running an external program the installer depends on (zipl): posix_spawn with an argv
/// vector, never a shell; stdin from /dev/null; stdout and stderr captured together.

#include <string>
#include <vector>

#include "util/error.h"

namespace zk::installer::disk {

struct ProgramRun {
  int exit_code = 0;    ///< when it exited
  int signal = 0;       ///< the signal that killed it, else 0
  std::string output;   ///< stdout and stderr, interleaved as written (at most the limit)
  bool truncated = false;
  [[nodiscard]] bool ok() const { return exit_code == 0 && signal == 0; }
  /// "exited with status 1" / "was killed by signal 9"
  [[nodiscard]] std::string describe() const;
};

/// Runs `argv` (argv[0] without a slash is looked up in PATH) to its end with `extra_env`
/// ("NAME=value") added to the environment. A program that cannot be started is an error
/// (ENOENT for a missing zipl, EACCES for one that is not executable); one that runs and fails
/// is a ProgramRun.
Result<ProgramRun> run_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
                               size_t output_limit = 1 << 20);

}  // namespace zk::installer::disk
