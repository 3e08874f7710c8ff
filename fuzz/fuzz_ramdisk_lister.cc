// SPDX-License-Identifier: MIT
// fuzz_ramdisk_lister: the ramdisk lister (initramfs-gen/ramdisk_lister.h) over any file
// claiming to be a ramdisk: newc headers (newc_header.h) over anything libarchive decompresses.
// list_ramdisk takes a path, so the input goes into a memfd named by /proc/self/fd/N.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz/fuzz_one.h"
#include "initramfs-gen/ramdisk_lister.h"

int fuzz_one(const uint8_t* data, size_t size) {
  static const int fd = ::memfd_create("fuzz-ramdisk", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(::ftruncate(fd, 0) == 0);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0);
    done += static_cast<size_t>(n);
  }
  auto entries = zk::initramfs::list_ramdisk("/proc/self/fd/" + std::to_string(fd));
  if (!entries) {
    (void)entries.error().describe();
    return 0;
  }
  FUZZ_CHECK(entries->size() <= zk::initramfs::kMaxListedEntries);
  for (const auto& e : *entries) {
    FUZZ_CHECK(e.mode <= 07777);
    if (e.type != zk::initramfs::EntryType::kSymlink) FUZZ_CHECK(e.link_target.empty());
  }
  return 0;
}
