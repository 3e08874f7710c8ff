// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_lister.h"

#include <sys/stat.h>

#include <cerrno>

#include "initramfs-gen/archive_handle.h"
#include "initramfs-gen/newc_header.h"
#include "util/strings.h"

namespace zk::initramfs {
namespace {

constexpr size_t kReadBlockBytes = 64 * 1024;

/// The decompressed bytes of the file, from libarchive's filters with its "raw" format: the
/// archive itself is read by decode_newc_header, so that no header field decides how much
/// memory a read sets aside (libarchive's cpio reader allocates a declared name length first).
class DecompressedStream {
 public:
  explicit DecompressedStream(archive* a) : a_(a) {}

  /// Reads exactly `n` bytes into `out`; an archive that ends first is an error naming `what`.
  Result<void> read(size_t n, std::string& out, const char* what) {
    out.resize(n);
    size_t done = 0;
    while (done < n) {
      const la_ssize_t got = archive_read_data(a_, out.data() + done, n - done);
      if (got < 0) return archive_failure(a_, util::format("read %s", what));
      if (got == 0)
        return fail(util::format("the archive ends in %s (byte %llu of the decompressed stream)",
                                 what, static_cast<unsigned long long>(offset_ + done)));
      done += static_cast<size_t>(got);
    }
    offset_ += n;
    return {};
  }

  /// Reads and drops `n` bytes, through one fixed buffer.
  Result<void> skip(uint64_t n, const char* what) {
    while (n > 0) {
      const size_t step = n < kReadBlockBytes ? static_cast<size_t>(n) : kReadBlockBytes;
      if (auto r = read(step, scratch_, what); !r) return r;
      n -= step;
    }
    return {};
  }

  [[nodiscard]] uint64_t offset() const { return offset_; }

 private:
  archive* a_;
  uint64_t offset_ = 0;
  std::string scratch_;
};

EntryType entry_type(uint32_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return EntryType::kRegular;
    case S_IFDIR: return EntryType::kDirectory;
    case S_IFLNK: return EntryType::kSymlink;
    case S_IFCHR: return EntryType::kCharDevice;
    case S_IFBLK: return EntryType::kBlockDevice;
    case S_IFIFO: return EntryType::kFifo;
    case S_IFSOCK: return EntryType::kSocket;
    default: return EntryType::kOther;
  }
}

RamdiskEntry to_entry(const NewcHeader& h, std::string_view name) {
  RamdiskEntry e;
  e.path = name;
  e.type = entry_type(h.mode);
  e.mode = h.mode & 07777u;
  e.uid = h.uid;
  e.gid = h.gid;
  e.size = h.file_size;
  if (e.type == EntryType::kCharDevice || e.type == EntryType::kBlockDevice) {
    e.rdev_major = h.rdev_major;
    e.rdev_minor = h.rdev_minor;
  }
  e.mtime = h.mtime;
  e.ino = h.ino;
  e.nlink = h.nlink;
  return e;
}

}  // namespace

Result<std::vector<RamdiskEntry>> list_ramdisk(const std::string& path) {
  const std::string context = "list ramdisk " + path;
  ArchiveReader a(archive_read_new());
  ArchiveEntry stream_entry(archive_entry_new());
  if (!a || !stream_entry) return fail_errno(ENOMEM, context + ": allocate a libarchive reader");
  if (archive_read_support_filter_all(a.get()) < ARCHIVE_WARN ||
      archive_read_support_format_raw(a.get()) != ARCHIVE_OK)
    return archive_failure(a.get(), context);
  if (archive_read_open_filename(a.get(), path.c_str(), kReadBlockBytes) != ARCHIVE_OK)
    return archive_failure(a.get(), context);
  if (archive_read_next_header2(a.get(), stream_entry.get()) < ARCHIVE_WARN)
    return archive_failure(a.get(), context);

  DecompressedStream in(a.get());
  std::vector<RamdiskEntry> entries;
  uint64_t text_bytes = 0;
  std::string header_bytes, name_bytes, target;
  auto at = [&](const std::string& what) {
    return util::format("%s: member %zu at byte %llu: %s", context.c_str(), entries.size() + 1,
                        static_cast<unsigned long long>(in.offset()), what.c_str());
  };
  for (;;) {
    const uint64_t header_at = in.offset();
    if (auto r = in.read(kNewcHeaderSize, header_bytes, "a member's header"); !r) {
      if (header_at == 0 && r.error().errnum == 0)
        return fail(context + ": not a newc cpio archive (" + r.error().message + ")");
      return std::unexpected(
          r.error().wrap(context + util::format(" (after %zu members)", entries.size())));
    }
    auto h = decode_newc_header(header_bytes);
    if (!h)
      return fail(util::format("%s: at byte %llu: %s", context.c_str(),
                               static_cast<unsigned long long>(header_at),
                               h.error().message.c_str()));
    if (auto r = in.read(h->name_size + newc_padding(kNewcHeaderSize + h->name_size), name_bytes,
                         "a member's name");
        !r)
      return std::unexpected(r.error().wrap(at("name")));
    if (name_bytes[h->name_size - 1] != '\0') return fail(at("the name does not end in NUL"));
    const std::string_view name(name_bytes.data(), name_bytes.find('\0'));
    if (name == kNewcTrailer) break;
    if (entries.size() == kMaxListedEntries)
      return fail(util::format("%s: more than %zu members", context.c_str(), kMaxListedEntries));
    RamdiskEntry e = to_entry(*h, name);
    text_bytes += name.size();
    if (e.type == EntryType::kSymlink) {
      if (h->file_size > kNewcMaxLinkTarget)
        return fail(at(util::format("symlink %s: a target of %u bytes, beyond PATH_MAX",
                                    e.path.c_str(), h->file_size)));
      if (auto r = in.read(h->file_size, target, "a symlink's target"); !r)
        return std::unexpected(r.error().wrap(at(e.path)));
      e.link_target = target.substr(0, target.find('\0'));
      text_bytes += e.link_target.size();
    } else if (auto r = in.skip(h->file_size, "a member's data"); !r) {
      return std::unexpected(r.error().wrap(at(e.path)));
    }
    if (auto r = in.skip(newc_padding(h->file_size), "a member's padding"); !r)
      return std::unexpected(r.error().wrap(at(e.path)));
    if (text_bytes > kMaxListedTextBytes)
      return fail(util::format("%s: more than %zu bytes of names and link targets", context.c_str(),
                               kMaxListedTextBytes));
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace zk::initramfs
