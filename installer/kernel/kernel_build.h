// SPDX-License-Identifier: MIT
#pragma once
/// Building a zfcpdump kernel from a source tree, out of tree (O=DIR, so the source may be
/// read-only): `make <defconfig>`, the config fragments merged with the kernel's own
/// scripts/kconfig/merge_config.sh and settled with `make olddefconfig`, then `make <target>`.
/// Cross-compiles (ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-) on anything but s390x.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace zk::installer::kernel {

/// What a build is doing, for a progress display. Passed to the callback when a phase starts,
/// every `progress_interval` while it runs, and when it has succeeded.
struct BuildProgress {
  std::string_view phase;          ///< "defconfig", "fragments", "olddefconfig", "bzImage"
  uint64_t steps = 0;              ///< kbuild steps ("  CC      mm/slab.o") seen in this phase
  std::chrono::seconds elapsed{};  ///< since the build started
  std::string_view last_step;      ///< the latest such line, trimmed
};
using ProgressFn = std::function<void(const BuildProgress&)>;

/// ARCH and CROSS_COMPILE for building an s390 kernel on a host whose `uname -m` is `machine`:
/// native ("", "") on s390x, else ("s390", "s390x-linux-gnu-").
struct Toolchain {
  std::string arch;
  std::string cross_compile;
};
[[nodiscard]] Toolchain toolchain_for_host(std::string_view machine);
/// toolchain_for_host(uname().machine).
[[nodiscard]] Toolchain host_toolchain();
/// "<CROSS_COMPILE>gcc (Debian 12.2.0-14) 12.2.0": the compiler's first --version line, which
/// belongs in a cache key (another compiler makes another kernel). An error when it is missing.
Result<std::string> toolchain_identity(const Toolchain& toolchain);

struct BuildOptions {
  std::string source_dir;  ///< the kernel source tree
  std::string build_dir;   ///< O= directory, created if missing; reusing one continues a build
  std::string defconfig = "zfcpdump_defconfig";
  std::vector<std::string> fragments;  ///< config fragment files, merged in order
  std::string target = "bzImage";
  std::string log_path;  ///< the whole build's output goes here (truncated first); kept
  std::optional<Toolchain> toolchain;  ///< nullopt: host_toolchain()
  unsigned jobs = 0;                   ///< make -j; 0: the CPUs this process may use
  ProgressFn progress;
  std::chrono::milliseconds progress_interval{10000};
};

/// What a build produced (all paths absolute).
struct BuildArtifacts {
  std::string image;    ///< arch/s390/boot/bzImage
  std::string vmlinux;  ///< with its symbols, for crash
  std::string config;   ///< the final .config
  std::string log;      ///< the build log
  std::string release;  ///< `make kernelrelease`: "6.1.192"
};

/// A fragment option the final .config does not have as requested (missing dependency,
/// misspelt or removed symbol).
struct FragmentMismatch {
  std::string option;
  std::string requested;  ///< ConfigValue::display()
  std::string actual;     ///< the same, or "absent"
};

/// Compares the final config with the fragments (later fragments win, as when merging).
/// An option requested "is not set" that the final config does not mention matches.
Result<std::vector<FragmentMismatch>> check_fragments_applied(
    const std::string& final_config, const std::vector<std::string>& fragments);

/// Runs the build. Fails with the failing command, its exit status, the log's path and the
/// log's last lines; also when a fragment's option did not make it into the final .config
/// (listed), since a dump kernel silently missing an option is worse than no kernel.
Result<BuildArtifacts> build_kernel(const BuildOptions& options);

/// The argv for `make` in the build: make -C SRC O=OUT [ARCH= CROSS_COMPILE=] [-jN] targets.
[[nodiscard]] std::vector<std::string> make_argv(const BuildOptions& options, const Toolchain& tc,
                                                 std::vector<std::string> targets, unsigned jobs);

/// Whether `line` is a kbuild step in quiet mode ("  CC      init/main.o").
[[nodiscard]] bool is_kbuild_step(std::string_view line);

/// CPUs this process may run on (sched_getaffinity), at least 1.
[[nodiscard]] unsigned available_cpus();

}  // namespace zk::installer::kernel
