# SPDX-License-Identifier: MIT
# One place for the compiler flags every target of ours shares.
add_library(zk_warnings INTERFACE)
target_compile_options(zk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2)
if(ZK_WERROR)
  target_compile_options(zk_warnings INTERFACE -Werror)
endif()
