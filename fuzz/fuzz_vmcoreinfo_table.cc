// SPDX-License-Identifier: MIT
// fuzz_vmcoreinfo_table: the input is VMCOREINFO text (a note's descriptor, or what the lowcore
// points to): VmcoreinfoTable::parse with the default limits and small ones, every typed
// lookup of the keys the input names, and vmcoreinfo_value.
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "ondisk/vmcore.h"
#include "ondisk/vmcoreinfo_table.h"

namespace {

using namespace zk;

/// "NAME" of "PREFIX(NAME)", or empty.
std::string_view inner(std::string_view key, std::string_view prefix) {
  if (key.size() < prefix.size() + 2 || key.substr(0, prefix.size()) != prefix ||
      key[prefix.size()] != '(' || key.back() != ')')
    return {};
  return key.substr(prefix.size() + 1, key.size() - prefix.size() - 2);
}

void check(std::string_view text, const ondisk::VmcoreinfoLimits& limits) {
  auto table = ondisk::VmcoreinfoTable::parse(text, limits);
  if (!table) {
    (void)table.error().describe();
    return;
  }
  FUZZ_CHECK(table->entry_count() <= limits.max_entries);
  FUZZ_CHECK(text.size() <= limits.max_text_bytes);
  // Every key of a line the kernel could have written answers, or says why not.
  size_t pos = 0, reparsed = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    const std::string_view key = line.substr(0, eq);
    auto raw = table->raw(key);
    auto text_value = table->text(key);
    FUZZ_CHECK(raw.has_value() == text_value.has_value());
    if (raw) {
      // The first value given is the value (a repeat with another makes the key ambiguous).
      FUZZ_CHECK(*raw == *text_value);
      // vmcoreinfo_value parses the whole text again: for a few keys only, or a long input
      // would cost its square.
      if (reparsed++ < 8)
        FUZZ_CHECK(ondisk::vmcoreinfo_value(text, key) == *raw || text.size() > 64u << 10);
    }
    if (auto n = inner(key, "SYMBOL"); !n.empty()) (void)table->symbol(n);
    if (auto n = inner(key, "SIZE"); !n.empty()) (void)table->size(n);
    if (auto n = inner(key, "OFFSET"); !n.empty()) (void)table->offset(n);
    if (auto n = inner(key, "NUMBER"); !n.empty()) (void)table->number(n);
    if (auto n = inner(key, "LENGTH"); !n.empty()) (void)table->length(n);
  }
  if (auto ps = table->page_size()) FUZZ_CHECK(*ps >= 512 && (*ps & (*ps - 1)) == 0);
  (void)table->os_release();
  (void)table->kernel_offset();
  (void)table->crash_time();
  for (const auto& k : table->ambiguous_keys()) FUZZ_CHECK(!table->raw(k));
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, {});
  ondisk::VmcoreinfoLimits small;
  small.max_text_bytes = 256;
  small.max_line_bytes = 32;
  small.max_entries = 4;
  check(text, small);
  return 0;
}
