// SPDX-License-Identifier: MIT
#pragma once
/// A heap buffer whose address is aligned for direct I/O, freed on destruction.

#include <cstddef>
#include <cstdlib>
#include <new>
#include <span>

namespace zk::util {

class AlignedBuffer {
 public:
  /// `size` bytes aligned to `alignment` (a power of two, at least sizeof(void*)), zero-filled.
  /// Returns an empty buffer when memory is short: callers check `empty()`.
  AlignedBuffer(size_t size, size_t alignment) {
    void* p = nullptr;
    if (size && ::posix_memalign(&p, alignment, size) == 0) {
      data_ = static_cast<std::byte*>(p);
      size_ = size;
      for (size_t i = 0; i < size; ++i) data_[i] = std::byte{0};
    }
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(data_); }

  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] std::span<std::byte> span() { return {data_, size_}; }
  [[nodiscard]] std::span<const std::byte> span() const { return {data_, size_}; }
  [[nodiscard]] std::byte* data() { return data_; }

 private:
  std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace zk::util
