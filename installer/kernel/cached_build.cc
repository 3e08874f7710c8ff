// SPDX-License-Identifier: MIT
#include "installer/kernel/cached_build.h"

#include <chrono>
#include <filesystem>

#include "installer/kernel/build_cache.h"
#include "installer/kernel/kernel_config.h"
#include "installer/kernel/source_tree.h"
#include "util/flock.h"
#include "util/read_file.h"

namespace zk::installer::kernel {

namespace {
/// How long a build waits for another process building the same cache entry: a kernel build on
/// a slow machine takes an hour or more, but a holder that never finishes must not hang us.
constexpr auto kBuildLockPatience = std::chrono::hours(4);
}  // namespace

namespace fs = std::filesystem;

Result<CachedBuild> build_or_reuse(const CachedBuildRequest& request) {
  auto version = read_source_version(request.source_dir);
  if (!version) return std::unexpected(version.error());
  const Toolchain tc = request.toolchain.value_or(host_toolchain());
  auto compiler = toolchain_identity(tc);
  if (!compiler) return std::unexpected(compiler.error());

  CacheKeyInputs inputs{*version, request.source_identity, request.defconfig,
                        {},       request.target,          *compiler};
  for (const auto& f : request.fragments) {
    auto text = util::read_file(f, kMaxConfigBytes);
    if (!text) return std::unexpected(text.error().wrap("config fragment"));
    inputs.fragment_contents.push_back(std::move(*text));
  }

  std::string root = request.cache_root;
  if (root.empty()) {
    auto r = default_cache_root();
    if (!r) return std::unexpected(r.error());
    root = *r;
  }
  const std::string dir = root + "/kernel";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail_errno(ec.value(), "create the kernel cache " + dir);

  CachedBuild out;
  out.key = cache_key(inputs);
  out.entry_dir = dir + "/" + out.key;
  if (auto hit = find_cached_build(out.entry_dir, request.target)) {
    out.artifacts = *hit;
    out.from_cache = true;
    return out;
  }
  auto lock = util::LockFile::acquire(out.entry_dir + ".lock", kBuildLockPatience);
  if (!lock) return std::unexpected(lock.error());
  if (auto hit = find_cached_build(out.entry_dir, request.target)) {  // built while we waited
    out.artifacts = *hit;
    out.from_cache = true;
    return out;
  }

  BuildOptions options;
  options.source_dir = request.source_dir;
  options.build_dir = out.entry_dir + ".build";
  options.defconfig = request.defconfig;
  options.fragments = request.fragments;
  options.target = request.target;
  options.log_path = options.build_dir + "/zfcpdump-kit-build.log";
  options.toolchain = tc;
  options.jobs = request.jobs;
  options.progress = request.progress;
  options.progress_interval = request.progress_interval;
  auto built = build_kernel(options);
  if (!built) return std::unexpected(built.error());

  auto stored = store_build(*built, out.entry_dir, request.target, !request.keep_build_dir);
  if (!stored) return std::unexpected(stored.error());
  if (!request.keep_build_dir) fs::remove_all(options.build_dir, ec);  // best effort: only space
  out.artifacts = *stored;
  return out;
}

}  // namespace zk::installer::kernel
