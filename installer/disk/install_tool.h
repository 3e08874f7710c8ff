// SPDX-License-Identifier: MIT
#pragma once
/// The one install-and-verify path that `zfcpdump-install disk` and the packaging hook share:
/// run zipl -d on the dump partition (an image file: with the partition and sector size in the
/// environment, see zipl.h), then read the disk again and check that it holds the dump tool it
/// should (verify.h: fresh_tool_problems). Each caller words the outcome its own way; nothing
/// here prints.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/verify.h"
#include "installer/system/host.h"
#include "ondisk/partition_table.h"
#include "util/error.h"
#include "util/process.h"

namespace zk::installer::disk {

struct InstallRequest {
  std::string zipl;       ///< the program (ZiplChoice::program)
  std::string target;     ///< the partition's node; an image: the image
  std::string disk_node;  ///< read back after zipl
  bool is_image = false;
  uint32_t sector_size = 512;          ///< an image's, told to the zipl through the environment
  std::optional<uint32_t> block_size;  ///< the disk's logical block size; nullopt for an image
  ondisk::Partition expected;          ///< where the tool must end up
  /// This disk's own ramdisk (disk_ramdisk.h), bind-mounted over `ramdisk_target` (the layout's
  /// zfcpdump-initrd, which zipl reads) for zipl alone (system/run_with_file.h); empty: zipl
  /// copies the layout's. Not for an image (its zipl runs elsewhere).
  std::string ramdisk_source;
  std::string ramdisk_target;
};

enum class InstallStage {
  kCannotRun,    ///< zipl could not be started (`error`)
  kZiplFailed,   ///< zipl ran and failed (`run`)
  kCannotRead,   ///< the disk could not be opened again (`error`)
  kNotVerified,  ///< zipl said yes, but the disk does not hold the tool it should (`problems`)
  kVerified,     ///< the tool is there, on `expected`, with the fresh-install checksum
};

struct InstallResult {
  InstallStage stage = InstallStage::kCannotRun;
  util::Command command{{}};
  std::string command_line;  ///< command.display()
  Error error;               ///< for kCannotRun and kCannotRead
  util::CapturedRun run;     ///< what zipl did and said, once it ran
  bool flushed = true;       ///< the disk's buffers were dropped before reading back
  ToolInspection after;      ///< the tool as read back (kNotVerified, kVerified)
  /// The disk's own ramdisk was asked for but zipl got the shared one (run_with_file's
  /// fallback: no mount namespace here); the reason is in run.output.
  bool own_ramdisk_refused = false;
  std::vector<std::string> problems;  ///< fresh_tool_problems, for kNotVerified
};

/// The zipl command for `request`: argv and, for an image, the environment. What runs is this,
/// or, with a ramdisk_source, this through system::run_with_file.
[[nodiscard]] util::Command zipl_command(const InstallRequest& request);

/// Runs zipl through `host` and verifies what it wrote (see the file comment).
[[nodiscard]] InstallResult install_and_verify(system::Host& host, const InstallRequest& request);

}  // namespace zk::installer::disk
