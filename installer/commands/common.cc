#include "installer/commands/common.h"

#include "initramfs-gen/compression.h"
#include "installer/kernel/kernel_config.h"
#include "util/strings.h"

#ifndef ZK_DUMPER_PATH
#define ZK_DUMPER_PATH "/usr/libexec/zfcpdump-kit/zfcpdump-dumper"
#endif

namespace zk::installer::commands {

int failure(cli::Report& r, const Error& e) {
  r.error(e.describe());
  r.finish(false);
  return kExitFailure;
}

int usage_error(cli::Report& r, const std::string& message) {
  r.error(message);
  r.finish(false);
  return kExitUsage;
}

std::string dumper_path(const Context& ctx) {
  if (auto d = ctx.args.get("dumper")) return *d;
  if (!ctx.config.dumper.empty()) return ctx.config.dumper;
  return ZK_DUMPER_PATH;
}

Result<initramfs::RamdiskSpec> ramdisk_spec_from(const Context& ctx) {
  initramfs::RamdiskSpec spec;
  spec.dumper_path = dumper_path(ctx);
  auto c = initramfs::parse_compression(ctx.args.get("compress").value_or(ctx.config.compress));
  if (!c) return std::unexpected(c.error());
  spec.compression = *c;
  auto mtime = initramfs::mtime_from_environment();
  if (!mtime) return std::unexpected(mtime.error());
  spec.mtime = *mtime;
  const auto params = ctx.args.all("dumper-param");
  if (!params.empty()) {
    std::string text = "# Defaults baked in by zfcpdump-install; kernel parameters override them.\n";
    for (const auto& p : params) {
      if (p.find('=') == std::string::npos || p.find_first_of(" \t\n") != std::string::npos)
        return fail("--dumper-param '" + p + "' is not a single key=value word");
      text += p + "\n";
    }
    spec.config_text = text;
  }
  if (auto cfg = ctx.args.get("kernel-config")) {
    auto config = kernel::KernelConfig::load(*cfg);
    if (!config) return std::unexpected(config.error());
    const std::string option(initramfs::kernel_config_option(spec.compression));
    if (!option.empty() && !config->is_builtin(option))
      return fail(util::format("the dump kernel cannot unpack a %s ramdisk: %s is not set in %s",
                               std::string(initramfs::compression_name(spec.compression)).c_str(),
                               option.c_str(), cfg->c_str()));
  }
  return spec;
}

}  // namespace zk::installer::commands
