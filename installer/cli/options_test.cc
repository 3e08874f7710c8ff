// SPDX-License-Identifier: MIT
#include "installer/cli/options.h"

#include <stdlib.h>

#include <gtest/gtest.h>

namespace zk::installer::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s{"demo",
                             "demo [OPTION]... DEVICE",
                             "A demo.",
                             {{"output", 'o', "FILE", "where"},
                              {"force", 0, "", "do it"},
                              {"fragment", 0, "FILE", "more", true}},
                             1,
                             1};
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

TEST(Options, ErrorMessagesNameTheOptionAndTheProblem) {
  auto message = [](std::vector<std::string> args) {
    auto a = parse(spec(), args);
    return a ? std::string("(accepted)") : a.error().message;
  };
  EXPECT_EQ(message({"--bogus", "/dev/sda"}), "unknown option '--bogus'");
  EXPECT_EQ(message({"--bogus=1", "/dev/sda"}), "unknown option '--bogus'");
  EXPECT_EQ(message({"-x", "/dev/sda"}), "unknown option '-x'");
  EXPECT_EQ(message({"/dev/sda", "--output"}), "option '--output' needs a value (FILE)");
  EXPECT_EQ(message({"/dev/sda", "-o"}), "option '-o' (--output) needs a value (FILE)");
  EXPECT_EQ(message({"--force=yes", "/dev/sda"}), "option '--force' takes no value");
  EXPECT_EQ(message({"-o", "a", "--output=b", "/dev/sda"}),
            "option '--output' given more than once");
}

TEST(Options, LongOptionsAreNotAbbreviated) {
  // getopt_long would take --out for --output; a script's --out must not change meaning when
  // an option --outline is added, so only the full name is accepted.
  for (const char* word : {"--out", "--out=x", "--forc", "--frag=a"}) {
    auto a = parse(spec(), {word, "x", "/dev/sda"});
    ASSERT_FALSE(a) << word;
    EXPECT_NE(a.error().message.find("unknown option"), std::string::npos) << a.error().message;
    EXPECT_NE(a.error().message.find("not abbreviated"), std::string::npos) << a.error().message;
  }
  // A prefix of two options (--f: --force, --fragment) is unknown as well.
  auto ambiguous = parse(spec(), {"--f", "/dev/sda"});
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().message, "unknown option '--f'");
}

TEST(Options, ExactNameWinsOverLongerOnes) {
  // --config is a common option and a prefix of nothing here, --fragment of nothing either;
  // a spec where one name is the prefix of another: the exact one is taken.
  static const CommandSpec s{
      "demo", "demo", "A demo.", {{"kernel", 0, "IMAGE", "k"}, {"kernel-config", 0, "CONFIG", "c"}},
      0,      0};
  auto a = parse(s, {"--kernel", "bz", "--kernel-config=cfg"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->get("kernel"), "bz");
  EXPECT_EQ(a->get("kernel-config"), "cfg");
}

TEST(Options, ValueFormsAndGroupedShortOptions) {
  auto a = parse(spec(), {"-ofile", "--fragment=", "--fragment", "--force", "/dev/sda"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->get("output"), "file");
  // An empty inline value is a value; the word after an option that needs one is its value,
  // even when it starts with dashes.
  EXPECT_EQ(a->all("fragment"), (std::vector<std::string>{"", "--force"}));
  EXPECT_FALSE(a->has("force"));
  EXPECT_EQ(a->get("output").value_or(""), "file");

  auto grouped = parse(spec(), {"-qo", "out", "/dev/sda"});
  ASSERT_TRUE(grouped) << grouped.error().describe();
  EXPECT_TRUE(grouped->has("quiet"));
  EXPECT_EQ(grouped->get("output"), "out");

  auto value_with_equals = parse(spec(), {"--output=a=b", "/dev/sda"});
  ASSERT_TRUE(value_with_equals);
  EXPECT_EQ(value_with_equals->get("output"), "a=b");
}

TEST(Options, ArgumentsKeepTheirOrderAroundOptions) {
  static const CommandSpec s{
      "hook", "hook ACTION [KVER [IMAGE]]", "A demo.", {{"root", 0, "DIR", "r"}}, 1, 3};
  auto a = parse(s, {"add", "--root", "r", "6.1-zfcpdump", "--json", "/boot/vmlinuz", "--quiet"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->positional, (std::vector<std::string>{"add", "6.1-zfcpdump", "/boot/vmlinuz"}));
  EXPECT_EQ(a->get("root"), "r");
  EXPECT_TRUE(a->has("json"));
  EXPECT_TRUE(a->has("quiet"));
  // POSIXLY_CORRECT (which makes getopt stop at the first argument) changes nothing.
  ASSERT_EQ(setenv("POSIXLY_CORRECT", "1", 1), 0);
  auto posix = parse(s, {"add", "--root", "r", "6.1-zfcpdump", "--json"});
  unsetenv("POSIXLY_CORRECT");
  ASSERT_TRUE(posix) << posix.error().describe();
  EXPECT_EQ(posix->positional, (std::vector<std::string>{"add", "6.1-zfcpdump"}));
  EXPECT_TRUE(posix->has("json"));
  // "-" alone is an argument (standard input, by convention), not an option.
  auto dash = parse(s, {"-", "--root=x"});
  ASSERT_TRUE(dash);
  EXPECT_EQ(dash->positional, (std::vector<std::string>{"-"}));
}

TEST(Options, DoubleDashOnlyOnceAndNothingAfterIt) {
  static const CommandSpec s{"demo", "demo [ARG]...", "A demo.", {{"force", 'f', "", "f"}}, 0, 4};
  auto a = parse(s, {"a", "--", "-f", "--", "b"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_FALSE(a->has("force"));
  EXPECT_EQ(a->positional, (std::vector<std::string>{"a", "-f", "--", "b"}));
  auto empty = parse(s, {"-f", "--"});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->has("force"));
  EXPECT_TRUE(empty->positional.empty());
}

TEST(Options, RepeatedFlagsAndRepeatableValues) {
  auto a = parse(
      spec(), {"--force", "-q", "--force", "-qq", "--fragment", "x", "--fragment=x", "/dev/sda"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->all("force").size(), 2u);
  EXPECT_EQ(a->all("quiet").size(), 3u);
  EXPECT_EQ(a->all("fragment"), (std::vector<std::string>{"x", "x"}));
}

TEST(Options, EachParseStartsAfresh) {
  // getopt_long keeps state between calls (a half-read group of short options): a parse that
  // failed in the middle of "-qz" must not leak into the next.
  EXPECT_FALSE(parse(spec(), {"-qz", "/dev/sda"}));
  auto a = parse(spec(), {"-o", "x", "/dev/sda"});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_FALSE(a->has("quiet"));
  EXPECT_EQ(a->get("output"), "x");
  EXPECT_EQ(a->positional, (std::vector<std::string>{"/dev/sda"}));
}

TEST(Options, HelpListsEveryOption) {
  const std::string h = render_help(spec());
  for (const char* o : {"--output FILE", "-o,", "--force", "--fragment FILE", "(repeatable)",
                        "--json", "--config FILE", "--help"})
    EXPECT_NE(h.find(o), std::string::npos) << o;
}

}  // namespace
}  // namespace zk::installer::cli
