// SPDX-License-Identifier: MIT
#include "installer/layout/layout.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <tuple>

#include "util/atomic_file.h"
#include "util/fd.h"
#include "util/read_file.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace zk::installer::layout {
namespace {

namespace fs = std::filesystem;

/// Copies `from` to `to` through an AtomicFile unless `to` already has `want_sha`.
Result<bool> install_file(const std::string& from, const std::string& to,
                          const std::string& want_sha) {
  if (auto have = util::sha256_file(to); have && *have == want_sha) return false;
  auto out = util::AtomicFile::create(to, 0644);
  if (!out) return std::unexpected(out.error());
  util::Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return fail_errno(errno, "open " + from);
  char buf[1 << 16];
  for (;;) {
    auto n = util::read_retrying(in.get(), buf, from);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    if (auto r = out->write(std::string_view(buf, *n)); !r) return std::unexpected(r.error());
  }
  if (auto r = out->commit(); !r) return std::unexpected(r.error());
  // The copy must be what was hashed: a file that changed under us is an error.
  auto got = util::sha256_file(to);
  if (!got) return std::unexpected(got.error());
  if (*got != want_sha) return fail(from + " changed while it was being installed");
  return true;
}

/// Makes `link` a symlink to `target` (relative), replacing whatever is there atomically.
Result<bool> install_link(const std::string& link, const std::string& target) {
  char buf[256];
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n > 0 && std::string(buf, static_cast<size_t>(n)) == target) return false;
  const std::string temp = link + ".tmp-link";
  ::unlink(temp.c_str());
  if (::symlink(target.c_str(), temp.c_str()) != 0) return fail_errno(errno, "symlink " + temp);
  if (::rename(temp.c_str(), link.c_str()) != 0) {
    const int e = errno;
    ::unlink(temp.c_str());
    return fail_errno(e, "rename " + temp + " to " + link);
  }
  return true;
}

}  // namespace

std::string layout_dir(const std::string& root, const std::string& dir) {
  std::string r = root;
  while (!r.empty() && r.back() == '/') r.pop_back();
  return r + (dir.empty() || dir.front() != '/' ? "/" : "") + dir;
}

Result<LayoutResult> install_layout(const LayoutInput& in) {
  LayoutResult res;
  res.dir = layout_dir(in.root, in.zfcpdump_dir);
  std::error_code ec;
  if (!in.dry_run) fs::create_directories(res.dir, ec);
  if (ec) return fail_errno(ec.value(), "create " + res.dir);

  Manifest& m = res.manifest;
  struct stat st{};
  for (auto [path, size, sha] : {std::tuple{&in.kernel_image_path, &m.image_size, &m.image_sha256},
                                 std::tuple{&in.ramdisk_path, &m.initrd_size, &m.initrd_sha256}}) {
    if (::stat(path->c_str(), &st) != 0) return fail_errno(errno, "stat " + *path);
    *size = static_cast<uint64_t>(st.st_size);
    auto h = util::sha256_file(*path);
    if (!h) return std::unexpected(h.error());
    *sha = *h;
  }
  m.dumper_version = in.dumper_version;
  m.kernel_release = in.kernel_release;
  m.compressor = in.compressor;
  m.hsa_size = in.hsa_size;
  m.kernel_memory = in.kernel_memory;
  m.dumper_params = in.dumper_params;
  m.kernel_version = in.kernel_version;
  m.image_source = in.image_source;
  // Before anything is written: a value the manifest cannot hold must not leave a new image
  // behind an old manifest.
  if (auto ok = check_manifest_values(m); !ok) return std::unexpected(ok.error());

  auto note = [&](Result<bool> r, const char* name) -> Result<void> {
    if (!r) return std::unexpected(r.error());
    if (*r) res.changed.emplace_back(name);
    return {};
  };
  // A dry run asks the same questions the installers ask first, and writes nothing.
  auto file = [&](const std::string& from, const std::string& to,
                  const std::string& sha) -> Result<bool> {
    if (!in.dry_run) return install_file(from, to, sha);
    auto have = util::sha256_file(to);
    return !have || *have != sha;
  };
  auto link = [&](const std::string& path, const std::string& target) -> Result<bool> {
    if (!in.dry_run) return install_link(path, target);
    char buf[256];
    const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    return !(n > 0 && std::string(buf, static_cast<size_t>(n)) == target);
  };
  if (auto r =
          note(file(in.kernel_image_path, res.dir + "/" + kImageName, m.image_sha256), kImageName);
      !r)
    return std::unexpected(r.error());
  if (auto r =
          note(file(in.ramdisk_path, res.dir + "/" + kInitrdName, m.initrd_sha256), kInitrdName);
      !r)
    return std::unexpected(r.error());
  if (auto r = note(link(res.dir + "/" + kImageLink, kImageName), kImageLink); !r)
    return std::unexpected(r.error());
  if (auto r = note(link(res.dir + "/" + kInitrdLink, kInitrdName), kInitrdLink); !r)
    return std::unexpected(r.error());

  const std::string text = render_manifest(m);
  res.manifest_sha256 = util::sha256_hex(text);
  const std::string manifest_path = res.dir + "/" + kManifestName;
  auto current = util::read_file(manifest_path, kManifestMaxBytes);
  if (!current || *current != text) {
    if (!in.dry_run)
      if (auto r = util::write_file_atomically(manifest_path, text); !r)
        return std::unexpected(r.error());
    res.changed.emplace_back(kManifestName);
  }
  return res;
}

Result<std::vector<std::string>> remove_layout(const std::string& dir) {
  std::vector<std::string> removed;
  for (const char* name : {kManifestName, kImageLink, kInitrdLink, kInitrdName, kImageName}) {
    const std::string path = dir + "/" + name;
    if (::unlink(path.c_str()) == 0) removed.emplace_back(name);
    else if (errno != ENOENT) return fail_errno(errno, "remove " + path);
  }
  return removed;
}

Result<std::pair<Manifest, std::string>> read_installed_manifest(const std::string& dir) {
  auto text = util::read_file(dir + "/" + kManifestName, kManifestMaxBytes);
  if (!text) return std::unexpected(text.error());
  auto m = parse_manifest(*text);
  if (!m) return std::unexpected(m.error().wrap(dir + "/" + kManifestName));
  return std::pair{*m, util::sha256_hex(*text)};
}

}  // namespace zk::installer::layout
