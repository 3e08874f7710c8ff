// SPDX-License-Identifier: MIT
#include "util/process.h"

#include <fcntl.h>
#include <signal.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/fd.h"
#include "util/read_file.h"

namespace zk::util {
namespace {

Command sh(const std::string& script) { return Command{{"sh", "-c", script}, {}}; }

TEST(Process, RunsArgvAndSplitsLines) {
  std::vector<std::string> lines;
  RunOptions o;
  o.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto st = run_command(sh("echo one; echo two >&2; printf 'three\\r\\nno newline'; exit 3"), o);
  ASSERT_TRUE(st.has_value()) << st.error().describe();
  EXPECT_EQ(st->code, 3);
  EXPECT_FALSE(st->ok());
  EXPECT_EQ(st->describe(), "exited with status 3");
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three", "no newline"}));
}

TEST(Process, ArgumentsAreNotShellParsed) {
  auto out = capture_output(Command{{"printf", "%s|", "a b", "$HOME", "; rm -rf /"}, {}});
  ASSERT_TRUE(out.has_value()) << out.error().describe();
  EXPECT_EQ(*out, "a b|$HOME|; rm -rf /|\n");
}

TEST(Process, WritesTheLogUnchanged) {
  testsupport::TempDir dir;
  const std::string log = dir.file("log");
  {
    util::Fd fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    RunOptions o;
    o.log_fd = fd.get();
    ASSERT_TRUE(run_command(sh("echo out; echo err >&2"), o).has_value());
  }
  EXPECT_EQ(util::read_file(log, 4096).value_or(""), "out\nerr\n");
}

TEST(Process, RunsInTheGivenDirectory) {
  testsupport::TempDir dir;
  auto out = capture_output(Command{{"pwd"}, dir.path()});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, dir.path() + "\n");
}

TEST(Process, ReportsSignals) {
  auto st = run_command(sh("kill -9 $$"), {});
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->signal, SIGKILL);
  EXPECT_NE(st->describe().find("killed by signal 9"), std::string::npos);
}

TEST(Process, MissingProgramIsAnErrorWithErrno) {
  auto st = run_command(Command{{"zk-no-such-program-here"}, {}}, {});
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().errnum, ENOENT);
  EXPECT_NE(st.error().message.find("zk-no-such-program-here"), std::string::npos);
  EXPECT_FALSE(run_command(Command{{"true"}, "/nonexistent-dir"}, {}).has_value());
}

TEST(Process, CaptureFailsOnNonZeroExit) {
  auto out = capture_output(sh("echo why; exit 1"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message, "sh -c echo why; exit 1 exited with status 1: why");
}

TEST(Process, TicksWhileWaiting) {
  int ticks = 0;
  RunOptions o;
  o.tick = std::chrono::milliseconds(20);
  o.on_tick = [&] { ++ticks; };
  ASSERT_TRUE(run_command(sh("sleep 0.3"), o).has_value());
  EXPECT_GE(ticks, 5);
}

TEST(Process, OverlongLinesComeInPieces) {
  size_t longest = 0, total = 0;
  RunOptions o;
  o.on_line = [&](std::string_view l) {
    longest = std::max(longest, l.size());
    total += l.size();
  };
  ASSERT_TRUE(run_command(sh("head -c 300000 /dev/zero | tr '\\0' x"), o).has_value());
  EXPECT_EQ(total, 300000u);
  EXPECT_LT(longest, 300000u);
}

TEST(Process, DestroyingARunningChildStopsIt) {
  const auto start = std::chrono::steady_clock::now();
  pid_t pid;
  {
    auto child = ChildProcess::spawn(Command{{"sleep", "100"}, {}}, -1);
    ASSERT_TRUE(child.has_value());
    pid = child->pid();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(::kill(pid, 0), 0) << "the child is gone (and reaped)";
}

}  // namespace
}  // namespace zk::util
