// SPDX-License-Identifier: MIT
#include "blockdev/device_number.h"

#include <gtest/gtest.h>

namespace zk::blockdev {
namespace {

TEST(DeviceNumber, ParsesWhatSysfsWrites) {
  auto n = parse_device_number("8:17\n");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->major, 8u);
  EXPECT_EQ(n->minor, 17u);
  EXPECT_EQ(n->text(), "8:17");
  EXPECT_EQ(parse_device_number("4095:1048575")->text(), "4095:1048575");
}

TEST(DeviceNumber, RefusesAnythingElse) {
  for (const char* bad : {"", ":", "8", "8:", ":1", "8:1:2", "8 :1", "8: 1", "-8:1", "8:0x1",
                          "4096:0", "0:1048576", "99999999999999999999:0", "a:b"})
    EXPECT_FALSE(parse_device_number(bad)) << '"' << bad << '"';
}

}  // namespace
}  // namespace zk::blockdev
