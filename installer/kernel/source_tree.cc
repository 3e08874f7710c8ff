// SPDX-License-Identifier: MIT
#include "installer/kernel/source_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>

#include "util/flock.h"
#include "util/process.h"
#include "util/read_file.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace zk::installer::kernel {
using util::Command;
using util::run_command;
using util::RunOptions;

namespace fs = std::filesystem;

namespace {
/// How long an unpacking waits for another process unpacking the same tarball (minutes at most
/// on a slow disk); a holder that never finishes must not hang us.
constexpr auto kUnpackLockPatience = std::chrono::minutes(30);

/// The value of `NAME = value` in the Makefile's header lines; nullopt when absent.
std::optional<std::string> makefile_var(std::string_view text, std::string_view name) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.starts_with(name)) continue;
    std::string_view rest = util::trim(line.substr(name.size()));
    if (!rest.starts_with('=')) continue;
    return std::string(util::trim(rest.substr(1)));
  }
  return std::nullopt;
}

bool is_dir(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Result<std::string> read_source_version(const std::string& source_dir) {
  const std::string makefile = source_dir + "/Makefile";
  auto text = util::read_file(makefile, 1 << 20);
  if (!text) return std::unexpected(text.error().wrap("kernel source " + source_dir));
  // The version block is at the top; reading the first lines avoids matching anything later.
  const std::string_view head = std::string_view(*text).substr(0, 4096);
  auto version = makefile_var(head, "VERSION");
  auto patchlevel = makefile_var(head, "PATCHLEVEL");
  auto sublevel = makefile_var(head, "SUBLEVEL");
  auto extra = makefile_var(head, "EXTRAVERSION");
  if (!version || !patchlevel || !sublevel || !util::parse_u64(*version) ||
      !util::parse_u64(*patchlevel) || !util::parse_u64(*sublevel))
    return fail("kernel source " + source_dir +
                ": the top Makefile does not declare VERSION, PATCHLEVEL and SUBLEVEL; not a Linux "
                "source tree");
  if (!is_dir(source_dir + "/arch/s390"))
    return fail("kernel source " + source_dir + " has no arch/s390");
  return *version + "." + *patchlevel + "." + *sublevel + extra.value_or("");
}

Result<std::string> tarball_identity(const std::string& tar_path) {
  struct stat st{};
  if (::stat(tar_path.c_str(), &st) != 0)
    return fail_errno(errno, "kernel source tarball " + tar_path);
  if (!S_ISREG(st.st_mode))
    return fail("kernel source tarball " + tar_path + " is not a regular file");
  return util::format("%s size %lld mtime %lld.%09ld", fs::path(tar_path).filename().c_str(),
                      static_cast<long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec),
                      static_cast<long>(st.st_mtim.tv_nsec));
}

Result<SourceTree> unpack_source_tarball(const std::string& tar_path, const std::string& cache_dir,
                                         const std::function<void(std::chrono::seconds)>& on_tick) {
  auto identity = tarball_identity(tar_path);
  if (!identity) return std::unexpected(identity.error());
  std::string stem = fs::path(tar_path).filename().string();
  if (const size_t dot = stem.find(".tar"); dot != std::string::npos) stem.resize(dot);
  const std::string dest = cache_dir + "/" + stem + "-" + util::sha256_hex(*identity).substr(0, 12);

  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) return fail_errno(ec.value(), "create " + cache_dir);
  auto lock = util::LockFile::acquire(dest + ".lock", kUnpackLockPatience);
  if (!lock) return std::unexpected(lock.error());

  // The one top-level directory with a Makefile (the layout every kernel tarball has).
  auto find_tree = [&](const std::string& root) -> Result<std::string> {
    std::string found;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (!entry.is_directory() || !fs::exists(entry.path() / "Makefile")) continue;
      if (!found.empty())
        return fail(tar_path + " holds more than one top-level directory with a Makefile");
      found = entry.path().string();
    }
    if (ec) return fail_errno(ec.value(), "list " + root);
    if (found.empty()) return fail(tar_path + " holds no top-level directory with a Makefile");
    return found;
  };

  SourceTree tree;
  tree.identity = *identity;
  if (!is_dir(dest)) {
    const std::string tmp = util::format("%s.tmp-%d", dest.c_str(), static_cast<int>(::getpid()));
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec) return fail_errno(ec.value(), "create " + tmp);
    const auto start = std::chrono::steady_clock::now();
    RunOptions options;
    options.tick = std::chrono::seconds(10);
    options.on_tick = [&] {
      if (on_tick)
        on_tick(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                 start));
    };
    std::string output;
    options.on_line = [&](std::string_view line) {
      if (output.size() < 4000) output.append(line).append("\n");
    };
    const Command tar{{"tar", "-xf", tar_path, "-C", tmp, "--no-same-owner"}, {}};
    auto status = run_command(tar, options);
    if (!status || !status->ok()) {
      fs::remove_all(tmp, ec);
      if (!status) return std::unexpected(status.error().wrap("unpack " + tar_path));
      return fail("unpack " + tar_path + ": " + tar.display() + " " + status->describe() +
                  (output.empty() ? "" : ": " + std::string(util::trim(output))));
    }
    if (auto t = find_tree(tmp); !t) {
      fs::remove_all(tmp, ec);
      return std::unexpected(t.error());
    }
    if (::rename(tmp.c_str(), dest.c_str()) != 0) {
      const int e = errno;
      fs::remove_all(tmp, ec);
      return fail_errno(e, "rename " + tmp + " to " + dest);
    }
    tree.unpacked_now = true;
  }
  auto dir = find_tree(dest);
  if (!dir) return std::unexpected(dir.error());
  tree.dir = *dir;
  auto version = read_source_version(tree.dir);
  if (!version) return std::unexpected(version.error());
  tree.version = *version;
  return tree;
}

}  // namespace zk::installer::kernel
