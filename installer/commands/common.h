// SPDX-License-Identifier: MIT
#pragma once
/// What several subcommands share: reporting failures, the ramdisk inputs (the dumper, the
/// compressor, baked-in dumper parameters) that `ramdisk`, `build` and `hook` take, a scratch
/// directory, and the glue between the layout builder's events and the report.

#include <string>
#include <vector>

#include "initramfs-gen/ramdisk_spec.h"
#include "installer/commands/command.h"
#include "installer/layout/build_layout.h"
#include "installer/system/host.h"
#include "util/error.h"

namespace zk::installer::commands {

/// Reports `e` and finishes the report; returns kExitFailure.
int failure(cli::Report& r, const Error& e);
/// Reports a usage error and finishes; returns kExitUsage.
int usage_error(cli::Report& r, const std::string& message);

/// The dumper to put into a ramdisk: --dumper, else the configuration's, else the installed one.
[[nodiscard]] std::string dumper_path(const Context& ctx);

/// The ramdisk spec from --compress, --dumper, --dumper-param and SOURCE_DATE_EPOCH; with
/// --kernel-config, a compressor the kernel cannot unpack is refused naming its option.
/// The dumper's baked words: every --dumper-param, and zfcpdump.dump_level=N for --dump-level N
/// (0..31; refused beside a --dumper-param that sets it too).
Result<std::vector<std::string>> dumper_words(const Context& ctx);

Result<initramfs::RamdiskSpec> ramdisk_spec_from(const Context& ctx);

/// The dumper goes into a ramdisk as /init, which has no libraries and no dynamic loader and
/// runs in an s390x kernel: it must be a static s390x program. Refuses anything else, naming
/// what it is; with --force a warning says so and the ramdisk is made all the same (a test
/// build, a dumper for another purpose). A file that cannot be read as ELF is refused always.
Result<void> vet_dumper(Context& ctx, const std::string& path);

/// BuildEvents that tell the report: steps, notes, warnings and errors.
[[nodiscard]] layout::BuildEvents report_events(cli::Report& r);

/// run_disk and run_hook with the machine behind `host` (run_disk and run_hook use a
/// system::RealHost; the commands' unit tests a system::HostDouble).
int run_disk_on(Context& ctx, system::Host& host);
int run_hook_on(Context& ctx, system::Host& host);

/// A private temporary directory below $TMPDIR (else /tmp), removed with its contents.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  /// Empty when it could not be made (errno says why).
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace zk::installer::commands
