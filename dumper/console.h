// SPDX-License-Identifier: MIT
#pragma once
/// What the dumper says, and where. On the SCLP line-mode console a line is only shown when a
/// blank precedes its newline, so every line ends in " \n" there; in host mode lines end
/// normally. Verbosity follows `dump_debug=N` (the stock tool's parameter): level 1 is the
/// normal output, 2 adds the steps taken, 3 the copy plan, 4 and more each I/O step.

#include <cstdarg>
#include <string>

namespace zk::dumper {

class Console {
 public:
  /// Writes to `fd`; `sclp` selects the blank-before-newline convention.
  Console(int fd, bool sclp) : fd_(fd), sclp_(sclp) {}

  void set_level(int level) { level_ = level; }
  [[nodiscard]] int level() const { return level_; }

  /// Prints one line (no trailing newline in `fmt`) when `level` <= the configured level.
  void print(int level, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  /// Level-1 line.
  void say(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

 private:
  void vprint(const char* fmt, va_list ap);

  int fd_;
  bool sclp_;
  int level_ = 1;
};

}  // namespace zk::dumper
