// SPDX-License-Identifier: MIT
#include "util/all_zero.h"

#include <vector>

#include <gtest/gtest.h>

namespace zk::util {
namespace {

TEST(AllZero, FindsANonZeroByteAnywhere) {
  // A page and a tail that is not a whole block, so that both loops are exercised.
  std::vector<std::byte> b(4096 + 13);
  EXPECT_TRUE(all_zero(b));
  for (size_t i : {size_t{0}, size_t{7}, size_t{63}, size_t{255}, size_t{256}, size_t{4095},
                   size_t{4096}, b.size() - 1}) {
    b[i] = std::byte{0x80};
    EXPECT_FALSE(all_zero(b)) << i;
    b[i] = std::byte{0};
  }
  EXPECT_TRUE(all_zero(std::span(b).first(0)));
}

TEST(AllZero, LooksOnlyAtItsOwnBytes) {
  std::vector<std::byte> b(1024, std::byte{1});
  std::fill(b.begin() + 100, b.begin() + 900, std::byte{0});
  EXPECT_TRUE(all_zero(std::span(b).subspan(100, 800)));  // unaligned start and end
  EXPECT_FALSE(all_zero(std::span(b).subspan(99, 801)));
  EXPECT_FALSE(all_zero(std::span(b).subspan(100, 801)));
}

}  // namespace
}  // namespace zk::util
