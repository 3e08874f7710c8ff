// SPDX-License-Identifier: MIT
/// zk-bench-stock-copy: the copy strategy of the stock s390-tools zfcpdump, as a baseline for
/// bench/dumper-throughput. Our own code, written from the description in
/// docs/dump-protocol.md, "What the stock s390-tools dumper does differently": the target opened
/// O_WRONLY (page cache, no O_DIRECT), one static 64 KiB buffer, read() then write() of whatever
/// was read, file page 0 (the ELF header) last, then fsync. No HSA, no checksum, no validation:
/// only the data path.
///
///   zk-bench-stock-copy CORE TARGET OFFSET
///
/// copies all of CORE to TARGET at byte OFFSET. Exit status 0 copied, 1 failed, 2 bad usage.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr size_t kBufferSize = 0x10000;  // COPY_BUF_SIZE of the stock tool
constexpr uint64_t kPage = 4096;
unsigned char buffer[kBufferSize];

bool copy(int in, int out, uint64_t from, uint64_t length, uint64_t disk_offset) {
  if (::lseek(in, static_cast<off_t>(from), SEEK_SET) < 0 ||
      ::lseek(out, static_cast<off_t>(disk_offset + from), SEEK_SET) < 0) {
    std::perror("lseek");
    return false;
  }
  while (length > 0) {
    const size_t want = length < kBufferSize ? static_cast<size_t>(length) : kBufferSize;
    const ssize_t got = ::read(in, buffer, want);
    if (got <= 0) {
      std::fprintf(stderr, "read: %s\n",
                   got == 0 ? "unexpected end of file" : std::strerror(errno));
      return false;
    }
    const ssize_t put = ::write(out, buffer, static_cast<size_t>(got));
    if (put != got) {
      std::fprintf(stderr, "write: %s\n", put < 0 ? std::strerror(errno) : "short write");
      return false;
    }
    length -= static_cast<uint64_t>(got);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fputs("Usage: zk-bench-stock-copy CORE TARGET OFFSET\n", stderr);
    return 2;
  }
  char* end = nullptr;
  const uint64_t offset = std::strtoull(argv[3], &end, 10);
  if (*argv[3] == '\0' || *end != '\0') {
    std::fputs("zk-bench-stock-copy: OFFSET must be a byte count\n", stderr);
    return 2;
  }
  const int in = ::open(argv[1], O_RDONLY);
  if (in < 0) {
    std::perror(argv[1]);
    return 1;
  }
  const off_t size = ::lseek(in, 0, SEEK_END);
  const int out = ::open(argv[2], O_WRONLY);
  if (size < 0 || out < 0) {
    std::perror(argv[2]);
    return 1;
  }
  const uint64_t total = static_cast<uint64_t>(size);
  // Everything from the second page on, then the first page.
  const bool ok = (total <= kPage || copy(in, out, kPage, total - kPage, offset)) &&
                  copy(in, out, 0, total < kPage ? total : kPage, offset);
  if (::fsync(out) != 0) {
    std::perror("fsync");
    return 1;
  }
  ::close(out);
  ::close(in);
  return ok ? 0 : 1;
}
