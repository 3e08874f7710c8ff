// SPDX-License-Identifier: MIT
// Memory blocks as sysfs shows them, in a tree the test builds (test double for sysfs).
#include "installer/system/memory.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/atomic_file.h"

namespace zk::installer::system {
namespace {

TEST(Memory, CountsOnlineAndStandbyBlocks) {
  testsupport::TempDir dir;
  const std::string m = dir.file("devices/system/memory");
  std::filesystem::create_directories(m);
  ASSERT_TRUE(util::write_file_atomically(m + "/block_size_bytes", "10000000\n"));  // 256 MiB
  for (int i = 0; i < 6; ++i) {
    std::filesystem::create_directories(m + "/memory" + std::to_string(i));
    ASSERT_TRUE(util::write_file_atomically(m + "/memory" + std::to_string(i) + "/online",
                                            i < 4 ? "1\n" : "0\n"));
  }
  std::filesystem::create_directories(m + "/power");  // not a block
  auto info = read_memory_info(dir.path());
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->blocks, 6u);
  EXPECT_EQ(info->total(), 6ull << 28);
  EXPECT_EQ(info->online(), 4ull << 28);
}

TEST(Memory, NoHotplug) {
  testsupport::TempDir dir;
  EXPECT_FALSE(read_memory_info(dir.path()));
}

}  // namespace
}  // namespace zk::installer::system
