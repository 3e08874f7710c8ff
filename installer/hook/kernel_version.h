// SPDX-License-Identifier: MIT
#pragma once
/// Which kernels the packaging hook acts on, and the checks on what the packaging system hands
/// it. A kernel version string comes from a package and ends up in file names
/// (<dir of IMAGE>/config-KVER, /boot/config-KVER) and in the layout manifest, so it is checked
/// before any path is built from it.

#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::installer::hook {

/// The longest kernel version accepted (a file name component: NAME_MAX).
inline constexpr size_t kMaxKernelVersionBytes = 255;

/// Whether `kver` is a dump kernel: it contains `match` (s390-tools' convention is a flavour
/// named "zfcpdump", as in 6.1.0-1-zfcpdump). An empty `match` matches nothing.
[[nodiscard]] bool is_dump_kernel(std::string_view kver, std::string_view match);

/// Refuses a kernel version that could name another file or break a line: empty, longer than
/// kMaxKernelVersionBytes, a '/' anywhere, a leading '.', a control character (NUL, newline,
/// ...), or white space at either end. Spaces inside, quotes and other characters are fine:
/// no shell ever sees the string.
Result<void> check_kernel_version(std::string_view kver);

/// Refuses an image path the manifest cannot record: empty, a control character, or white
/// space at either end.
Result<void> check_image_path(std::string_view path);

/// Where the .config of dump kernel `kver`, installed as `image`, may be, in the order looked at:
///   <dir of image>/config-<kver>           (Debian: /boot/vmlinuz-KVER beside /boot/config-KVER)
///   <dir of image>/config                  (when that directory is named <kver>, as
///   kernel-install's
///                                           /usr/lib/modules/KVER/vmlinuz is)
///   <root>/boot/config-<kver>
///   <root>/usr/lib/modules/<kver>/config
/// `kver` must have passed check_kernel_version().
[[nodiscard]] std::vector<std::string> config_candidates(const std::string& root,
                                                         const std::string& kver,
                                                         const std::string& image);

}  // namespace zk::installer::hook
