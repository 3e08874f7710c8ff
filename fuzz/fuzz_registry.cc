// SPDX-License-Identifier: MIT
// fuzz_registry: the registry of prepared dump disks (/etc/zfcpdump-kit/disks). The installer
// loads it, upserts an entry and saves it; the hook loads it again. So a registry that parses
// must render to one that parses to the same entries.
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "installer/state/registry.h"

namespace {

using zk::installer::state::DiskEntry;

bool same(const DiskEntry& a, const DiskEntry& b) {
  return a.disk == b.disk && a.partition == b.partition && a.part_start == b.part_start &&
         a.part_size == b.part_size && a.dump_size == b.dump_size &&
         a.manifest_sha256 == b.manifest_sha256;
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = zk::installer::state::parse_registry(text);
  if (!r) {
    (void)r.error().describe();
    return 0;
  }
  FUZZ_CHECK(r->disks.size() <= zk::installer::state::kRegistryMaxEntries);
  for (const auto& e : r->disks) {
    FUZZ_CHECK(!e.disk.empty() && e.disk.front() == '/');
    (void)r->find(e.disk);
  }
  // Round trip: what parsed renders to text that parses to the same entries (the parser
  // refuses control characters, so no value holds one the renderer could lose).
  const std::string rendered = zk::installer::state::render_registry(*r);
  auto again = zk::installer::state::parse_registry(rendered);
  FUZZ_CHECK_DETAIL(again.has_value(), "rendered registry does not parse: " +
                                           again.error().describe() + "\n" + rendered);
  FUZZ_CHECK(again->disks.size() == r->disks.size());
  for (size_t i = 0; i < r->disks.size(); ++i) FUZZ_CHECK(same(r->disks[i], again->disks[i]));
  // upsert/remove keep the registry consistent.
  if (!r->disks.empty()) {
    auto copy = *r;
    DiskEntry e = copy.disks.front();
    e.dump_size += 1;
    copy.upsert(e);
    FUZZ_CHECK(copy.disks.size() == r->disks.size());
    FUZZ_CHECK(copy.find(e.disk) && copy.find(e.disk)->dump_size == e.dump_size);
    FUZZ_CHECK(copy.remove(e.disk));
  }
  return 0;
}
