// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <span>

#include "ondisk/bytes.h"
#include "ondisk/elf_ident.h"
#include "util/fd.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::kernel {

namespace {

// Offsets and values from arch/s390 in linux 6.1 (see kernel_image.h).
constexpr size_t kEntryMarkerOffset = 0x10008;  // EP_OFFSET in head.S
constexpr std::string_view kEntryMarker = "S390EP";
constexpr size_t kVersionPointerOffset = 0x10428;  // parmarea.kernel_version
constexpr size_t kMinImageSize = 0x10480;          // through parmarea, up to the command line
constexpr uint32_t kPsw32MaskBase = 0x00080000;    // PSW32_MASK_BASE
constexpr size_t kTrailerSize = 32;
constexpr uint64_t kTrailerMagic = 0x000000207a49504cull;  // length 0x20, "zIPL"
constexpr size_t kMaxVersionLength = 512;

std::span<const std::byte> bytes_of(std::string_view b) {
  return std::as_bytes(std::span(b.data(), b.size()));
}
uint32_t be32(std::string_view b, size_t off) {
  return ondisk::load_be<uint32_t>(bytes_of(b), off);
}
uint64_t be64(std::string_view b, size_t off) {
  return ondisk::load_be<uint64_t>(bytes_of(b), off);
}
uint16_t le16(std::string_view b, size_t off) {
  return ondisk::load_le<uint16_t>(bytes_of(b), off);
}
uint32_t le32(std::string_view b, size_t off) {
  return ondisk::load_le<uint32_t>(bytes_of(b), off);
}

/// CRC-32 (IEEE, reflected), for validating an xz stream header; a few bytes only.
uint32_t crc32(std::string_view data) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/// The compressor whose stream starts at `off`, checked beyond the bare magic where the format
/// allows it (the decompressor's own code and tables contain some of these magics).
std::string_view compression_at(std::string_view b, size_t off) {
  auto at = [&](std::string_view magic) { return b.substr(off, magic.size()) == magic; };
  using namespace std::string_view_literals;
  if (at("\xfd"
         "7zXZ\0"sv) &&
      off + 12 <= b.size()) {
    // Stream flags (2 bytes) followed by their CRC32, little-endian.
    if (b[off + 6] == 0 && crc32(b.substr(off + 6, 2)) == le32(b, off + 8)) return "xz";
  }
  if (at("\x1f\x8b\x08"sv) && off + 4 <= b.size() && (b[off + 3] & 0xe0) == 0) return "gzip";
  if (at("\x28\xb5\x2f\xfd"sv)) return "zstd";
  if (at("\x02\x21\x4c\x18"sv)) return "lz4";
  if (at("\x89LZO\0\r\n\x1a\n"sv)) return "lzo";
  if (off + 10 <= b.size() && at("BZh"sv) && b[off + 3] >= '1' && b[off + 3] <= '9' &&
      b.substr(off + 4, 6) == "\x31\x41\x59\x26\x53\x59"sv)
    return "bzip2";
  return {};
}

std::string find_compression(std::string_view b) {
  // The payload starts 8-aligned after the decompressor (vmlinux.lds.S: .rodata.compressed).
  for (size_t off = kMinImageSize; off + 16 <= b.size(); off += 8)
    if (auto c = compression_at(b, off); !c.empty()) return std::string(c);
  return {};
}

/// "6.1.0-50-s390x" -> (6, 1); nullopt when it does not start with two numbers.
std::optional<std::pair<unsigned, unsigned>> major_minor(std::string_view release) {
  const size_t dot = release.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  size_t end = dot + 1;
  while (end < release.size() && release[end] >= '0' && release[end] <= '9') ++end;
  auto major = util::parse_u64(release.substr(0, dot));
  auto minor = util::parse_u64(release.substr(dot + 1, end - dot - 1));
  if (!major || !minor || *major > 1000 || *minor > 1000) return std::nullopt;
  return std::pair{static_cast<unsigned>(*major), static_cast<unsigned>(*minor)};
}

Result<void> refuse_foreign(std::string_view b, const std::string& name) {
  if (auto elf = ondisk::identify_elf(bytes_of(b))) {
    const unsigned machine = elf->machine;
    if (machine == ondisk::kElfMachineS390)
      return fail(name +
                  " is an s390 ELF file (a vmlinux?), not a boot image: zipl needs "
                  "arch/s390/boot/bzImage (installed as vmlinuz), not vmlinux");
    return fail(util::format("%s is an ELF file for machine %u, not an s390 kernel boot image",
                             name.c_str(), machine));
  }
  // x86 boot protocol: boot_flag 0xAA55 at 0x1fe, "HdrS" at 0x202.
  if (b.size() >= 0x206 && le16(b, 0x1fe) == 0xaa55 && b.substr(0x202, 4) == "HdrS")
    return fail(name + " is an x86 kernel (bzImage boot protocol header), not an s390 kernel");
  return {};
}

}  // namespace

Result<KernelImageInfo> check_kernel_image_bytes(std::string_view b, const std::string& name) {
  if (auto r = refuse_foreign(b, name); !r) return std::unexpected(r.error());

  // The IPL PSW at 0: 31-bit format, mask word 0x00080000, address word with the 31-bit mode bit.
  if (b.size() < 8 || be32(b, 0) != kPsw32MaskBase || (be32(b, 4) & 0x80000000u) == 0)
    return fail(name + " is not an s390 kernel image: no IPL PSW at offset 0" +
                (b.size() < 8 ? util::format(" (the file has only %zu bytes)", b.size()) : ""));
  if (b.size() < kMinImageSize)
    return fail(
        util::format("%s is truncated: %zu bytes, but an s390 kernel image has its entry "
                     "points at 0x10000 and its parameter area up to 0x%zx",
                     name.c_str(), b.size(), kMinImageSize));
  if (b.substr(kEntryMarkerOffset, kEntryMarker.size()) != kEntryMarker)
    return fail(name +
                " is not an s390 kernel image: it starts with an IPL PSW but has no \"S390EP\" "
                "entry-point marker at 0x10008");

  KernelImageInfo info;
  info.size = b.size();

  const uint64_t ptr = be64(b, kVersionPointerOffset);
  if (ptr != 0) {
    if (ptr >= b.size())
      return fail(
          util::format("%s is truncated: its version string is at 0x%llx, beyond the "
                       "end of the file (%zu bytes)",
                       name.c_str(), static_cast<unsigned long long>(ptr), b.size()));
    const std::string_view rest = b.substr(ptr, kMaxVersionLength);
    const size_t nul = rest.find('\0');
    bool printable = nul != std::string_view::npos && nul > 0;
    for (size_t i = 0; printable && i < nul; ++i) printable = rest[i] >= 0x20 && rest[i] < 0x7f;
    if (!printable)
      return fail(
          util::format("%s is damaged: the version pointer at 0x10428 (0x%llx) does not "
                       "point to a version string",
                       name.c_str(), static_cast<unsigned long long>(ptr)));
    info.version = std::string(rest.substr(0, nul));
    info.release = info.version.substr(0, info.version.find(' '));
  }

  if (b.size() % 4096 != 0)
    return fail(
        util::format("%s is truncated: %zu bytes is not a whole number of 4096-byte pages, "
                     "as every s390 boot image is",
                     name.c_str(), b.size()));

  const std::string_view tail = b.substr(b.size() - kTrailerSize);
  info.secure_boot_trailer = be64(tail, 0) == 0 && be64(tail, 8) == 0 && be64(tail, 16) == 0 &&
                             be64(tail, 24) == kTrailerMagic;
  if (auto mm = major_minor(info.release);
      mm && (mm->first > 6 || (mm->first == 6 && mm->second >= 1)) && !info.secure_boot_trailer)
    return fail(name + " is truncated: a " + info.release +
                " kernel image ends with the secure-boot trailer (\"zIPL\"), this file does not");

  // The kernel's own banner (init/version.c) is plain text only in an uncompressed image; the
  // decompressor's "Linux version %s" does not match because a digit must follow.
  bool banner = false;
  if (!info.release.empty()) {
    banner = b.find("Linux version " + info.release + " (") != std::string_view::npos;
  } else {
    for (size_t pos = b.find("Linux version "); pos != std::string_view::npos && !banner;
         pos = b.find("Linux version ", pos + 1)) {
      const size_t d = pos + 14;
      banner = d < b.size() && b[d] >= '0' && b[d] <= '9';
    }
  }
  info.compressed = !banner;
  if (info.compressed) info.compression = find_compression(b);
  return info;
}

Result<KernelImageInfo> check_kernel_image(const std::string& path) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "kernel image " + path);
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return fail_errno(errno, "kernel image " + path);
  if (!S_ISREG(st.st_mode)) return fail("kernel image " + path + " is not a regular file");
  // Name an ELF vmlinux (hundreds of MB with DWARF) or an x86 kernel before judging the size.
  std::string head(4096, '\0');
  const ssize_t n = ::pread(fd.get(), head.data(), head.size(), 0);
  if (n < 0) return fail_errno(errno, "kernel image " + path + ": read");
  head.resize(static_cast<size_t>(n));
  if (auto r = refuse_foreign(head, path); !r) return std::unexpected(r.error());
  if (static_cast<uint64_t>(st.st_size) > kMaxKernelImageBytes)
    return fail(
        util::format("kernel image %s is %s; an s390 kernel image is far smaller (at most %s "
                     "is accepted)",
                     path.c_str(), util::human_size(static_cast<uint64_t>(st.st_size)).c_str(),
                     util::human_size(kMaxKernelImageBytes).c_str()));
  auto bytes = util::read_file(path, kMaxKernelImageBytes);
  if (!bytes) return std::unexpected(bytes.error().wrap("kernel image"));
  return check_kernel_image_bytes(*bytes, path);
}

}  // namespace zk::installer::kernel
