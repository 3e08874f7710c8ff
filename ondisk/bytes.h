// SPDX-License-Identifier: MIT
#pragma once
/// Explicit big-endian decoding and encoding. Every on-disk integer of zipl's formats and of an
/// s390x vmcore is big-endian; we never cast raw bytes to a struct, so the same code is right on
/// little-endian x86_64 and big-endian s390x.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

namespace zk::ondisk {

/// Reads a big-endian unsigned integer of sizeof(T) bytes at `offset`. The caller has checked
/// that the span is large enough (a contract: violating it aborts rather than reading outside).
template <class T>
[[nodiscard]] constexpr T load_be(std::span<const std::byte> bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) std::abort();
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    value = static_cast<T>((value << 8) | static_cast<T>(bytes[offset + i]));
  return value;
}

/// Reads a little-endian unsigned integer of sizeof(T) bytes at `offset`, for the few foreign
/// formats we only recognise (an x86 boot sector, an xz header); same contract as load_be.
template <class T>
[[nodiscard]] constexpr T load_le(std::span<const std::byte> bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) std::abort();
  T value = 0;
  for (size_t i = sizeof(T); i-- > 0;)
    value = static_cast<T>((value << 8) | static_cast<T>(bytes[offset + i]));
  return value;
}

/// Writes `value` big-endian at `offset`; same contract as load_be.
template <class T>
constexpr void store_be(std::span<std::byte> bytes, size_t offset, T value) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) std::abort();
  for (size_t i = sizeof(T); i-- > 0;) {
    bytes[offset + i] = static_cast<std::byte>(value & 0xff);
    if constexpr (sizeof(T) > 1) value = static_cast<T>(value >> 8);
  }
}

/// Whether `bytes` holds `text` (not NUL-terminated) at `offset`.
[[nodiscard]] inline bool has_magic(std::span<const std::byte> bytes, size_t offset,
                                    std::string_view text) {
  if (offset > bytes.size() || bytes.size() - offset < text.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (bytes[offset + i] != static_cast<std::byte>(text[i])) return false;
  return true;
}

inline void put_text(std::span<std::byte> bytes, size_t offset, std::string_view text) {
  if (offset > bytes.size() || bytes.size() - offset < text.size()) std::abort();
  for (size_t i = 0; i < text.size(); ++i) bytes[offset + i] = static_cast<std::byte>(text[i]);
}

}  // namespace zk::ondisk
