// SPDX-License-Identifier: MIT
/// zk-fuzz-make-seeds: writes the generated seed inputs of the fuzz targets (fuzz/make-seeds
/// runs it; the seeds are committed under fuzz/corpus/TARGET/).
///
///   zk-fuzz-make-seeds CORPUS_DIR [NAME=RAW_DISK_IMAGE | kernel:NAME=S390_KERNEL_IMAGE]...
///
/// Writes, with the project's own writers (tests/support, ondisk, installer):
///   dump_disk, partition_table: small synthetic zipl dump disks (512/4096-byte sectors; empty,
///     busy, holding a small core; DOS and GPT labels), and for each NAME=RAW_DISK_IMAGE (the
///     real-zipl fixtures, unpacked) its first 4 KiB verbatim and the whole disk as a sparse
///     description (fuzz/buffer_file.h: every non-zero 512-byte block at its real offset);
///   manifest, registry: rendered by render_manifest / render_registry;
///   integrity_note: descriptors of integrity records from encode_integrity_note (a whole and a
///     partial dump, one without data);
///   kernel_image: for each kernel:NAME=IMAGE (Debian's vmlinuz, the test kernel's bzImage), the
///     places check_kernel_image_bytes reads, at their real offsets, as a sparse image of a few
///     KB (NAME.sparse), and the image's first 4 KiB verbatim (NAME-head.img).
/// Cores for fuzz_vmcore come from zk-make-vmcore, text seeds are written by hand.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/buffer_file.h"
#include "installer/kernel/kernel_image.h"
#include "installer/layout/manifest.h"
#include "installer/state/registry.h"
#include "ondisk/bytes.h"
#include "ondisk/checksum.h"
#include "ondisk/dump_disk.h"
#include "ondisk/dump_superblock.h"
#include "ondisk/integrity_note.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/read_file.h"

namespace {

using namespace zk;
namespace ts = zk::testsupport;

std::string read_all(const std::string& path) {
  auto text = util::read_file(path, 64u << 20);
  if (!text) throw std::runtime_error(text.error().describe());
  return std::move(*text);
}

void write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
  std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
}

void put_le(std::string& img, size_t off, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) img[off + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

enum class Content { kEmpty, kBusy, kCore };

/// A zipl-shaped dump disk small enough to be a fuzz input: the partition at 4 (8) KiB, a
/// 16 KiB dump area, the tool behind it, nothing after.
std::string synthetic_disk(uint32_t sector, Content content, bool gpt) {
  ts::TempDir tmp;
  ts::SyntheticDiskSpec spec;
  spec.sector_size = sector;
  spec.part_start = sector == 512 ? 4096 : 8192;
  spec.dump_size = 16384;
  // superblock at part_start + dump_size + 2 sectors, program table and component header after.
  spec.disk_size = spec.part_start + spec.dump_size + 5ull * sector;
  const std::string path = tmp.file("disk.img");
  ts::SyntheticDisk d = ts::make_synthetic_dump_disk(path, spec);
  std::string img = read_all(path);

  if (content == Content::kBusy) {
    std::memcpy(&img[spec.part_start], ondisk::kBusyMarker, sizeof ondisk::kBusyMarker);
  } else if (content == Content::kCore) {
    ts::VmcoreSpec core;
    core.cpus = 2;
    core.memory = {{0, 4096}};
    core.page_align_data = false;
    const std::string core_path = tmp.file("core");
    if (auto r = ts::write_vmcore(core_path, core); !r)
      throw std::runtime_error(r.error().describe());
    const std::string bytes = read_all(core_path);
    if (bytes.size() > spec.dump_size) throw std::runtime_error("core too big for the dump area");
    img.replace(spec.part_start, bytes.size(), bytes);
  }
  // The checksum as the dumper leaves it after a dump (zipl's value for the empty disk).
  auto area = std::as_bytes(
      std::span(img.data() + spec.part_start + d.superblock.csum_offset, d.superblock.csum_size));
  d.superblock.csum = ondisk::cksm(area);
  std::vector<std::byte> sb(ondisk::kDumpSuperblockSize);
  ondisk::encode_dump_superblock(d.superblock, sb);
  std::memcpy(&img[d.superblock_offset], sb.data(), sb.size());

  if (gpt) {
    // Protective MBR entry instead of the DOS partition; header at LBA 1, 4 entries at LBA 2.
    const size_t e = 0x1be;
    std::memset(&img[e], 0, 16);
    img[e + 4] = static_cast<char>(0xee);
    put_le(img, e + 8, 1, 4);
    put_le(img, e + 12, img.size() / sector - 1, 4);
    const size_t h = sector;
    std::memcpy(&img[h], "EFI PART", 8);
    put_le(img, h + 8, 0x00010000, 4);  // revision 1.0
    put_le(img, h + 12, 92, 4);         // header size
    put_le(img, h + 24, 1, 8);          // my LBA
    put_le(img, h + 72, 2, 8);          // entries LBA
    put_le(img, h + 80, 4, 4);          // entry count
    put_le(img, h + 84, 128, 4);        // entry size
    const size_t ent = 2ull * sector;
    // Linux filesystem data GUID, a unique GUID, first and last LBA.
    const unsigned char type_guid[16] = {0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
                                         0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4};
    std::memcpy(&img[ent], type_guid, 16);
    std::memcpy(&img[ent + 16], "zfcpdump-kit-fz1", 16);
    put_le(img, ent + 32, spec.part_start / sector, 8);
    put_le(img, ent + 40, img.size() / sector - 1, 8);
  }
  return img;
}

/// The sparse description of a raw image: every non-zero 512-byte block, runs merged; `head`
/// gets the first 4 KiB. One pass, so that the image may be a pipe (xz -dc).
std::string sparse_image(const std::string& raw_path, std::string& head) {
  std::ifstream in(raw_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + raw_path);
  std::string out(fuzz::kSparseMagic);
  std::string chunk;
  uint64_t offset = 0, chunk_start = 0;
  std::vector<char> block(512);
  auto flush = [&] {
    if (chunk.empty()) return;
    fuzz::append_le(out, chunk_start, 8);
    fuzz::append_le(out, chunk.size(), 4);
    out += chunk;
    chunk.clear();
  };
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
    const auto n = static_cast<size_t>(in.gcount());
    if (offset < 4096) head.append(block.data(), n);
    bool zero = true;
    for (size_t i = 0; i < n; ++i) zero = zero && block[i] == 0;
    if (!zero) {
      if (chunk.empty()) chunk_start = offset;
      chunk.append(block.data(), n);
    } else {
      flush();
    }
    offset += n;
  }
  flush();
  std::string result(fuzz::kSparseMagic);
  fuzz::append_le(result, offset, 8);
  return result + out.substr(fuzz::kSparseMagic.size());
}

/// The magic a compressor's stream starts with, as kernel_image.cc recognises it.
std::string_view compressor_magic(const std::string& name) {
  using namespace std::string_view_literals;
  if (name == "xz")
    return "\xfd"
           "7zXZ\0"sv;
  if (name == "gzip") return "\x1f\x8b\x08"sv;
  if (name == "zstd") return "\x28\xb5\x2f\xfd"sv;
  if (name == "lz4") return "\x02\x21\x4c\x18"sv;
  if (name == "lzo") return "\x89LZO\0\r\n\x1a\n"sv;
  if (name == "bzip2") return "BZh"sv;
  return {};
}

/// A real s390 kernel image cut down to what check_kernel_image_bytes reads, at the real offsets,
/// as a sparse image (fuzz/buffer_file.h) of a size that fuzz_kernel_image materializes in full:
/// the IPL PSW's block, the entry points and parameter area (0x10000-0x10480), the page of the
/// version string, the "Linux version" strings, the compressed payload's first bytes (when they
/// lie within the first 256 KiB), and the image's last 32 bytes (the secure-boot trailer) at the
/// end of the cut-down size. Checked: the cut-down image is accepted with the version, release and
/// trailer of the whole one (and its compressor, when the payload is in).
std::string kernel_image_seed(const std::string& path) {
  namespace kernel = installer::kernel;
  constexpr uint64_t kMaxSeedImage = 256u << 10;  // fuzz_kernel_image.cc's kMaxImageBytes
  auto whole = kernel::check_kernel_image(path);
  if (!whole) throw std::runtime_error(whole.error().describe());
  const std::string real = read_all(path);
  std::vector<std::pair<uint64_t, uint64_t>> chunks = {{0, 512}, {0x10000, 0x480}};
  uint64_t ptr = 0;
  for (size_t i = 0; i < 8; ++i) ptr = ptr << 8 | static_cast<unsigned char>(real[0x10428 + i]);
  if (ptr) chunks.emplace_back(ptr & ~0xfffull, 4096);
  for (size_t pos = real.find("Linux version "); pos != std::string::npos && pos < kMaxSeedImage;
       pos = real.find("Linux version ", pos + 1))
    chunks.emplace_back(pos, 64);
  bool payload = false;
  if (const auto magic = compressor_magic(whole->compression); !magic.empty()) {
    for (size_t off = 0x10480; off + 64 + 32 <= std::min<uint64_t>(real.size(), kMaxSeedImage);
         off += 8)
      if (real.compare(off, magic.size(), magic) == 0) {
        chunks.emplace_back(off, 64);
        payload = true;
        break;
      }
  }
  uint64_t end = 0;
  for (const auto& [off, len] : chunks) end = std::max(end, off + len);
  const uint64_t size = (end + 32 + 4095) / 4096 * 4096;
  if (size > kMaxSeedImage) throw std::runtime_error(path + ": the seed would exceed 256 KiB");

  std::string seed(fuzz::kSparseMagic);
  fuzz::append_le(seed, size, 8);
  for (const auto& [off, len] : chunks) {
    fuzz::append_le(seed, off, 8);
    fuzz::append_le(seed, len, 4);
    seed.append(real, off, len);
  }
  fuzz::append_le(seed, size - 32, 8);
  fuzz::append_le(seed, 32, 4);
  seed.append(real, real.size() - 32, 32);

  fuzz::SparseFile sparse(reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
  std::string image(size, '\0');
  if (auto n = sparse.read_at(std::as_writable_bytes(std::span(image)), 0); !n || *n != size)
    throw std::runtime_error("cannot read back the seed of " + path);
  auto cut = kernel::check_kernel_image_bytes(image, path + " (cut down)");
  if (!cut) throw std::runtime_error(cut.error().describe());
  if (cut->version != whole->version || cut->release != whole->release ||
      cut->secure_boot_trailer != whole->secure_boot_trailer ||
      (payload && cut->compression != whole->compression))
    throw std::runtime_error(path + ": the cut-down image does not read as the whole one");
  return seed;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(
        stderr,
        "usage: zk-fuzz-make-seeds CORPUS_DIR [NAME=RAW_DISK_IMAGE | kernel:NAME=IMAGE]...\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string disk = dir + "/fuzz_dump_disk/", table = dir + "/fuzz_partition_table/";
  for (uint32_t sector : {512u, 4096u}) {
    const std::string s = std::to_string(sector);
    const std::string empty = synthetic_disk(sector, Content::kEmpty, false);
    write_all(disk + "synthetic-" + s + "-empty.img", empty);
    write_all(table + "synthetic-" + s + "-dos.img", empty);
    write_all(disk + "synthetic-" + s + "-busy.img", synthetic_disk(sector, Content::kBusy, false));
    write_all(disk + "synthetic-" + s + "-core.img", synthetic_disk(sector, Content::kCore, false));
    const std::string gpt = synthetic_disk(sector, Content::kEmpty, true);
    write_all(disk + "synthetic-" + s + "-gpt.img", gpt);
    write_all(table + "synthetic-" + s + "-gpt.img", gpt);
  }
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) throw std::runtime_error("expected NAME=RAW_DISK_IMAGE: " + arg);
    const std::string name = arg.substr(0, eq), raw = arg.substr(eq + 1);
    if (name.starts_with("kernel:")) {
      const std::string k = dir + "/fuzz_kernel_image/" + name.substr(7);
      write_all(k + ".sparse", kernel_image_seed(raw));
      write_all(k + "-head.img", read_all(raw).substr(0, 4096));
      continue;
    }
    std::string head;
    const std::string sparse = sparse_image(raw, head);
    write_all(disk + name + ".sparse", sparse);
    write_all(disk + name + "-head.img", head);
    write_all(table + name + ".sparse", sparse);
    write_all(table + name + "-head.img", head);
  }

  installer::layout::Manifest m;
  m.image_size = 69632;
  m.image_sha256 = std::string(64, 'a');
  m.initrd_size = 1234567;
  m.initrd_sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  m.dumper_version = "0.1.0";
  m.kernel_release = "6.1.0-zk-zfcpdump";
  m.compressor = "xz";
  m.hsa_size = 32ull << 20;
  write_all(dir + "/fuzz_manifest/rendered.manifest", installer::layout::render_manifest(m));
  m.kernel_release.clear();
  m.initrd_sha256.clear();
  write_all(dir + "/fuzz_manifest/rendered-minimal.manifest",
            installer::layout::render_manifest(m));

  installer::state::Registry r;
  r.upsert({"/dev/disk/by-id/scsi-36005076303ffd32100000000000020e0", 1, 1048576, 66060288,
            32496640, std::string(64, 'b')});
  r.upsert({"/dev/sdb", 2, 4096, 1 << 20, 1 << 19, ""});
  write_all(dir + "/fuzz_registry/rendered.disks", installer::state::render_registry(r));

  // Integrity records as a dumper writes them: the descriptor, after the note's header.
  auto record = [&](const std::string& name, uint64_t data_bytes, bool partial) {
    ondisk::IntegrityRecord rec;
    rec.partial = partial;
    rec.dumper_version = "0.1.0";
    rec.start_time = 1764800000;
    rec.end_time = 1764800042;
    rec.memory_size = 64ull << 20;
    rec.memory_dumped = partial ? 40ull << 20 : rec.memory_size;
    rec.page_size = 4096;
    rec.data_offset = 73728;
    rec.data_bytes = data_bytes;
    rec.chunk_size = ondisk::kIntegrityMinChunkSize;
    rec.headers_digest = 0x0123456789abcdefull;
    const uint64_t count = ondisk::integrity_chunk_count(data_bytes, rec.chunk_size);
    for (uint64_t k = 0; k < count; ++k)
      rec.chunks.push_back({k * rec.chunk_size, 0x9e3779b97f4a7c15ull * (k + 1)});
    std::string note(ondisk::integrity_note_size(static_cast<uint32_t>(count)), '\0');
    auto bytes = std::as_writable_bytes(std::span(note));
    if (!ondisk::encode_integrity_note(rec, bytes))
      throw std::runtime_error("cannot encode the integrity record seed " + name);
    write_all(dir + "/fuzz_integrity_note/" + name, note.substr(ondisk::kIntegrityNoteHeaderSize));
  };
  record("whole.desc", (5ull << 20) + 4096, false);
  record("partial.desc", 40ull << 20, true);
  record("no-data.desc", 0, false);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "zk-fuzz-make-seeds: %s\n", e.what());
  return 1;
}
