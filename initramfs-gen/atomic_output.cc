#include "initramfs-gen/atomic_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace zk::initramfs {
namespace {

std::string parent_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void sync_directory(const std::string& dir) {
  util::Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) (void)::fsync(fd.get());
}

}  // namespace

Result<AtomicOutputFile> AtomicOutputFile::create(std::string path, mode_t mode) {
  if (path.empty() || path.back() == '/') return fail("output path '" + path + "' names no file");
  std::string pattern = path + ".tmp-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  util::Fd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "create temporary file " + pattern);
  return AtomicOutputFile(std::move(path), std::string(name.data()), std::move(fd), mode);
}

AtomicOutputFile::AtomicOutputFile(AtomicOutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::exchange(other.temp_path_, std::string())),
      fd_(std::move(other.fd_)),
      mode_(other.mode_),
      written_(other.written_) {}

AtomicOutputFile& AtomicOutputFile::operator=(AtomicOutputFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temp_path_ = std::exchange(other.temp_path_, std::string());
    fd_ = std::move(other.fd_);
    mode_ = other.mode_;
    written_ = other.written_;
  }
  return *this;
}

AtomicOutputFile::~AtomicOutputFile() { discard(); }

Result<void> AtomicOutputFile::write_all(std::span<const std::byte> data) {
  if (!fd_.valid()) return fail("write " + path_ + ": the file is already closed");
  while (!data.empty()) {
    const ssize_t n = ::write(fd_.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "write " + temp_path_);
    }
    if (n == 0) return fail("write " + temp_path_ + ": no progress");
    data = data.subspan(static_cast<size_t>(n));
    written_ += static_cast<uint64_t>(n);
  }
  return {};
}

Result<void> AtomicOutputFile::commit() {
  if (!fd_.valid()) return fail("commit " + path_ + ": the file is already closed");
  const auto failed = [this](const char* what) {
    const int err = errno;
    std::string message = std::string(what) + " " + temp_path_;
    discard();
    return fail_errno(err, std::move(message));
  };
  if (::fchmod(fd_.get(), mode_) != 0) return failed("fchmod");
  if (::fsync(fd_.get()) != 0) return failed("fsync");
  if (::close(fd_.release()) != 0) return failed("close");
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::string message = "rename " + temp_path_ + " to " + path_;
    discard();
    return fail_errno(err, std::move(message));
  }
  temp_path_.clear();
  sync_directory(parent_directory(path_));
  return {};
}

void AtomicOutputFile::discard() noexcept {
  fd_.reset();
  if (!temp_path_.empty()) {
    (void)::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

}  // namespace zk::initramfs
