// SPDX-License-Identifier: MIT
#pragma once
/// The decisions of `zfcpdump-install save`, as pure functions of facts: the name of a saved
/// dump's directory, the space it may need, and which older saved dumps retention removes.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace zk::installer::save {

/// The prefix of a save in progress in DIR: `.zfcpdump-save-<name>.XXXXXX`. Nothing else in DIR
/// starts with it, so a later save removes what an interrupted one left.
inline constexpr const char* kTemporaryPrefix = ".zfcpdump-save-";
/// The lock file in DIR a save holds while it runs (not a temporary directory's name).
inline constexpr const char* kLockFile = ".zfcpdump-save.lock";
/// The file in a saved dump's directory that makes it one of ours (retention counts only these).
inline constexpr const char* kInfoFile = "info.json";

enum class SaveFormat { kKdump, kElf };

/// `<host>-<UTC time YYYY-mm-dd-HH:MM:SS>`; a host name is reduced to the characters that are
/// safe in a file name ([A-Za-z0-9._-], others become '_'; empty: "localhost").
[[nodiscard]] std::string dump_dir_name(const std::string& host, uint64_t utc_seconds);

/// `name`, or `name-2`, `name-3`... the first that is not in `taken` (never an existing name).
[[nodiscard]] std::string unique_name(const std::string& name, const std::set<std::string>& taken);

/// The bytes a save may write at most: the dump's data as it is on the disk (an ELF copy holds
/// no more; makedumpfile's output is at most that plus its own headers and bitmaps, allowed for
/// with 1/64 and 1 MiB more), and a dmesg.txt and info.json of at most 16 MiB.
[[nodiscard]] uint64_t worst_case_bytes(uint64_t dump_bytes, SaveFormat format);

struct SpaceVerdict {
  bool fits = false;
  uint64_t needed = 0;  ///< worst case plus the floor
};
/// Whether `worst_case` bytes fit in `available` while leaving `floor` free.
[[nodiscard]] SpaceVerdict check_space(uint64_t available, uint64_t worst_case, uint64_t floor);

struct SavedDump {
  std::string name;   ///< directory name in DIR
  uint64_t time = 0;  ///< when it was saved (info.json's saved_at, else the directory's mtime)
};
/// The saved dumps retention removes so that `keep` remain, the newest by time (name breaks
/// ties); `keep` 0 keeps all. `just_saved` is never removed.
[[nodiscard]] std::vector<std::string> plan_retention(std::vector<SavedDump> saved, unsigned keep,
                                                      const std::string& just_saved);

}  // namespace zk::installer::save
