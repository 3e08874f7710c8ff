// SPDX-License-Identifier: MIT
#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "util/strings.h"

namespace zk::util {

Result<AtomicFile> AtomicFile::create(const std::string& path, unsigned mode) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temp = dir + "/." + base + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return fail_errno(errno, "create a temporary file for " + path);
  return AtomicFile(path, temp, Fd(fd), mode);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::move(other.temp_)),
      fd_(std::move(other.fd_)),
      mode_(other.mode_),
      written_(other.written_),
      committed_(other.committed_) {
  other.committed_ = true;  // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Result<void> AtomicFile::write(std::span<const std::byte> data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "write " + temp_);
    }
    done += static_cast<size_t>(n);
  }
  written_ += data.size();
  return {};
}

Result<void> AtomicFile::write(std::string_view text) {
  return write(std::as_bytes(std::span(text.data(), text.size())));
}

Result<void> AtomicFile::commit(Durability durability) {
  const bool synced = durability == Durability::kSynced;
  if (synced && ::fsync(fd_.get()) != 0) return fail_errno(errno, "fsync " + temp_);
  if (::fchmod(fd_.get(), mode_) != 0) return fail_errno(errno, "chmod " + temp_);
  fd_.reset();
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    return fail_errno(errno, "rename " + temp_ + " to " + path_);
  committed_ = true;
  if (!synced) return {};
  const auto slash = path_.rfind('/');
  Fd dir(::open(slash == std::string::npos ? "." : path_.substr(0, slash).c_str(),
                O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.valid()) ::fsync(dir.get());  // make the rename durable; failure here loses nothing
  return {};
}

Result<void> write_file_atomically(const std::string& path, std::string_view data, unsigned mode) {
  auto f = AtomicFile::create(path, mode);
  if (!f) return std::unexpected(f.error());
  if (auto r = f->write(data); !r) return r;
  return f->commit();
}

}  // namespace zk::util
