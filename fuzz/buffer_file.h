// SPDX-License-Identifier: MIT
#pragma once
/// util::File over a fuzzer's input: the input as the whole file (BufferFile), or, for disk
/// images whose interesting bytes lie megabytes apart, a sparse image (SparseFile) that an input
/// starting with kSparseMagic describes:
///
///   "ZKSPARSE"  u64le disk size  { u64le offset  u32le length  length bytes }...
///
/// Bytes no chunk covers read as zero; later chunks win over earlier ones; a truncated last
/// chunk keeps what is there; chunks beyond the disk size are clipped. This is how the real zipl
/// fixtures (64 and 320 MiB, of which 15 KB are not zero) fit into a seed of 15 KB with every
/// structure at its real offset. Both are read-only, like a disk the dumper only inspects.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/file.h"

namespace zk::fuzz {

inline constexpr std::string_view kSparseMagic = "ZKSPARSE";
/// Large enough for real disks' offsets (the 320 MiB fixture), small enough that nothing in a
/// read path can overflow an offset computation on account of the size alone.
inline constexpr uint64_t kMaxSparseDiskSize = 1ull << 40;

/// What both inputs share: a read-only disk of a known size, name and block size.
class ReadOnlyInput : public util::File {
 public:
  Result<size_t> write_at(std::span<const std::byte>, uint64_t) override {
    return fail_errno(EROFS, name_ + ": the fuzz input is read-only");
  }
  Result<void> sync() override { return {}; }
  [[nodiscard]] uint64_t size() const override { return size_; }
  [[nodiscard]] const std::string& name() const override { return name_; }
  [[nodiscard]] uint32_t logical_block_size() const override { return block_size_; }

 protected:
  ReadOnlyInput(uint64_t size, uint32_t block_size, std::string name)
      : size_(size), block_size_(block_size), name_(std::move(name)) {}

  uint64_t size_;
  uint32_t block_size_;
  std::string name_;
};

class BufferFile final : public ReadOnlyInput {
 public:
  BufferFile(const uint8_t* data, size_t size, uint32_t block_size = 512,
             std::string name = "fuzz-input")
      : ReadOnlyInput(size, block_size, std::move(name)), data_(data) {}

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override {
    if (offset >= size_) return size_t{0};
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size_ - offset));
    if (n) std::memcpy(buf.data(), data_ + offset, n);
    return n;
  }

 private:
  const uint8_t* data_;
};

class SparseFile final : public ReadOnlyInput {
 public:
  /// Whether `data` is a sparse image description (starts with kSparseMagic and a size).
  static bool is_sparse(const uint8_t* data, size_t size) {
    return size >= kSparseMagic.size() + 8 &&
           std::memcmp(data, kSparseMagic.data(), kSparseMagic.size()) == 0;
  }

  /// Decodes the description; call only when is_sparse().
  SparseFile(const uint8_t* data, size_t size, uint32_t block_size = 512)
      : ReadOnlyInput(0, block_size, "fuzz-sparse-disk") {
    size_t pos = kSparseMagic.size();
    size_ = std::min(le(data + pos, 8), kMaxSparseDiskSize);
    pos += 8;
    while (size - pos >= 12) {
      const uint64_t offset = le(data + pos, 8);
      const uint64_t length = le(data + pos + 8, 4);
      pos += 12;
      const size_t n = static_cast<size_t>(std::min<uint64_t>(length, size - pos));
      if (offset < size_ && n) {
        const size_t kept = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
        chunks_.push_back({offset, data + pos, kept});
      }
      pos += n;
    }
  }

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override {
    if (offset >= size_) return size_t{0};
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size_ - offset));
    std::memset(buf.data(), 0, n);
    const uint64_t end = offset + n;
    for (const auto& c : chunks_) {
      const uint64_t cend = c.offset + c.length;
      if (cend <= offset || c.offset >= end) continue;
      const uint64_t from = std::max(offset, c.offset), to = std::min(end, cend);
      std::memcpy(buf.data() + (from - offset), c.bytes + (from - c.offset),
                  static_cast<size_t>(to - from));
    }
    return n;
  }

 private:
  struct Chunk {
    uint64_t offset;
    const uint8_t* bytes;
    size_t length;
  };
  static uint64_t le(const uint8_t* p, int n) {
    uint64_t v = 0;
    for (int i = n; i-- > 0;) v = v << 8 | p[i];
    return v;
  }

  std::vector<Chunk> chunks_;
};

/// Appends a sparse image description (for the seed generator).
inline void append_le(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

}  // namespace zk::fuzz
