// SPDX-License-Identifier: MIT
#pragma once
/// The dump-on-panic configuration for s390-tools' dumpconf service (/etc/sysconfig/dumpconf):
/// rendered from the template templates/dumpconf.in with the disk's zfcp attributes, and
/// installed atomically, keeping the administrator's previous file as a backup.

#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "installer/system/block_device.h"
#include "util/error.h"

namespace zk::installer::disk {

inline constexpr const char* kDumpconfTemplate = "dumpconf.in";
inline constexpr const char* kDumpconfPath = "/etc/sysconfig/dumpconf";
/// The directory the templates are installed to (${CMAKE_INSTALL_DATADIR}/zfcpdump-kit),
/// relative to the directory of the executable's parent.
inline constexpr const char* kDataSubdir = "share/zfcpdump-kit";
/// Overrides every other place to look for templates.
inline constexpr const char* kDataDirEnv = "ZFCPDUMP_KIT_DATADIR";

using TemplateValues = std::map<std::string, std::string, std::less<>>;

/// Replaces each @KEY@ (KEY: capitals, digits, underscores) by its value. A placeholder
/// without a value and a value holding a newline are errors naming the key; an '@' that does
/// not start a placeholder stays as it is.
Result<std::string> render_template(std::string_view text, const TemplateValues& values);

/// The values for dumpconf.in: DEVICE, WWPN, LUN (checked: a bus id such as 0.0.1700 and
/// 0x-prefixed 64-bit hex numbers, as zfcp shows them), DISK (the registered name) and
/// PARTITION. Fails naming the attribute that looks wrong.
Result<TemplateValues> dumpconf_values(const system::ZfcpAttributes& zfcp, const std::string& disk,
                                       unsigned partition);

/// Where to look for template `name`, in order: $ZFCPDUMP_KIT_DATADIR, <dir of the executable>/..
/// /share/zfcpdump-kit, and the installation's data directory (compiled in).
[[nodiscard]] std::vector<std::string> template_candidates(const std::string& name);
/// The text of the first candidate that exists; fails listing every place it looked.
Result<std::pair<std::string, std::string>> load_template(
    const std::vector<std::string>& candidates);

struct InstalledFile {
  bool changed = false;  ///< false: the file already had this text
  std::string backup;    ///< the previous file's copy, when there was a different one
};

/// Writes `text` to `path` atomically (creating its directory), first copying an existing,
/// different file to "<path>.zfcpdump-kit-<UTC YYYYmmddTHHMMSS of now>" (a number appended if
/// that exists). The new file keeps the old one's permission bits (0644 for a new file).
Result<InstalledFile> install_with_backup(const std::string& path, std::string_view text,
                                          std::time_t now);

}  // namespace zk::installer::disk
