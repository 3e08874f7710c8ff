// SPDX-License-Identifier: MIT
#include "initramfs-gen/lz4_legacy_encoder.h"

#include <cerrno>

#include <lz4.h>
#include <lz4hc.h>

#include "util/strings.h"

namespace zk::initramfs {
namespace {

void put_le32(std::vector<std::byte>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(v >> (8 * i)));
}

}  // namespace

Result<std::unique_ptr<Lz4LegacyEncoder>> Lz4LegacyEncoder::create(ByteOutput output, int level) {
  if (level < 1 || level > LZ4HC_CLEVEL_MAX)
    return fail(util::format("lz4 level %d is outside 1..%d", level, LZ4HC_CLEVEL_MAX));
  std::unique_ptr<Lz4LegacyEncoder> e(new Lz4LegacyEncoder(std::move(output), level));
  std::vector<std::byte> magic;
  put_le32(magic, 0x184C2102u);
  if (auto r = e->output_(magic); !r) return std::unexpected(r.error());
  return e;
}

Result<void> Lz4LegacyEncoder::flush_block() {
  if (pending_.empty()) return {};
  const int bound = LZ4_compressBound(static_cast<int>(pending_.size()));
  std::vector<std::byte> block;
  block.reserve(static_cast<size_t>(bound) + 4);
  put_le32(block, 0);
  block.resize(static_cast<size_t>(bound) + 4);
  const int n = LZ4_compress_HC(reinterpret_cast<const char*>(pending_.data()),
                                reinterpret_cast<char*>(block.data() + 4),
                                static_cast<int>(pending_.size()), bound, level_);
  if (n <= 0) return fail_errno(ENOMEM, "lz4: compressing a block failed");
  block.resize(static_cast<size_t>(n) + 4);
  for (int i = 0; i < 4; ++i)
    block[static_cast<size_t>(i)] = static_cast<std::byte>(static_cast<uint32_t>(n) >> (8 * i));
  pending_.clear();
  return output_(block);
}

Result<void> Lz4LegacyEncoder::write(std::span<const std::byte> data) {
  if (finished_) return fail("lz4: write after finish");
  while (!data.empty()) {
    const size_t room = kBlockInput - pending_.size();
    const size_t take = data.size() < room ? data.size() : room;
    pending_.insert(pending_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
    data = data.subspan(take);
    if (pending_.size() == kBlockInput) {
      if (auto r = flush_block(); !r) return r;
    }
  }
  return {};
}

Result<void> Lz4LegacyEncoder::finish() {
  if (finished_) return {};
  finished_ = true;
  return flush_block();
}

}  // namespace zk::initramfs
