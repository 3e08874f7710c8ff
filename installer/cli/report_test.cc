// SPDX-License-Identifier: MIT
#include "installer/cli/report.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace zk::installer::cli {
namespace {

/// Runs `body` with standard output sent to a pipe and returns what it printed.
template <typename F>
std::string stdout_of(F body) {
  std::fflush(stdout);
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(fds[1], STDOUT_FILENO);
  ::close(fds[1]);
  body();
  std::fflush(stdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  return out;
}

TEST(Report, JsonOutputParsesAndKeepsFieldOrder) {
  const std::string out = stdout_of([] {
    Report r(true, false);
    r.field("device", std::string("/dev/sda"));
    r.field("size", uint64_t{1} << 40);
    r.field("image", false);
    r.field_json("partitions", Json::array({Json{{"number", 1}, {"start", 1048576}}}));
    r.finish(true);
  });
  const Json j = Json::parse(out);
  EXPECT_TRUE(j.at("ok").get<bool>());
  EXPECT_EQ(j.at("device"), "/dev/sda");
  EXPECT_EQ(j.at("size").get<uint64_t>(), uint64_t{1} << 40);
  EXPECT_FALSE(j.at("image").get<bool>());
  EXPECT_EQ(j.at("partitions").at(0).at("start"), 1048576);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"ok", "device", "size", "image", "partitions",
                                            "warnings", "errors"}));
}

TEST(Report, FlushedFieldsAreOneItemEachAndNotOverwritten) {
  const std::string json = stdout_of([] {
    Report r(true, false);
    Json items = Json::array();
    for (const char* disk : {"/dev/sda", "/dev/sdb"}) {
      r.field("disk", std::string(disk));
      items.push_back(r.flush_fields());
    }
    r.field("saved", uint64_t{2});
    r.field_json("saves", items);
    r.finish(true);
  });
  const Json j = Json::parse(json);
  ASSERT_EQ(j.at("saves").size(), 2u);
  EXPECT_EQ(j.at("saves").at(0).at("disk"), "/dev/sda");
  EXPECT_EQ(j.at("saves").at(1).at("disk"), "/dev/sdb");
  EXPECT_FALSE(j.contains("disk"));  // the items' fields are not the command's
  EXPECT_EQ(j.at("saved"), 2);

  const std::string text = stdout_of([] {
    Report r(false, false);
    r.field("disk", std::string("/dev/sda"));
    (void)r.flush_fields();
    r.field("disk", std::string("/dev/sdb"));
    (void)r.flush_fields();
    r.field("saved", uint64_t{2});
    r.finish(true);
  });
  EXPECT_EQ(text, "disk:  /dev/sda\ndisk:  /dev/sdb\nsaved:  2\n");
}

TEST(Report, InvalidUtf8BecomesReplacementCharacter) {
  // A vendor string and a kernel release as a disk or an image may carry them: Latin-1 bytes,
  // a lone continuation byte, a truncated sequence, control characters.
  const std::string vendor = "IBM\xe9 2107\x80\xff";
  const std::string release = "6.1\xc3";
  const std::string out = stdout_of([&] {
    Report r(true, false);
    r.field("vendor", vendor);
    r.field_json("names", Json::array({release, std::string("tab\there\x01")}));
    r.finish(false);
  });
  const Json j = Json::parse(out);  // throws (fails the test) on invalid JSON
  EXPECT_FALSE(j.at("ok").get<bool>());
  EXPECT_EQ(j.at("vendor"), "IBM\xef\xbf\xbd 2107\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(j.at("names").at(0), "6.1\xef\xbf\xbd");
  EXPECT_EQ(j.at("names").at(1), "tab\there\x01");
}

TEST(Report, JsonStringEscapes) {
  EXPECT_EQ(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(json_string("\x01"), "\"\\u0001\"");
  EXPECT_EQ(json_string("\xff"), "\"\xef\xbf\xbd\"");
}

}  // namespace
}  // namespace zk::installer::cli
