// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_config.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace zk::installer::kernel {
namespace {

using Kind = ConfigValue::Kind;

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(KernelConfig, ParsesEveryValueKind) {
  auto c = KernelConfig::parse(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
      "CONFIG_CRASH_DUMP=y\n"
      "CONFIG_ZFCP=m\n"
      "# CONFIG_DASD is not set\n"
      "CONFIG_LSM=\"yama,loadpin\"\n"
      "CONFIG_CMDLINE=\"say \\\"hi\\\" \\\\ bye\"\n"
      "CONFIG_NR_CPUS=2\n"
      "CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x1\n"
      "CONFIG_NEGATIVE=-1\n"
      "CONFIG_FRAGMENT_STYLE_OFF=n\n"
      "\n   \n",
      "test");
  ASSERT_TRUE(c.has_value()) << c.error().describe();
  EXPECT_EQ(c->value("CONFIG_CRASH_DUMP")->kind, Kind::kYes);
  EXPECT_EQ(c->value("CRASH_DUMP")->kind, Kind::kYes) << "the prefix is optional";
  EXPECT_EQ(c->value("ZFCP")->kind, Kind::kModule);
  EXPECT_EQ(c->value("DASD")->kind, Kind::kNotSet);
  EXPECT_EQ(c->value("LSM")->kind, Kind::kString);
  EXPECT_EQ(c->value("LSM")->text, "yama,loadpin");
  EXPECT_EQ(c->value("CMDLINE")->text, "say \"hi\" \\ bye");
  EXPECT_EQ(c->value("CMDLINE")->display(), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(c->value("NR_CPUS")->kind, Kind::kNumber);
  EXPECT_EQ(c->value("NR_CPUS")->text, "2");
  EXPECT_EQ(c->value("MAGIC_SYSRQ_DEFAULT_ENABLE")->text, "0x1");
  EXPECT_EQ(c->value("NEGATIVE")->text, "-1");
  EXPECT_EQ(c->value("FRAGMENT_STYLE_OFF")->kind, Kind::kNotSet);
  EXPECT_EQ(c->value("NOT_MENTIONED"), nullptr);
  EXPECT_TRUE(c->is_builtin("CRASH_DUMP"));
  EXPECT_FALSE(c->is_builtin("ZFCP"));
  EXPECT_FALSE(c->is_builtin("NOT_MENTIONED"));
  EXPECT_EQ(c->options().size(), 9u);
}

TEST(KernelConfig, LaterLinesWin) {
  auto c = KernelConfig::parse("CONFIG_A=y\n# CONFIG_A is not set\nCONFIG_B=m\nCONFIG_B=y", "t");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->value("A")->kind, Kind::kNotSet);
  EXPECT_EQ(c->value("B")->kind, Kind::kYes) << "a last line without a newline counts";
}

TEST(KernelConfig, RefusesWhatIsNotAConfig) {
  auto bad_line = KernelConfig::parse("CONFIG_A=y\nhello world\n", "f.config");
  ASSERT_FALSE(bad_line.has_value());
  EXPECT_NE(bad_line.error().message.find("f.config line 2"), std::string::npos)
      << bad_line.error().message;
  auto bad_value = KernelConfig::parse("CONFIG_A=maybe\n", "f");
  ASSERT_FALSE(bad_value.has_value());
  EXPECT_NE(bad_value.error().message.find("CONFIG_A has the value \"maybe\""), std::string::npos);
  EXPECT_FALSE(KernelConfig::parse("CONFIG_A=\"unterminated\n", "f").has_value());
  EXPECT_FALSE(KernelConfig::parse("CONFIG_=y\n", "f").has_value());
  EXPECT_FALSE(KernelConfig::parse("OTHER_A=y\n", "f").has_value());
}

TEST(KernelConfig, RefusesOverlongLines) {
  std::string text = "CONFIG_A=\"" + std::string(kMaxConfigLineBytes, 'x') + "\"\n";
  auto c = KernelConfig::parse(text, "f");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("line longer than 65536 bytes"), std::string::npos)
      << c.error().message;
}

TEST(KernelConfig, LoadsFiles) {
  testsupport::TempDir dir;
  write(dir.file(".config"), "CONFIG_SCSI=y\n");
  auto c = KernelConfig::load(dir.file(".config"));
  ASSERT_TRUE(c.has_value()) << c.error().describe();
  EXPECT_TRUE(c->is_builtin("SCSI"));
}

TEST(KernelConfig, RefusesHugeFilesWithoutReadingThem) {
  testsupport::TempDir dir;
  testsupport::make_zero_file(dir.file("big"), kMaxConfigBytes + 1);
  auto c = KernelConfig::load(dir.file("big"));
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("refusing to read it"), std::string::npos) << c.error().message;
}

TEST(KernelConfig, RefusesGzipWithAHint) {
  testsupport::TempDir dir;
  write(dir.file("config.gz"), std::string("\x1f\x8b\x08\x00rest", 8));
  auto c = KernelConfig::load(dir.file("config.gz"));
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("gzip-compressed"), std::string::npos);
}

TEST(KernelConfig, MissingFileKeepsErrno) {
  auto c = KernelConfig::load("/nonexistent/.config");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().errnum, ENOENT);
  EXPECT_NE(c.error().describe().find("/nonexistent/.config"), std::string::npos);
}

TEST(KernelConfig, OptionName) {
  EXPECT_EQ(config_option_name("ZFCP"), "CONFIG_ZFCP");
  EXPECT_EQ(config_option_name("CONFIG_ZFCP"), "CONFIG_ZFCP");
}

}  // namespace
}  // namespace zk::installer::kernel
