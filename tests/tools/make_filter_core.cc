// SPDX-License-Identifier: MIT
// zk-make-filter-core: writes a sparse s390x ELF core of a large machine whose page structures
// the page filter reads (tests/support/filter_core.h), for measuring the dumper's memory at any
// memory size: a 512 GiB core takes about a MB of disk, while a bitmap of all its pages (16 MiB)
// would not fit the dumper's 8 MiB.
//
// Usage: zk-make-filter-core --output FILE --memory SIZE [--fill]   (SIZE: whole 2G, up to 8T)
#include <cstdio>
#include <string>

#include "tests/support/filter_core.h"
#include "util/strings.h"

int main(int argc, char** argv) {
  zk::testsupport::FilterCoreSpec spec;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--output" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--memory" && i + 1 < argc) {
      spec.memory = zk::util::parse_size(argv[++i]).value_or(0);
    } else if (a == "--fill") {
      spec.fill = true;
    } else {
      out.clear();
      break;
    }
  }
  if (out.empty() || spec.memory == 0) {
    std::fputs("Usage: zk-make-filter-core --output FILE --memory SIZE [--fill]\n", stderr);
    return 2;
  }
  if (auto r = zk::testsupport::write_filter_core(out, spec); !r) {
    std::fprintf(stderr, "zk-make-filter-core: %s\n", r.error().describe().c_str());
    return 1;
  }
  const unsigned long long pages = spec.memory / 4096;
  std::printf("%s: %llu GiB of memory, %llu pages, %llu of them kept at dump level 16 or 31\n",
              out.c_str(), static_cast<unsigned long long>(spec.memory >> 30), pages, pages / 256);
  return 0;
}
