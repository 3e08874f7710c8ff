// SPDX-License-Identifier: MIT
// The configuration file the package installs (templates/zfcpdump-kit.conf.in, configured into
// the build tree) states the built-in defaults: with every "#key = value" line uncommented it
// parses to exactly the defaults of installer/config.h, and it names every key there is.
#include <string>

#include <gtest/gtest.h>

#include "installer/config.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "util/read_file.h"

namespace zk::installer {
namespace {

std::string uncommented() {
  auto text = util::read_file(ZK_GENERATED_CONF, 65536);
  EXPECT_TRUE(text) << ZK_GENERATED_CONF;
  if (!text) return {};
  std::string out;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t eol = text->find('\n', pos);
    if (eol == std::string::npos) eol = text->size();
    std::string line = text->substr(pos, eol - pos);
    pos = eol + 1;
    // "#key = value" (no blank after '#') is a setting; "# text" is prose.
    if (line.size() > 1 && line[0] == '#' && line[1] != ' ' && line.find('=') != std::string::npos)
      out += line.substr(1) + "\n";
  }
  return out;
}

TEST(ConfTemplate, StatesTheBuiltInDefaults) {
  const std::string text = uncommented();
  auto parsed = parse_config(text, Config{"x", "x", "x", "x", "x", "x", "x"});
  ASSERT_TRUE(parsed) << parsed.error().describe() << "\n" << text;
  const Config defaults;
  EXPECT_EQ(parsed->zfcpdump_dir, defaults.zfcpdump_dir);
  EXPECT_EQ(parsed->zfcpdump_dir, layout::kDefaultZfcpdumpDir);
  EXPECT_EQ(parsed->zipl, defaults.zipl);
  EXPECT_EQ(parsed->compress, defaults.compress);
  EXPECT_EQ(parsed->kernel_match, defaults.kernel_match);
  EXPECT_EQ(parsed->registry, defaults.registry);
  EXPECT_EQ(parsed->registry, state::kDefaultRegistryPath);
  // The default dumper is empty in Config and means the installed one, which the file names.
  EXPECT_EQ(defaults.dumper, "");
  EXPECT_EQ(parsed->dumper, ZK_INSTALLED_DUMPER);
  EXPECT_EQ(parsed->kernel_config, defaults.kernel_config);
}

TEST(ConfTemplate, AsInstalledItIsTheDefaults) {
  auto text = util::read_file(ZK_GENERATED_CONF, 65536);
  ASSERT_TRUE(text);
  auto parsed = parse_config(*text);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->zfcpdump_dir, Config{}.zfcpdump_dir);
  EXPECT_EQ(std::string(kDefaultConfigPath), ZK_CONFIG_PATH);
}

}  // namespace
}  // namespace zk::installer
