// SPDX-License-Identifier: MIT
// fuzz_config: the toolkit's configuration file (/etc/zfcpdump-kit.conf).
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "installer/config.h"

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = zk::installer::parse_config(text);
  if (!c) {
    (void)c.error().describe();
    return 0;
  }
  // Documented: these two must be absolute paths.
  FUZZ_CHECK(!c->zfcpdump_dir.empty() && c->zfcpdump_dir.front() == '/');
  FUZZ_CHECK(!c->registry.empty() && c->registry.front() == '/');
  // Every line sets a value: reading the same text over its own result changes nothing.
  auto again = zk::installer::parse_config(text, *c);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->zfcpdump_dir == c->zfcpdump_dir && again->zipl == c->zipl &&
             again->compress == c->compress && again->kernel_match == c->kernel_match &&
             again->registry == c->registry && again->dumper == c->dumper &&
             again->kernel_config == c->kernel_config);
  return 0;
}
