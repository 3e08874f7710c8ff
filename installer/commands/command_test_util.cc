// SPDX-License-Identifier: MIT
#include "installer/commands/command_test_util.h"

#include <cstring>

#include <gtest/gtest.h>

#include "util/read_file.h"

namespace zk::installer::commands::testing {

Ran run_command(const cli::CommandSpec& spec, int (*run)(Context&, system::Host&),
                const std::vector<std::string>& words, const Config& config, system::Host& host,
                bool json) {
  Ran ran;
  auto args = cli::parse(spec, words);
  EXPECT_TRUE(args) << args.error().describe();
  if (!args) return ran;
  cli::Report report(json, false);
  Context ctx{*args, report, config};
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  ran.status = run(ctx, host);
  ran.out = ::testing::internal::GetCapturedStdout();
  ran.err = ::testing::internal::GetCapturedStderr();
  if (json && !ran.out.empty()) {
    ran.json = cli::Json::parse(ran.out, nullptr, false);
    EXPECT_FALSE(ran.json.is_discarded()) << "not JSON: " << ran.out;
  }
  return ran;
}

std::vector<std::byte> slurp(const std::string& path) {
  const std::string c = util::read_file(path, size_t{1} << 30).value_or("");
  std::vector<std::byte> b(c.size());
  std::memcpy(b.data(), c.data(), c.size());
  return b;
}

}  // namespace zk::installer::commands::testing
