// SPDX-License-Identifier: MIT
#include "installer/kernel/build_cache.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "util/atomic_file.h"
#include "util/read_file.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace zk::installer::kernel {

namespace fs = std::filesystem;

namespace {

constexpr const char* kVmlinux = "vmlinux";
constexpr const char* kConfig = "config";
constexpr const char* kLog = "build.log";
constexpr const char* kRelease = "release";

Result<void> move_or_copy(const std::string& from, const std::string& to, bool move) {
  if (move) {
    if (::rename(from.c_str(), to.c_str()) == 0) return {};
    if (errno != EXDEV) return fail_errno(errno, "move " + from + " to " + to);
  }
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return fail_errno(ec.value(), "copy " + from + " to " + to);
  return {};
}

}  // namespace

std::string cache_key(const CacheKeyInputs& in) {
  util::Sha256 h;
  auto add = [&](std::string_view field) {
    h.update(util::format("%zu:", field.size()));
    h.update(field);
  };
  add("zfcpdump-kit kernel cache v1");
  add(in.source_version);
  add(in.source_identity);
  add(in.defconfig);
  add(util::format("%zu fragments", in.fragment_contents.size()));
  for (const auto& f : in.fragment_contents) add(f);
  add(in.target);
  add(in.toolchain);
  return in.source_version + "-" + h.hex().substr(0, 16);
}

Result<std::string> default_cache_root() {
  if (const char* c = std::getenv("ZFCPDUMP_KIT_CACHE"); c && *c) return std::string(c);
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/zfcpdump-kit";
  return fail("neither ZFCPDUMP_KIT_CACHE nor HOME is set: no place for the kernel cache");
}

std::optional<BuildArtifacts> find_cached_build(const std::string& entry_dir,
                                                const std::string& target) {
  BuildArtifacts a;
  a.image = entry_dir + "/" + target;
  a.vmlinux = entry_dir + "/" + kVmlinux;
  a.config = entry_dir + "/" + kConfig;
  a.log = entry_dir + "/" + kLog;
  std::error_code ec;
  for (const auto* p : {&a.image, &a.vmlinux, &a.config, &a.log})
    if (!fs::is_regular_file(*p, ec)) return std::nullopt;
  auto release = util::read_file(entry_dir + "/" + kRelease, 4096);
  if (!release) return std::nullopt;
  a.release = std::string(util::trim(*release));
  if (a.release.empty()) return std::nullopt;
  return a;
}

Result<BuildArtifacts> store_build(const BuildArtifacts& built, const std::string& entry_dir,
                                   const std::string& target, bool move) {
  const std::string tmp =
      util::format("%s.tmp-%d", entry_dir.c_str(), static_cast<int>(::getpid()));
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return fail_errno(ec.value(), "create " + tmp);
  auto cleanup_on_error = [&](const Error& e) -> Result<BuildArtifacts> {
    fs::remove_all(tmp, ec);
    return std::unexpected(e.wrap("store the kernel build in the cache"));
  };
  const std::pair<const std::string*, std::string> files[] = {{&built.image, target},
                                                              {&built.vmlinux, kVmlinux},
                                                              {&built.config, kConfig},
                                                              {&built.log, kLog}};
  for (const auto& [from, name] : files)
    if (auto r = move_or_copy(*from, tmp + "/" + name, move); !r)
      return cleanup_on_error(r.error());
  if (auto r = util::write_file_atomically(tmp + "/" + kRelease, built.release + "\n"); !r)
    return cleanup_on_error(r.error());
  fs::remove_all(entry_dir, ec);  // a partial entry (files deleted by hand) is replaced
  if (::rename(tmp.c_str(), entry_dir.c_str()) != 0)
    return cleanup_on_error(Error{errno, "rename " + tmp + " to " + entry_dir});
  auto stored = find_cached_build(entry_dir, target);
  if (!stored) return fail("store the kernel build in the cache: " + entry_dir + " is incomplete");
  return *stored;
}

}  // namespace zk::installer::kernel
