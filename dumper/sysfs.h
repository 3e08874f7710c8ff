#pragma once
/// Reading and writing the small text files of sysfs, procfs and debugfs, relative to roots
/// that tests can point at a tree of their own (a named test double: no emulator has zfcp or
/// an HSA, so those paths are exercised against a directory a test builds).

#include <optional>
#include <string>

#include "util/error.h"

namespace zk::dumper {

struct SystemRoots {
  std::string sys = "/sys";
  std::string proc = "/proc";
  std::string dev = "/dev";
  std::string debugfs = "/sys/kernel/debug";
  /// Where the ramdisk keeps zfcpdump.conf, the defaults baked in by the ramdisk builder.
  std::string etc = "/etc";
};

/// The content of a small text file (at most `limit` bytes are read), trailing newline removed.
Result<std::string> read_text(const std::string& path, size_t limit = 4096);
/// Writes `text` to an existing file (sysfs attributes are never created).
Result<void> write_text(const std::string& path, const std::string& text);
[[nodiscard]] bool exists(const std::string& path);

}  // namespace zk::dumper
