// SPDX-License-Identifier: MIT
#pragma once
/// Recognises an s390 kernel boot image (arch/s390/boot/bzImage, Debian's vmlinuz-*-s390x),
/// the file zipl installs as the zfcpdump kernel, and refuses everything else with a reason.
///
/// What is checked, from the 6.1 sources (arch/s390/boot/head.S, ipl_data.c, vmlinux.lds.S,
/// arch/s390/include/asm/setup.h) and confirmed on Debian's vmlinuz-6.1.0-*-s390x and a
/// zfcpdump_defconfig build:
///  - offset 0: the 31-bit IPL PSW, mask 0x00080000 and the address with bit 0 (31-bit mode) set
///    (6.1: 00 08 00 00 80 00 02 00, start at IPL_START 0x200);
///  - offset 0x10008: "S390EP" followed by the count of entry points (00 01); head.S calls this
///    table "s390 kernel ABI" that must not change. This is the marker.
///  - offset 0x10428: parmarea.kernel_version, a big-endian pointer (= file offset, the image
///    is loaded at 0) to the version string "6.1.0-50-s390x (builder) #1 SMP ...". It is in the
///    uncompressed decompressor, so even a compressed image reveals its release. 0 in kernels
///    that predate the field.
///  - the last 32 bytes: the secure-boot trailer (three zero quads and 0x000000207a49504c,
///    "zIPL"), in 6.1 (upstream aa127a069ef3, backported to some older stable kernels).
///  - image size: a multiple of 4096 (the linker script pads the image to a page).

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::installer::kernel {

struct KernelImageInfo {
  uint64_t size = 0;
  /// The string parmarea.kernel_version points to; empty when the image predates the field.
  std::string version;
  /// Its first word: "6.1.0-50-s390x"; empty when unknown.
  std::string release;
  /// Whether the kernel proper is compressed: true when the image does not contain the
  /// kernel's own "Linux version <release>" banner in plain text.
  bool compressed = false;
  /// "xz", "gzip", "zstd", "lz4", "lzo", "bzip2", "lzma" when the compressed payload's magic
  /// was found; empty when uncompressed or not recognised.
  std::string compression;
  bool secure_boot_trailer = false;
};

/// Images over this size are refused (an uncompressed s390 kernel is 7-30 MB).
inline constexpr uint64_t kMaxKernelImageBytes = 512ull << 20;

/// Checks that `path` is an s390 boot image zipl can install. Refuses, each with its own message:
/// an ELF file (a vmlinux: zipl wants arch/s390/boot/bzImage), an x86 bzImage, anything without
/// the IPL PSW and the S390EP marker, and a truncated image (too short for the header, a version
/// pointer beyond the end, a size that is not whole pages, or, for 6.1 and later, a missing
/// secure-boot trailer).
Result<KernelImageInfo> check_kernel_image(const std::string& path);

/// The same check on bytes in memory; `name` is used in messages.
Result<KernelImageInfo> check_kernel_image_bytes(std::string_view bytes, const std::string& name);

}  // namespace zk::installer::kernel
