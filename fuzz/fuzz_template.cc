// SPDX-License-Identifier: MIT
// fuzz_template: render_template (installer/disk/dumpconf.h) over a template an administrator
// may have edited (templates/dumpconf.in, zipl-dump.conf.in, installed under share/), with the
// values the installer passes: dumpconf_values' and zipl_dump_values' keys, fixed.
//
// Oracles, from what dumpconf.h promises ("replaces each @KEY@ by its value; a placeholder
// without a value and a value holding a newline are errors naming the key; an '@' that does
// not start a placeholder stays"), checked against placeholders() below, which reads the text
// the way the header describes it:
//  - rendering succeeds exactly when every placeholder has a value, and the output is the text
//    with each placeholder replaced (so nothing else changes, and rendering is deterministic);
//  - otherwise the error names the first placeholder without a value;
//  - a value holding a newline makes rendering fail naming its key when, and only when, the
//    text uses that key; so a rendered file has the template's lines, no more.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_one.h"
#include "installer/disk/dumpconf.h"

namespace {

using zk::installer::disk::TemplateValues;

const TemplateValues& values() {
  static const TemplateValues v = {
      // dumpconf_values
      {"DEVICE", "0.0.1700"},
      {"WWPN", "0x500507630300c562"},
      {"LUN", "0x4010400000000000"},
      {"DISK", "/dev/disk/by-id/scsi-36005076303ffd5630000000000001700"},
      {"PARTITION", "1"},
      // zipl_dump_values
      {"SECTION", "dump-sdb1"},
      {"DUMPTO", "/dev/sdb1"},
      {"ZFCPDUMP_DIR", "/lib/s390-tools/zfcpdump"},
      // Not a key of the installer's: an empty value.
      {"EMPTY", ""},
  };
  return v;
}

bool key_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

struct Placeholder {
  size_t at;  ///< of the opening '@'
  std::string_view key;
};

/// The placeholders of `text`, left to right: an '@', one or more key characters, an '@'. The
/// closing '@' belongs to its placeholder; any other '@' is text.
std::vector<Placeholder> placeholders(std::string_view text) {
  std::vector<Placeholder> out;
  size_t i = 0;
  while ((i = text.find('@', i)) != std::string_view::npos) {
    size_t end = i + 1;
    while (end < text.size() && key_char(text[end])) ++end;
    if (end > i + 1 && end < text.size() && text[end] == '@') {
      out.push_back({i, text.substr(i + 1, end - i - 1)});
      i = end + 1;
    } else {
      ++i;
    }
  }
  return out;
}

size_t count_lines(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  namespace disk = zk::installer::disk;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ph = placeholders(text);

  std::string expected;
  const Placeholder* missing = nullptr;
  size_t pos = 0;
  for (const auto& p : ph) {
    expected.append(text.substr(pos, p.at - pos));
    auto it = values().find(p.key);
    if (it == values().end()) {
      missing = &p;
      break;
    }
    expected += it->second;
    pos = p.at + p.key.size() + 2;
  }
  if (!missing) expected.append(text.substr(pos));

  auto r = disk::render_template(text, values());
  if (missing) {
    FUZZ_CHECK_DETAIL(!r.has_value(),
                      "rendered although @" + std::string(missing->key) + "@ has no value");
    FUZZ_CHECK_DETAIL(
        r.error().message.find("@" + std::string(missing->key) + "@") != std::string::npos,
        r.error().message);
  } else {
    FUZZ_CHECK_DETAIL(r.has_value(), r.error().describe());
    FUZZ_CHECK(*r == expected);
    FUZZ_CHECK(count_lines(*r) == count_lines(text));
  }

  // A value that spans lines, for a key the text uses or does not use.
  TemplateValues multi = values();
  multi["DEVICE"] = "0.0.1700\nON_PANIC=stop";
  auto m = disk::render_template(text, multi);
  bool uses_device = false;
  for (const auto& p : ph) {
    if (&p == missing) break;
    uses_device = uses_device || p.key == "DEVICE";
  }
  if (uses_device) {
    FUZZ_CHECK(!m.has_value());
    FUZZ_CHECK_DETAIL(m.error().message.find("DEVICE") != std::string::npos, m.error().message);
  } else if (!missing) {
    FUZZ_CHECK(m.has_value() && *m == *r);
  } else {
    FUZZ_CHECK(!m.has_value());
  }
  return 0;
}
