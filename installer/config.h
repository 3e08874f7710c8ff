// SPDX-License-Identifier: MIT
#pragma once
/// The toolkit's defaults (/etc/zfcpdump-kit.conf, documented in zfcpdump-kit.conf(5)):
/// "key = value" lines, `#` comments. Command-line options override them.

#include <string>

#include "util/error.h"

namespace zk::installer {

inline constexpr const char* kDefaultConfigPath = "/etc/zfcpdump-kit.conf";

struct Config {
  std::string zfcpdump_dir = "/lib/s390-tools/zfcpdump";  ///< zfcpdump_dir
  std::string zipl = "zipl";                              ///< zipl: the zipl to run
  std::string compress = "gzip";                          ///< compress: the ramdisk's compressor
  /// kernel_match: a kernel version containing this word is a dump kernel (s390-tools'
  /// convention is a "zfcpdump" flavour, e.g. 6.1.0-1-zfcpdump).
  std::string kernel_match = "zfcpdump";
  std::string registry = "/etc/zfcpdump-kit/disks";  ///< registry: prepared disks
  std::string dumper = "";                           ///< dumper: the static dumper
  std::string kernel_config = "";                    ///< kernel_config: default .config
  // `save` and the harvest at boot (zfcpdump-install save, zfcpdump-kit-save.service).
  std::string save_dir = "/var/crash";  ///< save_dir: where saved dumps go
  unsigned save_keep = 3;               ///< save_keep: saved dumps kept (0: all)
  uint64_t save_min_free = 256u << 20;  ///< save_min_free: bytes left free after the worst case
  std::string save_format = "kdump";    ///< save_format: kdump (makedumpfile) or elf
  std::string save_compress = "zstd";   ///< save_compress: zstd, lzo, snappy, zlib, none
  unsigned save_dump_level = 31;        ///< save_dump_level: makedumpfile -d, 0..31
  std::string makedumpfile = "makedumpfile";  ///< makedumpfile: the program to run
  bool harvest = true;                        ///< harvest: whether save --registered saves
};

/// Parses the text of a configuration file; unknown keys and malformed lines are errors that
/// name the line (a typo in a root-run tool's configuration must not be silently ignored).
Result<Config> parse_config(std::string_view text, Config base = {});
/// Loads `path`; a missing file yields the defaults unless `required`.
Result<Config> load_config(const std::string& path, bool required);

}  // namespace zk::installer
