// SPDX-License-Identifier: MIT
#pragma once
/// The dump-tool layout: the files `zipl -d` reads, installed atomically.
///   <root><dir>/zfcpdump-image    the dump kernel      (zipl 2.7 and later read these)
///   <root><dir>/zfcpdump-initrd   the ramdisk
///   <root><dir>/zfcpdump.image -> zfcpdump-image       (the names the kernel's
///   <root><dir>/zfcpdump.rd    -> zfcpdump-initrd       documentation gives)
///   <root><dir>/zfcpdump-kit.manifest
/// <dir> is /lib/s390-tools/zfcpdump unless a distribution moved it.

#include <string>
#include <vector>

#include "installer/layout/manifest.h"
#include "util/error.h"

namespace zk::installer::layout {

inline constexpr const char* kDefaultZfcpdumpDir = "/lib/s390-tools/zfcpdump";
inline constexpr const char* kImageName = "zfcpdump-image";
inline constexpr const char* kInitrdName = "zfcpdump-initrd";
inline constexpr const char* kImageLink = "zfcpdump.image";
inline constexpr const char* kInitrdLink = "zfcpdump.rd";

/// <root><dir> with exactly one slash between them ("/" root: <dir> itself).
[[nodiscard]] std::string layout_dir(const std::string& root, const std::string& dir);

struct LayoutInput {
  std::string root = "/";
  std::string zfcpdump_dir = kDefaultZfcpdumpDir;
  std::string kernel_image_path;  ///< copied to zfcpdump-image
  std::string ramdisk_path;       ///< copied to zfcpdump-initrd
  std::string dumper_version;
  std::string kernel_release;
  std::string compressor;
  uint64_t hsa_size = 0;
  uint64_t kernel_memory = 0;  ///< recorded in the manifest (see Manifest); 0: unknown
  std::string dumper_params;   ///< recorded in the manifest (see Manifest)
  std::string kernel_version;  ///< recorded: the kernel package's version (hook add)
  std::string image_source;    ///< recorded: where the kernel image came from (hook add)
  /// Only compare: `changed` names what would be written, and nothing is (no directory made).
  bool dry_run = false;
};

struct LayoutResult {
  std::string dir;
  Manifest manifest;
  std::string manifest_sha256;
  std::vector<std::string> changed;  ///< names of files (re)written (dry run: that would be)
};

/// Installs the layout. Each file is compared with what is there (SHA-256) and, when it
/// differs, written under a temporary name and renamed; the links are made the same way; the
/// manifest last, so a manifest never describes files that are not there yet. Running it again
/// with the same inputs changes nothing.
Result<LayoutResult> install_layout(const LayoutInput& in);

/// Removes the layout in `dir` (the inverse of install_layout): the manifest first, so that no
/// manifest ever describes files that are gone, then the links, the ramdisk and the image.
/// Missing files are fine; the directory itself stays (zipl and s390-tools own it). Returns the
/// names removed (empty: there was nothing to remove).
Result<std::vector<std::string>> remove_layout(const std::string& dir);

/// Reads the manifest of an installed layout, with the SHA-256 of the manifest file.
Result<std::pair<Manifest, std::string>> read_installed_manifest(const std::string& dir);

}  // namespace zk::installer::layout
