// SPDX-License-Identifier: MIT
/// zfcpdump-install: prepares SCSI dump disks for Linux on IBM Z and keeps them current.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "installer/commands/command.h"
#include "installer/config.h"
#include "installer/system/run_with_file.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace {

using namespace zk::installer;

void print_usage(FILE* out) {
  std::fprintf(out,
               "Usage: zfcpdump-install COMMAND [OPTION]... [ARGUMENT]...\n\n"
               "Prepares SCSI dump disks for Linux on IBM Z (zfcpdump) and keeps them current.\n\n"
               "Commands:\n");
  for (const auto& c : commands::all_commands()) {
    const auto& s = c.spec();
    std::fprintf(out, "  %.*s\n", static_cast<int>(s.synopsis.size()), s.synopsis.data());
  }
  std::fprintf(out,
               "\nRun 'zfcpdump-install COMMAND --help' for a command's options; the manual is\n"
               "zfcpdump-install(8).\n"
               "\nGeneral options:\n"
               "  -h, --help      print this help and exit\n"
               "      --version   print the version and exit\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return commands::kExitUsage;
  }
  const std::string first = argv[1];
  // zfcpdump-install started by itself to run zipl with a disk's own ramdisk (never typed).
  if (first == system::kRunWithFile) return system::run_with_file(argc, argv);
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage(stdout);
    return commands::kExitOk;
  }
  if (first == "--version") {
    std::printf("zfcpdump-install %s\n", ZK_VERSION);
    return commands::kExitOk;
  }
  for (const auto& c : commands::all_commands()) {
    const auto& spec = c.spec();
    if (spec.name != first) continue;
    std::vector<std::string> words(argv + 2, argv + argc);
    auto args = cli::parse(spec, words);
    if (!args) {
      std::fprintf(stderr, "zfcpdump-install: %s\nTry 'zfcpdump-install %s --help'.\n",
                   args.error().describe().c_str(), first.c_str());
      return commands::kExitUsage;
    }
    if (args->has("help")) {
      std::fputs(cli::render_help(spec).c_str(), stdout);
      return commands::kExitOk;
    }
    const auto config_path = args->get("config");
    auto config = load_config(config_path.value_or(kDefaultConfigPath), config_path.has_value());
    if (!config) {
      std::fprintf(stderr, "zfcpdump-install: configuration: %s\n",
                   config.error().describe().c_str());
      return commands::kExitFailure;
    }
    cli::Report report(args->has("json"), args->has("quiet"));
    commands::Context ctx{*args, report, *config};
    return c.run(ctx);
  }
  std::fprintf(stderr, "zfcpdump-install: unknown command '%s'\n", first.c_str());
  print_usage(stderr);
  return commands::kExitUsage;
}
