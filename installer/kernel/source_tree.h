// SPDX-License-Identifier: MIT
#pragma once
/// Kernel source trees: their version, and unpacking a source tarball (such as Debian's
/// /usr/src/linux-source-6.1.tar.xz) once into a cache.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace zk::installer::kernel {

/// The version the top Makefile declares: VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION
/// ("6.1.192"), what `make kernelversion` prints, read without running make. An error when
/// `source_dir` is not a kernel source tree with arch/s390 in it.
Result<std::string> read_source_version(const std::string& source_dir);

struct SourceTree {
  std::string dir;            ///< the unpacked tree (has the top Makefile)
  std::string version;        ///< read_source_version(dir)
  std::string identity;       ///< "linux-source-6.1.tar.xz size 138009412 mtime 1763288220.0"
  bool unpacked_now = false;  ///< false: an earlier unpacking was reused
};

/// What a tarball is taken to be: its file name, size and modification time. Cheap (no
/// hashing of 140 MB); a package update changes size or mtime.
Result<std::string> tarball_identity(const std::string& tar_path);

/// Unpacks `tar_path` (with tar, any compression tar recognises) into
/// `<cache_dir>/<name>-<hash of identity>/` unless that exists already, and returns the tree.
/// The tarball must hold one top-level directory with a Makefile. Unpacking goes to a
/// temporary directory renamed into place when complete, under a lock, so an interrupted or
/// concurrent run never leaves or sees half a tree. `on_tick` is called every 10 s with the
/// time spent so far.
Result<SourceTree> unpack_source_tarball(
    const std::string& tar_path, const std::string& cache_dir,
    const std::function<void(std::chrono::seconds)>& on_tick = {});

}  // namespace zk::installer::kernel
