// SPDX-License-Identifier: MIT
#include "initramfs-gen/config_overlay.h"

#include <sys/stat.h>

#include <cerrno>
#include <span>

#include <archive.h>
#include <archive_entry.h>

#include "initramfs-gen/archive_handle.h"
#include "initramfs-gen/ramdisk_spec.h"
#include "util/atomic_file.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::initramfs {
namespace {

uint64_t padding(uint64_t bytes) {
  return (kOverlayAlignment - bytes % kOverlayAlignment) % kOverlayAlignment;
}

}  // namespace

Result<std::string> config_overlay(std::string_view config_text, uint32_t mtime) {
  if (config_text.size() > kMaxConfigBytes)
    return fail(util::format("dumper defaults of %zu bytes (at most %zu)", config_text.size(),
                             kMaxConfigBytes));
  // The archive is small and bounded: headers, two names and the text, within this buffer.
  std::string buffer(kMaxConfigBytes + 4096, '\0');
  size_t used = 0;
  ArchiveWriter a(archive_write_new());
  if (!a) return fail_errno(ENOMEM, "allocate a libarchive writer");
  if (archive_write_set_format_cpio_newc(a.get()) != ARCHIVE_OK)
    return archive_failure(a.get(), "newc format");
  if (archive_write_set_bytes_per_block(a.get(), 0) != ARCHIVE_OK)
    return archive_failure(a.get(), "block size");
  if (archive_write_open_memory(a.get(), buffer.data(), buffer.size(), &used) != ARCHIVE_OK)
    return archive_failure(a.get(), "open");
  ArchiveEntry e(archive_entry_new());
  if (!e) return fail_errno(ENOMEM, "allocate an archive entry");
  auto header = [&](const char* path, mode_t type, mode_t perm, unsigned nlink, int64_t size,
                    int64_t ino) -> Result<void> {
    archive_entry_clear(e.get());
    archive_entry_set_pathname(e.get(), path);
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), perm);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    archive_entry_set_nlink(e.get(), nlink);
    archive_entry_set_ino64(e.get(), ino);
    archive_entry_set_mtime(e.get(), static_cast<time_t>(mtime), 0);
    archive_entry_set_size(e.get(), size);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
      return archive_failure(a.get(), std::string("write header of ") + path);
    return {};
  };
  if (auto ok = header("etc", AE_IFDIR, 0755, 2, 0, 1); !ok) return std::unexpected(ok.error());
  if (auto ok = header("etc/zfcpdump.conf", AE_IFREG, 0644, 1,
                       static_cast<int64_t>(config_text.size()), 2);
      !ok)
    return std::unexpected(ok.error());
  if (!config_text.empty() && archive_write_data(a.get(), config_text.data(), config_text.size()) !=
                                  static_cast<la_ssize_t>(config_text.size()))
    return archive_failure(a.get(), "write etc/zfcpdump.conf");
  if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_failure(a.get(), "close");
  buffer.resize(used);
  return buffer;
}

Result<uint64_t> ramdisk_with_overlay_bytes(uint64_t ramdisk_bytes, std::string_view config_text) {
  auto overlay = config_overlay(config_text, 0);
  if (!overlay) return std::unexpected(overlay.error());
  return ramdisk_bytes + padding(ramdisk_bytes) + overlay->size();
}

Result<uint64_t> write_ramdisk_with_overlay(const std::string& ramdisk,
                                            std::string_view config_text,
                                            const std::string& output_path) {
  auto base = util::read_file(ramdisk, kMaxRamdiskBytes);
  if (!base) return std::unexpected(base.error());
  auto overlay = config_overlay(config_text, 0);
  if (!overlay) return std::unexpected(overlay.error());
  std::string bytes = std::move(*base);
  bytes.append(padding(bytes.size()), '\0');
  bytes += *overlay;
  auto file = util::AtomicFile::create(output_path);
  if (!file) return std::unexpected(file.error());
  if (auto ok = file->write(std::as_bytes(std::span(bytes))); !ok)
    return std::unexpected(ok.error());
  if (auto ok = file->commit(util::AtomicFile::Durability::kRenamedOnly); !ok)
    return std::unexpected(ok.error());
  return bytes.size();
}

}  // namespace zk::initramfs
