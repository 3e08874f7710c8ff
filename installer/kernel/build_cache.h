// SPDX-License-Identifier: MIT
#pragma once
/// The cache of built kernels: ${ZFCPDUMP_KIT_CACHE:-~/.cache/zfcpdump-kit}/kernel/<key>/ holds
/// one build's image, vmlinux, config, build.log and release, stored whole or not at all.

#include <optional>
#include <string>
#include <vector>

#include "installer/kernel/kernel_build.h"
#include "util/error.h"

namespace zk::installer::kernel {

/// Everything that decides what a build produces.
struct CacheKeyInputs {
  std::string source_version;   ///< "6.1.192" (read_source_version)
  std::string source_identity;  ///< the tarball's identity, or empty for a bare source tree
  std::string defconfig;        ///< "zfcpdump_defconfig"
  std::vector<std::string> fragment_contents;  ///< the fragments' text, in merge order
  std::string target;                          ///< "bzImage"
  std::string toolchain;  ///< toolchain_identity(): the compiler's version line
};

/// "<source_version>-<16 hex digits>": the version for people, then the first 64 bits of the
/// SHA-256 of all inputs (each length-prefixed, so no two input lists hash the same text).
[[nodiscard]] std::string cache_key(const CacheKeyInputs& inputs);

/// $ZFCPDUMP_KIT_CACHE, else $HOME/.cache/zfcpdump-kit; an error when neither is set.
Result<std::string> default_cache_root();

/// The entry's artifacts when `entry_dir` holds a complete build, else nullopt.
[[nodiscard]] std::optional<BuildArtifacts> find_cached_build(
    const std::string& entry_dir, const std::string& target = "bzImage");

/// Stores `built` as `entry_dir`: the files go into a temporary sibling (moved when `move` and
/// on the same file system, else copied), which is then renamed to `entry_dir`.
Result<BuildArtifacts> store_build(const BuildArtifacts& built, const std::string& entry_dir,
                                   const std::string& target, bool move);

}  // namespace zk::installer::kernel
