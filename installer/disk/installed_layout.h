// SPDX-License-Identifier: MIT
#pragma once
/// The dump-tool layout zipl will read, as the disk job needs it: the manifest (whose SHA-256
/// the registry records) and the sizes of the files themselves (zipl's reserve depends on them).

#include <cstdint>
#include <string>

#include "installer/layout/manifest.h"
#include "util/error.h"

namespace zk::installer::disk {

struct InstalledLayout {
  std::string dir;  ///< <root><zfcpdump_dir>
  layout::Manifest manifest;
  std::string manifest_sha256;
  uint64_t image_bytes = 0;   ///< zfcpdump-image as it is now
  uint64_t initrd_bytes = 0;  ///< zfcpdump-initrd as it is now; 0 when there is none
};

/// Reads the layout in `dir`. Fails when the manifest or zfcpdump-image is missing (the
/// caller says how to build it) or when the files' sizes are not the manifest's (a layout
/// changed behind the manifest: build it again).
Result<InstalledLayout> read_installed_layout(const std::string& dir);

}  // namespace zk::installer::disk
