// SPDX-License-Identifier: MIT
#pragma once
/// The layout manifest: what `zfcpdump-install build` (or `hook add`) put into the zfcpdump
/// directory (sizes, SHA-256, dumper version, kernel release, compressor, baked-in dumper
/// parameters, and for a layout the packaging hook made, the kernel package's version and
/// image), read back by the installer and the packaging hook to tell whether a dump disk's tool
/// is current. A small "key=value" text file; its own SHA-256 identifies a layout. Optional
/// keys are written only when set, so a layout built the same way renders the same text.

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::installer::layout {

inline constexpr const char* kManifestName = "zfcpdump-kit.manifest";
inline constexpr size_t kManifestMaxBytes = 16384;
inline constexpr size_t kManifestMaxValueBytes = 1024;

struct Manifest {
  uint64_t image_size = 0;
  std::string image_sha256;
  uint64_t initrd_size = 0;
  std::string initrd_sha256;  ///< empty when the layout has no ramdisk
  std::string dumper_version;
  std::string kernel_release;  ///< as far as it is known; may be empty
  std::string compressor;
  uint64_t hsa_size = 0;  ///< the budget the layout was checked against
  /// The dumper parameters baked into the ramdisk (space-separated key=value words), so that
  /// `hook refresh` rebuilds the same ramdisk around a new dumper. Optional.
  std::string dumper_params;
  /// The kernel version the packaging hook installed the layout for (`hook add KVER`); empty
  /// for a layout `build` made. `hook remove KVER` removes only a layout of that version.
  std::string kernel_version;
  /// The image the kernel was copied from (`hook add`); optional, for reports.
  std::string image_source;
  /// The kernel's size in memory, text, data and BSS (kernel::kernel_footprint), when it was
  /// measured from its vmlinux or System.map; 0 (not written) when it was only estimated.
  /// `hook refresh` keeps the kernel, so it checks the HSA with this figure.
  uint64_t kernel_memory = 0;
};

/// Whether every text value of `m` survives render_manifest() and parse_manifest() unchanged:
/// no control characters (a newline would start a line of its own), no white space at either
/// end (lines are trimmed), at most kManifestMaxValueBytes. The error names the key.
Result<void> check_manifest_values(const Manifest& m);
[[nodiscard]] std::string render_manifest(const Manifest& m);
/// Parses a manifest; unknown keys are ignored (newer writers), malformed lines, a missing
/// format line, sizes that are not numbers, digests that are not 64 hex digits and values over
/// kManifestMaxValueBytes are errors. render_manifest() of what it returns parses again.
Result<Manifest> parse_manifest(std::string_view text);

}  // namespace zk::installer::layout
