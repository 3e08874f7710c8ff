// SPDX-License-Identifier: MIT
#pragma once
/// The digests of a dump's integrity record (docs/on-disk-format.md, "The integrity record"):
/// XXH3-64 with seed 0, from Debian's libxxhash-dev used header-only (nothing to link, the
/// same code in the static s390x dumper and on x86). A digest is a number, stored big-endian,
/// so a dump written on s390x verifies on x86. It detects corruption; it is no defence against
/// someone who changes a dump on purpose.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "util/error.h"

namespace zk::ondisk {

/// The digest of `bytes` in one piece.
[[nodiscard]] uint64_t integrity_digest(std::span<const std::byte> bytes);

/// Cuts a stream of bytes into chunks of `chunk_size` (the last may be shorter) and digests each.
/// Memory: one hash state and one digest a chunk, at most `max_chunks`.
class ChunkDigester {
 public:
  ChunkDigester(uint64_t chunk_size, uint32_t max_chunks);
  ~ChunkDigester();
  ChunkDigester(const ChunkDigester&) = delete;
  ChunkDigester& operator=(const ChunkDigester&) = delete;

  /// The next bytes of the stream, in order. Fails (and ignores the bytes) when the stream would
  /// need more than `max_chunks` chunks, or when the hash state could not be allocated.
  Result<void> add(std::span<const std::byte> bytes);
  /// Ends the stream: the digests of its chunks, in order. The digester is empty afterwards.
  [[nodiscard]] std::vector<uint64_t> finish();
  /// Bytes added since construction (or the last finish).
  [[nodiscard]] uint64_t bytes() const { return total_; }
  [[nodiscard]] uint64_t chunk_size() const { return chunk_size_; }

 private:
  struct State;
  uint64_t chunk_size_;
  uint32_t max_chunks_;
  std::unique_ptr<State> state_;
  uint64_t total_ = 0;
  uint64_t in_chunk_ = 0;  ///< bytes of the open chunk
  std::vector<uint64_t> digests_;
};

}  // namespace zk::ondisk
