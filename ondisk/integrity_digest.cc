// SPDX-License-Identifier: MIT
#include "ondisk/integrity_digest.h"

#include <algorithm>

// Header-only: every function is static inline here, so neither the dumper nor the installer
// links libxxhash, and the s390x build needs only the header in its sysroot.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "util/strings.h"

namespace zk::ondisk {

uint64_t integrity_digest(std::span<const std::byte> bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

struct ChunkDigester::State {
  XXH3_state_t* xxh = XXH3_createState();
  ~State() { XXH3_freeState(xxh); }
};

ChunkDigester::ChunkDigester(uint64_t chunk_size, uint32_t max_chunks)
    : chunk_size_(std::max<uint64_t>(chunk_size, 1)),
      max_chunks_(max_chunks),
      state_(std::make_unique<State>()) {
  digests_.reserve(max_chunks_);
  if (state_->xxh) XXH3_64bits_reset(state_->xxh);
}

ChunkDigester::~ChunkDigester() = default;

Result<void> ChunkDigester::add(std::span<const std::byte> bytes) {
  if (!state_->xxh) return fail_errno(ENOMEM, "allocating the digest state");
  // Chunks this stream needs once the bytes are in: refuse before hashing any of them.
  const uint64_t end = total_ + bytes.size();
  if (end < total_ || (end + chunk_size_ - 1) / chunk_size_ > max_chunks_)
    return fail(util::format("the data outgrows the integrity record (%u chunks of %llu bytes)",
                             max_chunks_, static_cast<unsigned long long>(chunk_size_)));
  while (!bytes.empty()) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(bytes.size(), chunk_size_ - in_chunk_));
    XXH3_64bits_update(state_->xxh, bytes.data(), n);
    bytes = bytes.subspan(n);
    in_chunk_ += n;
    total_ += n;
    if (in_chunk_ == chunk_size_) {
      digests_.push_back(XXH3_64bits_digest(state_->xxh));
      XXH3_64bits_reset(state_->xxh);
      in_chunk_ = 0;
    }
  }
  return {};
}

std::vector<uint64_t> ChunkDigester::finish() {
  if (in_chunk_ > 0 && state_->xxh) digests_.push_back(XXH3_64bits_digest(state_->xxh));
  if (state_->xxh) XXH3_64bits_reset(state_->xxh);
  in_chunk_ = 0;
  total_ = 0;
  std::vector<uint64_t> out;
  out.swap(digests_);
  return out;
}

}  // namespace zk::ondisk
