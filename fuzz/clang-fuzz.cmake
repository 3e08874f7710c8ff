# SPDX-License-Identifier: MIT
# Initial cache for the fuzzing build (fuzz/run): cmake -S . -B build/fuzz -C fuzz/clang-fuzz.cmake
#
# Debian's clang 19 (bookworm's clang-19, libclang-rt-19-dev), not clang 14: libstdc++ 12's
# <expected>, which util/error.h needs, is compiled only when __cpp_concepts >= 202002L, and
# clang 14 says 201907L; forcing the macro does not help, because clang 14 lacks conditionally
# trivial special members (P0848) and deletes expected<T, E>'s destructor for any non-trivial E.
# Everything is instrumented for coverage (fuzzer-no-link) and checked by ASan and UBSan; the
# fuzz binaries themselves link libFuzzer (fuzz/CMakeLists.txt).
set(CMAKE_C_COMPILER clang-19 CACHE STRING "")
set(CMAKE_CXX_COMPILER clang++-19 CACHE STRING "")
set(CMAKE_BUILD_TYPE Fuzz CACHE STRING "")
set(ZK_SAN_FLAGS "-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1")
set(CMAKE_C_FLAGS_FUZZ "${ZK_SAN_FLAGS}" CACHE STRING "")
set(CMAKE_CXX_FLAGS_FUZZ "${ZK_SAN_FLAGS}" CACHE STRING "")
set(CMAKE_EXE_LINKER_FLAGS_FUZZ "-fsanitize=address,undefined" CACHE STRING "")
set(ZK_FUZZ ON CACHE BOOL "")
set(ZK_WERROR OFF CACHE BOOL "")
