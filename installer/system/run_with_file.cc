// SPDX-License-Identifier: MIT
#include "installer/system/run_with_file.h"

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace zk::installer::system {

std::vector<std::string> run_with_file_argv(const std::string& self, const std::string& source,
                                            const std::string& target,
                                            const std::vector<std::string>& program_argv) {
  std::vector<std::string> argv{self, std::string(kRunWithFile), source, target, "--"};
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  return argv;
}

int run_with_file(int argc, char** argv) {
  if (argc < 6 || std::string_view(argv[4]) != "--") {
    std::fprintf(stderr, "usage: zfcpdump-install %.*s SOURCE TARGET -- PROGRAM [ARG]...\n",
                 static_cast<int>(kRunWithFile.size()), kRunWithFile.data());
    return 2;
  }
  const char* source = argv[2];
  const char* target = argv[3];
  const char* step = nullptr;
  // A namespace of our own whose mounts do not propagate back (the root may be shared), then
  // the one bind mount.
  if (::unshare(CLONE_NEWNS) != 0) step = "unshare(CLONE_NEWNS)";
  else if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    step = "making the mounts private";
  else if (::mount(source, target, nullptr, MS_BIND, nullptr) != 0) step = "bind-mounting it";
  if (step) {
    const int e = errno;
    std::fprintf(stderr, "%.*s (%s: %s); it gets the shared one\n",
                 static_cast<int>(kRunWithFileFallback.size()), kRunWithFileFallback.data(), step,
                 std::strerror(e));
  }
  ::execvp(argv[5], argv + 5);
  std::fprintf(stderr, "zfcpdump-install: cannot run %s: %s\n", argv[5], std::strerror(errno));
  return 127;
}

}  // namespace zk::installer::system
