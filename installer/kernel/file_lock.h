#pragma once
/// An exclusive advisory lock (flock) on a lock file, held for the object's lifetime: two
/// builds of the same cache entry, or two unpackings of the same tarball, take turns.

#include <string>

#include "util/error.h"
#include "util/fd.h"

namespace zk::installer::kernel {

class FileLock {
 public:
  /// Creates `path` if needed and waits until the lock is ours.
  static Result<FileLock> acquire(const std::string& path);

 private:
  explicit FileLock(util::Fd fd) : fd_(std::move(fd)) {}
  util::Fd fd_;  // closing it releases the lock
};

}  // namespace zk::installer::kernel
