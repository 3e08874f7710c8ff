// SPDX-License-Identifier: MIT
#pragma once
/// Reading from descriptors and whole small files: the one place that retries a read cut short
/// by a signal (EINTR), so no caller carries its own loop.

#include <cstddef>
#include <span>
#include <string>

#include "util/error.h"

namespace zk::util {

/// One read(2) of up to `buf.size()` bytes from `fd`, repeated while a signal interrupts it.
/// Returns the count read, 0 only at end of file. `what` names the file in the error.
Result<size_t> read_retrying(int fd, std::span<char> buf, const std::string& what);

/// Reads a whole (small) file; files over `limit` bytes are an error, not an allocation.
Result<std::string> read_file(const std::string& path, size_t limit);

}  // namespace zk::util
