// SPDX-License-Identifier: MIT
#include "util/posix_file.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/aligned_buffer.h"
#include "util/strings.h"

namespace zk::util {

Result<std::unique_ptr<PosixFile>> PosixFile::open(const std::string& path, OpenMode mode) {
  int flags = O_CLOEXEC;
  flags |= mode == OpenMode::kRead ? O_RDONLY : O_RDWR;
  bool direct = mode == OpenMode::kReadWriteDirect;
  int fd = ::open(path.c_str(), flags | (direct ? O_DIRECT : 0));
  if (fd < 0 && direct && errno == EINVAL) {
    // tmpfs and some other file systems refuse O_DIRECT: carry on through the page cache.
    direct = false;
    fd = ::open(path.c_str(), flags);
  }
  if (fd < 0) return fail_errno(errno, "open " + path);
  std::unique_ptr<PosixFile> file(new PosixFile(Fd(fd), path));
  file->direct_ = direct;

  struct stat st{};
  if (::fstat(fd, &st) != 0) return fail_errno(errno, "stat " + path);
  if (S_ISBLK(st.st_mode)) {
    file->block_device_ = true;
    uint64_t bytes = 0;
    if (::ioctl(fd, BLKGETSIZE64, &bytes) != 0) return fail_errno(errno, "BLKGETSIZE64 " + path);
    int ssz = 0;
    if (::ioctl(fd, BLKSSZGET, &ssz) != 0) return fail_errno(errno, "BLKSSZGET " + path);
    if (ssz < 512 || ssz > 65536 || (ssz & (ssz - 1)) != 0)
      return fail(format("%s: implausible logical block size %d", path.c_str(), ssz));
    file->size_ = bytes;
    file->block_size_ = static_cast<uint32_t>(ssz);
  } else if (S_ISREG(st.st_mode)) {
    file->size_ = static_cast<uint64_t>(st.st_size);
    // Direct I/O on a regular file is safe with 4096-byte alignment on every file system we
    // meet (XFS and ext4 need the fs block size at most).
    file->block_size_ = direct ? 4096 : 512;
  } else {
    return fail(path + ": neither a regular file nor a block device");
  }
  return file;
}

Result<size_t> PosixFile::read_at(std::span<std::byte> buf, uint64_t offset) {
  const uint64_t a = block_size_;
  if (direct_ && (offset % a || buf.size() % a || reinterpret_cast<uintptr_t>(buf.data()) % a)) {
    // Direct I/O wants aligned requests; parsers ask for a few bytes here and there, so serve
    // them through an aligned bounce buffer instead of making every caller care.
    const uint64_t begin = offset / a * a;
    const uint64_t end = (offset + buf.size() + a - 1) / a * a;
    AlignedBuffer bounce(static_cast<size_t>(end - begin), a);
    if (bounce.empty()) return fail_errno(ENOMEM, "read " + path_ + ": bounce buffer");
    auto got = read_at(bounce.span(), begin);
    if (!got) return got;
    const uint64_t skip = offset - begin;
    if (*got <= skip) return size_t{0};
    const size_t n = std::min<size_t>(buf.size(), static_cast<size_t>(*got - skip));
    std::memcpy(buf.data(), bounce.data() + skip, n);
    return n;
  }
  for (;;) {
    const ssize_t n = ::pread(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return fail_errno(errno, format("read %s at offset %llu (%zu bytes)", path_.c_str(),
                                    static_cast<unsigned long long>(offset), buf.size()));
  }
}

Result<size_t> PosixFile::write_at(std::span<const std::byte> buf, uint64_t offset) {
  for (;;) {
    const ssize_t n = ::pwrite(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return fail_errno(errno, format("write %s at offset %llu (%zu bytes)", path_.c_str(),
                                    static_cast<unsigned long long>(offset), buf.size()));
  }
}

Result<void> PosixFile::sync() {
  if (::fsync(fd_.get()) != 0) return fail_errno(errno, "fsync " + path_);
  return {};
}

void PosixFile::drop_written(uint64_t offset, uint64_t length) {
  if (direct_) return;
  // DONTNEED skips dirty pages: start and wait for their write-back first.
  ::sync_file_range(
      fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(length),
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  ::posix_fadvise(fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(length),
                  POSIX_FADV_DONTNEED);
}

}  // namespace zk::util
