#include "installer/disk/run_program.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/fd.h"
#include "util/strings.h"

extern char** environ;

namespace zk::installer::disk {
namespace {

/// posix_spawn's attribute and file-action objects, released on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  bool ok = false;
  SpawnSetup() { ok = posix_spawn_file_actions_init(&actions) == 0; }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  ~SpawnSetup() {
    if (ok) posix_spawn_file_actions_destroy(&actions);
  }
};

/// The executable `name` stands for: itself when it has a slash, else the first in $PATH (a
/// default with the sbin directories when PATH is unset). Looked up here rather than by
/// posix_spawnp, so that a missing program is an error everywhere (under qemu-user a failed
/// exec in posix_spawn's child shows only as exit status 127).
Result<std::string> find_program(const std::string& name) {
  auto executable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (executable(name)) return name;
    return fail_errno(errno ? errno : EACCES, "start " + name);
  }
  const char* env = std::getenv("PATH");
  const std::string path = env && *env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
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

}  // namespace

std::string ProgramRun::describe() const {
  if (signal) return util::format("was killed by signal %d (%s)", signal, strsignal(signal));
  return util::format("exited with status %d", exit_code);
}

Result<ProgramRun> run_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                               size_t output_limit) {
  if (argv.empty()) return fail("run_program: no program");
  errno = 0;
  auto program = find_program(argv[0]);
  if (!program) return std::unexpected(program.error());
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return fail_errno(errno, "pipe");
  util::Fd read_end(pipefd[0]), write_end(pipefd[1]);

  SpawnSetup setup;
  if (!setup.ok) return fail_errno(ENOMEM, "posix_spawn_file_actions_init");
  int rc = posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, write_end.get(), 1);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, write_end.get(), 2);
  if (rc != 0) return fail_errno(rc, "posix_spawn_file_actions");

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  auto overridden = [&](std::string_view entry) {
    const auto eq = entry.find('=');
    for (const auto& e : extra_env)
      if (e.compare(0, e.find('='), entry.substr(0, eq)) == 0 && e.find('=') == eq) return true;
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!overridden(*e)) env_store.emplace_back(*e);
  for (const auto& e : extra_env) env_store.push_back(e);
  std::vector<char*> env;
  for (auto& e : env_store) env.push_back(e.data());
  env.push_back(nullptr);

  pid_t pid = -1;
  rc = posix_spawn(&pid, program->c_str(), &setup.actions, nullptr, args.data(), env.data());
  if (rc != 0) return fail_errno(rc, "start " + argv[0]);
  write_end.reset();  // the child has its copy; EOF comes when it exits

  ProgramRun run;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a read error ends the capture, not the child
    const size_t room = output_limit > run.output.size() ? output_limit - run.output.size() : 0;
    const size_t take = static_cast<size_t>(n) < room ? static_cast<size_t>(n) : room;
    run.output.append(buf, take);
    run.truncated = run.truncated || take < static_cast<size_t>(n);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fail_errno(errno, "wait for " + argv[0]);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  return run;
}

}  // namespace zk::installer::disk
