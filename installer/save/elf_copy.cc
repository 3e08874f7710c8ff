// SPDX-License-Identifier: MIT
#include "installer/save/elf_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "util/all_zero.h"
#include "util/fd.h"
#include "util/strings.h"

namespace zk::installer::save {
namespace {

constexpr size_t kBuffer = 2u << 20;
constexpr size_t kHoleUnit = 4096;
/// How far behind the newest write the file's pages are waited for and dropped from the cache.
constexpr uint64_t kWritebackLag = 16u << 20;

/// Writes pieces at their offsets, leaving whole zero blocks (kHoleUnit, aligned) unwritten.
class HoleWriter {
 public:
  HoleWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Result<void> write(std::span<const std::byte> bytes, uint64_t offset) {
    // Runs of blocks that are not all zero go out in one write each.
    size_t i = 0, run = 0;  // run: start of the pending run of data blocks, in bytes
    bool in_run = false;
    while (i < bytes.size()) {
      // Up to the next block boundary of the file.
      const size_t n = static_cast<size_t>(
          std::min<uint64_t>(bytes.size() - i, kHoleUnit - (offset + i) % kHoleUnit));
      const bool data = n < kHoleUnit || !util::all_zero(bytes.subspan(i, n));
      if (data && !in_run) run = i, in_run = true;
      if (!data && in_run) {
        if (auto r = put(bytes.subspan(run, i - run), offset + run); !r) return r;
        written_ += i - run;
        in_run = false;
      }
      i += n;
    }
    if (in_run) {
      if (auto r = put(bytes.subspan(run), offset + run); !r) return r;
      written_ += bytes.size() - run;
    }
    end_ = std::max(end_, offset + bytes.size());
    return {};
  }
  /// Sets the size (the holes at the end become the file's) and syncs.
  Result<void> finish() {
    if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0)
      return fail_errno(errno, "setting the size of " + path_);
    if (::fsync(fd_) != 0) return fail_errno(errno, "syncing " + path_);
    return {};
  }
  [[nodiscard]] uint64_t written() const { return written_; }
  [[nodiscard]] uint64_t end() const { return end_; }

 private:
  Result<void> put(std::span<const std::byte> bytes, uint64_t offset) {
    const uint64_t start = offset;
    while (!bytes.empty()) {
      const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail_errno(n < 0 ? errno : ENOSPC, "writing " + path_);
      bytes = bytes.subspan(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
    start_writeback(start, offset);
    return {};
  }
  /// The page cache would hold the whole copy until finish()'s fsync: with gigabytes of free
  /// memory nothing reaches the file system's disk before it, so the disk would first be read
  /// and only then written. Instead each run's writeback starts now, beside the reads, and runs
  /// that are kWritebackLag behind are waited for and dropped from the cache (a save of a large
  /// dump does not push the rest of the system out of memory). Both are hints: their errors
  /// surface again, with context, in the fsync.
  void start_writeback(uint64_t from, uint64_t to) {
    (void)::sync_file_range(fd_, static_cast<off_t>(from), static_cast<off_t>(to - from),
                            SYNC_FILE_RANGE_WRITE);
    if (to < kWritebackLag) return;
    const uint64_t settled = (to - kWritebackLag) / kHoleUnit * kHoleUnit;
    if (settled <= settled_) return;
    (void)::sync_file_range(
        fd_, static_cast<off_t>(settled_), static_cast<off_t>(settled - settled_),
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    (void)::posix_fadvise(fd_, static_cast<off_t>(settled_), static_cast<off_t>(settled - settled_),
                          POSIX_FADV_DONTNEED);
    settled_ = settled;
  }
  int fd_;
  std::string path_;
  uint64_t written_ = 0;
  uint64_t end_ = 0;
  uint64_t settled_ = 0;  ///< the file's bytes before this are on the disk and out of the cache
};

/// The writes on a thread of their own, so that the disk is read while the file is written:
/// two buffers of kBuffer bytes; a piece is copied into a free one and queued. A piece larger
/// than a buffer (the header area can be) is written in the caller's thread after the queue.
/// The first write error is returned by the next put() and by finish().
class AsyncWriter {
 public:
  explicit AsyncWriter(HoleWriter& out) : out_(out) {
    for (auto& b : buffers_) b.data.resize(kBuffer);
    thread_ = std::thread([this] { loop(); });
  }
  ~AsyncWriter() { (void)drain(true); }
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  Result<void> put(std::span<const std::byte> bytes, uint64_t offset) {
    if (bytes.size() > kBuffer) {
      if (auto r = drain(false); !r) return r;
      return out_.write(bytes, offset);
    }
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return error_ || !buffers_[next_].full; });
    if (error_) return std::unexpected(*error_);
    Buffer& b = buffers_[next_];
    std::memcpy(b.data.data(), bytes.data(), bytes.size());
    b.length = bytes.size();
    b.offset = offset;
    b.full = true;
    next_ = (next_ + 1) % buffers_.size();
    changed_.notify_all();
    return {};
  }
  /// Waits for the queued writes; with `stop`, ends the thread too.
  Result<void> drain(bool stop) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return error_ || (!buffers_[0].full && !buffers_[1].full); });
    if (stop && thread_.joinable()) {
      stopping_ = true;
      changed_.notify_all();
      lock.unlock();
      thread_.join();
      lock.lock();
    }
    if (error_) return std::unexpected(*error_);
    return {};
  }

 private:
  struct Buffer {
    std::vector<std::byte> data;
    size_t length = 0;
    uint64_t offset = 0;
    bool full = false;
  };
  void loop() {
    size_t at = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return stopping_ || buffers_[at].full; });
      if (!buffers_[at].full) return;  // stopping, nothing queued
      Buffer& b = buffers_[at];
      lock.unlock();
      auto r = error_ ? Result<void>{} : out_.write(std::span(b.data).first(b.length), b.offset);
      lock.lock();
      if (!r && !error_) error_ = r.error();
      b.full = false;
      at = (at + 1) % buffers_.size();
      changed_.notify_all();
    }
  }

  HoleWriter& out_;
  std::array<Buffer, 2> buffers_;
  size_t next_ = 0;
  bool stopping_ = false;
  std::optional<Error> error_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace

Result<ElfCopy> copy_dump_as_elf(util::File& area, const ondisk::VmcoreInfo& info,
                                 const disk::FoundRecord* record, const std::string& path,
                                 const CopyProgress& progress) {
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return fail_errno(errno, "creating " + path);
  HoleWriter out(fd.get(), path);
  std::optional<AsyncWriter> writer(std::in_place, out);
  ElfCopy copy;
  // A read error ends the copy but not the save; a write error fails it.
  std::optional<Error> write_error;
  const uint64_t total = record ? record->record.data_offset + record->record.data_bytes
                                : std::min(info.data_end, area.size());
  copy.size = total;
  auto sink = [&](std::span<const std::byte> bytes, uint64_t at) -> Result<void> {
    if (auto r = writer->put(bytes, at); !r) {
      write_error = r.error();
      return r;
    }
    if (progress) progress(at + bytes.size(), total);
    return {};
  };
  if (record) {
    auto v = disk::verify_integrity(area, *record, kBuffer, sink);
    if (v) copy.verdict = *v;
    else if (write_error) return std::unexpected(*write_error);
    else copy.read_error = v.error();
  } else {
    std::vector<std::byte> buffer(kBuffer);
    for (uint64_t at = 0; at < total;) {
      auto piece =
          std::span(buffer).first(static_cast<size_t>(std::min<uint64_t>(kBuffer, total - at)));
      if (auto rd = util::read_exact(area, piece, at); !rd) {
        copy.read_error = rd.error().wrap(
            util::format("reading the dump at byte %llu", static_cast<unsigned long long>(at)));
        break;
      }
      if (auto w = sink(piece, at); !w) return std::unexpected(w.error());
      at += piece.size();
    }
  }
  if (auto r = writer->drain(true); !r) return std::unexpected(r.error());
  writer.reset();
  if (auto r = out.finish(); !r) return std::unexpected(r.error());
  copy.written = out.written();
  if (copy.read_error) copy.size = out.end();
  return copy;
}

}  // namespace zk::installer::save
