# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# The package.consumer test: can a consumer use the *installed* package?
# (And package.static, TEST_NAME=package.static: the same with the static
# library that package.subdirectory built, BUILD_DIR its parent project.)
#
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DCONSUMER_DIR=... -DPREFIX=...
#         -DCONSUMER_BUILD_DIR=... -DLIBRARY_FILE=... -DCONFIG=...
#         -DGENERATOR=... -DCXX_COMPILER=... -DCHECK_OUTPUT_SCRIPT=...
#         [-DTEST_NAME=...] -P consumer_test.cmake
#
# 0. checks that LIBRARY_FILE exists and is newer than every library source;
# 1. installs the build in BUILD_DIR into PREFIX (emptied first);
# 2. checks that the installed CMake files name no absolute path of the
#    source tree, the build tree or the prefix (the package is relocatable);
# 3. configures CONSUMER_DIR with CMAKE_PREFIX_PATH=PREFIX, builds it and
#    checks that it compiled against PREFIX's headers, not the source tree's;
# 4. runs the consumer and compares its output with CONSUMER_DIR/main.expected.

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS BUILD_DIR SOURCE_DIR CONSUMER_DIR PREFIX
                     CONSUMER_BUILD_DIR LIBRARY_FILE GENERATOR
                     CHECK_OUTPUT_SCRIPT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

if(NOT TEST_NAME)
  set(TEST_NAME package.consumer)
endif()

# Runs a command, showing its output; fails the test if it fails.
function(step what)
  message(STATUS "${TEST_NAME}: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "0")
    message(FATAL_ERROR "${TEST_NAME}: ${what} failed (${rc})")
  endif()
endfunction()

if(NOT EXISTS "${LIBRARY_FILE}")
  message(FATAL_ERROR
    "${TEST_NAME}: ${LIBRARY_FILE} does not exist; build the project "
    "first (cmake --build ${BUILD_DIR})")
endif()
# CTest does not build: refuse to test a library older than its sources.
# (Only .cpp files: a header that no source includes never relinks it.)
file(GLOB_RECURSE library_sources "${SOURCE_DIR}/libsssn_actors/src/*.cpp")
foreach(source IN LISTS library_sources)
  if("${source}" IS_NEWER_THAN "${LIBRARY_FILE}")
    message(FATAL_ERROR
      "${TEST_NAME}: ${source} is newer than ${LIBRARY_FILE}; build "
      "the project again (cmake --build ${BUILD_DIR}) before testing")
  endif()
endforeach()

set(config_args)
set(build_config_args)
if(CONFIG)
  set(config_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
  set(build_config_args --config "${CONFIG}")
endif()

# -- 1. install ----------------------------------------------------------------

file(REMOVE_RECURSE "${PREFIX}" "${CONSUMER_BUILD_DIR}")
step("install into ${PREFIX}"
  "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
  ${build_config_args})

# -- 2. relocatable ------------------------------------------------------------

file(GLOB_RECURSE package_files "${PREFIX}/*.cmake")
if(NOT package_files)
  message(FATAL_ERROR "${TEST_NAME}: no CMake files installed in ${PREFIX}")
endif()
foreach(file IN LISTS package_files)
  file(READ "${file}" text)
  foreach(path IN ITEMS "${SOURCE_DIR}" "${BUILD_DIR}" "${PREFIX}")
    string(FIND "${text}" "${path}" pos)
    if(NOT pos EQUAL -1)
      message(FATAL_ERROR
        "${TEST_NAME}: ${file} names the absolute path ${path}; the "
        "installed package must not depend on where it was built or installed")
    endif()
  endforeach()
endforeach()

# -- 3. configure and build the consumer ----------------------------------------

set(compiler_args)
if(CXX_COMPILER)
  set(compiler_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
# A sanitizer build of the library needs the sanitizer runtime in the
# consumer too (SANITIZE: the build's SSSN_SANITIZE).
if(SANITIZE)
  list(APPEND compiler_args "-DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}"
       "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE}")
endif()
step("configure ${CONSUMER_DIR}"
  "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${CONSUMER_BUILD_DIR}"
  -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${PREFIX}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  "-DSSSN_EXPECTED_PREFIX=${PREFIX}"
  ${config_args} ${compiler_args})
step("build the consumer"
  "${CMAKE_COMMAND}" --build "${CONSUMER_BUILD_DIR}" ${build_config_args})

# The compiler must have seen the installed headers only.
set(commands_file "${CONSUMER_BUILD_DIR}/compile_commands.json")
if(EXISTS "${commands_file}")
  file(READ "${commands_file}" commands)
  foreach(path IN ITEMS "${SOURCE_DIR}/libsssn_actors" "${BUILD_DIR}/libsssn_actors")
    string(FIND "${commands}" "${path}" pos)
    if(NOT pos EQUAL -1)
      message(FATAL_ERROR
        "${TEST_NAME}: the consumer was compiled with ${path} on its "
        "include path, not only with ${PREFIX}:\n${commands}")
    endif()
  endforeach()
  string(FIND "${commands}" "${PREFIX}/" pos)
  if(pos EQUAL -1)
    # Headers installed in a system directory are fine, anything else is odd.
    message(STATUS "${TEST_NAME}: note: no -I${PREFIX}/... in ${commands_file}")
  endif()
endif()

# -- 4. run it ------------------------------------------------------------------

set(exe "${CONSUMER_BUILD_DIR}/sssn_consumer")
if(NOT EXISTS "${exe}" AND CONFIG)
  set(exe "${CONSUMER_BUILD_DIR}/${CONFIG}/sssn_consumer")
endif()
step("run ${exe}"
  "${CMAKE_COMMAND}" "-DEXE=${exe}" "-DEXPECTED=${CONSUMER_DIR}/main.expected"
  -DTIMEOUT=60 -P "${CHECK_OUTPUT_SCRIPT}")

message(STATUS "${TEST_NAME}: the installed package works")
