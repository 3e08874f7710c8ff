// SPDX-License-Identifier: MIT
#include "installer/save/release.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ondisk/bytes.h"
#include "ondisk/checksum.h"
#include "ondisk/dump_area.h"
#include "util/strings.h"

namespace zk::installer::save {

namespace {

using ull = unsigned long long;

Result<void> store_checksum(util::File& disk, const ondisk::DumpDisk& target, uint32_t sum) {
  std::byte field[8];
  ondisk::store_be<uint64_t>(field, 0, sum);
  if (auto r = util::write_all(disk, field,
                               target.superblock_offset + ondisk::kDumpSuperblockCsumOffset);
      !r)
    return std::unexpected(r.error().wrap("storing the dump superblock's checksum"));
  return {};
}

Result<void> synced(util::File& disk, const char* step) {
  if (auto r = disk.sync(); !r) return std::unexpected(r.error().wrap(step));
  return {};
}

/// The refusal for what the area holds, or nothing when the release may go ahead.
std::optional<std::string> refusal(const ondisk::DumpAreaState& area,
                                   const ReleaseRequest& request) {
  if (request.force) return std::nullopt;
  switch (area.kind) {
    case ondisk::DumpAreaKind::kBusy:
      return std::string(
          "the dump area holds an interrupted dump (busy marker); release it with force");
    case ondisk::DumpAreaKind::kDump:
      if (request.saved) return std::nullopt;
      return std::string(
          "the dump area holds a dump that was not saved; save it first, or release it with "
          "force");
    case ondisk::DumpAreaKind::kInvalidDump:
      return "the dump area holds a damaged dump (" + area.detail + "); release it with force";
    case ondisk::DumpAreaKind::kUnknown:
      return "the dump area holds data that is not a dump (" + area.detail +
             "); release it with force";
    case ondisk::DumpAreaKind::kEmpty: return std::nullopt;
  }
  return std::string("the dump area's state is unknown");
}

}  // namespace

Result<ReleaseResult> release_dump_area(util::File& disk, const ondisk::DumpDisk& target,
                                        const ReleaseRequest& request) {
  const auto& sb = target.superblock;
  if (disk.direct_io_alignment() != 1)
    return fail(disk.name() + ": releasing a dump area needs a file opened without direct I/O");
  if (!target.usable_for_dump())
    return fail(util::format(
        "%s: the partition no longer holds what zipl left there (checksum 0x%08llx, stored "
        "0x%08llx, no busy marker): not releasing it; run zfcpdump-install disk again",
        disk.name().c_str(), static_cast<ull>(target.checksum_now), static_cast<ull>(sb.csum)));
  auto area = ondisk::inspect_dump_area(disk, target);
  if (!area) return std::unexpected(area.error().wrap("reading the dump area"));
  if (area->kind == ondisk::DumpAreaKind::kEmpty && target.checksum_matches())
    return ReleaseResult::kAlreadyEmpty;
  if (auto why = refusal(*area, request)) return fail(disk.name() + ": " + *why);

  const uint64_t area_start = sb.part_start + sb.dump_offset;
  const uint64_t zeroed = std::min(kZiplZeroedBytes, sb.dump_size);
  const uint64_t marker_size = std::min<uint64_t>(sizeof ondisk::kBusyMarker, zeroed);

  // 1. The busy marker and the checksum with it: from here on the area reads as a dump in
  // progress, which the dumper overwrites and zgetdump does not take for a dump.
  const auto* marker = reinterpret_cast<const std::byte*>(ondisk::kBusyMarker);
  if (auto r = util::write_all(disk, {marker, static_cast<size_t>(marker_size)}, area_start); !r)
    return std::unexpected(r.error().wrap("writing the busy marker"));
  if (auto r = synced(disk, "syncing the busy marker"); !r) return std::unexpected(r.error());
  auto busy_sum = ondisk::compute_dump_checksum(disk, sb);
  if (!busy_sum) return std::unexpected(busy_sum.error().wrap("computing the checksum"));
  if (auto r = store_checksum(disk, target, *busy_sum); !r) return std::unexpected(r.error());
  if (auto r = synced(disk, "syncing the checksum"); !r) return std::unexpected(r.error());

  // 2. Zeros over the rest of what zipl zeroes.
  const std::vector<std::byte> zeros(static_cast<size_t>(zeroed - marker_size));
  if (auto r = util::write_all(disk, zeros, area_start + marker_size); !r)
    return std::unexpected(r.error().wrap("zeroing the dump area"));
  if (auto r = synced(disk, "syncing the zeroed dump area"); !r) return std::unexpected(r.error());

  // 3. The checksum of the area as it will be: what is on the disk now, with the marker's bytes
  // (where they lie in the checksummed area) as zeros.
  std::vector<std::byte> summed(static_cast<size_t>(sb.csum_size));
  const uint64_t summed_start = sb.part_start + sb.csum_offset;
  if (auto r = util::read_exact(disk, summed, summed_start); !r)
    return std::unexpected(r.error().wrap("reading the checksummed area"));
  const uint64_t overlap_begin = std::max(area_start, summed_start);
  const uint64_t overlap_end = std::min(area_start + marker_size, summed_start + summed.size());
  if (overlap_begin < overlap_end)
    std::fill(summed.begin() + static_cast<ptrdiff_t>(overlap_begin - summed_start),
              summed.begin() + static_cast<ptrdiff_t>(overlap_end - summed_start), std::byte{0});
  if (auto r = store_checksum(disk, target, ondisk::cksm(summed)); !r)
    return std::unexpected(r.error());
  if (auto r = synced(disk, "syncing the checksum"); !r) return std::unexpected(r.error());

  // 4. Zeros over the marker: the area is empty, the checksum matches.
  const std::byte no_marker[sizeof ondisk::kBusyMarker]{};
  if (auto r = util::write_all(disk, {no_marker, static_cast<size_t>(marker_size)}, area_start); !r)
    return std::unexpected(r.error().wrap("zeroing the busy marker"));
  if (auto r = synced(disk, "syncing the released dump area"); !r)
    return std::unexpected(r.error());
  return ReleaseResult::kReleased;
}

}  // namespace zk::installer::save
