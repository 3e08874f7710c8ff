# SPDX-License-Identifier: MIT
# External libraries, as imported targets named ZK::<lib>.
# Host build: pkg-config (shared libraries). Cross build: the static archives unpacked into the
# s390x sysroot by scripts/setup (Debian's -dev packages for s390x).
find_package(PkgConfig REQUIRED)

function(zk_static_archive target lib)
  find_library(ZK_${lib}_A NAMES lib${lib}.a REQUIRED)
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${ZK_${lib}_A}")
  if(ARGN)
    set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${ARGN}")
  endif()
endfunction()

if(ZK_STATIC_DUMPER)
  # libelf as the static dumper needs it, with its compression libraries.
  zk_static_archive(ZK::zlib z)
  zk_static_archive(ZK::zstd zstd)
  zk_static_archive(ZK::libelf_static elf ZK::zlib ZK::zstd)
  find_path(ZK_LIBELF_INCLUDE libelf.h REQUIRED)
  set_target_properties(ZK::libelf_static PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${ZK_LIBELF_INCLUDE}")
endif()
if(ZK_STATIC_DUMPER AND ZK_DUMPER_ONLY)
  add_library(ZK::libelf ALIAS ZK::libelf_static)  # the dumper is all this build makes
else()
  pkg_check_modules(ZK_LIBELF REQUIRED IMPORTED_TARGET libelf)
  if(ZK_STATIC_DUMPER)
    # zk_ondisk links libelf for both the dumper and the installer. A target with the property
    # ZK_STATIC_LIBELF (the static dumper) gets the archives; every other program the shared
    # library, so that a security update of libelf or zlib reaches zfcpdump-install (lintian
    # calls an archive linked in an embedded library).
    add_library(zk_libelf INTERFACE)
    target_link_libraries(zk_libelf INTERFACE
      "$<IF:$<BOOL:$<TARGET_PROPERTY:ZK_STATIC_LIBELF>>,ZK::libelf_static,PkgConfig::ZK_LIBELF>")
    add_library(ZK::libelf ALIAS zk_libelf)
  else()
    add_library(ZK::libelf ALIAS PkgConfig::ZK_LIBELF)
  endif()
endif()

if(NOT ZK_DUMPER_ONLY)
  pkg_check_modules(ZK_FDISK REQUIRED IMPORTED_TARGET fdisk)
  pkg_check_modules(ZK_BLKID REQUIRED IMPORTED_TARGET blkid)
  pkg_check_modules(ZK_ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
  add_library(ZK::libfdisk ALIAS PkgConfig::ZK_FDISK)
  add_library(ZK::libblkid ALIAS PkgConfig::ZK_BLKID)
  # /proc/self/mountinfo and /proc/swaps, read by the library that owns their format.
  pkg_check_modules(ZK_MOUNT REQUIRED IMPORTED_TARGET mount)
  add_library(ZK::libmount ALIAS PkgConfig::ZK_MOUNT)
  add_library(ZK::libarchive ALIAS PkgConfig::ZK_ARCHIVE)
  pkg_check_modules(ZK_LZMA REQUIRED IMPORTED_TARGET liblzma)
  add_library(ZK::liblzma ALIAS PkgConfig::ZK_LZMA)
  pkg_check_modules(ZK_LZ4 REQUIRED IMPORTED_TARGET liblz4)
  add_library(ZK::liblz4 ALIAS PkgConfig::ZK_LZ4)
  pkg_check_modules(ZK_NETTLE REQUIRED IMPORTED_TARGET nettle)
  add_library(ZK::nettle ALIAS PkgConfig::ZK_NETTLE)
  # JSON for --json outputs and the files the installer writes (header-only; in the cross build
  # the header comes from the arch-all package unpacked into the sysroot).
  pkg_check_modules(ZK_JSON REQUIRED IMPORTED_TARGET nlohmann_json)
  add_library(ZK::json ALIAS PkgConfig::ZK_JSON)
endif()
