#include "dumper/sysfs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <span>

#include "util/fd.h"
#include "util/read_file.h"

namespace zk::dumper {

Result<std::string> read_text(const std::string& path, size_t limit) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  std::string out(limit, '\0');
  size_t got = 0;
  while (got < limit) {
    auto n = util::read_retrying(fd.get(), std::span(out).subspan(got), path);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    got += *n;
  }
  out.resize(got);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Result<void> write_text(const std::string& path, const std::string& text) {
  // O_TRUNC means nothing to sysfs; it keeps a test's stand-in files honest.
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  const ssize_t n = ::write(fd.get(), text.data(), text.size());
  if (n < 0) return fail_errno(errno, "write \"" + text + "\" to " + path);
  if (static_cast<size_t>(n) != text.size()) return fail_errno(EIO, "short write to " + path);
  return {};
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace zk::dumper
