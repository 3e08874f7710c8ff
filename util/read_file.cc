// SPDX-License-Identifier: MIT
#include "util/read_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "util/fd.h"
#include "util/strings.h"

namespace zk::util {

Result<size_t> read_retrying(int fd, std::span<char> buf, const std::string& what) {
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno(errno, "read " + what);
  }
}

Result<std::string> read_file(const std::string& path, size_t limit) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = read_retrying(fd.get(), buf, path);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    if (out.size() + *n > limit)
      return fail(format("%s is larger than %zu bytes", path.c_str(), limit));
    out.append(buf, *n);
  }
  return out;
}

}  // namespace zk::util
