// SPDX-License-Identifier: MIT
#include "installer/disk/installed_layout.h"

#include <sys/stat.h>

#include <cerrno>

#include "installer/layout/layout.h"
#include "util/strings.h"

namespace zk::installer::disk {

Result<InstalledLayout> read_installed_layout(const std::string& dir) {
  InstalledLayout l;
  l.dir = dir;
  auto m = layout::read_installed_manifest(dir);
  if (!m) return std::unexpected(m.error());
  l.manifest = m->first;
  l.manifest_sha256 = m->second;
  struct stat st{};
  const std::string image = dir + "/" + layout::kImageName;
  if (::stat(image.c_str(), &st) != 0) return fail_errno(errno, "stat " + image);
  l.image_bytes = static_cast<uint64_t>(st.st_size);
  const std::string initrd = dir + "/" + layout::kInitrdName;
  if (::stat(initrd.c_str(), &st) == 0) l.initrd_bytes = static_cast<uint64_t>(st.st_size);
  else if (errno != ENOENT) return fail_errno(errno, "stat " + initrd);
  using ull = unsigned long long;
  if (l.image_bytes != l.manifest.image_size || l.initrd_bytes != l.manifest.initrd_size)
    return fail(util::format(
        "%s: the files (image %llu bytes, initrd %llu bytes) are not those of the manifest "
        "(image %llu, initrd %llu)",
        dir.c_str(), static_cast<ull>(l.image_bytes), static_cast<ull>(l.initrd_bytes),
        static_cast<ull>(l.manifest.image_size), static_cast<ull>(l.manifest.initrd_size)));
  return l;
}

}  // namespace zk::installer::disk
