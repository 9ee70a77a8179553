# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# project.licence: every source file of the project names its licence.
#
#   cmake -DSOURCE_DIR=<repo> -P cmake/check_licence.cmake
#
# Fails listing each C++ source, CMake file and script under SOURCE_DIR
# whose first six lines lack "SPDX-License-Identifier: BSD-3-Clause", and
# fails if LICENSE is not the BSD 3-Clause text. Build directories
# (build*/) are not looked at.

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_licence.cmake: set -DSOURCE_DIR=<repository>")
endif()

set(spdx "SPDX-License-Identifier: BSD-3-Clause")

file(READ "${SOURCE_DIR}/LICENSE" licence_text)
if(NOT licence_text MATCHES "Redistribution and use in source and binary forms"
   OR NOT licence_text MATCHES "Neither the name of the copyright holder")
  message(FATAL_ERROR "${SOURCE_DIR}/LICENSE is not the BSD 3-Clause licence")
endif()

set(dirs libsssn_actors examples unit_tests integration_tests tools benchmarks
         fuzz cmake)
set(files "${SOURCE_DIR}/CMakeLists.txt")
foreach(dir IN LISTS dirs)
  if(NOT IS_DIRECTORY "${SOURCE_DIR}/${dir}")
    continue()
  endif()
  file(GLOB_RECURSE found LIST_DIRECTORIES false
       "${SOURCE_DIR}/${dir}/*.cpp" "${SOURCE_DIR}/${dir}/*.hpp"
       "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/CMakeLists.txt"
       "${SOURCE_DIR}/${dir}/*.cmake" "${SOURCE_DIR}/${dir}/*.cmake.in"
       "${SOURCE_DIR}/${dir}/*.sh")
  list(APPEND files ${found})
endforeach()
foreach(script IN ITEMS .ci/run .ci/dev .ci/fuzz .ci/sanitize
                        .ci/hardened-caf benchmarks/run benchmarks/icount)
  if(EXISTS "${SOURCE_DIR}/${script}")
    list(APPEND files "${SOURCE_DIR}/${script}")
  endif()
endforeach()

set(missing "")
set(checked 0)
foreach(f IN LISTS files)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
  # Build trees configured inside the source tree, and generated files.
  if(rel MATCHES "(^|/)build[^/]*/")
    continue()
  endif()
  file(STRINGS "${f}" head LIMIT_COUNT 6)
  string(FIND "${head}" "${spdx}" at)
  if(at EQUAL -1)
    list(APPEND missing "${rel}")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()

list(LENGTH missing n)
if(n GREATER 0)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "${n} of ${checked} source files lack "
                      "\"${spdx}\" in their first six lines:\n  ${text}")
endif()
message(STATUS "project.licence: all ${checked} source files carry "
               "\"${spdx}\"")
