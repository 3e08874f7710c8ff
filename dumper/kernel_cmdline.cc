// SPDX-License-Identifier: MIT
#include "dumper/kernel_cmdline.h"

#include <algorithm>
#include <string>

#include "filter/dump_level.h"
#include "util/strings.h"

namespace zk::dumper {
namespace {

template <class T>
void set_clamped(std::string_view value, T lo, T hi, T& out) {
  if (auto v = util::parse_u64(value)) out = static_cast<T>(std::clamp<uint64_t>(*v, lo, hi));
}

}  // namespace

DumperParams parse_kernel_cmdline(std::string_view cmdline) {
  DumperParams p;
  size_t pos = 0;
  while (pos < cmdline.size()) {
    while (pos < cmdline.size() &&
           (cmdline[pos] == ' ' || cmdline[pos] == '\n' || cmdline[pos] == '\t'))
      ++pos;
    size_t end = pos;
    while (end < cmdline.size() && cmdline[end] != ' ' && cmdline[end] != '\n' &&
           cmdline[end] != '\t')
      ++end;
    std::string_view word = cmdline.substr(pos, end - pos);
    pos = end;
    const size_t eq = word.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "dump_debug") {
      set_clamped(value, 1, 6, p.debug_level);
    } else if (key == "zfcpdump.action") {
      if (value == "reipl") p.action = EndAction::kReipl;
      else if (value == "poweroff") p.action = EndAction::kPowerOff;
      else if (value == "halt") p.action = EndAction::kHalt;
    } else if (key == "zfcpdump.disk_timeout") {
      set_clamped(value, 1u, 3600u, p.disk_timeout_s);
    } else if (key == "zfcpdump.progress") {
      set_clamped(value, 1u, 3600u, p.progress_interval_s);
    } else if (key == "zfcpdump.sparse") {
      if (value == "0") p.sparse = false;
      else if (value == "1") p.sparse = true;
    } else if (key == "zfcpdump.dump_level") {
      if (auto v = filter::parse_dump_level(value)) p.dump_level = *v;
    } else if (key == "zfcpdump.disk") {
      if (value.size() <= kMaxDiskChoice) p.disk = std::string(value);
    } else if (key == "scsi_mod.scan") {
      p.manual_scsi_scan = value == "manual";
    }
  }
  return p;
}

DumperParams parse_dumper_params(std::string_view config_text, std::string_view cmdline) {
  std::string words;
  (void)util::for_each_content_line(config_text,
                                    [&words](unsigned, std::string_view line) -> Result<void> {
                                      words += line;
                                      words += ' ';
                                      return {};
                                    });
  words += cmdline;
  return parse_kernel_cmdline(words);
}

const char* end_action_name(EndAction a) {
  switch (a) {
    case EndAction::kAuto: return "auto";
    case EndAction::kReipl: return "reipl";
    case EndAction::kPowerOff: return "poweroff";
    case EndAction::kHalt: return "halt";
  }
  return "?";
}

}  // namespace zk::dumper
