// SPDX-License-Identifier: MIT
#pragma once
/// Waiting for an exclusive advisory lock (flock) with a time limit: the installer's locks on a
/// disk and on the layout directory both wait for another holder, but not forever.

#include <chrono>
#include <string>

#include "util/error.h"
#include "util/fd.h"

namespace zk::util {

/// Takes flock(LOCK_EX) on `fd`, trying again every 100 ms while another holder has it, for up
/// to `patience`. The error carries errno (EWOULDBLOCK when the time ran out); the caller says
/// what was being locked.
Result<void> flock_exclusive(int fd, std::chrono::milliseconds patience);

/// An exclusive lock on a lock file of its own, held for the object's lifetime: two builds of
/// one kernel cache entry, or two unpackings of one tarball, take turns.
class LockFile {
 public:
  /// Creates `path` (mode 0644) if needed and waits for the lock as flock_exclusive does, for up
  /// to `patience`. The error names `path` and carries errno.
  static Result<LockFile> acquire(const std::string& path, std::chrono::milliseconds patience);

 private:
  explicit LockFile(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;  // closing it releases the lock
};

}  // namespace zk::util
