// SPDX-License-Identifier: MIT
#include "installer/disk/dumpconf.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "util/atomic_file.h"
#include "util/read_file.h"
#include "util/strings.h"

#ifndef ZK_DATADIR
#define ZK_DATADIR "/usr/share/zfcpdump-kit"
#endif

namespace zk::installer::disk {
namespace {

bool key_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

bool hex_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!util::hex_digit_value(c)) return false;
  return true;
}

/// 0x followed by 1 to 16 hex digits.
bool hex_u64(std::string_view s) {
  return s.size() > 2 && s.size() <= 18 && s.substr(0, 2) == "0x" && hex_digits(s.substr(2));
}

/// A CCW bus id: css.ssid.devno, e.g. 0.0.1700.
bool bus_id(std::string_view s) {
  const auto a = s.find('.');
  const auto b = a == std::string_view::npos ? a : s.find('.', a + 1);
  if (b == std::string_view::npos) return false;
  return a >= 1 && a <= 2 && hex_digits(s.substr(0, a)) && b - a - 1 == 1 &&
         hex_digits(s.substr(a + 1, 1)) && s.size() - b - 1 == 4 && hex_digits(s.substr(b + 1));
}

}  // namespace

Result<std::string> render_template(std::string_view text, const TemplateValues& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find('@', i);
    if (at == std::string_view::npos) break;
    size_t end = at + 1;
    while (end < text.size() && key_char(text[end])) ++end;
    out.append(text.substr(i, at - i));
    if (end == at + 1 || end >= text.size() || text[end] != '@') {
      out += '@';
      i = at + 1;
      continue;
    }
    const std::string_view key = text.substr(at + 1, end - at - 1);
    auto it = values.find(key);
    if (it == values.end()) return fail("template: no value for @" + std::string(key) + "@");
    if (it->second.find('\n') != std::string::npos)
      return fail("template: the value of " + std::string(key) + " spans lines");
    out += it->second;
    i = end + 1;
  }
  out.append(text.substr(i));
  return out;
}

Result<TemplateValues> dumpconf_values(const system::ZfcpAttributes& zfcp, const std::string& disk,
                                       unsigned partition) {
  if (!bus_id(zfcp.hba_id))
    return fail("unexpected FCP device bus id (hba_id) \"" + zfcp.hba_id + "\"");
  if (!hex_u64(zfcp.wwpn)) return fail("unexpected WWPN \"" + zfcp.wwpn + "\"");
  if (!hex_u64(zfcp.fcp_lun)) return fail("unexpected FCP LUN \"" + zfcp.fcp_lun + "\"");
  return TemplateValues{{"DEVICE", zfcp.hba_id},
                        {"WWPN", zfcp.wwpn},
                        {"LUN", zfcp.fcp_lun},
                        {"DISK", disk},
                        {"PARTITION", std::to_string(partition)}};
}

std::vector<std::string> template_candidates(const std::string& name) {
  std::vector<std::string> out;
  if (const char* env = std::getenv(kDataDirEnv); env && *env)
    out.push_back(std::string(env) + "/" + name);
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const std::filesystem::path bin(std::string(exe, static_cast<size_t>(n)));
    out.push_back((bin.parent_path().parent_path() / kDataSubdir / name).string());
  }
  out.push_back(std::string(ZK_DATADIR) + "/" + name);
  return out;
}

Result<std::pair<std::string, std::string>> load_template(
    const std::vector<std::string>& candidates) {
  std::string tried;
  for (const auto& c : candidates) {
    auto text = util::read_file(c, 1 << 16);
    if (text) return std::pair{c, *text};
    tried += (tried.empty() ? "" : ", ") + c;
    if (text.error().errnum != ENOENT) return std::unexpected(text.error());
  }
  return fail_errno(ENOENT, "find the template (looked at " + tried + ")");
}

Result<InstalledFile> install_with_backup(const std::string& path, std::string_view text,
                                          std::time_t now) {
  InstalledFile r;
  unsigned mode = 0644;
  struct stat st{};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) return fail_errno(errno, "stat " + path);
  if (exists) {
    auto old = util::read_file(path, 1 << 20);
    if (!old) return std::unexpected(old.error());
    if (*old == text) return r;
    mode = st.st_mode & 07777;
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    std::string backup = path + ".zfcpdump-kit-" + stamp;
    for (unsigned i = 1; ::access(backup.c_str(), F_OK) == 0; ++i) {
      if (i > 100) return fail("too many backups of " + path);
      backup = path + ".zfcpdump-kit-" + stamp + "." + std::to_string(i);
    }
    if (auto w = util::write_file_atomically(backup, *old, mode); !w)
      return std::unexpected(w.error());
    r.backup = backup;
  } else {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) return fail_errno(ec.value(), "create the directory of " + path);
  }
  if (auto w = util::write_file_atomically(path, text, mode); !w) return std::unexpected(w.error());
  r.changed = true;
  return r;
}

}  // namespace zk::installer::disk
