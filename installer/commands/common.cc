// SPDX-License-Identifier: MIT
#include "installer/commands/common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "initramfs-gen/compression.h"
#include "installer/disk/disk_options.h"
#include "installer/kernel/kernel_config.h"
#include "ondisk/program_kind.h"
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

Result<std::vector<std::string>> dumper_words(const Context& ctx) {
  auto words = ctx.args.all("dumper-param");
  if (auto l = ctx.args.get("dump-level")) {
    auto level = disk::parse_dump_level(*l);
    if (!level) return std::unexpected(level.error());
    for (const auto& w : words)
      if (w.starts_with("zfcpdump.dump_level="))
        return fail("--dump-level and --dumper-param " + w + ": give one of them");
    words.push_back(util::format("zfcpdump.dump_level=%u", *level));
  }
  return words;
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
  auto words = dumper_words(ctx);
  if (!words) return std::unexpected(words.error());
  auto text = layout::dumper_config_text(*words);
  if (!text) return std::unexpected(text.error());
  spec.config_text = *text;
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

Result<void> vet_dumper(Context& ctx, const std::string& path) {
  auto kind = ondisk::read_program_kind(path);
  if (!kind) return std::unexpected(kind.error().wrap("the dumper"));
  if (ondisk::is_static_s390x(*kind)) return {};
  const std::string what = "the dumper " + path + " is " + ondisk::describe_program(*kind) +
                           ": it cannot run as /init of the zfcpdump ramdisk, which holds no "
                           "libraries and runs in an s390x kernel";
  if (!ctx.args.has("force"))
    return fail(what + " (use the static s390x zfcpdump-dumper, or --force)");
  ctx.report.warn(what + "; put in all the same (--force)");
  return {};
}

layout::BuildEvents report_events(cli::Report& r) {
  return {[&r](const std::string& s) { r.step(s); }, [&r](const std::string& s) { r.note(s); },
          [&r](const std::string& s) { r.warn(s); }, [&r](const std::string& s) { r.error(s); }};
}

ScratchDir::ScratchDir() {
  const char* base = std::getenv("TMPDIR");
  std::string t = std::string(base && *base ? base : "/tmp") + "/zfcpdump-install.XXXXXX";
  if (::mkdtemp(t.data())) path_ = t;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace zk::installer::commands
