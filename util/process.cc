// SPDX-License-Identifier: MIT
#include "util/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "util/fd.h"
#include "util/strings.h"

extern char** environ;

namespace zk::util {

namespace {

constexpr size_t kMaxLineBytes = 64u << 10;

/// posix_spawn attributes and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

Result<void> write_all_fd(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "write the build log");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

struct Pipe {
  Fd read;
  Fd write;
  static Result<Pipe> open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return fail_errno(errno, "pipe");
    return Pipe{Fd(fds[0]), Fd(fds[1])};
  }
};

/// The environment with `extra` ("NAME=value") added, replacing variables of the same name.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const auto& x : extra)
      replaced = replaced || std::string_view(x).substr(0, x.find('=') + 1) == name;
    if (!replaced) env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

Result<std::string> find_program(const std::string& name) {
  auto executable = [](const std::string& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    errno = 0;
    if (executable(name)) return name;
    return fail_errno(errno ? errno : EACCES, "start " + name);
  }
  const char* env = std::getenv("PATH");
  const std::string path =
      env && *env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find(':', pos);
    if (end == std::string::npos) end = path.size();
    const std::string dir = end > pos ? path.substr(pos, end - pos) : ".";
    if (executable(dir + "/" + name)) return dir + "/" + name;
    pos = end + 1;
  }
  return fail_errno(ENOENT, "start " + name + " (not found in PATH)");
}

std::string Command::display() const {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

std::string ExitStatus::describe() const {
  if (signal != 0) return format("was killed by signal %d (%s)", signal, ::strsignal(signal));
  return format("exited with status %d", code);
}

Result<ChildProcess> ChildProcess::spawn(const Command& cmd, int output_fd) {
  if (cmd.argv.empty() || cmd.argv[0].empty()) return fail("spawn: empty command");
  SpawnSetup s;
  int rc = posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  if (rc == 0 && output_fd >= 0) rc = posix_spawn_file_actions_adddup2(&s.actions, output_fd, 1);
  if (rc == 0 && output_fd >= 0) rc = posix_spawn_file_actions_adddup2(&s.actions, output_fd, 2);
  if (rc == 0 && !cmd.cwd.empty())
    rc = posix_spawn_file_actions_addchdir_np(&s.actions, cmd.cwd.c_str());
  // A clean signal state: nothing blocked, SIGPIPE back to its default (callers often ignore it).
  sigset_t none, pipe_only;
  sigemptyset(&none);
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&s.attr, &none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&s.attr, &pipe_only);
  if (rc == 0)
    rc = posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  if (rc != 0) return fail_errno(rc, "prepare to run " + cmd.argv[0]);

  auto program = find_program(cmd.argv[0]);
  if (!program) return std::unexpected(program.error());
  // Like a missing program, a missing working directory must be an error here: under
  // qemu-user a chdir that fails in posix_spawn's child shows only as exit status 127.
  if (!cmd.cwd.empty()) {
    struct stat st{};
    if (::stat(cmd.cwd.c_str(), &st) != 0)
      return fail_errno(errno, "run " + cmd.argv[0] + " in " + cmd.cwd);
    if (!S_ISDIR(st.st_mode)) return fail_errno(ENOTDIR, "run " + cmd.argv[0] + " in " + cmd.cwd);
  }
  std::vector<char*> argv;
  argv.reserve(cmd.argv.size() + 1);
  for (const auto& a : cmd.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  if (!cmd.env.empty()) {
    env_storage = merged_environment(cmd.env);
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  pid_t pid = -1;
  rc = ::posix_spawn(&pid, program->c_str(), &s.actions, &s.attr, argv.data(),
                     cmd.env.empty() ? environ : envp.data());
  if (rc != 0)
    return fail_errno(rc, "run " + cmd.argv[0] + (cmd.cwd.empty() ? "" : " in " + cmd.cwd));
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

Result<ExitStatus> ChildProcess::wait() {
  if (pid_ <= 0) return fail("wait: no child");
  int status = 0;
  for (;;) {
    if (::waitpid(pid_, &status, 0) >= 0) break;
    if (errno != EINTR) return fail_errno(errno, format("wait for process %d", pid_));
  }
  pid_ = -1;
  ExitStatus out;
  if (WIFEXITED(status)) out.code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  return out;
}

Result<ExitStatus> run_command(const Command& cmd, const RunOptions& options) {
  auto pipe = Pipe::open();
  if (!pipe) return std::unexpected(pipe.error());
  auto child = ChildProcess::spawn(cmd, pipe->write.get());
  if (!child) return std::unexpected(child.error());
  pipe->write.reset();  // only the child writes now; EOF comes when it (and its children) exit

  using Clock = std::chrono::steady_clock;
  auto next_tick = Clock::now() + options.tick;
  std::string partial;
  char buf[1 << 16];
  for (;;) {
    const auto now = Clock::now();
    if (now >= next_tick) {
      if (options.on_tick) options.on_tick();
      next_tick = now + options.tick;
    }
    const auto wait_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now()).count();
    pollfd pfd{pipe->read.get(), POLLIN, 0};
    const int pr = ::poll(&pfd, 1, static_cast<int>(wait_ms < 0 ? 0 : wait_ms));
    if (pr < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "poll the output of " + cmd.argv[0]);
    }
    if (pr == 0) continue;
    const ssize_t n = ::read(pipe->read.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fail_errno(errno, "read the output of " + cmd.argv[0]);
    }
    if (n == 0) break;
    const std::string_view chunk(buf, static_cast<size_t>(n));
    if (options.log_fd >= 0) {
      if (auto w = write_all_fd(options.log_fd, chunk); !w) return std::unexpected(w.error());
    }
    if (!options.on_line) continue;
    partial.append(chunk);
    size_t start = 0;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(partial.data() + start, nl - start);
      if (line.ends_with('\r')) line.remove_suffix(1);
      options.on_line(line);
    }
    partial.erase(0, start);
    if (partial.size() > kMaxLineBytes) {
      options.on_line(partial);
      partial.clear();
    }
  }
  if (!partial.empty() && options.on_line) options.on_line(partial);
  return child->wait();
}

Result<std::string> capture_output(const Command& cmd, size_t limit) {
  std::string out;
  RunOptions options;
  options.on_line = [&](std::string_view line) {
    if (out.size() + line.size() + 1 > limit) return;
    out.append(line);
    out += '\n';
  };
  auto status = run_command(cmd, options);
  if (!status) return std::unexpected(status.error());
  if (!status->ok())
    return fail(cmd.display() + " " + status->describe() +
                (out.empty() ? "" : ": " + std::string(trim(out.substr(0, 2000)))));
  return out;
}

Result<CapturedRun> run_capture(const Command& cmd, size_t limit) {
  CapturedRun run;
  RunOptions options;
  options.on_line = [&](std::string_view line) {
    if (run.output.size() + line.size() + 1 > limit) {
      run.truncated = true;
      return;
    }
    run.output.append(line);
    run.output += '\n';
  };
  auto status = run_command(cmd, options);
  if (!status) return std::unexpected(status.error());
  run.status = *status;
  return run;
}

}  // namespace zk::util
