// fuzz_mount_tables: the installer's readers of /proc/self/mountinfo and /proc/swaps
// (installer/disk/in_use.h), by which it refuses to write a disk that is mounted or used as
// swap. The input up to its first NUL is mountinfo, the rest /proc/swaps; an input without NUL
// is mountinfo alone.
//
// Oracles, from what in_use.h promises:
//  - a malformed line is skipped and nothing else: the entries of the whole text are those of
//    its lines, each read on its own (for swaps: after the header line);
//  - paths come back unescaped: a path the kernel writes, with its blanks, tabs, newlines and
//    backslashes as \ooo (fs/proc_namespace.c mangle(), seq_file_path() for swaps), reads back
//    as the same path. So every entry, written again the kernel's way, parses to itself;
//  - the device number is one word of the line, and no field is empty.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_one.h"
#include "installer/disk/in_use.h"

namespace {

using zk::installer::disk::MountEntry;

/// The lines of `text` as in_use.cc's for_each_line cuts them: at '\n', no empty last line.
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

void check_mountinfo(std::string_view text) {
  namespace disk = zk::installer::disk;
  const auto entries = disk::parse_mountinfo(text);
  const auto ls = lines(text);
  FUZZ_CHECK(entries.size() <= ls.size());

  std::vector<MountEntry> by_line;
  for (auto line : ls)
    for (auto& e : disk::parse_mountinfo(line)) by_line.push_back(std::move(e));
  FUZZ_CHECK(same(entries, by_line));

  std::string rendered;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    FUZZ_CHECK(!e.devnum.empty() && !e.mount_point.empty() && !e.source.empty());
    FUZZ_CHECK(e.devnum.find_first_of(" \t\n") == std::string::npos);
    // A bind mount's root, optional fields, and a source that looks like a separator.
    rendered += std::to_string(20 + i) + " 1 " + e.devnum + " /sub " +
                kernel_escape(e.mount_point) + " rw,relatime shared:" + std::to_string(i + 1) +
                " master:2 - ext4 " + kernel_escape(e.source) + " rw,errors=remount-ro\n";
  }
  const auto again = disk::parse_mountinfo(rendered);
  FUZZ_CHECK_DETAIL(same(entries, again),
                    "written the kernel's way, the entries read differently:\n" + rendered);
}

void check_swaps(std::string_view text) {
  namespace disk = zk::installer::disk;
  const auto swaps = disk::parse_swaps(text);
  const auto ls = lines(text);
  FUZZ_CHECK(swaps.size() <= ls.size());

  const std::string header = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  std::vector<std::string> by_line;
  for (size_t i = 0; i < ls.size(); ++i)
    for (auto& s : disk::parse_swaps(i == 0 ? std::string(ls[i]) : header + std::string(ls[i])))
      by_line.push_back(std::move(s));
  FUZZ_CHECK(swaps == by_line);

  // What the kernel writes (mm/swapfile.c swap_show): the escaped path padded to 40 columns,
  // the type, size, used and priority; swap files too, which are not devices.
  std::string rendered = header;
  for (const auto& s : swaps) {
    FUZZ_CHECK(!s.empty());
    const std::string path = kernel_escape(s);
    rendered += path + std::string(path.size() < 40 ? 40 - path.size() : 1, ' ') +
                "partition\t2097148\t0\t-2\n" + path + ".file" +
                std::string(path.size() + 5 < 40 ? 40 - path.size() - 5 : 1, ' ') +
                "file\t\t1024\t0\t-3\n";
  }
  const auto again = disk::parse_swaps(rendered);
  FUZZ_CHECK_DETAIL(again == swaps,
                    "written the kernel's way, the swaps read differently:\n" + rendered);
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  check_mountinfo(input.substr(0, nul));
  if (nul != std::string_view::npos) check_swaps(input.substr(nul + 1));
  return 0;
}
