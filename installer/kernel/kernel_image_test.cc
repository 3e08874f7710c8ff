// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_image.h"

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "installer/kernel/kernel_config.h"
#include "installer/kernel/test_paths.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::installer::kernel {
namespace {

std::string slurp(const std::string& path) { return util::read_file(path, 1u << 30).value_or(""); }

void write(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Debian's real s390x kernel from the sysroot scripts/setup prepares; fails loudly without it.
std::string debian_image() {
  auto images = testing::sysroot_boot_files("vmlinuz-");
  if (images.empty()) {
    ADD_FAILURE() << "no boot/vmlinuz-*-s390x in " << testing::s390x_sysroot()
                  << " (run scripts/setup)";
    return {};
  }
  return images.back();
}

std::string expect_refused(std::string_view bytes, const std::string& name) {
  auto r = check_kernel_image_bytes(bytes, name);
  EXPECT_FALSE(r.has_value()) << name << " was accepted";
  return r ? std::string() : r.error().message;
}

TEST(KernelImage, AcceptsDebiansRealImage) {
  const std::string path = debian_image();
  ASSERT_FALSE(path.empty());
  auto info = check_kernel_image(path);
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_EQ(info->size, std::filesystem::file_size(path));
  // vmlinuz-6.1.0-50-s390x holds "6.1.0-50-s390x (debian-kernel@lists.debian.org) #1 SMP ...".
  const std::string release = std::filesystem::path(path).filename().string().substr(8);
  EXPECT_EQ(info->release, release);
  EXPECT_TRUE(info->version.starts_with(release + " (")) << info->version;
  EXPECT_TRUE(info->secure_boot_trailer);
  EXPECT_TRUE(info->compressed);
  // The compressor the image's own config names.
  auto config = KernelConfig::load(testing::s390x_sysroot() + "/boot/config-" + release);
  ASSERT_TRUE(config.has_value()) << config.error().describe();
  std::string configured;
  for (const char* c : {"XZ", "GZIP", "ZSTD", "LZ4", "LZO", "BZIP2", "LZMA"})
    if (config->is_builtin(std::string("CONFIG_KERNEL_") + c)) configured = c;
  std::string expected = configured == "GZIP" ? "gzip" : configured;
  for (auto& ch : expected) ch = static_cast<char>(std::tolower(ch));
  EXPECT_EQ(info->compression, expected);
}

// A built zfcpdump kernel is checked where it is built: tests/kernel (kernel_build_*).

TEST(KernelImage, RefusesTruncatedImages) {
  const std::string path = debian_image();
  ASSERT_FALSE(path.empty());
  const std::string real = slurp(path);
  ASSERT_GT(real.size(), 2u << 20);
  // Before the parameter area ends.
  EXPECT_NE(expect_refused(std::string_view(real).substr(0, 0x10100), "a").find("is truncated"),
            std::string::npos);
  // Before the version string the header points to.
  EXPECT_NE(expect_refused(std::string_view(real).substr(0, 0x10480), "b").find("beyond the end"),
            std::string::npos);
  // Whole pages, but no trailer.
  EXPECT_NE(
      expect_refused(std::string_view(real).substr(0, 1u << 20), "c").find("secure-boot trailer"),
      std::string::npos);
  // Not whole pages.
  EXPECT_NE(expect_refused(std::string_view(real).substr(0, (1u << 20) + 100), "d")
                .find("4096-byte pages"),
            std::string::npos);
  testsupport::TempDir dir;
  write(dir.file("cut"), std::string_view(real).substr(0, real.size() - 4096));
  auto r = check_kernel_image(dir.file("cut"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find(dir.file("cut") + " is truncated"), std::string::npos)
      << r.error().message;
}

TEST(KernelImage, RefusesElfVmlinux) {
  std::string elf(64, '\0');
  elf.replace(0, 4,
              "\x7f"
              "ELF");
  elf[4] = 2;    // ELFCLASS64
  elf[5] = 2;    // big-endian
  elf[19] = 22;  // EM_S390
  EXPECT_NE(expect_refused(elf, "vmlinux")
                .find("vmlinux is an s390 ELF file (a vmlinux?), not a boot "
                      "image: zipl needs arch/s390/boot/bzImage"),
            std::string::npos);
  // A vmlinux with DWARF can be larger than any image; it is still named for what it is.
  testsupport::TempDir dir;
  testsupport::make_zero_file(dir.file("vmlinux"), kMaxKernelImageBytes + 4096);
  testsupport::poke(dir.file("vmlinux"), 0, elf.data(), elf.size());
  auto big = check_kernel_image(dir.file("vmlinux"));
  ASSERT_FALSE(big.has_value());
  EXPECT_NE(big.error().message.find("is an s390 ELF file (a vmlinux?)"), std::string::npos)
      << big.error().message;
  testsupport::make_zero_file(dir.file("huge"), kMaxKernelImageBytes + 4096);
  auto huge = check_kernel_image(dir.file("huge"));
  ASSERT_FALSE(huge.has_value());
  EXPECT_NE(huge.error().message.find("an s390 kernel image is far smaller"), std::string::npos);
  // This test program: an ELF for the host's machine, or, in the s390x build under qemu-user,
  // an s390 ELF (which the check names as a vmlinux).
  auto host = check_kernel_image("/proc/self/exe");
  ASSERT_FALSE(host.has_value());
  auto self = slurp("/proc/self/exe");
  const std::string why = expect_refused(self, "prog");
  EXPECT_TRUE(why.find("is an ELF file for machine") != std::string::npos ||
              why.find("is an s390 ELF file") != std::string::npos)
      << why;
}

TEST(KernelImage, RefusesX86BzImage) {
  // The x86 boot protocol header (Documentation/x86/boot.rst): 0xAA55 at 0x1fe, "HdrS" at 0x202.
  std::string x86(0x20000, '\0');
  x86[0x1fe] = '\x55';
  x86[0x1ff] = '\xaa';
  x86.replace(0x202, 4, "HdrS");
  EXPECT_NE(expect_refused(x86, "bzImage").find("is an x86 kernel"), std::string::npos);
}

TEST(KernelImage, RefusesRandomBytesAndEmptyFiles) {
  std::mt19937_64 rng(42);
  std::string noise(1u << 20, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  EXPECT_NE(expect_refused(noise, "noise").find("not an s390 kernel image: no IPL PSW"),
            std::string::npos);
  EXPECT_NE(expect_refused("", "empty").find("only 0 bytes"), std::string::npos);
  // An IPL PSW but no S390EP marker: some other IPL-able program.
  std::string psw_only(0x20000, '\0');
  psw_only.replace(0, 8, std::string("\x00\x08\x00\x00\x80\x00\x02\x00", 8));
  EXPECT_NE(expect_refused(psw_only, "stage").find("no \"S390EP\""), std::string::npos);
}

TEST(KernelImage, ReportsUncompressedImagesAndOldOnes) {
  // A minimal image in the 6.1 layout, without version pointer (kernels before the field),
  // whose payload carries the kernel's banner in plain text: uncompressed.
  std::string img(0x20000, '\0');
  img.replace(0, 8, std::string("\x00\x08\x00\x00\x80\x00\x02\x00", 8));
  img.replace(0x10008, 8, std::string("S390EP\x00\x01", 8));
  img.replace(0x18000, 40, "Linux version 5.4.0 (me@host) #1 SMP ...");
  auto info = check_kernel_image_bytes(img, "old");
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_FALSE(info->compressed);
  EXPECT_TRUE(info->version.empty());
  EXPECT_FALSE(info->secure_boot_trailer)
      << "accepted: the version is unknown, so no trailer is required";
  // The decompressor's format string alone does not count as a banner.
  img.replace(0x18000, 40, std::string("Linux version %s\n") + std::string(23, '\0'));
  info = check_kernel_image_bytes(img, "old");
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->compressed);
  EXPECT_EQ(info->compression, "");
}

TEST(KernelImage, MissingFile) {
  auto r = check_kernel_image("/nonexistent/bzImage");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().errnum, ENOENT);
}

}  // namespace
}  // namespace zk::installer::kernel
