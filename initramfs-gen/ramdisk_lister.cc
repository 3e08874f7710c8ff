#include "initramfs-gen/ramdisk_lister.h"

#include <cerrno>

#include "initramfs-gen/archive_handle.h"
#include "util/strings.h"

namespace zk::initramfs {
namespace {

constexpr size_t kReadBlockBytes = 64 * 1024;

EntryType entry_type(mode_t filetype) {
  switch (filetype) {
    case AE_IFREG: return EntryType::kRegular;
    case AE_IFDIR: return EntryType::kDirectory;
    case AE_IFLNK: return EntryType::kSymlink;
    case AE_IFCHR: return EntryType::kCharDevice;
    case AE_IFBLK: return EntryType::kBlockDevice;
    case AE_IFIFO: return EntryType::kFifo;
    case AE_IFSOCK: return EntryType::kSocket;
    default: return EntryType::kOther;
  }
}

RamdiskEntry from_archive(archive_entry* e) {
  RamdiskEntry r;
  const char* path = archive_entry_pathname(e);
  if (path == nullptr) path = archive_entry_pathname_utf8(e);
  r.path = path != nullptr ? path : "";
  r.type = entry_type(archive_entry_filetype(e));
  r.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777u;
  r.uid = static_cast<uint32_t>(archive_entry_uid(e));
  r.gid = static_cast<uint32_t>(archive_entry_gid(e));
  r.size = archive_entry_size_is_set(e) ? static_cast<uint64_t>(archive_entry_size(e)) : 0;
  if (r.type == EntryType::kCharDevice || r.type == EntryType::kBlockDevice) {
    r.rdev_major = static_cast<uint32_t>(archive_entry_rdevmajor(e));
    r.rdev_minor = static_cast<uint32_t>(archive_entry_rdevminor(e));
  }
  r.mtime = static_cast<int64_t>(archive_entry_mtime(e));
  r.ino = static_cast<uint64_t>(archive_entry_ino64(e));
  r.nlink = static_cast<uint32_t>(archive_entry_nlink(e));
  if (r.type == EntryType::kSymlink) {
    const char* target = archive_entry_symlink(e);
    if (target != nullptr) r.link_target = target;
  }
  return r;
}

}  // namespace

Result<std::vector<RamdiskEntry>> list_ramdisk(const std::string& path) {
  const std::string context = "list ramdisk " + path;
  ArchiveReader a(archive_read_new());
  ArchiveEntry entry(archive_entry_new());
  if (!a || !entry) return fail_errno(ENOMEM, context + ": allocate a libarchive reader");
  if (archive_read_support_filter_all(a.get()) < ARCHIVE_WARN ||
      archive_read_support_format_cpio(a.get()) != ARCHIVE_OK)
    return archive_failure(a.get(), context);
  if (archive_read_open_filename(a.get(), path.c_str(), kReadBlockBytes) != ARCHIVE_OK)
    return archive_failure(a.get(), context);

  std::vector<RamdiskEntry> entries;
  for (;;) {
    const int r = archive_read_next_header2(a.get(), entry.get());
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      return archive_failure(a.get(), util::format("%s: after %zu entries", context.c_str(),
                                                   entries.size()));
    if (entries.size() == kMaxListedEntries)
      return fail(util::format("%s: more than %zu entries", context.c_str(), kMaxListedEntries));
    entries.push_back(from_archive(entry.get()));
    if (archive_read_data_skip(a.get()) < ARCHIVE_WARN)
      return archive_failure(a.get(), context + ": skip the data of " + entries.back().path);
  }
  if (archive_read_close(a.get()) != ARCHIVE_OK) return archive_failure(a.get(), context);
  return entries;
}

}  // namespace zk::initramfs
