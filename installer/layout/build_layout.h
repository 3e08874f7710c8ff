// SPDX-License-Identifier: MIT
#pragma once
/// The one implementation of "install the dump-tool layout around a kernel", shared by
/// `zfcpdump-install build` and `zfcpdump-install hook`: check the kernel image and (when
/// given) its .config, write the ramdisk around the dumper, check that both fit the HSA, and
/// install the layout atomically (layout.h). It never prints: it tells what it does through
/// BuildEvents, in the order it happens, and returns what it found and did.
///
/// The caller holds the layout lock (lock_layout_dir) around it when other writers may run.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "initramfs-gen/ramdisk_spec.h"
#include "initramfs-gen/ramdisk_writer.h"
#include "installer/kernel/hsa.h"
#include "installer/kernel/kernel_image.h"
#include "installer/layout/layout.h"
#include "util/error.h"
#include "util/fd.h"

namespace zk::installer::layout {

struct BuildRequest {
  std::string image;  ///< the s390 kernel image to install
  /// Its .config, checked for what a zfcpdump kernel needs (and for the ramdisk's compressor);
  /// nullopt: not checked (hook refresh keeps a kernel that was checked when it was installed).
  std::optional<std::string> config;
  std::string release;                     ///< the kernel release when known; else the image's
  initramfs::RamdiskSpec ramdisk;          ///< the ramdisk to write around the dumper
  std::vector<std::string> dumper_params;  ///< the words behind ramdisk.config_text, recorded
  std::optional<uint64_t> hsa_override;    ///< --hsa-size
  /// The kernel's vmlinux or System.map (--kernel-map, or the kernel build's vmlinux); empty:
  /// looked for beside the image (kernel::kernel_footprint).
  std::string kernel_map;
  /// The kernel's in-memory size as an earlier build measured it (the manifest's, when `hook
  /// refresh` keeps the installed kernel); 0: measured now.
  uint64_t kernel_memory = 0;
  std::string sysfs = "/sys";  ///< where the HSA size is looked up
  std::string root = "/";
  std::string zfcpdump_dir = kDefaultZfcpdumpDir;
  std::string kernel_version;  ///< recorded in the manifest (hook add), else empty
  std::string image_source;    ///< recorded in the manifest (hook add), else empty
  std::string scratch_dir;     ///< a private directory for the new ramdisk
  /// Check and build the ramdisk in scratch_dir as usual, then only compare with the installed
  /// layout: `installed.changed` names what would change, nothing below root is written.
  bool dry_run = false;
};

/// What build_layout() tells while it works; any member may be empty.
struct BuildEvents {
  std::function<void(const std::string&)> step;   ///< a new stage ("Writing the ramdisk ...")
  std::function<void(const std::string&)> note;   ///< a detail of the stage
  std::function<void(const std::string&)> warn;   ///< a warning (kernel configuration)
  std::function<void(const std::string&)> error;  ///< one of several problems before a failure
};

struct BuildOutcome {
  kernel::KernelImageInfo image;
  std::string release;  ///< as recorded in the manifest
  initramfs::RamdiskInfo ramdisk;
  kernel::HsaSize hsa;
  kernel::HsaNeeds needs;  ///< what the dump kernel needs while it runs, part by part
  uint64_t hsa_left = 0;
  LayoutResult installed;
};

/// Builds and installs the layout. Fails, with nothing of the layout changed, when the image is
/// no s390 boot image, the .config lacks what a dump kernel needs (each problem is told through
/// events.error first), the ramdisk cannot be written, or what the dump kernel needs while it
/// runs (kernel::HsaNeeds) exceeds the HSA.
Result<BuildOutcome> build_layout(const BuildRequest& request, const BuildEvents& events);

/// The dumper parameters as the text of the ramdisk's /etc/zfcpdump.conf, or nullopt for none.
/// Each must be one key=value word (no white space); the error names the one that is not.
Result<std::optional<std::string>> dumper_config_text(const std::vector<std::string>& params);

/// Takes the exclusive lock of the layout directory `dir` (flock on the directory itself, or on
/// the nearest existing directory above it before the first build: nothing is created), waiting
/// up to `patience` for another zfcpdump-install that holds it. The lock lasts as long as the
/// returned descriptor.
Result<util::Fd> lock_layout_dir(const std::string& dir,
                                 std::chrono::milliseconds patience = std::chrono::minutes(5));

}  // namespace zk::installer::layout
