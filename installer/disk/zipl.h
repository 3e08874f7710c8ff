// SPDX-License-Identifier: MIT
#pragma once
/// Which zipl installs the dump tool, and how it is called.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zk::installer::disk {

/// Environment a zipl given with --zipl gets when DEVICE is an image file: the real zipl
/// needs a SCSI disk, so such a program (a wrapper that attaches the image to an s390x guest,
/// or a test double) is told the partition and the sector size this way. argv stays
/// `PROGRAM -d IMAGE`.
inline constexpr const char* kImagePartitionEnv = "ZFCPDUMP_KIT_IMAGE_PARTITION";
inline constexpr const char* kImageSectorSizeEnv = "ZFCPDUMP_KIT_IMAGE_SECTOR_SIZE";

struct ZiplChoice {
  std::string program;  ///< a path, or a name looked up in PATH
  std::string source;   ///< "--zipl", "$ZIPL" or "configuration"
};

/// --zipl, else $ZIPL (when set and not empty), else the configuration's zipl.
[[nodiscard]] ZiplChoice choose_zipl(const std::optional<std::string>& option, const char* env,
                                     const std::string& configured);

/// The environment for a zipl given an image file: kImagePartitionEnv and kImageSectorSizeEnv.
[[nodiscard]] std::vector<std::string> zipl_image_env(unsigned partition, uint32_t sector_size);

/// {program, "-d", target}: install the dump tool on the partition `target`.
[[nodiscard]] std::vector<std::string> zipl_dump_argv(const std::string& program,
                                                      const std::string& target);

}  // namespace zk::installer::disk
