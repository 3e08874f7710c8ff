// SPDX-License-Identifier: MIT
/// zk-bench-disk: the dump disk image of bench/dumper-throughput.
///
///   zk-bench-disk create IMAGE SIZE     a sparse image laid out like `zipl -d` leaves a SCSI
///                                       dump disk (tests/support/synthetic_dump_disk.h):
///                                       DOS label, partition 1 from 1 MiB to the end, dump
///                                       area = partition - 1 MiB
///   zk-bench-disk info IMAGE            the layout, as shell assignments
///   zk-bench-disk rearm IMAGE LENGTH    prepares the disk for the next dumper run:
///                                       stamps a 4 KiB garbage page into every MiB of the first
///                                       LENGTH bytes of the dump area (and into its last
///                                       page), so that only a dumper that really writes every
///                                       chunk leaves the core there; then zeroes the first
///                                       page of the partition and stores the checksum seed in
///                                       the superblock, as a fresh `zipl -d` leaves them
///   zk-bench-disk verify IMAGE CORE     whether the dump area starts with all of CORE, byte
///                                       for byte (exit 0 same, 3 different); reads the image
///                                       with O_DIRECT, so it stays out of the page cache
///
/// `create` and `info` print `part_start=N part_size=N dump_offset=N dump_size=N
/// superblock_offset=N` (bytes). Exit status: 0 done, 1 failed, 2 bad usage, 3 (verify) the
/// dump area differs from the core.

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "ondisk/checksum.h"
#include "ondisk/dump_disk.h"
#include "ondisk/dump_superblock.h"
#include "tests/support/synthetic_dump_disk.h"
#include "util/aligned_buffer.h"
#include "util/fd.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace {

using ull = unsigned long long;
using zk::ondisk::DumpDisk;

constexpr const char* kUsage =
    "Usage: zk-bench-disk create IMAGE SIZE | info IMAGE | rearm IMAGE LENGTH |\n"
    "                     verify IMAGE CORE\n";

int usage(const char* why) {
  std::fprintf(stderr, "zk-bench-disk: %s\n%s", why, kUsage);
  return 2;
}

void print_layout(const zk::ondisk::DumpSuperblock& sb, uint64_t superblock_offset) {
  std::printf(
      "part_start=%llu part_size=%llu dump_offset=%llu dump_size=%llu superblock_offset=%llu\n",
      static_cast<ull>(sb.part_start), static_cast<ull>(sb.part_size),
      static_cast<ull>(sb.dump_offset), static_cast<ull>(sb.dump_size),
      static_cast<ull>(superblock_offset));
}

bool read_layout(const std::string& image, DumpDisk& out) {
  auto f = zk::util::PosixFile::open(image, zk::util::OpenMode::kRead);
  if (!f) {
    std::fprintf(stderr, "zk-bench-disk: %s\n", f.error().describe().c_str());
    return false;
  }
  auto dd = zk::ondisk::read_dump_disk(**f, std::nullopt);
  if (!dd) {
    std::fprintf(stderr, "zk-bench-disk: %s: %s\n", image.c_str(), dd.error().describe().c_str());
    return false;
  }
  out = *dd;
  return true;
}

bool pwrite_all(int fd, const void* data, size_t size, uint64_t offset, const std::string& what) {
  if (::pwrite(fd, data, size, static_cast<off_t>(offset)) == static_cast<ssize_t>(size))
    return true;
  std::fprintf(stderr, "zk-bench-disk: writing %s at %llu: %s\n", what.c_str(),
               static_cast<ull>(offset), std::strerror(errno));
  return false;
}

int create(const std::string& image, uint64_t size) {
  zk::testsupport::SyntheticDiskSpec spec;
  spec.disk_size = size;
  spec.sector_size = 512;
  spec.part_start = 1ull << 20;
  const auto disk = zk::testsupport::make_synthetic_dump_disk(image, spec);
  print_layout(disk.superblock, disk.superblock_offset);
  return 0;
}

int rearm(const std::string& image, uint64_t length) {
  DumpDisk dd;
  if (!read_layout(image, dd)) return 1;
  auto sb = dd.superblock;
  if (length > sb.dump_size) {
    std::fprintf(stderr, "zk-bench-disk: %llu bytes exceed the dump area (%llu bytes)\n",
                 static_cast<ull>(length), static_cast<ull>(sb.dump_size));
    return 1;
  }
  zk::util::Fd fd(::open(image.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) {
    std::fprintf(stderr, "zk-bench-disk: open %s: %s\n", image.c_str(), std::strerror(errno));
    return 1;
  }
  const uint64_t base = sb.part_start + sb.dump_offset;
  constexpr uint64_t kPage = 4096, kStride = 1ull << 20;
  // 0xDB is not what the core's pattern or an all-zero page would put there.
  std::vector<unsigned char> garbage(kPage, 0xdb);
  for (uint64_t off = kStride / 2; off + kPage <= length; off += kStride)
    if (!pwrite_all(fd.get(), garbage.data(), kPage, base + off, "a stamp")) return 1;
  if (length >= 2 * kPage) {
    const uint64_t last = (length - 1) / kPage * kPage;  // the page holding the last byte
    if (!pwrite_all(fd.get(), garbage.data(), static_cast<size_t>(length - last), base + last,
                    "the last stamp"))
      return 1;
  }
  // What `zipl -d` leaves: a zero checksummed area and the seed (its checksum) in the superblock.
  std::vector<unsigned char> zero(static_cast<size_t>(sb.csum_size), 0);
  if (!pwrite_all(fd.get(), zero.data(), zero.size(), sb.part_start + sb.csum_offset,
                  "the checksummed area"))
    return 1;
  sb.csum = zk::ondisk::kChecksumSeed;
  std::vector<std::byte> encoded(zk::ondisk::kDumpSuperblockSize);
  zk::ondisk::encode_dump_superblock(sb, encoded);
  if (!pwrite_all(fd.get(), encoded.data(), encoded.size(), dd.superblock_offset, "the superblock"))
    return 1;
  if (::fdatasync(fd.get()) != 0) {
    std::fprintf(stderr, "zk-bench-disk: fdatasync %s: %s\n", image.c_str(), std::strerror(errno));
    return 1;
  }
  return 0;
}

/// Reads exactly `size` bytes at `offset` (less only at end of file); false on an error.
bool pread_full(int fd, std::byte* data, size_t size, uint64_t offset, size_t& got) {
  got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd, data + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return true;
}

int verify(const std::string& image, const std::string& core) {
  DumpDisk dd;
  if (!read_layout(image, dd)) return 1;
  const uint64_t base = dd.superblock.part_start + dd.superblock.dump_offset;
  zk::util::Fd in(::open(core.c_str(), O_RDONLY | O_CLOEXEC));
  zk::util::Fd disk(::open(image.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
  if (!in.valid() || !disk.valid()) {
    std::fprintf(stderr, "zk-bench-disk: open: %s\n", std::strerror(errno));
    return 1;
  }
  constexpr size_t kChunk = 16u << 20;
  zk::util::AlignedBuffer a(kChunk, 4096), b(kChunk, 4096);
  if (a.empty() || b.empty() || base % 4096) {
    std::fprintf(stderr, "zk-bench-disk: no buffers, or a dump area not 4 KiB aligned\n");
    return 1;
  }
  uint64_t off = 0;
  for (;;) {
    size_t got_core = 0, got_disk = 0;
    if (!pread_full(in.get(), a.data(), kChunk, off, got_core) ||
        !pread_full(disk.get(), b.data(), kChunk, base + off, got_disk)) {
      std::fprintf(stderr, "zk-bench-disk: read at %llu: %s\n", static_cast<ull>(off),
                   std::strerror(errno));
      return 1;
    }
    if (got_core == 0) break;
    if (got_disk < got_core) {
      std::fprintf(stderr, "zk-bench-disk: the image ends inside the core (offset %llu)\n",
                   static_cast<ull>(off + got_disk));
      return 3;
    }
    if (std::memcmp(a.data(), b.data(), got_core) != 0) {
      size_t i = 0;
      while (a.data()[i] == b.data()[i]) ++i;
      std::fprintf(stderr, "zk-bench-disk: the dump area differs from %s at core offset %llu\n",
                   core.c_str(), static_cast<ull>(off + i));
      return 3;
    }
    off += got_core;
    if (got_core < kChunk) break;
  }
  std::printf("same: %llu bytes\n", static_cast<ull>(off));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage("missing arguments");
  const std::string cmd = argv[1], image = argv[2];
  try {
    if (cmd == "create" && argc == 4) {
      auto size = zk::util::parse_size(argv[3]);
      if (!size || *size < (64ull << 20)) return usage("SIZE must be a size of at least 64M");
      return create(image, *size);
    }
    if (cmd == "info" && argc == 3) {
      DumpDisk dd;
      if (!read_layout(image, dd)) return 1;
      print_layout(dd.superblock, dd.superblock_offset);
      return 0;
    }
    if (cmd == "rearm" && argc == 4) {
      auto length = zk::util::parse_size(argv[3]);
      if (!length) return usage("LENGTH must be a size");
      return rearm(image, *length);
    }
    if (cmd == "verify" && argc == 4) return verify(image, argv[3]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zk-bench-disk: %s\n", e.what());
    return 1;
  }
  return usage("unknown command or wrong number of arguments");
}
