// SPDX-License-Identifier: MIT
#include "installer/disk/sizing.h"

#include <limits>

#include "util/strings.h"

namespace zk::installer::disk {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

uint64_t div_up(uint64_t n, uint64_t d) { return n / d + (n % d != 0); }
uint64_t add(uint64_t a, uint64_t b) { return a > kMax - b ? kMax : a + b; }
uint64_t mul(uint64_t a, uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }
uint64_t align_up(uint64_t n, uint64_t a) {
  const uint64_t r = n % a;
  return r == 0 ? n : add(n, a - r);
}

}  // namespace

uint64_t zipl_reserved_blocks(uint32_t block_size, uint64_t kernel_bytes, uint64_t initrd_bytes) {
  const uint64_t bs = block_size ? block_size : 512;
  uint64_t blocks = kZiplBaseBlocks;
  if (initrd_bytes) blocks += div_up(initrd_bytes, bs) + 1;  // + its section entry
  if (kernel_bytes > kZiplImageLoadAddress)
    blocks += div_up(kernel_bytes - kZiplImageLoadAddress, bs);
  blocks += div_up(kZiplParmBytes, bs);
  return blocks + kZiplFixedBlocks;
}

std::optional<uint64_t> zipl_dump_size(uint64_t partition_bytes, uint32_t block_size,
                                       uint64_t kernel_bytes, uint64_t initrd_bytes) {
  const uint64_t bs = block_size ? block_size : 512;
  const uint64_t blocks = partition_bytes / bs;
  const uint64_t reserved = zipl_reserved_blocks(block_size, kernel_bytes, initrd_bytes);
  if (reserved > blocks) return std::nullopt;
  return (blocks - reserved) * bs;
}

uint64_t partition_for_dump_size(uint64_t dump_bytes, uint32_t block_size, uint64_t zipl_reserve) {
  const uint64_t bs = block_size ? block_size : 512;
  // zipl's dump size is whole blocks: ask for ceil(dump_bytes / bs) of them.
  return align_up(add(mul(div_up(dump_bytes, bs), bs), zipl_reserve), kAlignment);
}

Sizing compute_sizing(const SizingInput& in) {
  const uint64_t bs = in.block_size ? in.block_size : 512;
  Sizing s;
  s.memory = in.memory;
  s.header_margin = add(kHeaderMarginBytes, mul(kHeaderMarginPerCpu, in.cpus ? in.cpus : 1));
  s.kernel_image_margin = kKernelImageMargin;
  s.dump_needed = add(add(in.memory, s.header_margin), s.kernel_image_margin);
  const uint64_t reserved_blocks =
      zipl_reserved_blocks(in.block_size, in.kernel_bytes, in.initrd_bytes);
  s.zipl_reserve = mul(reserved_blocks, bs);
  s.partition_min = partition_for_dump_size(s.dump_needed, in.block_size, s.zipl_reserve);
  return s;
}

std::optional<unsigned> count_cpu_list(std::string_view text) {
  text = util::trim(text);
  if (text.empty()) return std::nullopt;
  uint64_t count = 0;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto dash = item.find('-');
    auto first = util::parse_u64(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : util::parse_u64(item.substr(dash + 1));
    if (!first || !last || *last < *first || *last > 1u << 20) return std::nullopt;
    count += *last - *first + 1;
    if (comma != std::string_view::npos && text.empty()) return std::nullopt;  // trailing comma
  }
  return static_cast<unsigned>(count);
}

}  // namespace zk::installer::disk
