// SPDX-License-Identifier: MIT
#pragma once
/// Running a program with one file replaced, for it alone: zipl -d reads the zfcpdump ramdisk
/// from a path compiled into it, and one disk's copy of that ramdisk carries defaults of its
/// own (zfcpdump.disk=). zfcpdump-install starts itself with a hidden first argument; that
/// process enters a mount namespace of its own, bind-mounts the disk's ramdisk over the
/// layout's and executes zipl there. Nothing outside that namespace sees the swap, and nothing
/// is left to undo if anything is interrupted: the namespace ends with the process.

#include <string>
#include <string_view>
#include <vector>

namespace zk::installer::system {

/// The hidden first argument: `zfcpdump-install __run-with-file SOURCE TARGET -- PROGRAM ARG...`.
inline constexpr std::string_view kRunWithFile = "__run-with-file";
/// The line it prints (to stderr, which zipl's output shares) when it cannot make the swap and
/// runs the program on the layout's file instead; callers look for it.
inline constexpr std::string_view kRunWithFileFallback =
    "zfcpdump-install: this disk's own ramdisk could not be given to zipl";

/// The argv that runs `program_argv` with `source` over `target`, through `self` (this program:
/// /proc/self/exe).
[[nodiscard]] std::vector<std::string> run_with_file_argv(
    const std::string& self, const std::string& source, const std::string& target,
    const std::vector<std::string>& program_argv);

/// The hidden command (argv as main() got it, argv[1] == kRunWithFile). Executes the program;
/// returns only when that fails (127) or the arguments are wrong (2). When the namespace or the
/// bind mount cannot be made (no CAP_SYS_ADMIN, a kernel without mount namespaces) it says so
/// with kRunWithFileFallback and the reason, and runs the program unchanged.
int run_with_file(int argc, char** argv);

}  // namespace zk::installer::system
