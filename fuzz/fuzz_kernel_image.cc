// SPDX-License-Identifier: MIT
// fuzz_kernel_image: the check of a prebuilt s390 kernel image that an administrator hands to
// `zfcpdump-install build --kernel` (installer/kernel/kernel_image.h).
//
// An image the check accepts is at least 0x10480 bytes (entry points and parameter area), and a
// real one is megabytes of compressed payload the check only scans. So the input is either the
// image itself, or, when it starts with "ZKSPARSE", a sparse description of one (buffer_file.h):
// the seeds hold the few places the check reads of Debian's real image (the IPL PSW, the S390EP
// page, the version string, the payload's first bytes, the trailer) at their real offsets, in a
// few KB. A sparse image is materialized up to kMaxImageBytes: past every offset the check reads
// in Debian's image (its xz payload starts at 0x2e818), and small enough to keep executions in
// the hundreds a second, since the check scans the whole image (with 1 MiB: 240 a second).
//
// Oracles: what the header promises about an accepted image (PSW, marker, whole pages, the
// version string where parmarea.kernel_version points, the trailer for 6.1 and later, what
// "compressed" means), that every refusal names the file, and that check_kernel_image() on a
// file says exactly what check_kernel_image_bytes() says on its bytes ("the same check").
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "fuzz/buffer_file.h"
#include "fuzz/fuzz_one.h"
#include "installer/kernel/kernel_image.h"

namespace {

using zk::installer::kernel::KernelImageInfo;

constexpr size_t kMaxImageBytes = 256u << 10;
// The layout kernel_image.h documents.
constexpr size_t kMarkerOffset = 0x10008;
constexpr size_t kVersionPointerOffset = 0x10428;
constexpr size_t kHeaderEnd = 0x10480;  // through the parameter area
constexpr size_t kMaxVersionLength = 512;

uint64_t be(std::string_view b, size_t off, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(b[off + i]);
  return v;
}

/// The image the input stands for (see the top of this file).
std::string materialize(const uint8_t* data, size_t size) {
  if (!zk::fuzz::SparseFile::is_sparse(data, size))
    return std::string(reinterpret_cast<const char*>(data), size);
  zk::fuzz::SparseFile sparse(data, size);
  std::string image(static_cast<size_t>(std::min<uint64_t>(sparse.size(), kMaxImageBytes)), '\0');
  auto n = sparse.read_at(std::as_writable_bytes(std::span(image)), 0);
  FUZZ_CHECK(n && *n == image.size());
  return image;
}

/// "6.1.0-50-s390x" -> 601: major * 1000 + minor when the release starts with two numbers of at
/// most three digits (a kernel's), else -1 (an unknown version, which needs no trailer).
int version_number(std::string_view release) {
  auto number = [&](size_t& pos) {
    const size_t start = pos;
    while (pos < release.size() && release[pos] >= '0' && release[pos] <= '9') ++pos;
    if (pos == start || pos - start > 3) return -1;
    return std::stoi(std::string(release.substr(start, pos - start)));
  };
  size_t pos = 0;
  const int major = number(pos);
  if (major < 0 || pos >= release.size() || release[pos] != '.') return -1;
  ++pos;
  const int minor = number(pos);
  return minor < 0 ? -1 : major * 1000 + minor;
}

void check_accepted(std::string_view b, const KernelImageInfo& info) {
  FUZZ_CHECK(info.size == b.size());
  // Refused: truncated images, ELF files, x86 bzImages, anything without PSW and marker.
  FUZZ_CHECK(b.size() >= kHeaderEnd && b.size() % 4096 == 0);
  FUZZ_CHECK(b.substr(0, 4) !=
             "\x7f"
             "ELF");
  FUZZ_CHECK(!(b[0x1fe] == '\x55' && b[0x1ff] == '\xaa' && b.substr(0x202, 4) == "HdrS"));
  FUZZ_CHECK(be(b, 0, 4) == 0x00080000 && (be(b, 4, 4) & 0x80000000u) != 0);
  FUZZ_CHECK(b.substr(kMarkerOffset, 6) == "S390EP");

  // The version string is where parmarea.kernel_version points, NUL-terminated and printable;
  // the release is its first word.
  const uint64_t ptr = be(b, kVersionPointerOffset, 8);
  if (ptr == 0) {
    FUZZ_CHECK(info.version.empty() && info.release.empty());
  } else {
    FUZZ_CHECK(!info.version.empty() && info.version.size() < kMaxVersionLength);
    FUZZ_CHECK(ptr < b.size() && b.size() - ptr > info.version.size());
    FUZZ_CHECK(b.substr(ptr, info.version.size()) == info.version &&
               b[ptr + info.version.size()] == '\0');
    for (char c : info.version) FUZZ_CHECK(c >= 0x20 && c < 0x7f);
    FUZZ_CHECK(info.release == info.version.substr(0, info.version.find(' ')));
  }

  const std::string_view trailer("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x20zIPL",
                                 32);
  FUZZ_CHECK(info.secure_boot_trailer == (b.substr(b.size() - 32) == trailer));
  if (version_number(info.release) >= 6001)
    FUZZ_CHECK_DETAIL(info.secure_boot_trailer, "a " + info.release + " image without the trailer");

  // Uncompressed means the kernel's banner is there in plain text; only a compressed image
  // names a compressor, one of those listed.
  if (!info.compressed) {
    FUZZ_CHECK(info.compression.empty());
    FUZZ_CHECK(b.find("Linux version " + info.release) != std::string_view::npos);
  } else if (!info.release.empty()) {
    FUZZ_CHECK(b.find("Linux version " + info.release + " (") == std::string_view::npos);
  }
  static constexpr std::array<std::string_view, 8> kKnown = {"",    "xz",  "gzip",  "zstd",
                                                             "lz4", "lzo", "bzip2", "lzma"};
  FUZZ_CHECK(std::find(kKnown.begin(), kKnown.end(), info.compression) != kKnown.end());
}

bool same(const KernelImageInfo& a, const KernelImageInfo& b) {
  return a.size == b.size && a.version == b.version && a.release == b.release &&
         a.compressed == b.compressed && a.compression == b.compression &&
         a.secure_boot_trailer == b.secure_boot_trailer;
}

/// The input as a file: check_kernel_image() takes a path.
std::string as_file(std::string_view bytes) {
  static const int fd = ::memfd_create("fuzz-kernel-image", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(::ftruncate(fd, 0) == 0);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0);
    done += static_cast<size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  namespace kernel = zk::installer::kernel;
  const std::string image = materialize(data, size);
  // check_kernel_image() takes a path: the image goes into a memfd, and the check of the bytes
  // gets the same name, so that a refusal reads the same from both.
  const std::string path = as_file(image);
  auto info = kernel::check_kernel_image_bytes(image, path);
  if (info) {
    check_accepted(image, *info);
  } else {
    FUZZ_CHECK_DETAIL(info.error().message.find(path) != std::string::npos, info.error().message);
  }

  // "The same check on bytes in memory": the same verdict, findings and message from the file.
  auto from_file = kernel::check_kernel_image(path);
  FUZZ_CHECK(from_file.has_value() == info.has_value());
  if (from_file) {
    FUZZ_CHECK(same(*from_file, *info));
  } else {
    FUZZ_CHECK_DETAIL(from_file.error().message == info.error().message,
                      from_file.error().message + " | " + info.error().message);
  }
  return 0;
}
