// SPDX-License-Identifier: MIT
/// zk-make-vmcore: writes a synthetic s390x /proc/vmcore-shaped ELF core (see
/// tests/support/vmcore_builder.h) for tests and benchmarks. Silent on success unless --verbose.
/// Exit status: 0 written, 1 the core could not be written, 2 bad usage.

#include <getopt.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tests/support/vmcore_builder.h"
#include "util/strings.h"

namespace {

using zk::testsupport::VmcoreSpec;
using ull = unsigned long long;

constexpr const char* kUsage =
    "Usage: zk-make-vmcore --output FILE [options]\n"
    "Writes a synthetic s390x ELF core shaped like /proc/vmcore; memory holds a pattern\n"
    "derived from the physical address and the seed. Zero pages (--zero-percent) are holes\n"
    "in the file: a 1T core with 99.9 percent zero pages takes seconds and 1 GiB of disk.\n"
    "\n"
    "  -o, --output FILE        the core to write (created or truncated)\n"
    "  -c, --cpus N             CPUs, each with its register notes (default 2)\n"
    "  -m, --memory SIZE        one memory range [0, SIZE), e.g. 64M, 4G (default 64M)\n"
    "  -r, --range PADDR:SIZE   a memory range (repeatable; replaces --memory), e.g. 0:32M,\n"
    "                           0x4000000:16M; PADDR is hex with 0x, else a size like 64M\n"
    "      --os-release STR     OSRELEASE in VMCOREINFO (default 6.1.0-zk-test)\n"
    "      --seed N             seed of the pattern and of the zero runs (default 1)\n"
    "      --kernel-image SIZE[@PADDR]  add the kernel-image PT_LOAD (at a high virtual\n"
    "                           address) duplicating physical [PADDR, PADDR + SIZE), PADDR 0\n"
    "                           by default\n"
    "      --unaligned          pack notes and segments instead of page-aligning them\n"
    "      --vmcoreinfo-in-memory  also put VMCOREINFO and init_uts_ns into memory, where\n"
    "                           zgetdump looks for them (memory then differs from the pattern\n"
    "                           in a few bytes below 64 KiB)\n"
    "      --no-vmcoreinfo-note  leave the VMCOREINFO note out, as QEMU's dump-guest-memory\n"
    "                           does (with --vmcoreinfo-in-memory it is then only in memory)\n"
    "      --hostile CLAIM      headers that make a claim no kernel makes, for tests of the\n"
    "                           readers' bounds (only the fields named change):\n"
    "                             pn-xnum        e_phnum PN_XNUM, section header 0 claiming\n"
    "                                            2^32-1 program headers\n"
    "                             phnum-fffe     e_phnum 0xfffe\n"
    "                             phoff=OFFSET   16384 program headers at OFFSET (e.g. 1T,\n"
    "                                            0xffffffffffffffc0)\n"
    "                             note-beyond=SIZE  a PT_NOTE of SIZE bytes, the file as is\n"
    "                             note-inside=SIZE  the same in a file extended (sparse) to\n"
    "                                            hold it, e.g. 2G (at most 1T)\n"
    "                             namesz, descsz the first note's namesz or descsz 0xfffffff0\n"
    "  -v, --verbose            print the layout and the bytes in zero pages\n"
    "  -h, --help               this text\n"
    "\n"
    "Zero pages (for sparse dumps and benchmarks; deterministic for a given --seed):\n"
    "  -z, --zero-percent P     P percent (0 to 100, decimals allowed, e.g. 75 or 99.9) of\n"
    "                           each range's pages are all zero, exact to one page; with 0\n"
    "                           (the default) no page is all zero\n"
    "      --zero-runs KIND     lengths of the zero runs: mixed (default: each run single\n"
    "                           pages, tens or thousands of pages), short (1-9 pages), tens\n"
    "                           (10-99), long (1000-4999); data runs fill the gaps so that the\n"
    "                           share of zero pages holds all along memory\n"
    "      --fill KIND          the other pages: random (default: every word pseudo-random\n"
    "                           from its address and the seed, incompressible) or pattern\n"
    "                           (each page repeats a 64-byte line, compressible); never a\n"
    "                           zero page either way\n";

/// "75", "99.9", "0.05": a percentage as parts per million (at most 4 decimals).
std::optional<uint32_t> parse_percent_ppm(std::string_view text) {
  const auto dot = text.find('.');
  const auto whole = zk::util::parse_u64(text.substr(0, dot));
  if (!whole || *whole > 100) return std::nullopt;
  uint64_t ppm = *whole * 10000;
  if (dot != text.npos) {
    const auto decimals = text.substr(dot + 1);
    const auto fraction = zk::util::parse_u64(decimals);
    if (decimals.empty() || decimals.size() > 4 || !fraction) return std::nullopt;
    uint64_t scaled = *fraction;
    for (size_t i = decimals.size(); i < 4; ++i) scaled *= 10;
    ppm += scaled;
  }
  if (ppm > zk::testsupport::kAllPagesZeroPpm) return std::nullopt;
  return static_cast<uint32_t>(ppm);
}

std::optional<uint64_t> parse_paddr(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) return zk::util::parse_u64(text, 16);
  return zk::util::parse_size(text);
}

/// "phoff=1T" and the like: the --hostile claim and its value.
std::optional<std::pair<zk::testsupport::HostileClaim, uint64_t>> parse_claim(
    std::string_view text) {
  using zk::testsupport::HostileClaim;
  const auto eq = text.find('=');
  const auto name = text.substr(0, eq);
  const auto value = eq == text.npos ? std::nullopt : parse_paddr(text.substr(eq + 1));
  struct Known {
    std::string_view name;
    HostileClaim claim;
    bool takes_value;
  };
  static constexpr Known kKnown[] = {
      {"pn-xnum", HostileClaim::kPnXnum, false},
      {"phnum-fffe", HostileClaim::kPhnum0xfffe, false},
      {"phoff", HostileClaim::kPhoff, true},
      {"note-beyond", HostileClaim::kNoteBeyond, true},
      {"note-inside", HostileClaim::kNoteInside, true},
      {"namesz", HostileClaim::kNamesz, false},
      {"descsz", HostileClaim::kDescsz, false},
  };
  for (const auto& k : kKnown) {
    if (k.name != name) continue;
    if (k.takes_value != (eq != text.npos) || (k.takes_value && !value)) return std::nullopt;
    return std::pair{k.claim, value.value_or(0)};
  }
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "zk-make-vmcore: %s\n(zk-make-vmcore --help for usage)\n", message.c_str());
  return 2;
}

void print_layout(const std::string& path, const zk::testsupport::VmcoreLayout& layout) {
  std::printf("%s: %llu bytes, notes at %llu (%llu bytes)\n", path.c_str(),
              static_cast<ull>(layout.file_size), static_cast<ull>(layout.notes_offset),
              static_cast<ull>(layout.notes_size));
  for (const auto& l : layout.loads)
    std::printf("  PT_LOAD offset 0x%llx paddr 0x%llx vaddr 0x%llx size 0x%llx%s\n",
                static_cast<ull>(l.offset), static_cast<ull>(l.paddr), static_cast<ull>(l.vaddr),
                static_cast<ull>(l.size), l.kernel_image ? " (kernel image)" : "");
  std::printf("  zero pages: %llu bytes (holes)\n", static_cast<ull>(layout.zero_bytes));
}

}  // namespace

int main(int argc, char** argv) {
  enum {
    kOsRelease = 256,
    kSeed,
    kKernelImage,
    kUnaligned,
    kVmcoreinfoInMemory,
    kNoVmcoreinfoNote,
    kZeroRuns,
    kFill,
    kHostile
  };
  static const option long_options[] = {
      {"output", required_argument, nullptr, 'o'},
      {"cpus", required_argument, nullptr, 'c'},
      {"memory", required_argument, nullptr, 'm'},
      {"range", required_argument, nullptr, 'r'},
      {"os-release", required_argument, nullptr, kOsRelease},
      {"seed", required_argument, nullptr, kSeed},
      {"kernel-image", required_argument, nullptr, kKernelImage},
      {"unaligned", no_argument, nullptr, kUnaligned},
      {"vmcoreinfo-in-memory", no_argument, nullptr, kVmcoreinfoInMemory},
      {"no-vmcoreinfo-note", no_argument, nullptr, kNoVmcoreinfoNote},
      {"zero-percent", required_argument, nullptr, 'z'},
      {"zero-runs", required_argument, nullptr, kZeroRuns},
      {"fill", required_argument, nullptr, kFill},
      {"hostile", required_argument, nullptr, kHostile},
      {"verbose", no_argument, nullptr, 'v'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  VmcoreSpec spec;
  std::string output;
  std::optional<uint64_t> memory;
  std::vector<zk::testsupport::MemoryRange> ranges;
  bool verbose = false;
  int opt;
  while ((opt = getopt_long(argc, argv, "o:c:m:r:z:vh", long_options, nullptr)) != -1) {
    const std::string_view arg = optarg ? optarg : "";
    switch (opt) {
      case 'o': output = arg; break;
      case 'c': {
        auto n = zk::util::parse_u64(arg);
        if (!n || *n > 4096)
          return usage_error("--cpus: expected 0 to 4096, got '" + std::string(arg) + "'");
        spec.cpus = static_cast<unsigned>(*n);
        break;
      }
      case 'm':
        memory = zk::util::parse_size(arg);
        if (!memory || *memory == 0)
          return usage_error("--memory: bad size '" + std::string(arg) + "'");
        break;
      case 'r': {
        const auto colon = arg.find(':');
        const auto paddr = colon == arg.npos ? std::nullopt : parse_paddr(arg.substr(0, colon));
        const auto size =
            colon == arg.npos ? std::nullopt : zk::util::parse_size(arg.substr(colon + 1));
        if (!paddr || !size)
          return usage_error("--range: expected PADDR:SIZE, got '" + std::string(arg) + "'");
        ranges.push_back({*paddr, *size});
        break;
      }
      case kOsRelease: spec.os_release = arg; break;
      case kSeed: {
        auto n = zk::util::parse_u64(arg, 0);
        if (!n) return usage_error("--seed: bad number '" + std::string(arg) + "'");
        spec.seed = *n;
        break;
      }
      case kKernelImage: {
        const auto at = arg.find('@');
        const auto size = zk::util::parse_size(arg.substr(0, at));
        const auto paddr =
            at == arg.npos ? std::optional<uint64_t>(0) : parse_paddr(arg.substr(at + 1));
        if (!size || *size == 0 || !paddr)
          return usage_error("--kernel-image: expected SIZE[@PADDR], got '" + std::string(arg) +
                             "'");
        spec.kernel_image_size = *size;
        spec.kernel_image_paddr = *paddr;
        break;
      }
      case kUnaligned: spec.page_align_data = false; break;
      case kVmcoreinfoInMemory: spec.vmcoreinfo_in_memory = true; break;
      case kNoVmcoreinfoNote: spec.vmcoreinfo_note = false; break;
      case 'z': {
        const auto ppm = parse_percent_ppm(arg);
        if (!ppm)
          return usage_error("--zero-percent: expected 0 to 100 (up to 4 decimals), got '" +
                             std::string(arg) + "'");
        spec.zero_ppm = *ppm;
        break;
      }
      case kZeroRuns:
        if (arg == "mixed") spec.zero_runs = zk::testsupport::ZeroRuns::kMixed;
        else if (arg == "short") spec.zero_runs = zk::testsupport::ZeroRuns::kShort;
        else if (arg == "tens") spec.zero_runs = zk::testsupport::ZeroRuns::kTens;
        else if (arg == "long") spec.zero_runs = zk::testsupport::ZeroRuns::kLong;
        else
          return usage_error("--zero-runs: expected mixed, short, tens or long, got '" +
                             std::string(arg) + "'");
        break;
      case kFill:
        if (arg == "random") spec.fill = zk::testsupport::DataFill::kRandom;
        else if (arg == "pattern") spec.fill = zk::testsupport::DataFill::kRepeating;
        else
          return usage_error("--fill: expected random or pattern, got '" + std::string(arg) + "'");
        break;
      case kHostile: {
        const auto claim = parse_claim(arg);
        if (!claim)
          return usage_error("--hostile: unknown claim or bad value '" + std::string(arg) +
                             "' (see --help)");
        spec.hostile = claim->first;
        spec.hostile_value = claim->second;
        break;
      }
      case 'v': verbose = true; break;
      case 'h': std::fputs(kUsage, stdout); return 0;
      default: return usage_error("unknown option");
    }
  }
  if (optind != argc) return usage_error(std::string("unexpected argument '") + argv[optind] + "'");
  if (output.empty()) return usage_error("--output is required");
  if (!ranges.empty()) spec.memory = ranges;
  else if (memory) spec.memory = {{0, *memory}};

  auto layout = zk::testsupport::plan_vmcore(spec);
  if (!layout) return usage_error(layout.error().describe());
  if (auto r = zk::testsupport::write_vmcore(output, spec); !r) {
    std::fprintf(stderr, "zk-make-vmcore: %s\n", r.error().describe().c_str());
    return 1;
  }
  if (verbose) print_layout(output, *layout);
  return 0;
}
