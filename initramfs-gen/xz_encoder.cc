// SPDX-License-Identifier: MIT
#include "initramfs-gen/xz_encoder.h"

#include <array>
#include <cerrno>
#include <string>
#include <utility>

#include <lzma.h>

#include "util/strings.h"

namespace zk::initramfs {
namespace {

constexpr uint32_t kDictionaryBytes = 1u << 20;
constexpr size_t kBufferBytes = 64 * 1024;

std::unexpected<Error> lzma_failure(lzma_ret ret, const char* what) {
  if (ret == LZMA_MEM_ERROR) return fail_errno(ENOMEM, std::string("xz: ") + what);
  return fail(util::format("xz: %s: liblzma error %d", what, static_cast<int>(ret)));
}

}  // namespace

struct XzEncoder::State {
  ByteOutput output;
  lzma_stream stream = LZMA_STREAM_INIT;
  std::array<uint8_t, kBufferBytes> buffer{};
  bool finished = false;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() { lzma_end(&stream); }
};

Result<std::unique_ptr<XzEncoder>> XzEncoder::create(ByteOutput output, uint32_t preset) {
  lzma_options_lzma options{};
  if (lzma_lzma_preset(&options, preset)) return fail(util::format("xz: no preset %u", preset));
  options.dict_size = kDictionaryBytes;
  const std::array<lzma_filter, 2> filters{{
      {LZMA_FILTER_LZMA2, &options},
      {LZMA_VLI_UNKNOWN, nullptr},
  }};
  auto state = std::make_unique<State>();
  state->output = std::move(output);
  const lzma_ret ret = lzma_stream_encoder(&state->stream, filters.data(), LZMA_CHECK_CRC32);
  if (ret != LZMA_OK) return lzma_failure(ret, "start the encoder");
  state->stream.next_out = state->buffer.data();
  state->stream.avail_out = state->buffer.size();
  return std::unique_ptr<XzEncoder>(new XzEncoder(std::move(state)));
}

XzEncoder::XzEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}

XzEncoder::~XzEncoder() = default;

Result<void> XzEncoder::write(std::span<const std::byte> data) {
  if (state_->finished) return fail("xz: write after the end of the stream");
  state_->stream.next_in = reinterpret_cast<const uint8_t*>(data.data());
  state_->stream.avail_in = data.size();
  return run(false);
}

Result<void> XzEncoder::finish() {
  if (state_->finished) return fail("xz: the stream is already finished");
  state_->stream.next_in = nullptr;
  state_->stream.avail_in = 0;
  auto done = run(true);
  state_->finished = true;
  return done;
}

Result<void> XzEncoder::run(bool finishing) {
  State& s = *state_;
  const auto flush = [&s]() -> Result<void> {
    const size_t used = s.buffer.size() - s.stream.avail_out;
    if (used != 0) {
      if (auto ok = s.output(std::as_bytes(std::span(s.buffer.data(), used))); !ok) return ok;
    }
    s.stream.next_out = s.buffer.data();
    s.stream.avail_out = s.buffer.size();
    return {};
  };
  for (;;) {
    if (!finishing && s.stream.avail_in == 0) return {};
    const lzma_ret ret = lzma_code(&s.stream, finishing ? LZMA_FINISH : LZMA_RUN);
    if (ret == LZMA_STREAM_END) return flush();
    if (ret != LZMA_OK) return lzma_failure(ret, "compress");
    if (s.stream.avail_out == 0) {
      if (auto ok = flush(); !ok) return ok;
    }
  }
}

}  // namespace zk::initramfs
