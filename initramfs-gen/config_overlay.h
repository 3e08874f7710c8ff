// SPDX-License-Identifier: MIT
#pragma once
/// A second archive behind a ramdisk that replaces its /etc/zfcpdump.conf: the kernel unpacks
/// concatenated archives in order (compressed or not, zero bytes between them skipped), and a
/// file of a later one replaces the earlier file of that name. This gives one disk's copy of
/// the shared layout ramdisk defaults of its own (zfcpdump.disk=, naming that disk) without
/// rebuilding or unpacking the ramdisk.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.h"

namespace zk::initramfs {

/// Between the ramdisk and the overlay: zeros up to a multiple of this, as the kernel starts a
/// following archive only at an aligned offset (4 bytes would do; a block is tidier).
inline constexpr uint64_t kOverlayAlignment = 512;

/// An uncompressed newc archive of etc/ (0755) and etc/zfcpdump.conf (0644, `config_text`),
/// owned by root, dated `mtime`. Fails for a text over kMaxConfigBytes (ramdisk_spec.h).
Result<std::string> config_overlay(std::string_view config_text, uint32_t mtime);

/// The bytes a ramdisk of `ramdisk_bytes` grows to with config_overlay(config_text) behind it,
/// padding included: what zipl will copy.
Result<uint64_t> ramdisk_with_overlay_bytes(uint64_t ramdisk_bytes, std::string_view config_text);

/// Writes the ramdisk file `ramdisk` followed by the padding and the overlay to `output_path`
/// (atomically: there or not at all). Returns its size. The ramdisk is read in full: at most
/// kMaxRamdiskBytes.
inline constexpr uint64_t kMaxRamdiskBytes = 64ull << 20;
Result<uint64_t> write_ramdisk_with_overlay(const std::string& ramdisk,
                                            std::string_view config_text,
                                            const std::string& output_path);

}  // namespace zk::initramfs
