// SPDX-License-Identifier: MIT
#pragma once
/// How much memory the system can have online: every memory block in sysfs, online or not
/// (on IBM Z, standby memory shows as offline blocks and can be set online at any time, so a
/// dump disk must have room for it).

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::installer::system {

struct MemoryInfo {
  uint64_t block_size = 0;
  uint64_t blocks = 0;
  uint64_t online_blocks = 0;
  [[nodiscard]] uint64_t total() const { return block_size * blocks; }
  [[nodiscard]] uint64_t online() const { return block_size * online_blocks; }
};

/// Reads <sys>/devices/system/memory. Fails when the directory or block_size_bytes is missing
/// (no memory hotplug in the running kernel): callers then ask for --memory.
Result<MemoryInfo> read_memory_info(const std::string& sys = "/sys");

}  // namespace zk::installer::system
