// SPDX-License-Identifier: MIT
#include "blockdev/disk.h"

#include <cerrno>

#include "blockdev/partitions.h"
#include "blockdev/text_file.h"
#include "util/strings.h"

namespace zk::blockdev {
namespace {

/// An attribute that may be missing: empty then.
std::string optional_text(const std::string& path) {
  auto t = read_text(path);
  return t ? *t : std::string();
}

std::string last_component(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<uint32_t> block_size(const std::string& path) {
  auto text = read_text(path);
  if (!text)
    return text.error().errnum == ENOENT ? Result<uint32_t>(512u) : std::unexpected(text.error());
  const auto v = util::parse_u64(*text);
  if (!v || *v < 512 || *v > kMaxBlockSize || (*v & (*v - 1)) != 0)
    return fail("implausible block size \"" + *text + "\" in " + path);
  return static_cast<uint32_t>(*v);
}

}  // namespace

std::string block_dir(const SysRoots& roots, const std::string& name) {
  return roots.sys + "/class/block/" + name;
}

Result<DeviceNumber> device_number(const SysRoots& roots, const std::string& name) {
  const std::string path = block_dir(roots, name) + "/dev";
  auto text = read_text(path);
  if (!text) return std::unexpected(text.error());
  auto number = parse_device_number(*text);
  if (!number) return fail("unexpected device number \"" + *text + "\" in " + path);
  return *number;
}

Result<uint64_t> size_bytes(const SysRoots& roots, const std::string& name) {
  const std::string path = block_dir(roots, name) + "/size";
  auto text = read_text(path);
  if (!text) return std::unexpected(text.error());
  const auto sectors = util::parse_u64(*text);
  if (!sectors || *sectors > (UINT64_MAX >> 9))
    return fail("unexpected size \"" + *text + "\" in " + path);
  return *sectors << 9;
}

Result<BlockSizes> block_sizes(const SysRoots& roots, const std::string& name) {
  const std::string queue = block_dir(roots, name) + "/queue/";
  auto logical = block_size(queue + "logical_block_size");
  if (!logical) return std::unexpected(logical.error());
  auto physical = block_size(queue + "physical_block_size");
  if (!physical) return std::unexpected(physical.error());
  return BlockSizes{*logical, *physical};
}

std::string driver(const SysRoots& roots, const std::string& name) {
  return link_name(block_dir(roots, name) + "/device/driver");
}

Model model(const SysRoots& roots, const std::string& name) {
  const std::string device = block_dir(roots, name) + "/device/";
  return {optional_text(device + "vendor"), optional_text(device + "model")};
}

namespace {

std::string scsi_wwid(const SysRoots& roots, const std::string& name) {
  auto raw = read_text(block_dir(roots, name) + "/device/wwid", kMaxWwidBytes + 1);
  if (!raw || raw->size() > kMaxWwidBytes) return {};
  std::string out;
  bool gap = false;
  for (const char c : *raw) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string wwid(const SysRoots& roots, const std::string& name) {
  if (device_mapper(roots, name)) {
    for (const auto& path : slaves(roots, name))
      if (auto w = scsi_wwid(roots, path); !w.empty()) return w;
    return {};
  }
  return scsi_wwid(roots, name);
}

std::string scsi_state(const SysRoots& roots, const std::string& name) {
  return optional_text(block_dir(roots, name) + "/device/state");
}

std::optional<ZfcpAttributes> zfcp_attributes(const SysRoots& roots, const std::string& name) {
  const std::string device = block_dir(roots, name) + "/device/";
  ZfcpAttributes z{optional_text(device + "hba_id"), optional_text(device + "wwpn"),
                   optional_text(device + "fcp_lun")};
  if (z.hba_id.empty() || z.wwpn.empty() || z.fcp_lun.empty()) return std::nullopt;
  return z;
}

std::optional<DeviceMapper> device_mapper(const SysRoots& roots, const std::string& name) {
  const std::string dm = block_dir(roots, name) + "/dm";
  if (!exists(dm)) return std::nullopt;
  return DeviceMapper{optional_text(dm + "/uuid"), optional_text(dm + "/name")};
}

std::vector<std::string> holders(const SysRoots& roots, const std::string& name) {
  return list_dir(block_dir(roots, name) + "/holders");
}

std::vector<std::string> slaves(const SysRoots& roots, const std::string& name) {
  return list_dir(block_dir(roots, name) + "/slaves");
}

std::vector<std::string> whole_disks(const SysRoots& roots) {
  std::vector<std::string> disks;
  for (auto& name : list_dir(roots.sys + "/class/block"))
    if (!is_partition(roots, name)) disks.push_back(std::move(name));
  return disks;
}

Result<BlockNode> find_by_number(const SysRoots& roots, DeviceNumber number) {
  auto dir = resolve_path(roots.sys + "/dev/block/" + number.text());
  if (!dir) return std::unexpected(dir.error());
  BlockNode node;
  node.name = last_component(*dir);
  node.disk = node.name;
  if (exists(*dir + "/partition")) {
    // A kernel partition's directory lies in its disk's.
    auto part = read_partition(roots, node.name);
    if (!part) return std::unexpected(part.error());
    node.partition = part->number;
    node.disk = last_component(dir->substr(0, dir->rfind('/')));
  }
  return node;
}

}  // namespace zk::blockdev
