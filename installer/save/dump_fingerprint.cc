// SPDX-License-Identifier: MIT
#include "installer/save/dump_fingerprint.h"

#include <algorithm>
#include <vector>

#include "ondisk/integrity_digest.h"
#include "util/strings.h"

namespace zk::installer::save {

Result<std::string> dump_fingerprint(util::File& area, const ondisk::VmcoreInfo& info) {
  constexpr uint64_t kFirstPage = 4096;
  // One chunk as long as anything this reads: the digest of the whole stream.
  ondisk::ChunkDigester digest(uint64_t{1} << 62, 1);
  std::vector<std::byte> buf(static_cast<size_t>(std::min(kFirstPage, area.size())));
  if (auto r = util::read_exact(area, buf, 0); !r)
    return std::unexpected(r.error().wrap("reading the dump's first page"));
  if (auto r = digest.add(buf); !r) return std::unexpected(r.error());
  for (const auto& [offset, size] : info.note_segments) {
    buf.resize(static_cast<size_t>(size));
    if (auto r = util::read_exact(area, buf, offset); !r)
      return std::unexpected(r.error().wrap("reading the dump's notes"));
    if (auto r = digest.add(buf); !r) return std::unexpected(r.error());
  }
  const auto digests = digest.finish();
  return util::format("%016llx",
                      static_cast<unsigned long long>(digests.empty() ? 0 : digests.front()));
}

}  // namespace zk::installer::save
