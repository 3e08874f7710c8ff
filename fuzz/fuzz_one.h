// SPDX-License-Identifier: MIT
#pragma once
/// The one entry point every fuzz target defines. The same object file is linked into the
/// libFuzzer binary (libfuzzer_main.cc, clang, -fsanitize=fuzzer) and into the replay program
/// (replay_main.cc, any compiler) that CTest runs over fuzz/corpus and fuzz/regressions, so a
/// finding kept as a regression input is replayed by the ordinary host build forever after.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

/// Feeds one input to the parsers of a target. Returns 0 (libFuzzer's convention; -1 would
/// keep the input out of the corpus). Problems are crashes: sanitizer reports, or FUZZ_CHECK.
int fuzz_one(const uint8_t* data, size_t size);

/// A property the code under test documents (an accepted partition lies on the disk, a clamped
/// value is in its range, rendering and parsing round-trip). A violation aborts, which libFuzzer
/// and the replay both report as a crash, with the input kept -- unless ZK_FUZZ_TOLERATE (a
/// comma-separated list of substrings of "file.cc:LINE: condition") names it: then the input is
/// abandoned and fuzzing goes on, so that a campaign is not stuck on a finding already reported
/// (reported once per message on stderr as "FUZZ_CHECK tolerated: ...").
#define FUZZ_CHECK(cond)                                              \
  do {                                                                \
    if (!(cond)) ::zk::fuzz::check_failed(__FILE__, __LINE__, #cond); \
  } while (0)
/// FUZZ_CHECK with an explanation (a std::string expression, evaluated only on failure and
/// printed only when the failure is not tolerated).
#define FUZZ_CHECK_DETAIL(cond, detail)                                             \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      const std::string zk_fuzz_detail_ = (detail);                                 \
      ::zk::fuzz::check_failed(__FILE__, __LINE__, #cond, zk_fuzz_detail_.c_str()); \
    }                                                                               \
  } while (0)

namespace zk::fuzz {

/// Thrown by a tolerated FUZZ_CHECK; the drivers catch it.
struct Tolerated {};

[[noreturn]] void check_failed(const char* file, int line, const char* condition,
                               const char* detail = nullptr);

/// fuzz_one with tolerated findings caught: what both drivers call.
inline int run_one(const uint8_t* data, size_t size) {
  try {
    return fuzz_one(data, size);
  } catch (const Tolerated&) {
    return 0;
  }
}

}  // namespace zk::fuzz
