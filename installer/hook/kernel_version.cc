// SPDX-License-Identifier: MIT
#include "installer/hook/kernel_version.h"

#include "installer/cli/report.h"
#include "installer/layout/layout.h"
#include "util/strings.h"

namespace zk::installer::hook {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

/// The first control character of `s`, or -1.
int control_char(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return c;
  return -1;
}

}  // namespace

bool is_dump_kernel(std::string_view kver, std::string_view match) {
  return !match.empty() && kver.find(match) != std::string_view::npos;
}

Result<void> check_kernel_version(std::string_view kver) {
  const std::string shown = cli::json_string(kver);
  if (kver.empty()) return fail("the kernel version is empty");
  if (kver.size() > kMaxKernelVersionBytes)
    return fail(util::format("the kernel version is %zu bytes long (at most %zu)", kver.size(),
                             kMaxKernelVersionBytes));
  if (kver.find('/') != std::string_view::npos)
    return fail("the kernel version " + shown + " contains '/'");
  if (kver.front() == '.') return fail("the kernel version " + shown + " starts with '.'");
  if (int c = control_char(kver); c >= 0)
    return fail(util::format("the kernel version %s contains the control character 0x%02x",
                             shown.c_str(), c));
  if (is_space(kver.front()) || is_space(kver.back()))
    return fail("the kernel version " + shown + " starts or ends with white space");
  return {};
}

Result<void> check_image_path(std::string_view path) {
  if (path.empty()) return fail("the kernel image path is empty");
  if (int c = control_char(path); c >= 0)
    return fail(util::format("the kernel image path contains the control character 0x%02x", c));
  if (is_space(path.front()) || is_space(path.back()))
    return fail("the kernel image path " + cli::json_string(path) +
                " starts or ends with white space");
  return {};
}

std::vector<std::string> config_candidates(const std::string& root, const std::string& kver,
                                           const std::string& image) {
  std::vector<std::string> c;
  const auto slash = image.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? ""
                                                     : image.substr(0, slash);
  c.push_back(dir + "/config-" + kver);
  const auto parent_slash = dir.rfind('/');
  const std::string dir_name =
      parent_slash == std::string::npos ? dir : dir.substr(parent_slash + 1);
  if (dir_name == kver) c.push_back(dir + "/config");
  c.push_back(layout::layout_dir(root, "/boot/config-" + kver));
  c.push_back(layout::layout_dir(root, "/usr/lib/modules/" + kver + "/config"));
  return c;
}

}  // namespace zk::installer::hook
