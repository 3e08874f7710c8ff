// SPDX-License-Identifier: MIT
#include "installer/save/save_plan.h"

#include <time.h>

#include <algorithm>

#include "util/strings.h"

namespace zk::installer::save {

std::string dump_dir_name(const std::string& host, uint64_t utc_seconds) {
  std::string safe;
  for (char c : host.substr(0, 64)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    safe += ok ? c : '_';
  }
  if (safe.empty() || safe.front() == '.') safe = "localhost" + safe;
  const time_t t = static_cast<time_t>(utc_seconds);
  tm parts{};
  char when[32] = "unknown-time";
  if (gmtime_r(&t, &parts)) strftime(when, sizeof when, "%Y-%m-%d-%H:%M:%S", &parts);
  return safe + "-" + when;
}

std::string unique_name(const std::string& name, const std::set<std::string>& taken) {
  if (!taken.contains(name)) return name;
  for (unsigned n = 2;; ++n) {
    std::string candidate = name + "-" + std::to_string(n);
    if (!taken.contains(candidate)) return candidate;
  }
}

uint64_t worst_case_bytes(uint64_t dump_bytes, SaveFormat format) {
  constexpr uint64_t kTextFiles = 16u << 20;
  if (format == SaveFormat::kElf) return dump_bytes + kTextFiles;
  return dump_bytes + dump_bytes / 64 + (1u << 20) + kTextFiles;
}

SpaceVerdict check_space(uint64_t available, uint64_t worst_case, uint64_t floor) {
  SpaceVerdict v;
  v.needed = worst_case + floor;
  v.fits = v.needed >= worst_case && available >= v.needed;  // no wrap-around
  return v;
}

std::vector<std::string> plan_retention(std::vector<SavedDump> saved, unsigned keep,
                                        const std::string& just_saved) {
  if (keep == 0) return {};
  std::sort(saved.begin(), saved.end(), [](const SavedDump& a, const SavedDump& b) {
    return a.time != b.time ? a.time > b.time : a.name > b.name;
  });
  // The dump just saved counts first, whatever its time says.
  std::stable_partition(saved.begin(), saved.end(),
                        [&](const SavedDump& d) { return d.name == just_saved; });
  std::vector<std::string> remove;
  for (size_t i = keep; i < saved.size(); ++i)
    if (saved[i].name != just_saved) remove.push_back(saved[i].name);
  return remove;
}

}  // namespace zk::installer::save
