// SPDX-License-Identifier: MIT
#include "initramfs-gen/listing_format.h"

#include <ctime>

#include "util/strings.h"

namespace zk::initramfs {
namespace {

char type_letter(EntryType type) {
  switch (type) {
    case EntryType::kRegular: return '-';
    case EntryType::kDirectory: return 'd';
    case EntryType::kSymlink: return 'l';
    case EntryType::kCharDevice: return 'c';
    case EntryType::kBlockDevice: return 'b';
    case EntryType::kFifo: return 'p';
    case EntryType::kSocket: return 's';
    case EntryType::kOther: break;
  }
  return '?';
}

std::string utc_time(int64_t seconds) {
  const auto t = static_cast<time_t>(seconds);
  struct tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return util::format("@%lld", static_cast<long long>(seconds));
  return util::format("%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

std::string mode_string(EntryType type, uint32_t mode) {
  std::string s(10, '-');
  s[0] = type_letter(type);
  const char* rwx = "rwx";
  for (int bit = 0; bit < 9; ++bit)
    if (mode & (0400u >> bit)) s[static_cast<size_t>(1 + bit)] = rwx[bit % 3];
  const auto special = [&s, mode](uint32_t flag, size_t at, char set_exec, char set_noexec) {
    if (mode & flag) s[at] = s[at] == 'x' ? set_exec : set_noexec;
  };
  special(04000, 3, 's', 'S');
  special(02000, 6, 's', 'S');
  special(01000, 9, 't', 'T');
  return s;
}

std::string format_listing(std::span<const RamdiskEntry> entries) {
  std::string out;
  for (const auto& e : entries) {
    const bool device = e.type == EntryType::kCharDevice || e.type == EntryType::kBlockDevice;
    const std::string size = device ? util::format("%u,%u", e.rdev_major, e.rdev_minor)
                                    : util::format("%llu", static_cast<unsigned long long>(e.size));
    out += util::format("%s %3u %-5u %-5u %10s %s %s", mode_string(e.type, e.mode).c_str(), e.nlink,
                        e.uid, e.gid, size.c_str(), utc_time(e.mtime).c_str(), e.path.c_str());
    if (e.type == EntryType::kSymlink) out += " -> " + e.link_target;
    out += '\n';
  }
  return out;
}

}  // namespace zk::initramfs
