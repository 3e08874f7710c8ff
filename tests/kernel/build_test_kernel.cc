// SPDX-License-Identifier: MIT
/// zk-build-test-kernel: builds (or takes from the cache) a zfcpdump kernel through zk_kernel,
/// for the integration tests and the demo.
///
///   zk-build-test-kernel (--source-tar TAR | --source-dir DIR) [--fragment FILE]...
///                        [--defconfig NAME] [--cache DIR] [--jobs N] [--keep-build-dir]
///                        [--print-paths]
///
/// With --print-paths, stdout gets one key=value line each (and nothing else), for scripts:
///   image=  vmlinux=  config=  log=  release=  key=  cached=yes|no  seconds=
/// Progress and errors go to stderr. Exit status: 0 built or cached, 1 failed, 2 usage.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "installer/kernel/build_cache.h"
#include "installer/kernel/cached_build.h"
#include "installer/kernel/source_tree.h"
#include "util/strings.h"

namespace {

using namespace zk::installer::kernel;

constexpr const char* kUsage =
    "usage: zk-build-test-kernel (--source-tar TAR | --source-dir DIR) [--fragment FILE]...\n"
    "                            [--defconfig NAME] [--cache DIR] [--jobs N] [--keep-build-dir]\n"
    "                            [--print-paths]\n";

void note(const std::string& text) {
  std::fprintf(stderr, "zk-build-test-kernel: %s\n", text.c_str());
}

int run(int argc, char** argv) {
  std::string tar, source_dir, cache;
  CachedBuildRequest request;
  bool print_paths = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "zk-build-test-kernel: %s needs a value\n%s", argv[i], kUsage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--source-tar") tar = value();
    else if (a == "--source-dir") source_dir = value();
    else if (a == "--fragment") request.fragments.emplace_back(value());
    else if (a == "--defconfig") request.defconfig = value();
    else if (a == "--cache") cache = value();
    else if (a == "--jobs") {
      auto n = zk::util::parse_u64(value());
      if (!n || *n == 0 || *n > 1024) {
        std::fprintf(stderr, "zk-build-test-kernel: --jobs wants a number from 1 to 1024\n");
        return 2;
      }
      request.jobs = static_cast<unsigned>(*n);
    } else if (a == "--keep-build-dir") request.keep_build_dir = true;
    else if (a == "--print-paths") print_paths = true;
    else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "zk-build-test-kernel: unknown argument %s\n%s", argv[i], kUsage);
      return 2;
    }
  }
  if (tar.empty() == source_dir.empty()) {
    std::fprintf(stderr,
                 "zk-build-test-kernel: give exactly one of --source-tar and --source-dir\n%s",
                 kUsage);
    return 2;
  }

  const auto start = std::chrono::steady_clock::now();
  if (cache.empty()) {
    auto root = default_cache_root();
    if (!root) {
      note(root.error().describe());
      return 1;
    }
    cache = *root;
  }
  request.cache_root = cache;
  if (!tar.empty()) {
    auto tree = unpack_source_tarball(tar, cache + "/kernel-src", [&](std::chrono::seconds s) {
      note(zk::util::format("still unpacking %s (%lld s)", tar.c_str(),
                            static_cast<long long>(s.count())));
    });
    if (!tree) {
      note(tree.error().describe());
      return 1;
    }
    note((tree->unpacked_now ? "unpacked " : "reusing unpacked ") + tar + " (" + tree->version +
         ") in " + tree->dir);
    request.source_dir = tree->dir;
    request.source_identity = tree->identity;
  } else {
    request.source_dir = source_dir;
  }
  request.progress = [](const BuildProgress& p) {
    note(zk::util::format(
        "%.*s: %llu steps, %lld s%s%.*s", static_cast<int>(p.phase.size()), p.phase.data(),
        static_cast<unsigned long long>(p.steps), static_cast<long long>(p.elapsed.count()),
        p.last_step.empty() ? "" : ", ", static_cast<int>(p.last_step.size()), p.last_step.data()));
  };

  auto built = build_or_reuse(request);
  if (!built) {
    note(built.error().describe());
    return 1;
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::duration<double>>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  note(zk::util::format("%s kernel %s in %s (%.1f s)", built->from_cache ? "cached" : "built",
                        built->artifacts.release.c_str(), built->entry_dir.c_str(), seconds));
  if (print_paths) {
    const auto& a = built->artifacts;
    std::printf(
        "image=%s\nvmlinux=%s\nconfig=%s\nlog=%s\nrelease=%s\nkey=%s\ncached=%s\nseconds=%.1f\n",
        a.image.c_str(), a.vmlinux.c_str(), a.config.c_str(), a.log.c_str(), a.release.c_str(),
        built->key.c_str(), built->from_cache ? "yes" : "no", seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
