// SPDX-License-Identifier: MIT
#pragma once
/// How large a dump partition must be: room for a dump of all the memory the system can have
/// online, plus the dump tool that `zipl -d` puts behind the dump area. Pure arithmetic, so that
/// the numbers can be checked against disks the real zipl made (tests/fixtures/README.md).

#include <cstdint>
#include <optional>
#include <string_view>

namespace zk::installer::disk {

// zipl's reserve (docs/on-disk-format.md, "How large the partition must be"): in blocks of `bs`
// bytes, where bs is what zipl calls phy_block_size and fills with BLKSSZGET, i.e. the LOGICAL
// sector size,
//   0x10000 + (initrd ? ceil(initrd/bs) + 1 : 0) + ceil((kernel - 0x10000)/bs) + ceil(896/bs) + 8
inline constexpr uint64_t kZiplBaseBlocks = 0x10000;        ///< "approximated stage 3 size"
inline constexpr uint64_t kZiplImageLoadAddress = 0x10000;  ///< kernel bytes zipl does not store
inline constexpr uint64_t kZiplParmBytes = 896;             ///< DUMP_PARAM_MAX_LEN
inline constexpr uint64_t kZiplFixedBlocks =
    8;  ///< tables, sections, empty block, header, superblock

/// The vmcore's headers: the ELF header, one program header a memory range and the notes
/// (prstatus, fpregs, timers, prefix, vector registers: about 1.5 KiB a CPU on s390x, plus
/// vmcoreinfo). 1 MiB covers thousands of memory ranges; 4 KiB a CPU is more than twice the
/// notes a CPU has.
inline constexpr uint64_t kHeaderMarginBytes = 1ull << 20;
inline constexpr uint64_t kHeaderMarginPerCpu = 4096;
/// Linux 6.x adds a PT_LOAD for the kernel image at its virtual address, which duplicates
/// physical memory, so the vmcore is larger than memory by the kernel image (text, data, bss):
/// 20 to 40 MiB for a distribution kernel. 64 MiB leaves room for growth.
inline constexpr uint64_t kKernelImageMargin = 64ull << 20;
/// Partitions start at and are sized in multiples of 1 MiB (what fdisk and parted align to).
inline constexpr uint64_t kAlignment = 1ull << 20;

/// zipl's reserve in blocks of `block_size` bytes for a dump kernel of `kernel_bytes` and a
/// ramdisk of `initrd_bytes` (0: none). A kernel of 64 KiB or less counts as 0 blocks (zipl
/// itself would underflow; real kernels are megabytes).
[[nodiscard]] uint64_t zipl_reserved_blocks(uint32_t block_size, uint64_t kernel_bytes,
                                            uint64_t initrd_bytes);

/// The maximum dump size zipl records for a partition of `partition_bytes`, or nullopt when
/// zipl would fail with "Partition too small for dump tool".
[[nodiscard]] std::optional<uint64_t> zipl_dump_size(uint64_t partition_bytes, uint32_t block_size,
                                                     uint64_t kernel_bytes, uint64_t initrd_bytes);

struct SizingInput {
  uint64_t memory = 0;        ///< bytes the system can have online (online + standby)
  unsigned cpus = 1;          ///< CPUs the system can have (sysfs "possible")
  uint32_t block_size = 512;  ///< the disk's logical block size (zipl's bs)
  uint64_t kernel_bytes = 0;  ///< size of zfcpdump-image
  uint64_t initrd_bytes = 0;  ///< size of zfcpdump-initrd (0: none)
};

struct Sizing {
  uint64_t memory = 0;
  uint64_t header_margin = 0;        ///< kHeaderMarginBytes + kHeaderMarginPerCpu * cpus
  uint64_t kernel_image_margin = 0;  ///< kKernelImageMargin
  uint64_t dump_needed = 0;          ///< memory + both margins: the dump size to ask zipl for
  uint64_t zipl_reserve = 0;         ///< bytes zipl keeps behind the dump area
  /// The smallest partition (a multiple of kAlignment) whose zipl dump size is dump_needed.
  uint64_t partition_min = 0;
};

/// The smallest partition (a multiple of kAlignment) for which zipl records a dump size of at
/// least `dump_bytes`, given zipl's reserve in bytes for the same block size. Saturates.
[[nodiscard]] uint64_t partition_for_dump_size(uint64_t dump_bytes, uint32_t block_size,
                                               uint64_t zipl_reserve);

/// The sizes for `in`. Saturates instead of overflowing on absurd inputs.
[[nodiscard]] Sizing compute_sizing(const SizingInput& in);

/// Parses sysfs's CPU lists ("0-63", "0,2-5"): how many CPUs they name; nullopt when malformed.
[[nodiscard]] std::optional<unsigned> count_cpu_list(std::string_view text);

}  // namespace zk::installer::disk
