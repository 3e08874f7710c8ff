// SPDX-License-Identifier: MIT
#include "ondisk/vmcore.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include <gelf.h>
#include <libelf.h>

#include "ondisk/bytes.h"
#include "ondisk/vmcoreinfo_table.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<Elf, ElfCloser>;

std::string elf_error(const char* what) {
  const char* m = elf_errmsg(-1);
  return util::format("%s: %s", what, m ? m : "libelf error");
}

bool fits(uint64_t a, uint64_t b, uint64_t limit) { return a <= limit && b <= limit - a; }

/// One note as the walk hands it out: views into the segment's bytes.
struct NoteView {
  std::string_view owner;
  uint32_t type;
  std::span<const std::byte> desc;
  uint64_t file_offset;
};

/// Walks one PT_NOTE segment (in memory, file byte order) with libelf's note reader and calls
/// `visit` for each note; a note that does not fit the segment is an error.
template <class Visit>
Result<void> walk_notes(const std::vector<std::byte>& raw, uint64_t file_offset, Visit&& visit) {
  // libelf translates the note headers to host order in a copy; names and descriptors are
  // taken from the raw bytes at the offsets it reports.
  std::vector<std::byte> host(raw);
  Elf_Data src{};
  src.d_buf = const_cast<std::byte*>(raw.data());
  src.d_type = ELF_T_NHDR;
  src.d_size = raw.size();
  src.d_version = EV_CURRENT;
  Elf_Data dst = src;
  dst.d_buf = host.data();
  if (!elf64_xlatetom(&dst, &src, ELFDATA2MSB))
    return fail(
        elf_error(util::format("notes at offset %llu", static_cast<ull>(file_offset)).c_str()));
  size_t off = 0;
  while (off < dst.d_size) {
    GElf_Nhdr nhdr;
    size_t name_off = 0, desc_off = 0;
    const size_t next = gelf_getnote(&dst, off, &nhdr, &name_off, &desc_off);
    if (next == 0 || next <= off || desc_off + nhdr.n_descsz > raw.size() ||
        name_off + nhdr.n_namesz > raw.size())
      return fail(
          util::format("note at offset %llu: truncated or malformed (segment of %zu "
                       "bytes)",
                       static_cast<ull>(file_offset + off), raw.size()));
    std::string_view name;
    if (nhdr.n_namesz > 0) {
      const char* n = reinterpret_cast<const char*>(raw.data()) + name_off;
      name = std::string_view(n, strnlen(n, nhdr.n_namesz));
    }
    NoteView v{name, nhdr.n_type, std::span(raw).subspan(desc_off, nhdr.n_descsz),
               file_offset + off};
    if (auto r = visit(v); !r) return r;
    off = next;
  }
  return {};
}

/// Reads the PT_NOTE segments `segments` of `file` and walks them.
template <class Visit>
Result<void> for_each_note(util::File& file,
                           const std::vector<std::pair<uint64_t, uint64_t>>& segments,
                           const VmcoreLimits& limits, Visit&& visit) {
  uint64_t total = 0;
  for (auto [offset, size] : segments) {
    total += size;
    if (total > limits.max_notes_bytes)
      return fail(util::format("%s: notes take more than %llu bytes", file.name().c_str(),
                               static_cast<ull>(limits.max_notes_bytes)));
    std::vector<std::byte> raw(static_cast<size_t>(size));
    if (auto r = util::read_exact(file, raw, offset); !r) return r;
    if (auto r = walk_notes(raw, offset, visit); !r)
      return std::unexpected(r.error().wrap(file.name()));
  }
  return {};
}

}  // namespace

std::string vmcoreinfo_value(std::string_view text, std::string_view key) {
  auto table = VmcoreinfoTable::parse(text);
  if (!table) return {};
  auto value = table->raw(key);
  return value ? std::string(*value) : std::string();
}

Result<VmcoreInfo> read_vmcore(util::File& file, const VmcoreLimits& limits) {
  if (elf_version(EV_CURRENT) == EV_NONE) return fail(elf_error("libelf initialisation"));
  VmcoreInfo info;
  info.file_size = file.size();
  const char* name = file.name().c_str();
  if (info.file_size < sizeof(Elf64_Ehdr))
    return fail(util::format("%s: %llu bytes, too small for an ELF header", name,
                             static_cast<ull>(info.file_size)));

  // Pass 1: the ELF header alone, to learn where the program headers are and how many.
  std::vector<std::byte> head(sizeof(Elf64_Ehdr));
  if (auto r = util::read_exact(file, head, 0); !r) return std::unexpected(r.error());
  ElfPtr elf(elf_memory(reinterpret_cast<char*>(head.data()), head.size()));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF)
    return fail(util::format("%s: not an ELF file (no ELF magic at offset 0)", name));
  const char* ident = elf_getident(elf.get(), nullptr);
  if (!ident || ident[EI_CLASS] != ELFCLASS64)
    return fail(
        util::format("%s: ELF class %d (expected 2, 64-bit)", name, ident ? ident[EI_CLASS] : -1));
  if (ident[EI_DATA] != ELFDATA2MSB)
    return fail(util::format("%s: ELF data encoding %d (expected 2, big-endian as on s390x)", name,
                             ident[EI_DATA]));
  const Elf64_Ehdr* eh = elf64_getehdr(elf.get());
  if (!eh) return fail(elf_error(name));
  if (eh->e_type != ET_CORE)
    return fail(
        util::format("%s: ELF type %u (expected %u, a core file)", name, eh->e_type, ET_CORE));
  if (eh->e_machine != EM_S390)
    return fail(
        util::format("%s: ELF machine %u (expected %u, s390)", name, eh->e_machine, EM_S390));
  if (eh->e_phnum == PN_XNUM)
    return fail(util::format("%s: extended program header count (PN_XNUM) is not supported", name));
  if (eh->e_phentsize != sizeof(Elf64_Phdr))
    return fail(util::format("%s: program header size %u (expected %zu)", name, eh->e_phentsize,
                             sizeof(Elf64_Phdr)));
  if (eh->e_phnum == 0) return fail(util::format("%s: no program headers", name));
  if (eh->e_phnum > limits.max_program_headers)
    return fail(util::format("%s: %u program headers (at most %u)", name, eh->e_phnum,
                             limits.max_program_headers));
  const uint64_t phoff = eh->e_phoff;
  const uint64_t phbytes = uint64_t{eh->e_phnum} * sizeof(Elf64_Phdr);
  if (!fits(phoff, phbytes, info.file_size))
    return fail(
        util::format("%s: program headers [%llu, +%llu) lie beyond the end of the file "
                     "(%llu bytes)",
                     name, static_cast<ull>(phoff), static_cast<ull>(phbytes),
                     static_cast<ull>(info.file_size)));
  info.headers_end = std::max<uint64_t>(sizeof(Elf64_Ehdr), phoff + phbytes);
  if (eh->e_ehsize != sizeof(Elf64_Ehdr))
    info.warnings.push_back(
        util::format("e_ehsize is %u, not %zu", eh->e_ehsize, sizeof(Elf64_Ehdr)));
  if (phoff != sizeof(Elf64_Ehdr))
    info.warnings.push_back(util::format(
        "the program headers are at offset %llu, not right after the ELF header (64): zgetdump "
        "2.16 looks for them at 64 and will not read this dump",
        static_cast<ull>(phoff)));

  // Pass 2: header and program headers together, so libelf can translate them.
  head.assign(static_cast<size_t>(info.headers_end), std::byte{0});
  if (auto r = util::read_exact(file, head, 0); !r) return std::unexpected(r.error());
  elf.reset(elf_memory(reinterpret_cast<char*>(head.data()), head.size()));
  if (!elf) return fail(elf_error(name));
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0) return fail(elf_error(name));
  info.data_end = info.headers_end;
  uint64_t notes_total = 0;
  std::vector<std::pair<uint64_t, uint64_t>> note_segments;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph))
      return fail(elf_error(util::format("%s: program header %zu", name, i).c_str()));
    if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE) continue;
    if (!fits(ph.p_offset, ph.p_filesz, info.file_size))
      return fail(util::format(
          "%s: program header %zu (%s): file range [%llu, +%llu) lies beyond "
          "the end of the file (%llu bytes)",
          name, i, ph.p_type == PT_LOAD ? "PT_LOAD" : "PT_NOTE", static_cast<ull>(ph.p_offset),
          static_cast<ull>(ph.p_filesz), static_cast<ull>(info.file_size)));
    info.data_end = std::max(info.data_end, ph.p_offset + ph.p_filesz);
    if (ph.p_type == PT_NOTE) {
      notes_total += ph.p_filesz;
      if (notes_total > limits.max_notes_bytes)
        return fail(util::format("%s: notes take more than %llu bytes", name,
                                 static_cast<ull>(limits.max_notes_bytes)));
      note_segments.emplace_back(ph.p_offset, ph.p_filesz);
      continue;
    }
    if (ph.p_filesz > ph.p_memsz)
      return fail(util::format("%s: PT_LOAD %zu: p_filesz %llu exceeds p_memsz %llu", name, i,
                               static_cast<ull>(ph.p_filesz), static_cast<ull>(ph.p_memsz)));
    if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
      return fail(util::format("%s: PT_LOAD %zu: physical range wraps around", name, i));
    info.loads.push_back({ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_paddr, ph.p_vaddr});
    info.memory_size += ph.p_memsz;
  }
  elf.reset();
  head.clear();
  head.shrink_to_fit();

  auto classify = [&](const NoteView& n) -> Result<void> {
    if (n.owner == "CORE") {
      if (n.type == NT_PRSTATUS) ++info.cpu_count;
      else if (n.type == NT_PRPSINFO) info.has_prpsinfo = true;
      else if (n.type == NT_FPREGSET) ++info.fpregset_count;
    } else if (n.owner == "LINUX") {
      if (std::find(info.s390_notes.begin(), info.s390_notes.end(), n.type) ==
          info.s390_notes.end())
        info.s390_notes.push_back(n.type);
    } else if (n.owner == "VMCOREINFO") {
      if (n.desc.size() > limits.max_vmcoreinfo_bytes)
        return fail(util::format("VMCOREINFO note at offset %llu: %zu bytes (at most %llu)",
                                 static_cast<ull>(n.file_offset), n.desc.size(),
                                 static_cast<ull>(limits.max_vmcoreinfo_bytes)));
      const char* text = reinterpret_cast<const char*>(n.desc.data());
      info.vmcoreinfo.assign(text, strnlen(text, n.desc.size()));
    }
    return {};
  };
  if (auto r = for_each_note(file, note_segments, limits, classify); !r)
    return std::unexpected(r.error());
  info.note_segments = std::move(note_segments);
  info.os_release = vmcoreinfo_value(info.vmcoreinfo, "OSRELEASE");
  if (auto ps = util::parse_u64(vmcoreinfo_value(info.vmcoreinfo, "PAGESIZE")))
    info.page_size = *ps;
  return info;
}

}  // namespace zk::ondisk

namespace zk::ondisk {

Result<std::vector<VmcoreNote>> read_vmcore_notes(util::File& file, const VmcoreInfo& info,
                                                  const VmcoreLimits& limits) {
  std::vector<VmcoreNote> notes;
  auto collect = [&](const NoteView& n) -> Result<void> {
    notes.push_back({std::string(n.owner), n.type,
                     std::vector<std::byte>(n.desc.begin(), n.desc.end()), n.file_offset});
    return {};
  };
  if (auto r = for_each_note(file, info.note_segments, limits, collect); !r)
    return std::unexpected(r.error());
  return notes;
}

std::string note_type_name(const std::string& owner, uint32_t type) {
  const char* name = nullptr;
  if (owner == "CORE") {
    if (type == NT_PRSTATUS) name = "NT_PRSTATUS";
    else if (type == NT_FPREGSET) name = "NT_FPREGSET";
    else if (type == NT_PRPSINFO) name = "NT_PRPSINFO";
  } else if (owner == "LINUX") {
    switch (type) {
      case kNtS390Timer: name = "NT_S390_TIMER"; break;
      case kNtS390Todcmp: name = "NT_S390_TODCMP"; break;
      case kNtS390Todpreg: name = "NT_S390_TODPREG"; break;
      case kNtS390Ctrs: name = "NT_S390_CTRS"; break;
      case kNtS390Prefix: name = "NT_S390_PREFIX"; break;
      case kNtS390VxrsLow: name = "NT_S390_VXRS_LOW"; break;
      case kNtS390VxrsHigh: name = "NT_S390_VXRS_HIGH"; break;
      case kNtS390GsCb: name = "NT_S390_GS_CB"; break;
      default: break;
    }
  } else if (owner == "VMCOREINFO") {
    return "VMCOREINFO";
  }
  return name ? util::format("%s (%s 0x%x)", name, owner.c_str(), type)
              : util::format("note %s 0x%x", owner.c_str(), type);
}

}  // namespace zk::ondisk

namespace zk::ondisk {

Result<void> encode_core_headers(std::span<const std::byte> source_header,
                                 const std::vector<CoreSegment>& segments,
                                 std::span<std::byte> out) {
  if (source_header.size() < kElf64HeaderSize)
    return fail("internal: the source ELF header is shorter than 64 bytes");
  if (segments.size() >= 0xffff)
    return fail(util::format("%zu program headers exceed what e_phnum can count", segments.size()));
  const size_t need = kElf64HeaderSize + segments.size() * kElf64PhdrSize;
  if (out.size() < need)
    return fail(
        util::format("internal: %zu program headers need %zu bytes, the header area has %zu",
                     segments.size(), need, out.size()));
  std::memcpy(out.data(), source_header.data(), kElf64HeaderSize);
  store_be<uint64_t>(out, 0x20, kElf64HeaderSize);                        // e_phoff
  store_be<uint64_t>(out, 0x28, 0);                                       // e_shoff
  store_be<uint16_t>(out, 0x34, kElf64HeaderSize);                        // e_ehsize
  store_be<uint16_t>(out, 0x36, kElf64PhdrSize);                          // e_phentsize
  store_be<uint16_t>(out, 0x38, static_cast<uint16_t>(segments.size()));  // e_phnum
  store_be<uint16_t>(out, 0x3a, 0);                                       // e_shentsize
  store_be<uint16_t>(out, 0x3c, 0);                                       // e_shnum
  store_be<uint16_t>(out, 0x3e, 0);                                       // e_shstrndx
  size_t at = kElf64HeaderSize;
  for (const auto& s : segments) {
    store_be<uint32_t>(out, at + 0x00, s.type);
    store_be<uint32_t>(out, at + 0x04, s.type == PT_LOAD ? (PF_R | PF_W | PF_X) : 0);
    store_be<uint64_t>(out, at + 0x08, s.offset);
    store_be<uint64_t>(out, at + 0x10, s.vaddr);
    store_be<uint64_t>(out, at + 0x18, s.paddr);
    store_be<uint64_t>(out, at + 0x20, s.filesz);
    store_be<uint64_t>(out, at + 0x28, s.memsz);
    store_be<uint64_t>(out, at + 0x30, s.type == PT_LOAD ? 4096 : 0);
    at += kElf64PhdrSize;
  }
  return {};
}

}  // namespace zk::ondisk
