# SPDX-License-Identifier: MIT
# zk_add_test(name sources... LIBS libs...): a GoogleTest executable whose tests CTest discovers
# (through CMAKE_CROSSCOMPILING_EMULATOR in the s390x build, so they run big-endian).
if(BUILD_TESTING)
  if(CMAKE_CROSSCOMPILING)
    # Debian's googletest sources, built with the cross compiler.
    if(NOT TARGET gtest)
      set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
      set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
      add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
    endif()
    set(ZK_GTEST_LIBS gtest gtest_main)
  else()
    find_package(GTest REQUIRED)
    set(ZK_GTEST_LIBS GTest::gtest GTest::gtest_main)
  endif()
  include(GoogleTest)
endif()

function(zk_add_test name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} ${ZK_GTEST_LIBS} zk_warnings)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "ZK_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
