// SPDX-License-Identifier: MIT
#pragma once
/// After a new partition table: wait until the kernel and udev show the dump partition.

#include <chrono>
#include <cstdint>
#include <string>

#include "installer/system/block_device.h"
#include "util/error.h"

namespace zk::installer::disk {

/// Polls (every 100 ms, up to `timeout`) until partition `number` of `disk` has its node
/// (system::partition_node) and, for a kernel partition, sysfs reports `start` and `size`
/// (bytes). Returns the node. On timeout the error says what was last seen, and for a
/// device-mapper map suggests kpartx.
Result<std::string> wait_for_partition(
    const system::BlockDevice& disk, unsigned number, uint64_t start, uint64_t size,
    const system::SysRoots& roots = {},
    std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace zk::installer::disk
