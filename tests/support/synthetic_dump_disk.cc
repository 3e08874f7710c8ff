// SPDX-License-Identifier: MIT
#include "tests/support/synthetic_dump_disk.h"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "ondisk/bytes.h"
#include "ondisk/checksum.h"
#include "ondisk/zipl_boot_record.h"
#include "tests/support/temp_dir.h"
#include "util/fd.h"

namespace zk::testsupport {

void poke(const std::string& path, uint64_t offset, const void* data, size_t length) {
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid() ||
      ::pwrite(fd.get(), data, length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length))
    throw std::runtime_error("poke " + path);
}

std::vector<std::byte> peek(const std::string& path, uint64_t offset, size_t length) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::vector<std::byte> out(length);
  if (!fd.valid() || ::pread(fd.get(), out.data(), length, static_cast<off_t>(offset)) !=
                         static_cast<ssize_t>(length))
    throw std::runtime_error("peek " + path);
  return out;
}

bool checksum_matches_first_page(const std::string& path, const SyntheticDisk& disk) {
  const auto sb = peek(path, disk.superblock_offset, ondisk::kDumpSuperblockSize);
  const uint64_t stored = ondisk::load_be<uint64_t>(sb, ondisk::kDumpSuperblockCsumOffset);
  return stored == ondisk::cksm(peek(path, disk.superblock.part_start, 4096));
}

SyntheticDisk make_synthetic_dump_disk(const std::string& path, const SyntheticDiskSpec& s) {
  make_zero_file(path, s.disk_size);
  const uint64_t bs = s.sector_size;
  const uint64_t part_size = s.part_size ? s.part_size : s.disk_size - s.part_start;
  const uint64_t dump_size = s.dump_size ? s.dump_size : part_size - (1ull << 20);

  SyntheticDisk d;
  // zipl's order behind the dump area: bootmap header block, an empty block, the superblock,
  // then the program table and the component table.
  d.superblock_offset = s.part_start + dump_size + 2 * bs;
  d.program_table_offset = d.superblock_offset + bs;
  const uint64_t component_offset = d.program_table_offset + bs;

  std::vector<std::byte> lba0(bs);
  ondisk::ScsiMbr mbr;
  mbr.version_id = 1;
  mbr.program_table = {d.program_table_offset / bs, static_cast<uint16_t>(bs), 0};
  mbr.boot_info = {1, 1, 2, 1, d.superblock_offset};
  ondisk::encode_scsi_mbr(mbr, lba0);
  // DOS partition entry (little-endian, as the PC label is).
  const size_t e = 0x1be + (s.partition_number - 1) * 16;
  auto le32 = [&](size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i)
      lba0[off + static_cast<size_t>(i)] = static_cast<std::byte>(v >> (8 * i));
  };
  lba0[e + 4] = std::byte{0x83};
  le32(e + 8, static_cast<uint32_t>(s.part_start / bs));
  le32(e + 12, static_cast<uint32_t>(part_size / bs));
  lba0[510] = std::byte{0x55};
  lba0[511] = std::byte{0xaa};
  poke(path, 0, lba0.data(), lba0.size());

  std::vector<std::byte> table(bs);
  ondisk::BlockPointer entry{component_offset / bs, static_cast<uint16_t>(bs), 0};
  ondisk::encode_program_table(std::span(&entry, 1), table);
  poke(path, d.program_table_offset, table.data(), table.size());
  std::vector<std::byte> header(ondisk::kComponentHeaderSize);
  ondisk::encode_dump_component_header(header);
  poke(path, component_offset, header.data(), header.size());

  d.superblock.part_start = s.part_start;
  d.superblock.part_size = part_size;
  d.superblock.dump_size = dump_size;
  d.superblock.csum = ondisk::kChecksumSeed;  // the partition start is all zero
  std::vector<std::byte> sb(ondisk::kDumpSuperblockSize);
  ondisk::encode_dump_superblock(d.superblock, sb);
  poke(path, d.superblock_offset, sb.data(), sb.size());
  return d;
}

}  // namespace zk::testsupport
