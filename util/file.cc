// SPDX-License-Identifier: MIT
#include "util/file.h"

#include <cerrno>

#include "util/strings.h"

namespace zk::util {

Result<void> read_exact(File& file, std::span<std::byte> buf, uint64_t offset) {
  size_t done = 0;
  while (done < buf.size()) {
    auto n = file.read_at(buf.subspan(done), offset + done);
    if (!n) return std::unexpected(n.error());
    if (*n == 0)
      return fail(format("%s: unexpected end of file at offset %llu (wanted %zu more bytes)",
                         file.name().c_str(), static_cast<unsigned long long>(offset + done),
                         buf.size() - done));
    done += *n;
  }
  return {};
}

Result<void> write_all(File& file, std::span<const std::byte> buf, uint64_t offset) {
  size_t done = 0;
  while (done < buf.size()) {
    auto n = file.write_at(buf.subspan(done), offset + done);
    if (!n) return std::unexpected(n.error());
    if (*n == 0)
      return fail_errno(ENOSPC,
                        format("write %s at offset %llu made no progress", file.name().c_str(),
                               static_cast<unsigned long long>(offset + done)));
    done += *n;
  }
  return {};
}

}  // namespace zk::util
