// SPDX-License-Identifier: MIT
#pragma once
/// Running another program (make, tar, zipl): posix_spawn with an argv vector, never a shell
/// string; stdin from /dev/null; its output (stdout and stderr together) read through a pipe,
/// logged, split into lines or captured. The one place the toolkit starts programs.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::util {

/// A program and its arguments; argv[0] without a slash is looked up in PATH.
struct Command {
  Command(std::vector<std::string> argv_, std::string cwd_ = {}, std::vector<std::string> env_ = {})
      : argv(std::move(argv_)), cwd(std::move(cwd_)), env(std::move(env_)) {}

  std::vector<std::string> argv;
  std::string cwd;               ///< where it runs; empty: the caller's working directory
  std::vector<std::string> env;  ///< "NAME=value" added to (or replacing in) the environment

  /// "make -C /src O=/out bzImage", for messages (arguments are not quoted).
  [[nodiscard]] std::string display() const;
};

/// How a child ended.
struct ExitStatus {
  int code = 0;    ///< exit code when it exited
  int signal = 0;  ///< the signal that killed it, else 0
  [[nodiscard]] bool ok() const { return code == 0 && signal == 0; }
  /// "exited with status 2" / "was killed by signal 9 (Killed)"
  [[nodiscard]] std::string describe() const;
};

/// A started child process. Destroyed before wait() returned, it sends SIGTERM (GNU make passes
/// that on to the jobs it runs), waits up to 5 s, then SIGKILLs and reaps it: no zombies, no
/// build left running behind a failed caller.
class ChildProcess {
 public:
  /// Starts `cmd` with stdin from /dev/null and stdout and stderr on `output_fd` (-1: inherited).
  static Result<ChildProcess> spawn(const Command& cmd, int output_fd);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  /// Waits for the child to end (retrying EINTR).
  Result<ExitStatus> wait();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

struct RunOptions {
  /// Everything the command prints is written here unchanged (-1: not logged).
  int log_fd = -1;
  /// Called with each line of output, without its newline; over-long lines come in pieces.
  std::function<void(std::string_view line)> on_line;
  /// Called about every `tick` while the command runs (for elapsed-time progress).
  std::function<void()> on_tick;
  std::chrono::milliseconds tick{1000};
};

/// Runs `cmd` to its end, pumping its output through `options`. A command that cannot be
/// started (not in PATH, say) is an error; one that runs and fails is an ExitStatus to judge.
Result<ExitStatus> run_command(const Command& cmd, const RunOptions& options);

/// Runs `cmd` and returns its output (at most `limit` bytes are kept) when it exits 0.
Result<std::string> capture_output(const Command& cmd, size_t limit = 1 << 20);

/// How a program ran and what it said.
struct CapturedRun {
  ExitStatus status;
  std::string output;  ///< stdout and stderr, interleaved as written (at most the limit)
  bool truncated = false;
};
/// Runs `cmd` to its end and keeps its output whatever the exit status (for programs whose
/// output is shown when they fail, such as zipl).
Result<CapturedRun> run_capture(const Command& cmd, size_t limit = 1 << 20);

/// The executable `name` stands for: itself when it has a slash, else the first match in
/// $PATH (a default with the sbin directories when PATH is unset). A missing program is an
/// error (ENOENT, EACCES) here, because under qemu-user a failed exec in posix_spawn's child
/// shows only as exit status 127.
Result<std::string> find_program(const std::string& name);

}  // namespace zk::util
