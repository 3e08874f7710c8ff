#include "installer/save/elf_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "util/all_zero.h"
#include "util/fd.h"
#include "util/strings.h"

namespace zk::installer::save {
namespace {

constexpr size_t kBuffer = 4u << 20;
constexpr size_t kHoleUnit = 4096;

/// Writes pieces at their offsets, leaving whole zero blocks (kHoleUnit, aligned) unwritten.
class HoleWriter {
 public:
  HoleWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Result<void> write(std::span<const std::byte> bytes, uint64_t offset) {
    size_t i = 0;
    while (i < bytes.size()) {
      // Up to the next block boundary of the file.
      const size_t n = static_cast<size_t>(
          std::min<uint64_t>(bytes.size() - i, kHoleUnit - (offset + i) % kHoleUnit));
      auto part = bytes.subspan(i, n);
      if (n < kHoleUnit || !util::all_zero(part)) {
        if (auto r = put(part, offset + i); !r) return r;
        written_ += n;
      }
      i += n;
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
    while (!bytes.empty()) {
      const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail_errno(n < 0 ? errno : ENOSPC, "writing " + path_);
      bytes = bytes.subspan(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
    return {};
  }
  int fd_;
  std::string path_;
  uint64_t written_ = 0;
  uint64_t end_ = 0;
};

}  // namespace

Result<ElfCopy> copy_dump_as_elf(util::File& area, const ondisk::VmcoreInfo& info,
                                 const disk::FoundRecord* record, const std::string& path,
                                 const CopyProgress& progress) {
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return fail_errno(errno, "creating " + path);
  HoleWriter out(fd.get(), path);
  ElfCopy copy;
  // A read error ends the copy but not the save; a write error fails it.
  std::optional<Error> write_error;
  const uint64_t total = record ? record->record.data_offset + record->record.data_bytes
                                : std::min(info.data_end, area.size());
  copy.size = total;
  auto sink = [&](std::span<const std::byte> bytes, uint64_t at) -> Result<void> {
    if (auto r = out.write(bytes, at); !r) {
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
  if (auto r = out.finish(); !r) return std::unexpected(r.error());
  copy.written = out.written();
  if (copy.read_error) copy.size = out.end();
  return copy;
}

}  // namespace zk::installer::save
