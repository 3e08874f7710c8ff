// SPDX-License-Identifier: MIT
// zk-release-dump-area: the integration suites' way to call save::release_dump_area and
// save::dump_fingerprint on a disk image, the same functions `zfcpdump-install save` uses,
// until that command is there to call. Never installed.
//   zk-release-dump-area fingerprint IMG          prints the fingerprint of the dump on IMG
//   zk-release-dump-area release IMG [--saved] [--force]
//                                                 prints "released" or "already empty"
// Exit status 0, or 1 with the error (a refusal too) on standard error; 2 for usage.
#include <cstdio>
#include <cstring>
#include <string>

#include "installer/save/dump_fingerprint.h"
#include "installer/save/release.h"
#include "ondisk/dump_area.h"
#include "ondisk/dump_disk.h"
#include "util/file_window.h"
#include "util/posix_file.h"

namespace {

using namespace zk;

int failed(const Error& e) {
  std::fprintf(stderr, "zk-release-dump-area: %s\n", e.describe().c_str());
  return 1;
}

int fingerprint(const std::string& image) {
  auto disk = util::PosixFile::open(image, util::OpenMode::kRead);
  if (!disk) return failed(disk.error());
  auto tool = ondisk::read_dump_disk(**disk, std::nullopt);
  if (!tool) return failed(tool.error());
  auto area = ondisk::inspect_dump_area(**disk, *tool);
  if (!area) return failed(area.error());
  if (area->kind != ondisk::DumpAreaKind::kDump)
    return failed(Error{0, image + ": the dump area holds no dump (" +
                               ondisk::dump_area_kind_name(area->kind) + ")"});
  const auto& sb = tool->superblock;
  util::FileWindow window(**disk, sb.part_start + sb.dump_offset, sb.dump_size);
  auto fp = installer::save::dump_fingerprint(window, *area->dump);
  if (!fp) return failed(fp.error());
  std::printf("%s\n", fp->c_str());
  return 0;
}

int release(const std::string& image, const installer::save::ReleaseRequest& request) {
  auto disk = util::PosixFile::open(image, util::OpenMode::kReadWrite);
  if (!disk) return failed(disk.error());
  auto tool = ondisk::read_dump_disk(**disk, std::nullopt);
  if (!tool) return failed(tool.error());
  auto r = installer::save::release_dump_area(**disk, *tool, request);
  if (!r) return failed(r.error());
  std::printf("%s\n",
              *r == installer::save::ReleaseResult::kReleased ? "released" : "already empty");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "fingerprint") == 0) return fingerprint(argv[2]);
  if (argc >= 3 && std::strcmp(argv[1], "release") == 0) {
    installer::save::ReleaseRequest request;
    for (int i = 3; i < argc; ++i) {
      if (std::strcmp(argv[i], "--saved") == 0) request.saved = true;
      else if (std::strcmp(argv[i], "--force") == 0) request.force = true;
      else argc = 0;
    }
    if (argc) return release(argv[2], request);
  }
  std::fprintf(stderr,
               "usage: zk-release-dump-area fingerprint IMG | release IMG [--saved] [--force]\n");
  return 2;
}
