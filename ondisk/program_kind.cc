// SPDX-License-Identifier: MIT
#include "ondisk/program_kind.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>

#include <gelf.h>
#include <libelf.h>

#include "util/fd.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

struct ElfEnd {
  void operator()(Elf* e) const { elf_end(e); }
};

std::string machine_name(uint16_t m) {
  switch (m) {
    case EM_S390: return "s390";
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    case EM_AARCH64: return "AArch64";
    case EM_PPC64: return "ppc64";
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    default: return util::format("machine %u", m);
  }
}

}  // namespace

Result<ProgramKind> read_program_kind(const std::string& path) {
  if (elf_version(EV_CURRENT) == EV_NONE) return fail("libelf initialisation failed");
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "opening " + path);
  std::unique_ptr<Elf, ElfEnd> elf(elf_begin(fd.get(), ELF_C_READ, nullptr));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF)
    return fail(path + " is not an ELF program (no ELF header)");
  ProgramKind k;
  const char* ident = elf_getident(elf.get(), nullptr);
  GElf_Ehdr eh;
  if (!ident || !gelf_getehdr(elf.get(), &eh))
    return fail(util::format("%s: unreadable ELF header: %s", path.c_str(), elf_errmsg(-1)));
  k.is_64bit = ident[EI_CLASS] == ELFCLASS64;
  k.big_endian = ident[EI_DATA] == ELFDATA2MSB;
  k.machine = eh.e_machine;
  k.type = eh.e_type;
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0)
    return fail(util::format("%s: unreadable program headers: %s", path.c_str(), elf_errmsg(-1)));
  if (phnum > kMaxProgramHeaders)
    return fail(util::format("%s: %zu program headers (at most %u)", path.c_str(), phnum,
                             kMaxProgramHeaders));
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph))
      return fail(util::format("%s: program header %zu: %s", path.c_str(), i, elf_errmsg(-1)));
    if (ph.p_type == PT_DYNAMIC) k.dynamic = true;
    if (ph.p_type == PT_LOAD) {
      // Untrusted numbers: an end that wraps is a broken file, not a huge kernel.
      if (ph.p_vaddr > UINT64_MAX - ph.p_memsz)
        return fail(util::format("%s: PT_LOAD %zu ends beyond the address space", path.c_str(), i));
      k.load_end = std::max<uint64_t>(k.load_end, ph.p_vaddr + ph.p_memsz);
    }
    if (ph.p_type == PT_INTERP) {
      // The interpreter's path, bounded: a name, not a size read from the file.
      size_t size = 0;
      const char* image = elf_rawfile(elf.get(), &size);
      constexpr uint64_t kMaxInterp = 256;
      if (image && ph.p_offset < size && ph.p_filesz > 0) {
        const uint64_t n = std::min<uint64_t>({ph.p_filesz, size - ph.p_offset, kMaxInterp});
        k.interpreter.assign(image + ph.p_offset, static_cast<size_t>(n));
        k.interpreter.resize(k.interpreter.find('\0') == std::string::npos
                                 ? k.interpreter.size()
                                 : k.interpreter.find('\0'));
      }
      if (k.interpreter.empty()) k.interpreter = "?";
    }
  }
  return k;
}

bool is_static_s390x(const ProgramKind& k) {
  return k.machine == EM_S390 && k.is_64bit && k.big_endian && k.interpreter.empty() &&
         !k.dynamic && (k.type == ET_EXEC || k.type == ET_DYN);
}

std::string describe_program(const ProgramKind& k) {
  std::string what;
  if (k.machine != EM_S390) what = "an " + machine_name(k.machine) + " program, not s390x";
  else if (!k.is_64bit || !k.big_endian) what = "a 31-bit or little-endian s390 program";
  else if (k.type != ET_EXEC && k.type != ET_DYN)
    what = util::format("an s390x ELF file of type %u, not an executable", k.type);
  if (!k.interpreter.empty())
    what += (what.empty() ? "" : ", and ") +
            std::string("a dynamically linked program (interpreter ") + k.interpreter + ")";
  else if (k.dynamic)
    what += (what.empty() ? "" : ", and ") + std::string("a dynamically linked program");
  return what.empty() ? "a static s390x program" : what;
}

}  // namespace zk::ondisk
