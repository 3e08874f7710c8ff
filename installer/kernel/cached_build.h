// SPDX-License-Identifier: MIT
#pragma once
/// Build a zfcpdump kernel, or reuse the cached build of the same inputs.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "installer/kernel/kernel_build.h"
#include "util/error.h"

namespace zk::installer::kernel {

struct CachedBuildRequest {
  std::string source_dir;       ///< kernel source tree (read-only is fine)
  std::string source_identity;  ///< e.g. SourceTree::identity; empty for a bare tree
  std::string defconfig = "zfcpdump_defconfig";
  std::vector<std::string> fragments;  ///< fragment files; their contents enter the key
  std::string target = "bzImage";
  std::string cache_root;  ///< empty: default_cache_root(); entries live in <root>/kernel/
  std::optional<Toolchain> toolchain;
  unsigned jobs = 0;
  ProgressFn progress;
  std::chrono::milliseconds progress_interval{10000};
  /// Keep the object tree (<root>/kernel/<key>.build, ~1.5 GB) after a successful build.
  /// A failed build always keeps it (with its log); the next attempt continues in it.
  bool keep_build_dir = false;
};

struct CachedBuild {
  BuildArtifacts artifacts;  ///< paths inside the cache entry
  std::string key;           ///< cache_key()
  std::string entry_dir;     ///< <root>/kernel/<key>
  bool from_cache = false;   ///< true: nothing was built
};

/// Computes the key (source version, source identity, defconfig, fragment contents, target,
/// compiler version), returns the cached entry when complete, and otherwise builds under a
/// lock (<key>.lock, so concurrent callers build once) and stores the result.
Result<CachedBuild> build_or_reuse(const CachedBuildRequest& request);

}  // namespace zk::installer::kernel
