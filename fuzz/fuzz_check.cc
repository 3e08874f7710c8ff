// SPDX-License-Identifier: MIT
// FUZZ_CHECK's failure path (fuzz_one.h).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"

namespace zk::fuzz {

void check_failed(const char* file, int line, const char* condition, const char* detail) {
  const char* base = std::strrchr(file, '/');
  const std::string message =
      std::string(base ? base + 1 : file) + ":" + std::to_string(line) + ": " + condition;
  if (const char* tolerate = std::getenv("ZK_FUZZ_TOLERATE"); tolerate && *tolerate) {
    std::string_view list(tolerate);
    while (!list.empty()) {
      const size_t comma = list.find(',');
      const std::string_view token = list.substr(0, comma);
      if (!token.empty() && message.find(token) != std::string::npos) {
        static std::set<std::string> seen;
        if (seen.insert(message).second)
          std::fprintf(stderr, "FUZZ_CHECK tolerated: %s\n", message.c_str());
        throw Tolerated{};
      }
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
  }
  if (detail && *detail) std::fprintf(stderr, "%s\n", detail);
  std::fprintf(stderr, "FUZZ_CHECK failed: %s\n", message.c_str());
  std::abort();
}

}  // namespace zk::fuzz
