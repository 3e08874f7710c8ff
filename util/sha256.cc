// SPDX-License-Identifier: MIT
#include "util/sha256.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <new>

#include <nettle/sha2.h>

#include "util/fd.h"

namespace zk::util {

static_assert(sizeof(sha256_ctx) <= 128, "Sha256::state_ too small for nettle's context");

namespace {
sha256_ctx* ctx(unsigned char* s) { return std::launder(reinterpret_cast<sha256_ctx*>(s)); }
}  // namespace

Sha256::Sha256() { sha256_init(new (state_) sha256_ctx); }

void Sha256::update(std::string_view data) {
  sha256_update(ctx(state_), data.size(), reinterpret_cast<const uint8_t*>(data.data()));
}

std::string Sha256::hex() {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(ctx(state_), sizeof digest, digest);  // also re-initialises the context
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

Result<std::string> sha256_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + path);
  Sha256 h;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno(errno, "read " + path);
    }
    if (n == 0) break;
    h.update(std::string_view(buf, static_cast<size_t>(n)));
  }
  return h.hex();
}

}  // namespace zk::util
