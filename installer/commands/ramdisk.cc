// SPDX-License-Identifier: MIT
// zfcpdump-install ramdisk: writes the zfcpdump ramdisk around the static dumper, or lists any
// newc ramdisk.
#include <cstdio>

#include "initramfs-gen/compression.h"
#include "initramfs-gen/listing_format.h"
#include "initramfs-gen/ramdisk_lister.h"
#include "initramfs-gen/ramdisk_writer.h"
#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "util/strings.h"

namespace zk::installer::commands {

const cli::CommandSpec& ramdisk_spec() {
  static const cli::CommandSpec spec{
      "ramdisk",
      "ramdisk -o FILE [OPTION]... | ramdisk --list FILE",
      "Writes the zfcpdump ramdisk: a reproducible newc cpio with the static dumper as /init,\n"
      "the directories it mounts on, /dev/console and /dev/null, and optionally the dumper's\n"
      "baked-in defaults as /etc/zfcpdump.conf. Entries are sorted, owned by root, dated\n"
      "SOURCE_DATE_EPOCH (or 0). With --list, lists any newc ramdisk, compressed or not.",
      {
          {"output", 'o', "FILE", "write the ramdisk to FILE"},
          {"compress", 0, "METHOD", "gzip (default), xz, zstd, lz4 or none"},
          {"dumper", 0, "PATH", "the static zfcpdump-dumper to put in as /init"},
          {"force", 0, "", "put in a dumper that is not a static s390x program"},
          {"dumper-param", 0, "WORD",
           "bake a dumper parameter (e.g. zfcpdump.action=poweroff) into the ramdisk", true},
          {"dump-level", 0, "N",
           "bake the dumper's default dump level, 0 to 31 (zfcpdump.dump_level=N; default 1)"},
          {"kernel-config", 0, "CONFIG",
           "refuse a compressor the dump kernel's .config cannot unpack"},
          {"list", 0, "FILE", "list the entries of the ramdisk FILE"},
          {"dry-run", 'n', "", "build it in a scratch directory and say what -o FILE would get"},
      },
      0,
      0,
  };
  return spec;
}

int run_ramdisk(Context& ctx) {
  auto& r = ctx.report;
  const auto& a = ctx.args;
  if (auto list = a.get("list")) {
    if (a.has("output")) return usage_error(r, "--list and --output do not go together");
    auto entries = initramfs::list_ramdisk(*list);
    if (!entries) return failure(r, entries.error());
    if (r.json()) {
      cli::Json arr = cli::Json::array();
      for (const auto& e : *entries)
        arr.push_back({{"path", e.path},
                       {"mode", initramfs::mode_string(e.type, e.mode)},
                       {"uid", e.uid},
                       {"gid", e.gid},
                       {"size", e.size},
                       {"rdev", util::format("%u,%u", e.rdev_major, e.rdev_minor)}});
      r.field_json("entries", std::move(arr));
    } else {
      std::fputs(initramfs::format_listing(*entries).c_str(), stdout);
    }
    r.finish(true);
    return kExitOk;
  }

  const auto output = a.get("output");
  if (!output) return usage_error(r, "ramdisk needs -o FILE (or --list FILE)");
  auto spec = ramdisk_spec_from(ctx);
  if (!spec) return failure(r, spec.error());
  if (auto ok = vet_dumper(ctx, spec->dumper_path); !ok) return failure(r, ok.error());
  // A dry run builds the same bytes in a private directory (removed on return), so that the
  // sizes it reports are the real ones, and leaves FILE alone.
  const bool dry = a.has("dry-run");
  ScratchDir scratch;
  if (dry && scratch.path().empty())
    return failure(r, Error{errno, "create a temporary directory"});
  const std::string target = dry ? scratch.path() + "/ramdisk" : *output;
  r.step((dry ? "Would write the ramdisk " : "Writing the ramdisk ") + *output +
         (dry ? " (dry run: built in a scratch directory, nothing written)" : ""));
  auto info = initramfs::write_ramdisk(*spec, target);
  if (!info) return failure(r, info.error());
  if (dry) {
    info->path = *output;
    r.field("dry_run", true);
  }
  r.note(util::format("/init: %s", spec->dumper_path.c_str()));
  r.field("ramdisk", info->path);
  r.field("compression", std::string(initramfs::compression_name(info->compression)));
  r.field("entries", uint64_t{info->entries});
  r.field("size", info->file_bytes);
  r.field("uncompressed", info->archive_bytes);
  r.finish(true);
  return kExitOk;
}

}  // namespace zk::installer::commands
