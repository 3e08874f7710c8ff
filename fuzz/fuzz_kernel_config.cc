// SPDX-License-Identifier: MIT
// fuzz_kernel_config: the installer's reader of kernel .config files and fragments
// (installer/kernel/kernel_config.h). A config that parses must print (CONFIG_X=display(),
// "# CONFIG_X is not set") to one that parses to the same options.
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "installer/kernel/kernel_config.h"

int fuzz_one(const uint8_t* data, size_t size) {
  using zk::installer::kernel::ConfigValue;
  using zk::installer::kernel::KernelConfig;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = KernelConfig::parse(text, "fuzz.config");
  if (!c) {
    (void)c.error().describe();
    return 0;
  }
  std::string printed;
  for (const auto& [name, value] : c->options()) {
    FUZZ_CHECK(name.starts_with("CONFIG_"));
    FUZZ_CHECK(c->value(name) == &value);
    FUZZ_CHECK(c->is_builtin(name) == (value.kind == ConfigValue::Kind::kYes));
    if (value.kind == ConfigValue::Kind::kNotSet) printed += "# " + name + " is not set\n";
    else printed += name + "=" + value.display() + "\n";
  }
  auto again = KernelConfig::parse(printed, "printed.config");
  FUZZ_CHECK_DETAIL(again.has_value(),
                    "printed config does not parse: " + again.error().describe() + "\n" + printed);
  FUZZ_CHECK(again->options() == c->options());
  return 0;
}
