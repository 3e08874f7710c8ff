// SPDX-License-Identifier: MIT
#pragma once
/// The dumper's identity string: "zfcpdump-kit dumper VERSION" as a NUL-terminated string in
/// the binary (it is also the banner the dumper prints first). The installer finds it in the
/// dumper it puts into a ramdisk, so that the layout manifest records the version of the dumper
/// actually installed, not its own (the two differ after `--dumper PATH` or a partial upgrade).
/// A s390x binary cannot be asked for --version on the host, hence a string to look for.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

/// For string-literal concatenation in the dumper: ZK_DUMPER_IDENTITY_PREFIX ZK_VERSION.
#define ZK_DUMPER_IDENTITY_PREFIX "zfcpdump-kit dumper "

namespace zk::ondisk {

inline constexpr std::string_view kDumperIdentityPrefix = ZK_DUMPER_IDENTITY_PREFIX;
/// A version is 1 to this many of [0-9A-Za-z.+~_-] (a Debian version without the epoch colon).
inline constexpr size_t kDumperVersionMaxLength = 64;
/// The dumper's peak resident memory budget while it dumps (bench/dumper-sparse measures it
/// against this figure): what the HSA must hold for it beside the dump kernel and its ramdisk.
inline constexpr uint64_t kDumperMemoryBudgetBytes = 4ull << 20;
/// A dumper binary larger than this is not ours: read no further. Ours is under 1 MiB as the
/// ramdisk holds it (static, stripped); the suite's AddressSanitizer build of it, which the
/// installer's tests put into ramdisks, is 35 MiB.
inline constexpr size_t kDumperMaxBytes = 64u << 20;

/// The version of the first identity string in `bytes`: the prefix, a version, then a NUL.
/// Other text that starts with the prefix (a format string, "...%s") is passed over.
[[nodiscard]] std::optional<std::string> find_dumper_version(std::string_view bytes);

/// Reads the dumper at `path` (at most kDumperMaxBytes) and finds its version; nullopt when the
/// file holds no identity string (an older or foreign dumper). Errors: the file cannot be read
/// or is too large.
Result<std::optional<std::string>> read_dumper_version(const std::string& path);

}  // namespace zk::ondisk
