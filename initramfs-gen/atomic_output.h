#pragma once
/// AtomicOutputFile: a file that appears under its final name only when it is complete.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "util/error.h"
#include "util/fd.h"

namespace zk::initramfs {

/// Writes go to a new temporary file `<path>.tmp-XXXXXX` in the directory of `path` (so that the
/// final rename stays within one file system). commit() gives it `mode`, syncs it and renames it
/// over `path`. Destroying the object without a successful commit() removes the temporary
/// file: a failure never leaves a partial file behind, and an existing `path` stays untouched
/// until the new file replaces it whole.
class AtomicOutputFile {
 public:
  /// Creates the temporary file (O_EXCL, close-on-exec). Fails with errno and the temporary
  /// path when the directory does not exist or is not writable.
  [[nodiscard]] static Result<AtomicOutputFile> create(std::string path, mode_t mode = 0644);

  AtomicOutputFile(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile& operator=(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  /// Calls discard().
  ~AtomicOutputFile();

  /// Appends all of `data`, continuing after short writes and EINTR.
  [[nodiscard]] Result<void> write_all(std::span<const std::byte> data);
  /// Bytes appended so far.
  [[nodiscard]] uint64_t bytes_written() const { return written_; }
  /// The final name.
  [[nodiscard]] const std::string& path() const { return path_; }
  /// The temporary name; empty once committed or discarded.
  [[nodiscard]] const std::string& temp_path() const { return temp_path_; }

  /// fchmod(mode), fsync, close, rename over path(), then a best-effort fsync of the directory
  /// (the file is in place whether or not that last step succeeds). On failure the temporary
  /// file is removed and path() is left as it was. At most once.
  [[nodiscard]] Result<void> commit();
  /// Closes and removes the temporary file, if any; never fails.
  void discard() noexcept;

 private:
  AtomicOutputFile(std::string path, std::string temp_path, util::Fd fd, mode_t mode)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(std::move(fd)), mode_(mode) {}

  std::string path_;
  std::string temp_path_;
  util::Fd fd_;
  mode_t mode_ = 0644;
  uint64_t written_ = 0;
};

}  // namespace zk::initramfs
