// SPDX-License-Identifier: MIT
// fuzz_mount_tables: the installer's readers of /proc/self/mountinfo and /proc/swaps
// (installer/disk/in_use.h, through libmount), by which it refuses to write a disk that is
// mounted or used as swap. The input up to its first NUL is mountinfo, the rest up to the next
// NUL /proc/swaps (the kernel writes no NUL into either); an input without NUL is mountinfo
// alone.
//
// Oracles, from what in_use.h promises:
//  - libmount takes the format from the first line: a text either reads as nothing or as it
//    reads after a first line the kernel could have written (a pinned text);
//  - a malformed line is skipped and nothing else: the entries of a pinned text are those of
//    its lines, each read on its own after the same first line;
//  - paths come back unescaped: a path the kernel writes, with its blanks, tabs, newlines and
//    backslashes as \ooo (fs/proc_namespace.c mangle(), seq_file_path() for swaps), reads back
//    as the same path. So every entry, written again the kernel's way, parses to itself (but
//    for paths that end in " (deleted)", the suffix the kernel appends to deleted paths, which
//    libmount drops, and an empty mount point, which the kernel never writes);
//  - the device number is one word of the line and never empty; a swap path is never empty.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_one.h"
#include "installer/disk/in_use.h"

namespace {

using zk::installer::disk::MountEntry;

/// The lines of `text` as libmount reads them: cut at '\n', no empty last line.
std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    out.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

/// As the kernel escapes a path in mountinfo and swaps: blank, tab, newline, backslash (and '#',
/// which newer kernels escape in a mount source) as a backslash and three octal digits.
std::string kernel_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\' || c == '#') {
      const auto u = static_cast<unsigned char>(c);
      out += '\\';
      out += static_cast<char>('0' + (u >> 6));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
    } else {
      out += c;
    }
  }
  return out;
}

bool same(const std::vector<MountEntry>& a, const std::vector<MountEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].devnum != b[i].devnum || a[i].mount_point != b[i].mount_point ||
        a[i].source != b[i].source)
      return false;
  return true;
}

/// Whether libmount reads `path`, written the kernel's way, back as itself.
bool round_trips(const std::string& path) {
  const std::string_view deleted = " (deleted)";
  return !path.empty() && !std::string_view(path).ends_with(deleted);
}

/// A first line the kernel could have written, which makes libmount read what follows as
/// mountinfo; and its entry.
const std::string kMountinfoFirst = "1 0 0:1 / / rw - rootfs rootfs rw\n";

/// The entries of `kMountinfoFirst + text`, without the first line's.
std::vector<MountEntry> pinned_mountinfo(std::string_view text) {
  namespace disk = zk::installer::disk;
  auto entries = disk::parse_mountinfo(kMountinfoFirst + std::string(text));
  FUZZ_CHECK(!entries.empty() && entries[0].devnum == "0:1" && entries[0].mount_point == "/" &&
             entries[0].source == "rootfs");
  entries.erase(entries.begin());
  return entries;
}

void check_mountinfo(std::string_view text) {
  namespace disk = zk::installer::disk;
  const auto entries = disk::parse_mountinfo(text);
  const auto ls = lines(text);
  FUZZ_CHECK(entries.size() <= ls.size());

  const auto pinned = pinned_mountinfo(text);
  FUZZ_CHECK(entries.empty() || same(entries, pinned));
  std::vector<MountEntry> by_line;
  for (auto line : ls)
    for (auto& e : pinned_mountinfo(line)) by_line.push_back(std::move(e));
  FUZZ_CHECK(same(pinned, by_line));

  std::vector<MountEntry> kept;
  std::string rendered;
  for (const auto& e : pinned) {
    FUZZ_CHECK(!e.devnum.empty());
    FUZZ_CHECK(e.devnum.find_first_of(" \t\n") == std::string::npos);
    if (!round_trips(e.mount_point)) continue;
    kept.push_back(e);
    // A bind mount's root, optional fields, and a source that looks like a separator.
    rendered += std::to_string(20 + kept.size()) + " 1 " + e.devnum + " /sub " +
                kernel_escape(e.mount_point) +
                " rw,relatime shared:" + std::to_string(kept.size()) + " master:2 - ext4 " +
                kernel_escape(e.source) + " rw,errors=remount-ro\n";
  }
  const auto again = disk::parse_mountinfo(rendered);
  FUZZ_CHECK_DETAIL(same(kept, again),
                    "written the kernel's way, the entries read differently:\n" + rendered);
}

const std::string kSwapsHeader = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

void check_swaps(std::string_view text) {
  namespace disk = zk::installer::disk;
  const auto swaps = disk::parse_swaps(text);
  const auto ls = lines(text);
  FUZZ_CHECK(swaps.size() <= ls.size());

  const auto pinned = disk::parse_swaps(kSwapsHeader + std::string(text));
  FUZZ_CHECK(swaps.empty() || swaps == pinned);
  std::vector<std::string> by_line;
  for (auto line : ls)
    for (auto& s : disk::parse_swaps(kSwapsHeader + std::string(line))) by_line.push_back(s);
  FUZZ_CHECK(pinned == by_line);

  // What the kernel writes (mm/swapfile.c swap_show): the escaped path padded to 40 columns,
  // the type, size, used and priority; swap files too, which are not devices.
  std::vector<std::string> kept;
  std::string rendered = kSwapsHeader;
  for (const auto& s : pinned) {
    FUZZ_CHECK(!s.empty());
    if (!round_trips(s)) continue;
    kept.push_back(s);
    const std::string path = kernel_escape(s);
    rendered += path + std::string(path.size() < 40 ? 40 - path.size() : 1, ' ') +
                "partition\t2097148\t0\t-2\n" + path + ".file" +
                std::string(path.size() + 5 < 40 ? 40 - path.size() - 5 : 1, ' ') +
                "file\t\t1024\t0\t-3\n";
  }
  const auto again = disk::parse_swaps(rendered);
  FUZZ_CHECK_DETAIL(again == kept,
                    "written the kernel's way, the swaps read differently:\n" + rendered);
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  check_mountinfo(input.substr(0, nul));
  if (nul != std::string_view::npos) {
    const std::string_view swaps = input.substr(nul + 1);
    check_swaps(swaps.substr(0, swaps.find('\0')));
  }
  return 0;
}
