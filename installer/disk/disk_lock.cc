// SPDX-License-Identifier: MIT
#include "installer/disk/disk_lock.h"

#include <fcntl.h>

#include <cerrno>

#include "util/flock.h"

namespace zk::installer::disk {

Result<util::Fd> lock_disk(const std::string& path, std::chrono::milliseconds patience) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  if (auto locked = util::flock_exclusive(fd.get(), patience); !locked)
    return fail_errno(locked.error().errnum,
                      "lock " + path + " (another partitioner or udev holds it)");
  return fd;
}

}  // namespace zk::installer::disk
