// SPDX-License-Identifier: MIT
#include "installer/state/registry.h"

#include <cerrno>
#include <filesystem>
#include <optional>

#include "blockdev/disk.h"
#include "filter/dump_level.h"
#include "util/atomic_file.h"
#include "util/read_file.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace zk::installer::state {
namespace {

/// A value this file keeps: no control characters (a device path udev makes has none, and a
/// NUL or a carriage return could not survive the renderer's round trip) and bounded.
bool is_plain_value(std::string_view v) {
  if (v.size() > 4096) return false;
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

/// The manifest digest: 64 lowercase hex digits, or empty (not known: the disk counts as stale).
bool is_digest_or_empty(std::string_view v) { return v.empty() || util::is_sha256_hex(v); }

/// A dump's fingerprint: 16 lowercase hex digits.
bool is_fingerprint(std::string_view v) {
  if (v.size() != 16) return false;
  for (char c : v)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

/// A directory in a whitespace-separated line: '%', space and tab as %25, %20 and %09.
std::string escape_path(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '%') out += "%25";
    else if (c == ' ') out += "%20";
    else if (c == '\t') out += "%09";
    else out += c;
  }
  return out;
}

std::optional<std::string> unescape_path(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    const std::string_view code = v.substr(i + 1, 2);
    if (code == "25") out += '%';
    else if (code == "20") out += ' ';
    else if (code == "09") out += '\t';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

}  // namespace

const DiskEntry* Registry::find(const std::string& disk) const {
  for (const auto& e : disks)
    if (e.disk == disk) return &e;
  return nullptr;
}

void Registry::upsert(const DiskEntry& e) {
  for (auto& d : disks)
    if (d.disk == e.disk) {
      d = e;
      return;
    }
  disks.push_back(e);
}

bool Registry::remove(const std::string& disk) {
  for (auto it = disks.begin(); it != disks.end(); ++it)
    if (it->disk == disk) {
      disks.erase(it);
      return true;
    }
  return false;
}

std::string render_registry(const Registry& r) {
  using ull = unsigned long long;
  std::string out =
      "# Dump disks prepared by zfcpdump-install disk; kept current by zfcpdump-install hook.\n";
  for (const auto& e : r.disks) {
    out += util::format(
        "disk=%s partition=%u part_start=%llu part_size=%llu dump_size=%llu "
        "manifest=%s",
        e.disk.c_str(), e.partition, static_cast<ull>(e.part_start), static_cast<ull>(e.part_size),
        static_cast<ull>(e.dump_size), e.manifest_sha256.c_str());
    if (e.dump_area_chosen)
      out += util::format(" dump_area=%llu", static_cast<ull>(e.dump_area_chosen));
    if (!e.saved_fingerprint.empty())
      out += util::format(" saved=%s saved_dir=%s saved_time=%llu", e.saved_fingerprint.c_str(),
                          escape_path(e.saved_dir).c_str(), static_cast<ull>(e.saved_time));
    if (!e.wwid.empty()) out += " wwid=" + e.wwid;
    if (e.dump_level) out += util::format(" dump_level=%u", *e.dump_level);
    out += "\n";
  }
  return out;
}

Result<Registry> parse_registry(std::string_view text) {
  Registry r;
  auto parse_line = [&r](unsigned lineno, std::string_view line) -> Result<void> {
    if (r.disks.size() >= kRegistryMaxEntries)
      return fail(util::format("registry: more than %zu disks", kRegistryMaxEntries));
    DiskEntry e;
    for (std::string_view word : util::split_words(line)) {
      const auto eq = word.find('=');
      if (eq == std::string_view::npos || eq == 0)
        return fail(util::format("registry line %u: \"%.*s\" is not key=value", lineno,
                                 static_cast<int>(word.size()), word.data()));
      std::string_view k = word.substr(0, eq), v = word.substr(eq + 1);
      auto num = [&](uint64_t& out) -> bool {
        auto n = util::parse_u64(v);
        if (n) out = *n;
        return n.has_value();
      };
      uint64_t part = 0;
      bool ok = is_plain_value(v);
      if (!ok) {
      } else if (k == "disk") {
        e.disk = v;
      } else if (k == "partition") {
        ok = num(part) && part >= 1 && part <= 15;
        e.partition = static_cast<unsigned>(part);
      } else if (k == "part_start") {
        ok = num(e.part_start);
      } else if (k == "part_size") {
        ok = num(e.part_size);
      } else if (k == "dump_size") {
        ok = num(e.dump_size);
      } else if (k == "dump_area") {
        ok = num(e.dump_area_chosen);
      } else if (k == "saved") {
        ok = is_fingerprint(v);
        e.saved_fingerprint = v;
      } else if (k == "saved_dir") {
        auto dir = unescape_path(v);
        ok = dir && !dir->empty() && dir->front() == '/';
        if (ok) e.saved_dir = *dir;
      } else if (k == "saved_time") {
        ok = num(e.saved_time);
      } else if (k == "wwid") {
        // One word, as blockdev::wwid() makes it: no blank can be in it, nor an empty value.
        ok = !v.empty() && v.size() <= blockdev::kMaxWwidBytes;
        e.wwid = v;
      } else if (k == "dump_level") {
        e.dump_level = filter::parse_dump_level(v);
        ok = e.dump_level.has_value();
      } else if (k == "manifest") {
        ok = is_digest_or_empty(v);
        e.manifest_sha256 = v;
      }  // an unknown key is left for a newer toolkit
      if (!ok)
        return fail(util::format("registry line %u: bad value for %.*s", lineno,
                                 static_cast<int>(k.size()), k.data()));
    }
    if (e.disk.empty() || e.disk.front() != '/')
      return fail(util::format("registry line %u: no absolute disk= path", lineno));
    if (e.partition == 0) return fail(util::format("registry line %u: no partition=", lineno));
    // A save records its fingerprint and its directory together (the time with them); one
    // without the other is a damaged line, which would not survive being written back.
    if (e.saved_fingerprint.empty() != e.saved_dir.empty() ||
        (e.saved_fingerprint.empty() && e.saved_time != 0))
      return fail(
          util::format("registry line %u: saved=, saved_dir= and saved_time= go together", lineno));
    r.disks.push_back(std::move(e));
    return {};
  };
  if (auto ok = util::for_each_content_line(text, parse_line); !ok)
    return std::unexpected(ok.error());
  return r;
}

Result<Registry> load_registry(const std::string& path) {
  auto text = util::read_file(path, kRegistryMaxBytes);
  if (!text) {
    if (text.error().errnum == ENOENT) return Registry{};
    return std::unexpected(text.error());
  }
  auto r = parse_registry(*text);
  if (!r) return std::unexpected(r.error().wrap(path));
  return r;
}

Result<void> save_registry(const std::string& path, const Registry& r) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return fail_errno(ec.value(), "create the directory of " + path);
  return util::write_file_atomically(path, render_registry(r));
}

}  // namespace zk::installer::state
