// SPDX-License-Identifier: MIT
#include "installer/hook/kernel_version.h"

#include <gtest/gtest.h>

namespace zk::installer::hook {
namespace {

TEST(HookKernelVersion, DumpKernelsByMatch) {
  EXPECT_TRUE(is_dump_kernel("6.1.0-1-zfcpdump", "zfcpdump"));
  EXPECT_TRUE(is_dump_kernel("6.1.192-zfcpdump", "zfcpdump"));
  EXPECT_FALSE(is_dump_kernel("6.1.0-1-s390x", "zfcpdump"));
  EXPECT_FALSE(is_dump_kernel("", "zfcpdump"));
  EXPECT_FALSE(is_dump_kernel("6.1.0-1-zfcpdump", ""));  // an empty match turns the hook off
  EXPECT_TRUE(is_dump_kernel("6.1-dump", "-dump"));
}

TEST(HookKernelVersion, RefusesWhatCouldNameAnotherFile) {
  EXPECT_TRUE(check_kernel_version("6.1.0-1-zfcpdump"));
  EXPECT_TRUE(check_kernel_version("6.1 \"quoted\" 'zfcpdump' $(x) `y` ;&|*?"));
  EXPECT_TRUE(check_kernel_version("6.1..zfcpdump"));  // ".." inside a name is no traversal
  EXPECT_FALSE(check_kernel_version(""));
  EXPECT_FALSE(check_kernel_version("../../etc/zfcpdump"));
  EXPECT_FALSE(check_kernel_version("6.1/zfcpdump"));
  EXPECT_FALSE(check_kernel_version(".zfcpdump"));
  EXPECT_FALSE(check_kernel_version(".."));
  EXPECT_FALSE(check_kernel_version(std::string("6.1\0zfcpdump", 12)));
  EXPECT_FALSE(check_kernel_version("6.1\nzfcpdump"));
  EXPECT_FALSE(check_kernel_version(" 6.1-zfcpdump"));
  EXPECT_FALSE(check_kernel_version("6.1-zfcpdump\t"));
  EXPECT_TRUE(check_kernel_version(std::string(kMaxKernelVersionBytes, 'z')));
  EXPECT_FALSE(check_kernel_version(std::string(kMaxKernelVersionBytes + 1, 'z')));
  auto e = check_kernel_version("../x-zfcpdump");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("\"../x-zfcpdump\""), std::string::npos) << e.error().message;
}

TEST(HookKernelVersion, ImagePaths) {
  EXPECT_TRUE(check_image_path("/boot/vmlinuz-6.1 zfcpdump"));
  EXPECT_FALSE(check_image_path(""));
  EXPECT_FALSE(check_image_path("/boot/x\n"));
  EXPECT_FALSE(check_image_path("/boot/x "));
}

TEST(HookKernelVersion, ConfigCandidates) {
  using V = std::vector<std::string>;
  EXPECT_EQ(config_candidates("/", "6.1-zfcpdump", "/boot/vmlinuz-6.1-zfcpdump"),
            (V{"/boot/config-6.1-zfcpdump", "/boot/config-6.1-zfcpdump",
               "/usr/lib/modules/6.1-zfcpdump/config"}));
  EXPECT_EQ(config_candidates("/stage", "6.1-zfcpdump", "/usr/lib/modules/6.1-zfcpdump/vmlinuz"),
            (V{"/usr/lib/modules/6.1-zfcpdump/config-6.1-zfcpdump",
               "/usr/lib/modules/6.1-zfcpdump/config", "/stage/boot/config-6.1-zfcpdump",
               "/stage/usr/lib/modules/6.1-zfcpdump/config"}));
  EXPECT_EQ(config_candidates("/", "k-zfcpdump", "vmlinuz")[0], "./config-k-zfcpdump");
  EXPECT_EQ(config_candidates("/", "k-zfcpdump", "/vmlinuz")[0], "/config-k-zfcpdump");
}

}  // namespace
}  // namespace zk::installer::hook
