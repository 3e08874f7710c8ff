// SPDX-License-Identifier: MIT
#pragma once
/// The zero test: the sparse writer's one loop that looks at every byte of memory, and how
/// `save` finds the blocks it leaves as holes. It is compiled with -O2 even in the
/// size-optimised dumper (util/CMakeLists.txt), where -Os would leave it a scalar loop that
/// costs more than reading the memory.

#include <cstddef>
#include <span>

namespace zk::util {

/// Whether `bytes` are all zero. Looks at 256 bytes at a time (a loop the compiler turns into
/// vector instructions) and stops at the first block with a non-zero byte, so a page of data
/// usually costs one block.
[[nodiscard]] bool all_zero(std::span<const std::byte> bytes);

}  // namespace zk::util
