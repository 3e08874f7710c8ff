// SPDX-License-Identifier: MIT
#pragma once
/// Test-only: where the real files the kernel tests use are found (scripts/setup puts them
/// there). Missing files make the tests fail loudly, never skip.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace zk::installer::kernel::testing {

/// The cache root the kit uses: $ZFCPDUMP_KIT_CACHE or ~/.cache/zfcpdump-kit.
inline std::string kit_cache_root() {
  if (const char* c = std::getenv("ZFCPDUMP_KIT_CACHE"); c && *c) return c;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/root") + "/.cache/zfcpdump-kit";
}

/// The s390x sysroot: $ZK_S390X_SYSROOT or <cache>/sysroot-s390x.
inline std::string s390x_sysroot() {
  if (const char* s = std::getenv("ZK_S390X_SYSROOT"); s && *s) return s;
  return kit_cache_root() + "/sysroot-s390x";
}

/// Files in <sysroot>/boot whose names start with `prefix` ("vmlinuz-", "config-"), sorted.
inline std::vector<std::string> sysroot_boot_files(const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(s390x_sysroot() + "/boot", ec))
    if (e.path().filename().string().starts_with(prefix) &&
        e.path().filename().string().ends_with("-s390x"))
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace zk::installer::kernel::testing
