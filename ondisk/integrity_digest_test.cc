// SPDX-License-Identifier: MIT
#include "ondisk/integrity_digest.h"

#include <vector>

#include <gtest/gtest.h>

namespace zk::ondisk {
namespace {

std::vector<std::byte> pattern(size_t n, unsigned seed) {
  std::vector<std::byte> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::byte>(x >> 24);
  }
  return v;
}

TEST(IntegrityDigest, KnownValueOfTheEmptyInput) {
  // XXH3-64 with seed 0 of no bytes, as published with xxHash: pins the algorithm, so a
  // different hash can never slip in unnoticed.
  EXPECT_EQ(integrity_digest({}), 0x2d06800538d394c2ull);
}

TEST(IntegrityDigest, OneFlippedBitChangesTheDigest) {
  auto a = pattern(1 << 20, 1);
  const uint64_t before = integrity_digest(a);
  a[123457] ^= std::byte{0x10};
  EXPECT_NE(integrity_digest(a), before);
}

TEST(ChunkDigester, ChunksEqualOneShotDigestsWhateverThePiecesFed) {
  const uint64_t chunk = 1 << 20;
  auto data = pattern(3 * chunk + 4096, 7);
  for (size_t piece : {size_t{1} << 20, size_t{4096}, size_t{777777}, data.size()}) {
    ChunkDigester d(chunk, 8);
    for (size_t at = 0; at < data.size(); at += piece) {
      const size_t n = std::min(piece, data.size() - at);
      ASSERT_TRUE(d.add(std::span(data).subspan(at, n)));
    }
    EXPECT_EQ(d.bytes(), data.size());
    auto got = d.finish();
    ASSERT_EQ(got.size(), 4u) << "piece " << piece;
    for (size_t k = 0; k < 4; ++k) {
      auto part =
          std::span(data).subspan(k * chunk, std::min<size_t>(chunk, data.size() - k * chunk));
      EXPECT_EQ(got[k], integrity_digest(part)) << "chunk " << k << ", piece " << piece;
    }
  }
}

TEST(ChunkDigester, RefusesMoreChunksThanItHoldsBeforeHashing) {
  ChunkDigester d(1 << 20, 2);
  auto data = pattern(2 << 20, 3);
  ASSERT_TRUE(d.add(data));
  auto one = pattern(1, 4);
  auto r = d.add(one);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("outgrows"), std::string::npos);
  EXPECT_EQ(d.bytes(), data.size());
  EXPECT_EQ(d.finish().size(), 2u);
}

TEST(ChunkDigester, NothingAddedIsNoChunk) {
  ChunkDigester d(1 << 20, 2);
  EXPECT_TRUE(d.finish().empty());
}

}  // namespace
}  // namespace zk::ondisk
