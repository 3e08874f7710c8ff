// SPDX-License-Identifier: MIT
#include "ondisk/dump_disk.h"

#include <vector>

#include "ondisk/bytes.h"
#include "ondisk/checksum.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

/// Reads the program table at `blockno` (in `bs`-byte blocks) and reports whether one of its
/// entries points to a dump program's component header.
Result<bool> has_dump_program(util::File& disk, uint64_t blockno, uint32_t bs) {
  if (blockno == 0 || blockno >= disk.size() / bs)
    return fail(
        util::format("program table pointer: block %llu lies outside the disk (%llu "
                     "blocks of %u bytes)",
                     static_cast<ull>(blockno), static_cast<ull>(disk.size() / bs), bs));
  std::vector<std::byte> block(bs);
  if (auto r = util::read_exact(disk, block, blockno * bs); !r) return std::unexpected(r.error());
  auto entries = parse_program_table(block);
  if (!entries) return std::unexpected(entries.error());
  std::vector<std::byte> header(kComponentHeaderSize);
  for (const auto& e : *entries) {
    if (e.blockno >= disk.size() / bs) continue;  // a stray pointer is not a dump program
    if (auto r = util::read_exact(disk, header, e.blockno * bs); !r)
      return std::unexpected(r.error());
    if (is_dump_component_header(header)) return true;
  }
  return false;
}

}  // namespace

Result<uint32_t> compute_dump_checksum(util::File& disk, const DumpSuperblock& sb) {
  if (sb.csum_size == 0 || sb.csum_size > kMaxChecksumArea)
    return fail(util::format("checksum area of %llu bytes is out of range",
                             static_cast<ull>(sb.csum_size)));
  std::vector<std::byte> area(static_cast<size_t>(sb.csum_size));
  if (auto r = util::read_exact(disk, area, sb.part_start + sb.csum_offset); !r)
    return std::unexpected(r.error().wrap("reading the checksummed area"));
  return cksm(area);
}

Result<DumpDisk> read_dump_disk(util::File& disk, std::optional<uint32_t> block_size) {
  DumpDisk d;
  std::vector<std::byte> lba0(512);
  if (disk.size() < lba0.size())
    return fail(util::format("%s is too small to hold a boot record (%llu bytes)",
                             disk.name().c_str(), static_cast<ull>(disk.size())));
  if (auto r = util::read_exact(disk, lba0, 0); !r) return std::unexpected(r.error());
  auto mbr = parse_scsi_mbr(lba0);
  if (!mbr) return std::unexpected(mbr.error().wrap(disk.name()));
  d.mbr = *mbr;

  // The program table is addressed in logical blocks; an image file does not know its block
  // size, so try both sizes zipl supports and keep the one that leads to a dump program.
  std::vector<uint32_t> candidates;
  if (block_size) candidates = {*block_size};
  else candidates = {512, 4096};
  std::optional<Error> first_error;
  bool found = false;
  for (uint32_t bs : candidates) {
    auto r = has_dump_program(disk, d.mbr.program_table.blockno, bs);
    if (r && *r) {
      d.block_size = bs;
      found = true;
      break;
    }
    if (!r && !first_error) first_error = r.error();
  }
  if (!found) {
    if (first_error && candidates.size() == 1)
      return std::unexpected(first_error->wrap(disk.name()));
    return fail(disk.name() + ": the zipl program table holds no dump program");
  }

  const BootInfo& bi = d.mbr.boot_info;
  if (bi.bp_type != static_cast<uint8_t>(BootProgramType::kDump))
    return fail(
        util::format("%s: boot_info program type %u (expected 1, dump): this is an IPL "
                     "disk, not a dump disk",
                     disk.name().c_str(), bi.bp_type));
  if (bi.dev_type != static_cast<uint8_t>(BootDeviceType::kScsi))
    return fail(util::format("%s: boot_info device type %u (expected 2, SCSI)", disk.name().c_str(),
                             bi.dev_type));
  if (bi.version != kBootInfoVersion)
    return fail(
        util::format("%s: boot_info version %u (expected %u; the stock dumper refuses "
                     "any other)",
                     disk.name().c_str(), bi.version, kBootInfoVersion));

  d.superblock_offset = bi.dump_superblock_offset;
  if (d.superblock_offset > disk.size() || disk.size() - d.superblock_offset < kDumpSuperblockSize)
    return fail(util::format("%s: dump superblock offset %llu lies outside the disk (%llu bytes)",
                             disk.name().c_str(), static_cast<ull>(d.superblock_offset),
                             static_cast<ull>(disk.size())));
  std::vector<std::byte> sbbytes(kDumpSuperblockSize);
  if (auto r = util::read_exact(disk, sbbytes, d.superblock_offset); !r)
    return std::unexpected(r.error());
  auto sb = parse_dump_superblock(sbbytes);
  if (!sb) return std::unexpected(sb.error().wrap(disk.name()));
  d.superblock = *sb;
  if (auto r = validate_dump_superblock(d.superblock, disk.size(), d.superblock_offset); !r)
    return std::unexpected(r.error().wrap(disk.name()));
  auto csum = compute_dump_checksum(disk, d.superblock);
  if (!csum) return std::unexpected(csum.error().wrap(disk.name()));
  d.checksum_now = *csum;
  std::vector<std::byte> head(sizeof kBusyMarker);
  if (auto r = util::read_exact(disk, head, d.superblock.part_start + d.superblock.dump_offset); !r)
    return std::unexpected(r.error());
  d.busy = has_magic(head, 0, std::string_view(kBusyMarker, sizeof kBusyMarker));
  return d;
}

std::optional<Partition> find_dump_partition(const PartitionTable& table,
                                             const DumpSuperblock& sb) {
  for (const auto& p : table.partitions)
    if (p.start == sb.part_start && p.size == sb.part_size) return p;
  return std::nullopt;
}

std::vector<std::string> version_warnings(const DumpDisk& d) {
  std::vector<std::string> out;
  if (d.mbr.version_id != kBootRecordVersion)
    out.push_back(util::format("the boot record's version is %u, not %u as zipl writes it",
                               d.mbr.version_id, kBootRecordVersion));
  if (d.superblock.version != kDumpSuperblockVersion)
    out.push_back(util::format(
        "the dump superblock's version is %llu, not %llu as zipl writes it (zgetdump and the "
        "stock dumper do not check it either)",
        static_cast<ull>(d.superblock.version), static_cast<ull>(kDumpSuperblockVersion)));
  return out;
}

}  // namespace zk::ondisk
