// SPDX-License-Identifier: MIT
#include "blockdev/text_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <span>

#include "util/fd.h"
#include "util/read_file.h"

namespace zk::blockdev {

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
  while (!out.empty() &&
         (out.back() == '\n' || out.back() == ' ' || out.back() == '\t' || out.back() == '\r'))
    out.pop_back();
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

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  const std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return names;
  while (const dirent* e = ::readdir(dir.get())) {
    if (e->d_name[0] == '.') continue;  // ".", ".." (sysfs and /dev have no other dot names)
    if (names.size() == kMaxDirEntries) break;
    names.emplace_back(e->d_name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string link_name(const std::string& path) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  if (n <= 0 || static_cast<size_t>(n) == sizeof buf) return {};
  const std::string target(buf, static_cast<size_t>(n));
  const auto slash = target.rfind('/');
  return slash == std::string::npos ? target : target.substr(slash + 1);
}

Result<std::string> resolve_path(const std::string& path) {
  char real[PATH_MAX];
  if (!::realpath(path.c_str(), real)) return fail_errno(errno, "resolve " + path);
  return std::string(real);
}

}  // namespace zk::blockdev
