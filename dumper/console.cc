// SPDX-License-Identifier: MIT
#include "dumper/console.h"

#include <unistd.h>

#include <cstdio>

namespace zk::dumper {

void Console::vprint(const char* fmt, va_list ap) {
  char line[1024];
  int n = std::vsnprintf(line, sizeof line - 2, fmt, ap);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof line - 2 ? static_cast<size_t>(n) : sizeof line - 3;
  if (sclp_) line[len++] = ' ';
  line[len++] = '\n';
  size_t done = 0;
  while (done < len) {
    const ssize_t w = ::write(fd_, line + done, len - done);
    if (w <= 0) return;  // nowhere else to report a console failure
    done += static_cast<size_t>(w);
  }
}

void Console::print(int level, const char* fmt, ...) {
  if (level > level_) return;
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

void Console::say(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

}  // namespace zk::dumper
