# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# The package.subdirectory test: does add_subdirectory(sssn-actors) from a
# parent project give the library, and only the library?
#
#   cmake -DSOURCE_DIR=... -DPARENT_DIR=... -DPARENT_BUILD_DIR=...
#         -DEXPECTED=... -DCONFIG=... -DGENERATOR=... -DCXX_COMPILER=...
#         -DSANITIZE=... -DCHECK_OUTPUT_SCRIPT=... -P subdirectory_test.cmake
#
# 1. configures PARENT_DIR (unit_tests/consumer/subdirectory), which
#    add_subdirectory()s SOURCE_DIR, in PARENT_BUILD_DIR (emptied first),
#    with BUILD_SHARED_LIBS=OFF and SSSN_INSTALL=ON: the one build of the
#    library as a static library, which package.static then installs; the
#    parent's CMakeLists.txt fails if the tests, examples, the CLI or the
#    benchmarks were defined, or their options are ON;
# 2. builds it (-j2) and checks that none of their directories, and no
#    `sssn` or `sssn-bench` program, is in the build tree;
# 3. runs the parent's program (linked with sssn::actors) and compares its
#    output with EXPECTED.

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS SOURCE_DIR PARENT_DIR PARENT_BUILD_DIR EXPECTED GENERATOR
                     CHECK_OUTPUT_SCRIPT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "subdirectory_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(step what)
  message(STATUS "package.subdirectory: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "0")
    message(FATAL_ERROR "package.subdirectory: ${what} failed (${rc})")
  endif()
endfunction()

set(config_args)
set(build_config_args)
if(CONFIG)
  set(config_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
  set(build_config_args --config "${CONFIG}")
endif()
set(compiler_args)
if(CXX_COMPILER)
  set(compiler_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(SANITIZE)
  # The library gets it from SSSN_SANITIZE, the parent's program here.
  list(APPEND compiler_args "-DSSSN_SANITIZE=${SANITIZE}"
       "-DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}"
       "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE}")
endif()

# -- 1. configure ---------------------------------------------------------------

file(REMOVE_RECURSE "${PARENT_BUILD_DIR}")
step("configure ${PARENT_DIR}"
  "${CMAKE_COMMAND}" -S "${PARENT_DIR}" -B "${PARENT_BUILD_DIR}"
  -G "${GENERATOR}"
  "-DSSSN_SOURCE_DIR=${SOURCE_DIR}"
  -DBUILD_SHARED_LIBS=OFF
  -DSSSN_INSTALL=ON
  ${config_args} ${compiler_args})

# -- 2. build: the library and the parent's program, nothing else -------------

step("build (-j2)"
  "${CMAKE_COMMAND}" --build "${PARENT_BUILD_DIR}" -j2 ${build_config_args})

set(sub "${PARENT_BUILD_DIR}/sssn-actors")
if(NOT EXISTS "${sub}/libsssn_actors")
  message(FATAL_ERROR "package.subdirectory: no ${sub}/libsssn_actors")
endif()
file(GLOB_RECURSE archives "${sub}/libsssn_actors/*.a")
if(NOT archives)
  message(FATAL_ERROR "package.subdirectory: BUILD_SHARED_LIBS=OFF, but no "
                      "libsssn_actors.a in ${sub}/libsssn_actors")
endif()
foreach(dir IN ITEMS tools benchmarks examples unit_tests integration_tests)
  if(EXISTS "${sub}/${dir}")
    message(FATAL_ERROR "package.subdirectory: ${sub}/${dir} exists: "
                        "add_subdirectory(sssn-actors) built ${dir}/")
  endif()
endforeach()
file(GLOB_RECURSE programs "${PARENT_BUILD_DIR}/*/sssn" "${PARENT_BUILD_DIR}/*/sssn-bench")
if(programs)
  message(FATAL_ERROR "package.subdirectory: built ${programs}")
endif()

# -- 3. run the parent's program ----------------------------------------------

set(exe "${PARENT_BUILD_DIR}/sssn_consumer")
if(NOT EXISTS "${exe}" AND CONFIG)
  set(exe "${PARENT_BUILD_DIR}/${CONFIG}/sssn_consumer")
endif()
step("run ${exe}"
  "${CMAKE_COMMAND}" "-DEXE=${exe}" "-DEXPECTED=${EXPECTED}" -DTIMEOUT=60
  -P "${CHECK_OUTPUT_SCRIPT}")
message(STATUS "package.subdirectory: add_subdirectory() gives the library only")
