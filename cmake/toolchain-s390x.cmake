# SPDX-License-Identifier: MIT
# Cross build for IBM Z (s390x, big-endian) with Debian's g++-s390x-linux-gnu.
# Libraries the target needs (libelf, zlib, zstd, ...) come from the sysroot that scripts/setup
# unpacks from Debian's s390x packages; tests run under qemu-s390x-static.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)

if(NOT ZK_S390X_SYSROOT)
  if(DEFINED ENV{ZK_S390X_SYSROOT})
    set(ZK_S390X_SYSROOT "$ENV{ZK_S390X_SYSROOT}")
  elseif(DEFINED ENV{ZFCPDUMP_KIT_CACHE})
    set(ZK_S390X_SYSROOT "$ENV{ZFCPDUMP_KIT_CACHE}/sysroot-s390x")
  else()
    set(ZK_S390X_SYSROOT "$ENV{HOME}/.cache/zfcpdump-kit/sysroot-s390x")
  endif()
endif()
set(ZK_S390X_SYSROOT "${ZK_S390X_SYSROOT}" CACHE PATH "Unpacked s390x Debian packages (scripts/setup)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ZK_S390X_SYSROOT)

# The cross compiler's own libc lives in /usr/s390x-linux-gnu; extra libraries in the sysroot.
set(CMAKE_FIND_ROOT_PATH /usr/s390x-linux-gnu "${ZK_S390X_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)

# pkg-config answers from the sysroot's .pc files (libfdisk, libblkid, libarchive, nettle, ...).
set(ENV{PKG_CONFIG_LIBDIR}
    "${ZK_S390X_SYSROOT}/usr/lib/s390x-linux-gnu/pkgconfig:${ZK_S390X_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${ZK_S390X_SYSROOT}")
set(ENV{PKG_CONFIG_PATH} "")
# Shared libraries pull in others (libfdisk -> libblkid -> ...): let the linker find them.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-Wl,-rpath-link,${ZK_S390X_SYSROOT}/lib/s390x-linux-gnu -Wl,-rpath-link,${ZK_S390X_SYSROOT}/usr/lib/s390x-linux-gnu")

# Dynamic test programs find their s390x libraries in the sysroot (Debian's libc6:s390x and
# the rest), static ones need nothing.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x-static -L "${ZK_S390X_SYSROOT}")
