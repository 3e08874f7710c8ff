// SPDX-License-Identifier: MIT
#pragma once
/// The options of `zfcpdump-install disk`, parsed and checked against each other.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "installer/cli/options.h"
#include "ondisk/partition_table.h"
#include "util/error.h"

namespace zk::installer::disk {

struct DiskOptions {
  std::string device;
  bool dry_run = false;
  bool yes = false;
  bool force = false;
  bool allow_small = false;
  bool write_dumpconf = false;
  ondisk::LabelType label = ondisk::LabelType::kDos;
  std::optional<unsigned> partition;  ///< --partition N: use it as it is
  std::optional<uint64_t> size;       ///< --size: of the new partition
  /// --dump-area: the administrator's choice of dump area (the new partition is sized for it;
  /// smaller than a full dump is accepted with a warning).
  std::optional<uint64_t> dump_area;
  /// --dump-level N (0..31): the dumper's dump level for this disk, baked into its own ramdisk.
  std::optional<unsigned> dump_level;
  std::optional<uint64_t> memory;       ///< --memory: instead of this system's
  std::optional<std::string> zipl;      ///< --zipl PATH
  std::optional<uint32_t> sector_size;  ///< --sector-size: of an image file
  std::string root = "/";
};

/// "0".."31" as a dump level; anything else is an error naming the bits.
Result<unsigned> parse_dump_level(std::string_view text);

/// Reads the parsed words. Errors (exit status 2): malformed sizes and numbers and dump levels,
/// a label other than dos/gpt, a sector size other than 512/4096, --partition with --size,
/// --dump-area or --label, --size with --dump-area.
Result<DiskOptions> parse_disk_options(const cli::ParsedArgs& args);

}  // namespace zk::installer::disk
