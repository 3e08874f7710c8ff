// SPDX-License-Identifier: MIT
#include "installer/disk/roots.h"

#include "installer/layout/layout.h"

namespace zk::installer::disk {

std::string under_root(const std::string& root, const std::string& path) {
  return layout::layout_dir(root, path);
}

}  // namespace zk::installer::disk
