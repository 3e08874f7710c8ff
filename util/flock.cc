#include "util/flock.h"

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

}  // namespace zk::util
