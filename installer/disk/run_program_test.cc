#include "installer/disk/run_program.h"

#include <gtest/gtest.h>

#include "installer/disk/zipl.h"

namespace zk::installer::disk {
namespace {

TEST(RunProgram, CapturesStdoutAndStderrAndTheStatus) {
  auto r = run_program({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->output, "out\nerr\n");
  EXPECT_EQ(r->describe(), "exited with status 3");
}

TEST(RunProgram, NoShellArgumentsStayWhole) {
  auto r = run_program({"/bin/echo", "a b", "$HOME", ";", "c"});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->output, "a b $HOME ; c\n");
}

TEST(RunProgram, EnvironmentAndStdin) {
  auto r = run_program({"/bin/sh", "-c", "echo \"$ZK_A\"; cat; echo end"}, {"ZK_A=1", "HOME=/x"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "1\nend\n");  // stdin is /dev/null: cat ends at once
}

TEST(RunProgram, SignalsLimitsAndMissingPrograms) {
  auto killed = run_program({"/bin/sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->signal, 9);
  EXPECT_FALSE(killed->ok());
  auto big = run_program({"/bin/sh", "-c", "head -c 100000 /dev/zero"}, {}, 1000);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->output.size(), 1000u);
  EXPECT_TRUE(big->truncated);
  auto missing = run_program({"zk-no-such-zipl"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().errnum, ENOENT);
  auto missing_path = run_program({"/nonexistent/zipl"});
  ASSERT_FALSE(missing_path);
  EXPECT_EQ(missing_path.error().errnum, ENOENT);
  auto not_executable = run_program({"/etc/passwd"});
  ASSERT_FALSE(not_executable);
  EXPECT_EQ(not_executable.error().errnum, EACCES);
}

TEST(Zipl, Choice) {
  EXPECT_EQ(choose_zipl(std::string("/opt/zipl"), "/env/zipl", "zipl").program, "/opt/zipl");
  EXPECT_EQ(choose_zipl(std::nullopt, "/env/zipl", "zipl").source, "$ZIPL");
  EXPECT_EQ(choose_zipl(std::nullopt, "", "/usr/sbin/zipl").program, "/usr/sbin/zipl");
  EXPECT_EQ(choose_zipl(std::nullopt, nullptr, "").program, "zipl");
  EXPECT_EQ(zipl_dump_argv("zipl", "/dev/sda1"), (std::vector<std::string>{"zipl", "-d", "/dev/sda1"}));
}

}  // namespace
}  // namespace zk::installer::disk
