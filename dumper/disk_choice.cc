// SPDX-License-Identifier: MIT
#include "dumper/disk_choice.h"

#include <algorithm>

namespace zk::dumper {
namespace {

/// A path whose map is a candidate too: the map stands for the disk.
bool is_path_of_candidate_map(std::span<const DiskCandidate> all, const DiskCandidate& c) {
  return std::ranges::any_of(c.holders, [&](const std::string& holder) {
    return std::ranges::any_of(all, [&](const DiskCandidate& d) { return d.name == holder; });
  });
}

std::string list(std::span<const DiskCandidate> all, const std::vector<size_t>& which) {
  std::string out;
  for (const size_t i : which) out += (out.empty() ? "" : ", ") + describe_candidate(all[i]);
  return out;
}

}  // namespace

std::string describe_candidate(const DiskCandidate& c) {
  return (c.wwid.empty() ? std::string("no wwid") : std::string(kWwidChoicePrefix) + c.wwid) +
         " (" + c.name + ")";
}

Result<DiskChoice> choose_dump_disk(std::span<const DiskCandidate> candidates,
                                    std::string_view wanted) {
  // The disks, each with the other names it is reached by: a path whose map is a candidate is
  // the map's disk, and candidates with one wwid are paths of one LUN without a map.
  struct Disk {
    size_t first;
    std::vector<size_t> aliases;
  };
  std::vector<Disk> disks;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (is_path_of_candidate_map(candidates, candidates[i])) continue;
    auto same = std::ranges::find_if(disks, [&](const Disk& d) {
      return !candidates[i].wwid.empty() && candidates[d.first].wwid == candidates[i].wwid;
    });
    if (same != disks.end()) same->aliases.push_back(i);
    else disks.push_back({i, {}});
  }
  if (disks.empty()) return fail("no disk holds a valid zipl dump record");
  std::vector<size_t> firsts;
  for (const auto& d : disks) firsts.push_back(d.first);
  auto taken = [&](const Disk& d, std::string reason) {
    if (!d.aliases.empty()) reason += " (the same LUN is also " + list(candidates, d.aliases) + ")";
    return DiskChoice{d.first, std::move(reason)};
  };

  if (wanted.empty()) {
    if (disks.size() == 1)
      return taken(disks[0],
                   "the only dump disk found, " + describe_candidate(candidates[disks[0].first]));
    return fail(std::to_string(disks.size()) +
                " dump disks found and no zfcpdump.disk= to choose between them: " +
                list(candidates, firsts) +
                "; nothing was written (name one with zfcpdump.disk=wwid:WWID)");
  }
  if (!wanted.starts_with(kWwidChoicePrefix))
    return fail("zfcpdump.disk=" + std::string(wanted) +
                " is not of the form wwid:WWID; nothing was written (dump disks found: " +
                list(candidates, firsts) + ")");
  const std::string_view id = wanted.substr(kWwidChoicePrefix.size());
  for (const auto& d : disks)
    if (!id.empty() && candidates[d.first].wwid == id)
      return taken(d,
                   "zfcpdump.disk=" + std::string(wanted) + " names " + candidates[d.first].name);
  return fail("zfcpdump.disk=" + std::string(wanted) + " names none of the dump disks found: " +
              list(candidates, firsts) + "; nothing was written");
}

}  // namespace zk::dumper
