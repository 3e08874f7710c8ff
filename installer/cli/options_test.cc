#include "installer/cli/options.h"

#include <gtest/gtest.h>

namespace zk::installer::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s{"demo", "demo [OPTION]... DEVICE", "A demo.",
                             {{"output", 'o', "FILE", "where"},
                              {"force", 0, "", "do it"},
                              {"fragment", 0, "FILE", "more", true}},
                             1, 1};
  return s;
}

TEST(Options, ParsesLongShortInlineAndRepeatable) {
  auto a = parse(spec(), {"-o", "x", "--force", "--fragment=a", "--fragment", "b", "/dev/sda"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->get("output"), "x");
  EXPECT_TRUE(a->has("force"));
  EXPECT_EQ(a->all("fragment"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(a->positional, (std::vector<std::string>{"/dev/sda"}));
}

TEST(Options, Errors) {
  EXPECT_FALSE(parse(spec(), {"--bogus", "/dev/sda"}));
  EXPECT_FALSE(parse(spec(), {"--output"}));
  EXPECT_FALSE(parse(spec(), {"--force=yes", "/dev/sda"}));
  EXPECT_FALSE(parse(spec(), {"-o", "a", "-o", "b", "/dev/sda"}));  // not repeatable
  EXPECT_FALSE(parse(spec(), {}));                                  // DEVICE missing
  EXPECT_FALSE(parse(spec(), {"/dev/sda", "/dev/sdb"}));
  auto e = parse(spec(), {"--bogus"});
  EXPECT_NE(e.error().message.find("--bogus"), std::string::npos);
}

TEST(Options, DoubleDashEndsOptions) {
  auto a = parse(spec(), {"--", "--force"});
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->has("force"));
  EXPECT_EQ(a->positional[0], "--force");
}

TEST(Options, HelpWinsOverMissingArguments) {
  auto a = parse(spec(), {"--help"});
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->has("help"));
}

TEST(Options, HelpListsEveryOption) {
  const std::string h = render_help(spec());
  for (const char* o : {"--output FILE", "-o,", "--force", "--fragment FILE", "(repeatable)", "--json",
                        "--config FILE", "--help"})
    EXPECT_NE(h.find(o), std::string::npos) << o;
}

}  // namespace
}  // namespace zk::installer::cli
