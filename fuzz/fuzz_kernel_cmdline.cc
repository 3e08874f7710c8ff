// SPDX-License-Identifier: MIT
// fuzz_kernel_cmdline: the dumper's parameters. The input up to its first NUL is the ramdisk's
// zfcpdump.conf, the rest the kernel command line (/proc/cmdline, which SCP data extends); an
// input without NUL is a command line alone.
#include <cstring>
#include <string>
#include <string_view>

#include "dumper/kernel_cmdline.h"
#include "fuzz/fuzz_one.h"

namespace {

using zk::dumper::DumperParams;
using zk::dumper::EndAction;

void check_ranges(const DumperParams& p) {
  // Documented: values are clamped to sane ranges.
  FUZZ_CHECK(p.debug_level >= 1 && p.debug_level <= 6);
  FUZZ_CHECK(p.disk_timeout_s >= 1 && p.disk_timeout_s <= 3600);
  FUZZ_CHECK(p.progress_interval_s >= 1 && p.progress_interval_s <= 3600);
  FUZZ_CHECK(std::strcmp(zk::dumper::end_action_name(p.action), "?") != 0);
}

bool same(const DumperParams& a, const DumperParams& b) {
  return a.debug_level == b.debug_level && a.action == b.action &&
         a.disk_timeout_s == b.disk_timeout_s && a.progress_interval_s == b.progress_interval_s &&
         a.manual_scsi_scan == b.manual_scsi_scan;
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string_view config =
      nul == std::string_view::npos ? std::string_view{} : input.substr(0, nul);
  const std::string_view cmdline = nul == std::string_view::npos ? input : input.substr(nul + 1);

  const DumperParams defaults;
  const DumperParams k = zk::dumper::parse_kernel_cmdline(cmdline);
  const DumperParams p = zk::dumper::parse_dumper_params(config, cmdline);
  check_ranges(k);
  check_ranges(p);
  // Without a configuration file, the command line alone decides.
  FUZZ_CHECK(same(zk::dumper::parse_dumper_params("", cmdline), k));
  // Documented: the command line overrides the configuration file. Whatever the command line
  // changed from the default must be what the dumper uses.
  if (k.debug_level != defaults.debug_level) FUZZ_CHECK(p.debug_level == k.debug_level);
  if (k.action != defaults.action) FUZZ_CHECK(p.action == k.action);
  if (k.disk_timeout_s != defaults.disk_timeout_s) FUZZ_CHECK(p.disk_timeout_s == k.disk_timeout_s);
  if (k.progress_interval_s != defaults.progress_interval_s)
    FUZZ_CHECK(p.progress_interval_s == k.progress_interval_s);
  if (k.manual_scsi_scan != defaults.manual_scsi_scan)
    FUZZ_CHECK(p.manual_scsi_scan == k.manual_scsi_scan);
  // A configuration file of comment lines only is no configuration.
  if (!config.empty() && config.find('\n') == std::string_view::npos) {
    const std::string commented = "#" + std::string(config);
    FUZZ_CHECK(same(zk::dumper::parse_dumper_params(commented, cmdline), k));
  }
  return 0;
}
