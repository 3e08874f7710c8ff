// SPDX-License-Identifier: MIT
#pragma once
/// How much memory the zfcpdump kernel occupies once it runs: its text, data and BSS, from
/// address 0 (lowcore and the boot area below _text) to the symbol _end. A boot image does not
/// say this plainly (the s390 bzImage is a decompressor with the kernel as its payload, and the
/// BSS is in no file at all), so it comes from the kernel's vmlinux (its PT_LOAD segments) or
/// its System.map (_end), found beside the image or named by the caller. Without either the
/// figure is an estimate from the image, and says so.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "installer/kernel/kernel_image.h"
#include "util/error.h"

namespace zk::installer::kernel {

struct KernelFootprint {
  uint64_t bytes = 0;
  /// Where the figure comes from, for messages: "vmlinux /x (PT_LOAD end)",
  /// "System.map /x (_end)", "estimate from the image size".
  std::string source;
  bool estimated = false;
};

/// A System.map larger than this is not one (a 6.1 kernel's is about 5 MB with every module
/// built in): read no further.
inline constexpr uint64_t kMaxSystemMapBytes = 64ull << 20;
/// A kernel that claims to need more than this is a broken file, not a kernel.
inline constexpr uint64_t kMaxKernelFootprintBytes = 1ull << 30;

/// _end of `path`, a System.map ("ADDRESS TYPE NAME" lines). Fails when the file has no _end
/// line (Debian's /boot/System.map-* is a one-line placeholder; the real one is in the
/// linux-image-*-dbg package), when the address is malformed or above
/// kMaxKernelFootprintBytes, or when the file is too large.
Result<KernelFootprint> footprint_from_system_map(const std::string& path);

/// The highest PT_LOAD end of `path`, an s390x vmlinux (ELF, read with libelf). Fails for any
/// other ELF file or a figure above kMaxKernelFootprintBytes.
Result<KernelFootprint> footprint_from_vmlinux(const std::string& path);

/// `path` as a vmlinux when it is ELF, else as a System.map.
Result<KernelFootprint> footprint_from_map(const std::string& path);

/// Where the map of `image` may be, in order: a vmlinux beside it (the kit's kernel cache); the
/// top of a kernel build tree when the image is its arch/s390/boot/bzImage (vmlinux, then
/// System.map); a System.map beside it; System.map-RELEASE for /boot/vmlinuz-RELEASE or
/// image-RELEASE. Only paths are computed; nothing is read.
[[nodiscard]] std::vector<std::string> map_candidates(const std::string& image);

/// The footprint of `image`: from `explicit_map` when given (its errors are errors); else from
/// the first candidate of map_candidates() that exists and reads (one that exists but does not
/// read is passed over, its reason kept in `skipped`); else an estimate: the image size for an
/// uncompressed image (text and data, without the BSS), four times it for a compressed one.
Result<KernelFootprint> kernel_footprint(const std::string& image, const KernelImageInfo& info,
                                         const std::optional<std::string>& explicit_map,
                                         std::vector<std::string>* skipped = nullptr);

}  // namespace zk::installer::kernel
