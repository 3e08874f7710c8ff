// SPDX-License-Identifier: MIT
#pragma once
/// The disk tests' name for the test double of /sys, /dev and /proc, which lives beside the one
/// reader of the block-device layout (blockdev/test_tree.h).

#include "blockdev/test_tree.h"

namespace zk::installer::disk::testing {

using blockdev::testing::TestTree;

}  // namespace zk::installer::disk::testing
