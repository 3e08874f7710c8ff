# SPDX-License-Identifier: MIT
# Distribution integration: every file the toolkit installs besides its binaries, generated from
# templates/ and man/ by configure_file (@KEY@ substitution at build time), their install rules,
# and the Debian package (CPack).
#
#   cmake --install BUILD [--prefix /usr]     DESTDIR=... stages the tree
#   cpack --config BUILD/CPackConfig.cmake    zfcpdump-kit_<version>_<arch>.deb
#
# Where things go (GNUInstallDirs; the default prefix is /usr, a system installation, so that
# the binaries' built-in paths and the places kernel-install and Debian's kernel packages look
# at agree; the SYSCONFDIR paths are fixed when the build is configured):
#   sbin/zfcpdump-install, libexec/zfcpdump-kit/zfcpdump-dumper (the installer's default dumper)
#   share/zfcpdump-kit/{dumpconf.in,zipl-dump.conf.in}   run-time templates (installer/)
#   lib/kernel/install.d/50-zfcpdump-kit.install         kernel-install(8) plugin
#   lib/systemd/system/zfcpdump-kit-save.service         the harvest at boot (enabled by postinst)
#   SYSCONFDIR/kernel/{postinst.d,postrm.d}/zz-zfcpdump-kit   Debian's kernel hooks
#   SYSCONFDIR/zfcpdump-kit.conf                          every key commented with its default
#   share/man/man{5,8}, share/bash-completion/completions/zfcpdump-install
#
# The package holds the binaries of the build it is made from: the s390x cross build (static
# dumper, ZK_STATIC_DUMPER=ON) makes the real one, Architecture s390x; the host build makes an
# amd64 package with a dynamic dumper that only tests these rules.

# --- Values the templates see ------------------------------------------------------------------
set(ZK_SBINDIR "${CMAKE_INSTALL_FULL_SBINDIR}")
set(ZK_DUMPER_PATH "${CMAKE_INSTALL_FULL_LIBEXECDIR}/zfcpdump-kit/zfcpdump-dumper")
set(ZK_DATADIR "${CMAKE_INSTALL_FULL_DATADIR}/zfcpdump-kit")
set(ZK_KERNEL_INSTALL_SUBDIR lib/kernel/install.d)  # relative: follows cmake --install --prefix
set(ZK_KERNEL_INSTALL_DIR "${CMAKE_INSTALL_PREFIX}/${ZK_KERNEL_INSTALL_SUBDIR}")
set(ZK_SYSTEMD_UNIT_SUBDIR lib/systemd/system)  # relative, as above: /usr/lib/systemd/system
set(ZK_SYSTEMD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/${ZK_SYSTEMD_UNIT_SUBDIR}")
set(ZK_SAVE_UNIT zfcpdump-kit-save.service)
set(ZK_DEBIAN_HOOK_DIR_BASE "${CMAKE_INSTALL_FULL_SYSCONFDIR}/kernel")
# The installer's built-in defaults (installer/config.h, layout/layout.h, state/registry.h);
# tests/packaging checks that the configuration template says the same.
set(ZK_CONFIG_PATH "/etc/zfcpdump-kit.conf")
set(ZK_ZFCPDUMP_DIR "/lib/s390-tools/zfcpdump")
set(ZK_REGISTRY "/etc/zfcpdump-kit/disks")

set(ZK_GEN_DIR "${PROJECT_BINARY_DIR}/packaging")
# A distribution that builds the package names itself here (lintian refuses a local mail host).
set(ZK_DEB_MAINTAINER "zfcpdump-kit maintainers <zfcpdump-kit@users.noreply.github.com>"
    CACHE STRING "The Maintainer field of the Debian package and its changelog")
set(ZK_TEMPLATE_DIR "${PROJECT_SOURCE_DIR}/templates")

# --- Hooks and configuration --------------------------------------------------------------------
configure_file(${ZK_TEMPLATE_DIR}/50-zfcpdump-kit.install.in ${ZK_GEN_DIR}/50-zfcpdump-kit.install @ONLY)
foreach(action IN ITEMS add remove)
  if(action STREQUAL "add")
    set(dir postinst.d)
  else()
    set(dir postrm.d)
  endif()
  set(ZK_HOOK_ACTION ${action})
  set(ZK_DEBIAN_HOOK_DIR "${ZK_DEBIAN_HOOK_DIR_BASE}/${dir}")
  configure_file(${ZK_TEMPLATE_DIR}/zz-zfcpdump-kit.in ${ZK_GEN_DIR}/${dir}/zz-zfcpdump-kit @ONLY)
  install(PROGRAMS ${ZK_GEN_DIR}/${dir}/zz-zfcpdump-kit DESTINATION ${ZK_DEBIAN_HOOK_DIR})
endforeach()
configure_file(${ZK_TEMPLATE_DIR}/zfcpdump-kit.conf.in ${ZK_GEN_DIR}/zfcpdump-kit.conf @ONLY)

install(PROGRAMS ${ZK_GEN_DIR}/50-zfcpdump-kit.install DESTINATION ${ZK_KERNEL_INSTALL_SUBDIR})
# The harvest at boot (man/zfcpdump-kit-save.service.8.in says why it is ordered as it is).
configure_file(${ZK_TEMPLATE_DIR}/${ZK_SAVE_UNIT}.in ${ZK_GEN_DIR}/${ZK_SAVE_UNIT} @ONLY)
install(FILES ${ZK_GEN_DIR}/${ZK_SAVE_UNIT} DESTINATION ${ZK_SYSTEMD_UNIT_SUBDIR})
install(FILES ${ZK_GEN_DIR}/zfcpdump-kit.conf DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR})
install(FILES completion/zfcpdump-install.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME zfcpdump-install)
# The licence, in Debian's machine-readable form (the same MIT text as LICENSE), and the
# changelog a native Debian package carries (gzip -9n: reproducible).
install(FILES ${ZK_TEMPLATE_DIR}/debian/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/zfcpdump-kit)
configure_file(${ZK_TEMPLATE_DIR}/debian/changelog.in ${ZK_GEN_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${ZK_GEN_DIR}/debian/changelog.gz
  COMMAND gzip -9n -c ${ZK_GEN_DIR}/debian/changelog > ${ZK_GEN_DIR}/debian/changelog.gz
  DEPENDS ${ZK_GEN_DIR}/debian/changelog
  COMMENT "Compressing the Debian changelog")
add_custom_target(zk_debian_changelog ALL DEPENDS ${ZK_GEN_DIR}/debian/changelog.gz)
install(FILES ${ZK_GEN_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/zfcpdump-kit)
# The dumper is static on purpose (it is /init of a ramdisk without libraries): said to lintian
# where it looks for a package's overrides. Only the package that holds the static dumper has it.
if(ZK_STATIC_DUMPER)
  string(REGEX REPLACE "^/" "" zk_dumper_in_package "${CMAKE_INSTALL_FULL_LIBEXECDIR}/zfcpdump-kit/zfcpdump-dumper")
  file(WRITE ${ZK_GEN_DIR}/debian/lintian-overrides
    "# /init of the zfcpdump ramdisk, which holds no libraries: static by design.\n"
    "zfcpdump-kit: statically-linked-binary [${zk_dumper_in_package}]\n")
  install(FILES ${ZK_GEN_DIR}/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
          RENAME zfcpdump-kit)
endif()

# --- Manual pages: configured, then compressed as Debian wants them (gzip -9n) ------------------
set(ZK_MAN_PAGES zfcpdump-install.8 zfcpdump-dumper.8 zfcpdump-kit.conf.5 zfcpdump-kit-save.service.8)
set(ZK_MAN_OUTPUTS)
foreach(page IN LISTS ZK_MAN_PAGES)
  configure_file(${PROJECT_SOURCE_DIR}/man/${page}.in ${ZK_GEN_DIR}/man/${page} @ONLY)
  add_custom_command(OUTPUT ${ZK_GEN_DIR}/man/${page}.gz
    COMMAND gzip -9n -c ${ZK_GEN_DIR}/man/${page} > ${ZK_GEN_DIR}/man/${page}.gz
    DEPENDS ${ZK_GEN_DIR}/man/${page}
    COMMENT "Compressing ${page}")
  list(APPEND ZK_MAN_OUTPUTS ${ZK_GEN_DIR}/man/${page}.gz)
  string(REGEX REPLACE "^.*\\.([0-9])$" "\\1" section ${page})
  install(FILES ${ZK_GEN_DIR}/man/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(zk_man_pages ALL DEPENDS ${ZK_MAN_OUTPUTS})

# --- The Debian package -------------------------------------------------------------------------
if(CMAKE_CROSSCOMPILING)
  if(CMAKE_SYSTEM_PROCESSOR STREQUAL "s390x")
    set(ZK_DEB_ARCH s390x)
  else()
    set(ZK_DEB_ARCH ${CMAKE_SYSTEM_PROCESSOR})
  endif()
else()
  find_program(ZK_DPKG dpkg)
  if(ZK_DPKG)
    execute_process(COMMAND ${ZK_DPKG} --print-architecture OUTPUT_VARIABLE ZK_DEB_ARCH
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
  else()
    set(ZK_DEB_ARCH ${CMAKE_SYSTEM_PROCESSOR})
  endif()
endif()
if(ZK_DEB_ARCH STREQUAL "s390x" AND NOT ZK_STATIC_DUMPER)
  message(WARNING "zfcpdump-kit: an s390x package needs the static dumper: configure with -DZK_STATIC_DUMPER=ON")
elseif(NOT ZK_STATIC_DUMPER)
  message(STATUS "zfcpdump-kit: this build's package holds a dynamic dumper (${ZK_DEB_ARCH}): it tests the "
                 "packaging rules; the real package comes from the s390x build (ZK_STATIC_DUMPER=ON)")
endif()

configure_file(${ZK_TEMPLATE_DIR}/debian/postinst.in ${ZK_GEN_DIR}/debian/postinst @ONLY)
configure_file(${ZK_TEMPLATE_DIR}/debian/postrm.in ${ZK_GEN_DIR}/debian/postrm @ONLY)
# Everything below /etc is a conffile: dpkg keeps the administrator's changes.
file(WRITE ${ZK_GEN_DIR}/debian/conffiles
  "${CMAKE_INSTALL_FULL_SYSCONFDIR}/zfcpdump-kit.conf\n"
  "${ZK_DEBIAN_HOOK_DIR_BASE}/postinst.d/zz-zfcpdump-kit\n"
  "${ZK_DEBIAN_HOOK_DIR_BASE}/postrm.d/zz-zfcpdump-kit\n")
file(CHMOD ${ZK_GEN_DIR}/debian/postinst ${ZK_GEN_DIR}/debian/postrm
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME zfcpdump-kit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_SET_DESTDIR ON)  # the /etc files are installed by absolute path
set(CPACK_PACKAGE_CONTACT "${ZK_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SCSI dump disks for Linux on IBM Z (zfcpdump)")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; cpack puts it first, so the text below is
# the extended description alone.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "zfcpdump-install prepares a SCSI disk as a dump disk (partitioning, zipl -d,\n"
  "verification) and keeps its dump tool current when the dump kernel or the\n"
  "toolkit changes (kernel-install plugin, Debian kernel hooks). zfcpdump-dumper\n"
  "is the static program that runs as /init of the zfcpdump ramdisk and writes\n"
  "the crashed system's memory to the disk in the format zgetdump reads.\n"
  "After the next boot, zfcpdump-install save (zfcpdump-kit-save.service) copies\n"
  "the dump into /var/crash, compressed by makedumpfile, with its kernel log.")
set(CPACK_STRIP_FILES ON)  # the toolchain's strip: s390x-linux-gnu-strip in the cross build
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${ZK_DEB_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/zfcpdump-kit/zfcpdump-kit")
# The libraries zfcpdump-install links (Debian 12 names and versions). A native build lets
# dpkg-shlibdeps work them out; a cross build cannot (the sysroot has no dpkg database), so it
# names them.
if(CMAKE_CROSSCOMPILING)
  string(CONCAT CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1 (>= 3.0), libfdisk1 (>= 2.38), libblkid1 (>= 2.38), "
    "libmount1 (>= 2.38), "
    "libarchive13 (>= 3.6), libnettle8 (>= 3.8), libelf1 (>= 0.188), liblzma5 (>= 5.4), liblz4-1 (>= 1.9)")
else()
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
# zipl and zgetdump do the work on IBM Z; the package builds ramdisks and checks disks without.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "s390-tools")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${ZK_GEN_DIR}/debian/postinst;${ZK_GEN_DIR}/debian/postrm;${ZK_GEN_DIR}/debian/conffiles;"
  "${ZK_TEMPLATE_DIR}/debian/triggers")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Only the runtime: no headers or static libraries exist; tests and tools are not installed.
include(CPack)
