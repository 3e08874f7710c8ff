// SPDX-License-Identifier: MIT
#include "installer/disk/signatures.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <optional>

#include <blkid.h>

#include "util/fd.h"
#include "util/strings.h"

namespace zk::installer::disk {
namespace {

struct ProbeFree {
  void operator()(blkid_struct_probe* p) const { blkid_free_probe(p); }
};
using ProbePtr = std::unique_ptr<blkid_struct_probe, ProbeFree>;

std::string value(blkid_probe pr, const char* name) {
  const char* v = nullptr;
  size_t len = 0;
  if (blkid_probe_lookup_value(pr, name, &v, &len) != 0 || !v) return {};
  std::string s(v, len);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

/// The signature libblkid just found, or nullopt for a result without a magic (nothing to wipe).
std::optional<Signature> current(blkid_probe pr, const ProbeTarget& t) {
  Signature s;
  s.where = t.where;
  std::string offset;
  if (std::string type = value(pr, "TYPE"); !type.empty()) {
    s.type = type;
    s.usage = value(pr, "USAGE");
    s.label = value(pr, "LABEL");
    s.uuid = value(pr, "UUID");
    offset = value(pr, "SBMAGIC_OFFSET");
    const char* magic = nullptr;
    size_t len = 0;
    if (blkid_probe_lookup_value(pr, "SBMAGIC", &magic, &len) == 0) s.length = len;
  } else if (std::string pttype = value(pr, "PTTYPE"); !pttype.empty()) {
    s.type = pttype;
    s.usage = "partition table";
    s.uuid = value(pr, "PTUUID");
    offset = value(pr, "PTMAGIC_OFFSET");
    const char* magic = nullptr;
    size_t len = 0;
    if (blkid_probe_lookup_value(pr, "PTMAGIC", &magic, &len) == 0) s.length = len;
  } else {
    return std::nullopt;
  }
  auto off = util::parse_u64(offset);
  if (!off) return std::nullopt;
  s.offset = *off;
  return s;
}

Result<std::vector<Signature>> scan(const ProbeTarget& t, bool wipe) {
  util::Fd fd(::open(t.path.c_str(), (wipe ? O_RDWR : O_RDONLY) | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + t.path);
  ProbePtr pr(blkid_new_probe());
  if (!pr) return fail_errno(ENOMEM, "libblkid: new probe");
  errno = 0;
  if (blkid_probe_set_device(pr.get(), fd.get(), static_cast<blkid_loff_t>(t.offset),
                             static_cast<blkid_loff_t>(t.size)) != 0)
    return fail_errno(errno ? errno : EINVAL, "libblkid: probe " + t.path + " (" + t.where + ")");
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE |
                                                  BLKID_SUBLKS_USAGE | BLKID_SUBLKS_LABEL |
                                                  BLKID_SUBLKS_UUID | BLKID_SUBLKS_BADCSUM);
  blkid_probe_enable_partitions(pr.get(), 1);
  blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);

  std::vector<Signature> found;
  // blkid_do_wipe steps the probe back, so the next blkid_do_probe looks again where the
  // erased signature was; in dry-run mode it erases only the probe's in-memory copy, which is
  // how wipefs lists what -a would erase.
  for (unsigned guard = 0; blkid_do_probe(pr.get()) == 0; ++guard) {
    if (guard > 1000)
      return fail("libblkid keeps finding signatures on " + t.path + " (" + t.where + ")");
    auto s = current(pr.get(), t);
    if (!s) continue;
    errno = 0;
    if (blkid_do_wipe(pr.get(), wipe ? 0 : 1) != 0)
      return fail_errno(errno ? errno : EIO,
                        util::format("erase the %s signature at byte %llu of %s", s->type.c_str(),
                                     static_cast<unsigned long long>(s->offset), t.path.c_str()));
    found.push_back(std::move(*s));
  }
  if (wipe && !found.empty() && ::fsync(fd.get()) != 0) return fail_errno(errno, "fsync " + t.path);
  return found;
}

}  // namespace

std::string Signature::describe() const {
  std::string kind = usage == "filesystem"        ? " file system"
                     : usage == "partition table" ? " partition table"
                     : usage == "raid"            ? " RAID member"
                     : usage == "crypto"          ? " encrypted volume"
                                                  : " signature";
  if (type == "swap") kind = " area";
  if (type == "LVM2_member") kind = " (LVM physical volume)";
  std::string text = type + kind;
  if (!label.empty()) text += " (label \"" + label + "\")";
  return text + util::format(" at byte 0x%llx of %s", static_cast<unsigned long long>(offset),
                             where.c_str());
}

Result<std::vector<Signature>> find_signatures(const ProbeTarget& target) {
  return scan(target, false);
}

Result<std::vector<Signature>> wipe_signatures(const ProbeTarget& target) {
  return scan(target, true);
}

}  // namespace zk::installer::disk
