// SPDX-License-Identifier: MIT
// Replays inputs through a target's fuzz_one without libFuzzer: the regression test of every
// corpus input and every kept finding, built by any compiler (the host build's g++ runs it in
// CTest; the sanitizer build runs it under ASan and UBSan).
//
// Usage: zk-fuzz-replay-TARGET DIR_OR_FILE...
// Files and directories (recursively) are replayed in name order; names starting with "." and
// README* are skipped. Fails when nothing was replayed; a crash is the test's failure.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz/fuzz_one.h"
#include "util/read_file.h"

namespace fs = std::filesystem;

namespace {

bool skipped(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name.front() == '.' || name.starts_with("README");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::end(it);
           it.increment(ec))
        if (it->is_regular_file() && !skipped(it->path())) inputs.push_back(it->path());
    } else if (fs::is_regular_file(arg, ec)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or directory (skipped)\n", argv[i]);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 1;
  }
  for (const auto& p : inputs) {
    auto bytes = zk::util::read_file(p.string(), 64u << 20);
    if (!bytes) {
      std::fprintf(stderr, "replay: %s\n", bytes.error().describe().c_str());
      return 1;
    }
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", p.c_str(), bytes->size());
    // A copy in a buffer of exactly the input's size, as libFuzzer hands it over, so that
    // ASan sees a read one byte past the end.
    std::vector<uint8_t> exact(bytes->begin(), bytes->end());
    zk::fuzz::run_one(exact.data(), exact.size());
  }
  std::printf("replayed %zu inputs\n", inputs.size());
  return 0;
}
