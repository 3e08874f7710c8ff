// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "initramfs-gen/archive_handle.h"
#include "initramfs-gen/lz4_legacy_encoder.h"
#include "initramfs-gen/ramdisk_layout.h"
#include "initramfs-gen/xz_encoder.h"
#include "util/atomic_file.h"
#include "util/fd.h"
#include "util/strings.h"

namespace zk::initramfs {
namespace {

/// libarchive hands the output to the callback in blocks of this size; the last block is not
/// padded (bytes_in_last_block 1), so the file ends where the compressed stream ends.
constexpr int kBlockBytes = 64 * 1024;
constexpr size_t kCopyBytes = 64 * 1024;
constexpr uint64_t kMaxNewcFileBytes = 0xffffffffULL;
/// Fixed here rather than left to libarchive's defaults, which could change the bytes between
/// versions. gzip 6 (gzip's own default): 339 KiB for the 766 KiB dumper, about 45 ms of CPU;
/// 9 saves 1% for three times the time. zstd 3 is zstd's default.
constexpr const char* kGzipLevel = "6";
constexpr const char* kZstdLevel = "3";

/// The dumper binary, opened and checked before any output exists.
struct DumperFile {
  std::string path;
  util::Fd fd;
  uint64_t size = 0;
};

Result<DumperFile> open_dumper(const std::string& path) {
  if (path.empty()) return fail("no dumper binary given (it becomes /init of the ramdisk)");
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open dumper binary " + path);
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return fail_errno(errno, "stat dumper binary " + path);
  if (!S_ISREG(st.st_mode)) return fail("dumper binary " + path + " is not a regular file");
  if (st.st_size <= 0) return fail("dumper binary " + path + " is empty");
  if (static_cast<uint64_t>(st.st_size) > kMaxNewcFileBytes)
    return fail("dumper binary " + path + " is larger than a newc archive member can be (4 GiB)");
  return DumperFile{path, std::move(fd), static_cast<uint64_t>(st.st_size)};
}

Result<void> check_spec(const RamdiskSpec& spec) {
  if (spec.mtime < 0 || spec.mtime > kMaxNewcMtime)
    return fail(util::format("mtime %lld is outside what a newc header holds (0..%lld)",
                             static_cast<long long>(spec.mtime),
                             static_cast<long long>(kMaxNewcMtime)));
  if (spec.config_text && spec.config_text->size() > kMaxConfigBytes)
    return fail(
        util::format("configuration text of %zu bytes is more than the %zu the dumper reads",
                     spec.config_text->size(), kMaxConfigBytes));
  return {};
}

/// Where libarchive's output goes: straight into the file, or through an encoder first.
struct Output {
  util::AtomicFile* file = nullptr;
  StreamEncoder* encoder = nullptr;
  /// The first failure, which libarchive itself only sees as -1.
  std::optional<Error> error;
};

la_ssize_t write_callback(archive* a, void* client, const void* buffer, size_t length) {
  auto* out = static_cast<Output*>(client);
  const std::span bytes(static_cast<const std::byte*>(buffer), length);
  auto ok = out->encoder != nullptr ? out->encoder->write(bytes) : out->file->write(bytes);
  if (!ok) {
    if (!out->error) out->error = ok.error();
    // -1 is libarchive's "miscellaneous" code; write_archive() reports `out->error` anyway.
    archive_set_error(a, ok.error().errnum != 0 ? ok.error().errnum : -1, "%s",
                      ok.error().message.c_str());
    return -1;
  }
  return static_cast<la_ssize_t>(length);
}

/// The libarchive filter for `c`, set up to record no timestamp. xz and lz4 are not among them:
/// libarchive's xz always writes a CRC64 check and its lz4 only the frame format, neither of
/// which the kernel reads (XzEncoder and Lz4LegacyEncoder do them after libarchive).
Result<void> add_filter(archive* a, Compression c) {
  switch (c) {
    case Compression::kNone:
    case Compression::kXz:
    case Compression::kLz4: return {};
    case Compression::kGzip:
      if (archive_write_add_filter_gzip(a) != ARCHIVE_OK) return archive_failure(a, "gzip");
      // "gzip:!timestamp": mtime 0 in the gzip header. libarchive never writes a file name.
      if (archive_write_set_filter_option(a, "gzip", "timestamp", nullptr) != ARCHIVE_OK)
        return archive_failure(a, "gzip: turn off the timestamp");
      if (archive_write_set_filter_option(a, "gzip", "compression-level", kGzipLevel) != ARCHIVE_OK)
        return archive_failure(a, "gzip: compression level");
      return {};
    case Compression::kZstd:
      // ARCHIVE_WARN would mean libarchive lacks libzstd and runs an external zstd program.
      if (archive_write_add_filter_zstd(a) != ARCHIVE_OK) return archive_failure(a, "zstd");
      if (archive_write_set_filter_option(a, "zstd", "compression-level", kZstdLevel) != ARCHIVE_OK)
        return archive_failure(a, "zstd: compression level");
      return {};
  }
  return fail("no writer for compression " + std::string(compression_name(c)));
}

Result<void> write_data(archive* a, std::span<const std::byte> data, const std::string& what) {
  while (!data.empty()) {
    const la_ssize_t n = archive_write_data(a, data.data(), data.size());
    if (n <= 0) return archive_failure(a, "write " + what);
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

/// Copies exactly dumper.size bytes; a dumper that shrank since open_dumper() is an error
/// rather than a silently zero-padded /init.
Result<void> copy_dumper(archive* a, DumperFile& dumper, std::vector<std::byte>& buffer) {
  uint64_t left = dumper.size;
  while (left > 0) {
    const size_t want = left < buffer.size() ? static_cast<size_t>(left) : buffer.size();
    const ssize_t n = ::read(dumper.fd.get(), buffer.data(), want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "read dumper binary " + dumper.path);
    }
    if (n == 0) return fail("dumper binary " + dumper.path + " shrank while it was read");
    if (auto ok = write_data(a, std::span(buffer.data(), static_cast<size_t>(n)), "init"); !ok)
      return ok;
    left -= static_cast<uint64_t>(n);
  }
  return {};
}

mode_t file_type_bits(EntryType type) {
  switch (type) {
    case EntryType::kRegular: return AE_IFREG;
    case EntryType::kDirectory: return AE_IFDIR;
    case EntryType::kSymlink: return AE_IFLNK;
    case EntryType::kCharDevice: return AE_IFCHR;
    case EntryType::kBlockDevice: return AE_IFBLK;
    case EntryType::kFifo: return AE_IFIFO;
    case EntryType::kSocket: return AE_IFSOCK;
    case EntryType::kOther: break;
  }
  return AE_IFREG;
}

/// Every field that ends up in the newc header is set explicitly: nothing comes from the
/// host (stat, user database) or from libarchive's defaults.
void fill_entry(archive_entry* e, const RamdiskEntry& m) {
  archive_entry_clear(e);
  archive_entry_set_pathname(e, m.path.c_str());
  archive_entry_set_filetype(e, file_type_bits(m.type));
  archive_entry_set_perm(e, static_cast<mode_t>(m.mode));
  archive_entry_set_uid(e, m.uid);
  archive_entry_set_gid(e, m.gid);
  archive_entry_set_nlink(e, m.nlink);
  archive_entry_set_ino64(e, static_cast<la_int64_t>(m.ino));
  archive_entry_set_devmajor(e, 0);
  archive_entry_set_devminor(e, 0);
  archive_entry_set_rdevmajor(e, m.rdev_major);
  archive_entry_set_rdevminor(e, m.rdev_minor);
  archive_entry_set_mtime(e, static_cast<time_t>(m.mtime), 0);
  archive_entry_set_size(e, static_cast<la_int64_t>(m.size));
}

Result<void> write_entries(archive* a, const std::vector<PlannedEntry>& plan,
                           const RamdiskSpec& spec, DumperFile& dumper) {
  ArchiveEntry entry(archive_entry_new());
  if (!entry) return fail_errno(ENOMEM, "allocate an archive entry");
  std::vector<std::byte> buffer(kCopyBytes);
  for (const auto& p : plan) {
    fill_entry(entry.get(), p.entry);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
      return archive_failure(a, "write header of " + p.entry.path);
    Result<void> data;
    if (p.content == Content::kDumper) {
      data = copy_dumper(a, dumper, buffer);
    } else if (p.content == Content::kConfig) {
      data = write_data(a, std::as_bytes(std::span(*spec.config_text)), p.entry.path);
    }
    if (!data) return data;
    if (archive_write_finish_entry(a) != ARCHIVE_OK)
      return archive_failure(a, "finish " + p.entry.path);
  }
  return {};
}

/// Writes the archive into `file`; the caller commits it.
Result<RamdiskInfo> write_archive(const RamdiskSpec& spec, DumperFile& dumper,
                                  util::AtomicFile& file) {
  std::unique_ptr<StreamEncoder> encoder;
  const ByteOutput to_file = [&file](std::span<const std::byte> bytes) {
    return file.write(bytes);
  };
  if (spec.compression == Compression::kXz) {
    auto created = XzEncoder::create(to_file);
    if (!created) return std::unexpected(created.error());
    encoder = std::move(*created);
  } else if (spec.compression == Compression::kLz4) {
    auto created = Lz4LegacyEncoder::create(to_file);
    if (!created) return std::unexpected(created.error());
    encoder = std::move(*created);
  }
  Output output{&file, encoder.get(), std::nullopt};
  // Declared after `output`, so freed first: archive_write_free() may still flush into it.
  ArchiveWriter a(archive_write_new());
  if (!a) return fail_errno(ENOMEM, "allocate a libarchive writer");
  const auto failure = [&](Error e) -> std::unexpected<Error> {
    return std::unexpected(output.error ? *output.error : std::move(e));
  };

  if (archive_write_set_format_cpio_newc(a.get()) != ARCHIVE_OK)
    return archive_failure(a.get(), "newc format");
  if (auto ok = add_filter(a.get(), spec.compression); !ok) return std::unexpected(ok.error());
  if (archive_write_set_bytes_per_block(a.get(), kBlockBytes) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK)
    return archive_failure(a.get(), "block size");
  if (archive_write_open(a.get(), &output, nullptr, write_callback, nullptr) != ARCHIVE_OK)
    return failure(archive_failure(a.get(), "open").error());

  const auto plan = plan_ramdisk(spec, dumper.size);
  if (auto ok = write_entries(a.get(), plan, spec, dumper); !ok) return failure(ok.error());
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return failure(archive_failure(a.get(), "close").error());
  RamdiskInfo info;
  info.archive_bytes = static_cast<uint64_t>(archive_filter_bytes(a.get(), 0));
  if (encoder) {
    if (auto ok = encoder->finish(); !ok) return std::unexpected(ok.error());
  }
  info.compression = spec.compression;
  info.entries = plan.size();
  info.file_bytes = file.bytes_written();
  return info;
}

}  // namespace

Result<RamdiskInfo> write_ramdisk(const RamdiskSpec& spec, const std::string& output_path) {
  const auto context = "ramdisk " + output_path;
  if (auto ok = check_spec(spec); !ok) return std::unexpected(ok.error().wrap(context));
  auto dumper = open_dumper(spec.dumper_path);
  if (!dumper) return std::unexpected(dumper.error().wrap(context));
  auto file = util::AtomicFile::create(output_path);
  if (!file) return std::unexpected(file.error().wrap(context));

  auto info = write_archive(spec, *dumper, *file);
  if (!info) return std::unexpected(info.error().wrap(context));  // ~util::AtomicFile removes it
  // A build product, copied into the layout (with fsync) by whoever installs it: waiting for
  // the disk here would only make `zfcpdump-install ramdisk` slower.
  if (auto ok = file->commit(util::AtomicFile::Durability::kRenamedOnly); !ok)
    return std::unexpected(ok.error().wrap(context));
  info->path = output_path;
  return info;
}

}  // namespace zk::initramfs
