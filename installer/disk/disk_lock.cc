#include "installer/disk/disk_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <thread>

namespace zk::installer::disk {

Result<util::Fd> lock_disk(const std::string& path, std::chrono::milliseconds patience) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline)
      return fail_errno(errno, "lock " + path + " (another partitioner or udev holds it)");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fd;
}

}  // namespace zk::installer::disk
