// SPDX-License-Identifier: MIT
#include "util/flock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <thread>

namespace zk::util {

Result<void> flock_exclusive(int fd, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline)
      return fail_errno(errno, "flock");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};
}

Result<LockFile> LockFile::acquire(const std::string& path, std::chrono::milliseconds patience) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return fail_errno(errno, "open lock file " + path);
  if (auto locked = flock_exclusive(fd.get(), patience); !locked)
    return fail_errno(locked.error().errnum, "lock " + path);
  return LockFile(std::move(fd));
}

}  // namespace zk::util
