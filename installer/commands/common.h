#pragma once
/// What several subcommands share: reporting failures, and the ramdisk inputs (the dumper,
/// the compressor, baked-in dumper parameters) that `ramdisk` and `build` both take.

#include <string>

#include "initramfs-gen/ramdisk_spec.h"
#include "installer/commands/command.h"
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
Result<initramfs::RamdiskSpec> ramdisk_spec_from(const Context& ctx);

}  // namespace zk::installer::commands
