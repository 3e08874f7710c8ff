#include "installer/kernel/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

namespace zk::installer::kernel {

Result<FileLock> FileLock::acquire(const std::string& path) {
  util::Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return fail_errno(errno, "open lock file " + path);
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return fail_errno(errno, "lock " + path);
  }
  return FileLock(std::move(fd));
}

}  // namespace zk::installer::kernel
