#pragma once
/// Waiting for an exclusive advisory lock (flock) with a time limit: the installer's locks on a
/// disk and on the layout directory both wait for another holder, but not forever.

#include <chrono>

#include "util/error.h"

namespace zk::util {

/// Takes flock(LOCK_EX) on `fd`, trying again every 100 ms while another holder has it, for up
/// to `patience`. The error carries errno (EWOULDBLOCK when the time ran out); the caller says
/// what was being locked.
Result<void> flock_exclusive(int fd, std::chrono::milliseconds patience);

}  // namespace zk::util
