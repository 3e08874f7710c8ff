// SPDX-License-Identifier: MIT
#pragma once
/// Test-only: a kernel source tree and a `make` that only pretend, so the build logic (phases,
/// arguments, log, progress, failure reports, caching) is tested in milliseconds. The real
/// build is tests/kernel's integration test.
///
/// The fake make understands `make -C SRC O=OUT ... TARGET` for TARGET zfcpdump_defconfig,
/// olddefconfig (drops CONFIG_UNKNOWN_SYMBOL, as Kconfig drops unknown symbols) and bzImage
/// (prints three kbuild steps and writes the artifacts; with FAKE_MAKE_FAIL set it prints 30
/// error lines and exits 2). Each call appends its arguments to $FAKE_MAKE_CALLS.

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::installer::kernel::testing {

class FakeKernelTree {
 public:
  FakeKernelTree() {
    namespace fs = std::filesystem;
    fs::create_directories(src() + "/arch/s390");
    fs::create_directories(src() + "/scripts/kconfig");
    fs::create_directories(bin());
    put(src() + "/Makefile",
        "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\n"
        "EXTRAVERSION =\nNAME = Curry Ramen\n");
    // merge_config.sh -m .config FRAG...: append the fragments (later lines win).
    put(src() + "/scripts/kconfig/merge_config.sh",
        "[ \"$1\" = -m ] || exit 9\nshift\nbase=$1\nshift\nfor f in \"$@\"; do cat \"$f\" >> "
        "\"$base\"; "
        "done\necho merged\n");
    put(bin() + "/make",
        "#!/bin/sh\n"
        "echo \"$*\" >> \"${FAKE_MAKE_CALLS:-/dev/null}\"\n"
        "out=; target=\n"
        "for a in \"$@\"; do case $a in O=*) out=${a#O=} ;; -*|*=*) ;; *) target=$a ;; esac; done\n"
        "case $target in\n"
        "  zfcpdump_defconfig) printf 'CONFIG_CRASH_DUMP=y\\n# CONFIG_RD_XZ is not set\\n' > "
        "\"$out/.config\" ;;\n"
        "  olddefconfig) grep -v UNKNOWN_SYMBOL \"$out/.config\" > \"$out/.config.new\"; mv "
        "\"$out/.config.new\" \"$out/.config\" ;;\n"
        "  bzImage)\n"
        "    echo '  CC      init/main.o'; echo '  AS      arch/s390/kernel/head64.o'; echo "
        "'make[1]: noise'\n"
        "    echo '  LD      vmlinux'\n"
        "    if [ -n \"$FAKE_MAKE_FAIL\" ]; then i=1; while [ $i -le 30 ]; do echo \"error $i\" "
        ">&2; i=$((i+1)); done; exit 2; fi\n"
        "    mkdir -p \"$out/arch/s390/boot\" \"$out/include/config\"\n"
        "    echo image > \"$out/arch/s390/boot/bzImage\"; echo elf > \"$out/vmlinux\"\n"
        "    echo 6.1.192 > \"$out/include/config/kernel.release\" ;;\n"
        "  *) echo \"fake make: unknown target $target\" >&2; exit 1 ;;\n"
        "esac\n");
    ::chmod((bin() + "/make").c_str(), 0755);
    put(bin() + "/fake-gcc", "#!/bin/sh\necho 'fake-gcc (Fake 1.0) 1.0'\n");
    ::chmod((bin() + "/fake-gcc").c_str(), 0755);

    old_path_ = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
    ::setenv("PATH", (bin() + ":" + old_path_).c_str(), 1);
    ::setenv("FAKE_MAKE_CALLS", calls_file().c_str(), 1);
    ::unsetenv("FAKE_MAKE_FAIL");
  }
  ~FakeKernelTree() {
    ::setenv("PATH", old_path_.c_str(), 1);
    ::unsetenv("FAKE_MAKE_CALLS");
    ::unsetenv("FAKE_MAKE_FAIL");
  }
  FakeKernelTree(const FakeKernelTree&) = delete;
  FakeKernelTree& operator=(const FakeKernelTree&) = delete;

  [[nodiscard]] std::string src() const { return dir_.path() + "/src"; }
  [[nodiscard]] std::string bin() const { return dir_.path() + "/bin"; }
  [[nodiscard]] std::string file(const std::string& name) const { return dir_.file(name); }
  [[nodiscard]] std::string calls_file() const { return dir_.file("make-calls"); }
  /// The arguments of every make call so far, one line each.
  [[nodiscard]] std::string calls() const { return read(calls_file()); }

  static void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string read(const std::string& path) {
    return util::read_file(path, 64u << 20).value_or("");
  }

 private:
  testsupport::TempDir dir_;
  std::string old_path_;
};

}  // namespace zk::installer::kernel::testing
