// SPDX-License-Identifier: MIT
#pragma once
/// The kernel parameters the dumper honours, from /proc/cmdline. zipl passes the dump kernel
/// its own parameters and the operator adds more through the dump's SCP data.

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::dumper {

enum class EndAction {
  kAuto,  ///< re-IPL through zcore when it is there, else power off
  kReipl,
  kPowerOff,
  kHalt,
};

struct DumperParams {
  int debug_level = 1;                  ///< dump_debug=1..6
  EndAction action = EndAction::kAuto;  ///< zfcpdump.action=reipl|poweroff|halt
  unsigned disk_timeout_s = 120;        ///< zfcpdump.disk_timeout=SECONDS
  unsigned progress_interval_s = 10;    ///< zfcpdump.progress=SECONDS
  bool manual_scsi_scan = false;        ///< scsi_mod.scan=manual was given
  bool sparse = true;                   ///< zfcpdump.sparse=0|1: zero runs left out of the file
  /// zfcpdump.dump_level=0..31: makedumpfile's dump level (SessionOptions::dump_level); a value
  /// outside 0..31 is ignored.
  unsigned dump_level = 1;
  /// zfcpdump.disk=IDENTITY: the dump disk to write when the IPL does not name one (see
  /// dumper/disk_choice.h for the forms); empty when not given. At most kMaxDiskChoice bytes;
  /// a longer value is ignored as malformed.
  std::string disk;
};

inline constexpr size_t kMaxDiskChoice = 300;

/// Parses a command line; unknown words are ignored, malformed values of known ones keep the
/// default (the dumper must not stop over a typo in SCP data). Values are clamped to sane
/// ranges: debug 1..6, timeout 1..3600, progress 1..3600.
[[nodiscard]] DumperParams parse_kernel_cmdline(std::string_view cmdline);

/// The parameters from the ramdisk's zfcpdump.conf (the same words, one or more per line, `#`
/// starting a comment line) overridden by the kernel command line.
[[nodiscard]] DumperParams parse_dumper_params(std::string_view config_text,
                                               std::string_view cmdline);

[[nodiscard]] const char* end_action_name(EndAction a);

}  // namespace zk::dumper
