# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# The package.pkg_config and package.pkg_config_static tests: can a user
# build against the *installed* library with pkg-config and a plain compiler
# command, no CMake?
#
#   cmake -DPREFIX=... -DLIBDIR=... -DSOURCE=<main.cpp> -DEXPECTED=<file>
#         -DOUT_DIR=... -DPKG_CONFIG=<pkg-config> -DCXX_COMPILER=...
#         -DCHECK_OUTPUT_SCRIPT=... [-DSTATIC=ON] [-DSANITIZE=...]
#         -P pkg_config_test.cmake
#
# PREFIX was installed by another test (package.consumer, or package.static
# for STATIC=ON); LIBDIR is its library directory relative to PREFIX.
# 1. checks that PREFIX/LIBDIR/pkgconfig/sssn_actors.pc exists and that
#    pkg-config finds it there, with PKG_CONFIG_PATH set to that directory
#    only (and the installed library, shared or static, as expected);
# 2. compiles SOURCE with
#      CXX_COMPILER -std=c++17 SOURCE $(pkg-config --cflags --libs sssn_actors)
#    (--static too with STATIC=ON), and an rpath to PREFIX/LIBDIR so that
#    the program runs without LD_LIBRARY_PATH;
# 3. runs it and compares its output with EXPECTED.

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS PREFIX LIBDIR SOURCE EXPECTED OUT_DIR CXX_COMPILER
                     CHECK_OUTPUT_SCRIPT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "pkg_config_test.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT PKG_CONFIG)
  message(FATAL_ERROR
    "pkg_config_test.cmake: no pkg-config program (Debian: pkg-config); "
    "install it and configure the build again")
endif()

set(what "package.pkg_config")
if(STATIC)
  set(what "package.pkg_config_static")
endif()

# Runs a command, showing its output; fails the test if it fails. The
# output goes to the variable `out` of the caller.
function(step title)
  message(STATUS "${what}: ${title}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE output ERROR_VARIABLE error
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT "${rc}" STREQUAL "0")
    message(FATAL_ERROR
      "${what}: ${title} failed (${rc}):\n${output}\n${error}")
  endif()
  set(out "${output}" PARENT_SCOPE)
endfunction()

# -- 1. the installed .pc file ----------------------------------------------------

set(libdir "${PREFIX}/${LIBDIR}")
set(pc_dir "${libdir}/pkgconfig")
if(NOT EXISTS "${pc_dir}/sssn_actors.pc")
  message(FATAL_ERROR "${what}: ${pc_dir}/sssn_actors.pc was not installed")
endif()
if(STATIC)
  set(library "${libdir}/libsssn_actors.a")
else()
  set(library "${libdir}/libsssn_actors.so")
endif()
if(NOT EXISTS "${library}")
  message(FATAL_ERROR "${what}: ${library} was not installed")
endif()

# Only our directory, so that an sssn_actors.pc installed elsewhere on the
# machine cannot stand in for ours (the system's own directories, where
# nlohmann_json.pc is, stay in pkg-config's default search path).
set(pc_env "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pc_dir}")
set(pc_args)
if(STATIC)
  set(pc_args --static)
endif()
step("pkg-config --modversion sssn_actors"
  ${pc_env} "${PKG_CONFIG}" --modversion sssn_actors)
message(STATUS "${what}: sssn_actors ${out}")
step("pkg-config --variable=prefix sssn_actors"
  ${pc_env} "${PKG_CONFIG}" --variable=prefix sssn_actors)
get_filename_component(found_prefix "${out}" REALPATH)
get_filename_component(expected_prefix "${PREFIX}" REALPATH)
if(NOT found_prefix STREQUAL expected_prefix)
  message(FATAL_ERROR "${what}: the .pc file's prefix is ${out} (${found_prefix}), "
                      "not the prefix it is installed in, ${PREFIX}")
endif()
step("pkg-config ${pc_args} --cflags --libs sssn_actors"
  ${pc_env} "${PKG_CONFIG}" ${pc_args} --cflags --libs sssn_actors)
set(flags_text "${out}")
separate_arguments(flags UNIX_COMMAND "${flags_text}")
message(STATUS "${what}: flags: ${flags_text}")

# -- 2. compile with the plain compiler ----------------------------------------------

set(sanitize_args)
if(SANITIZE)
  set(sanitize_args "-fsanitize=${SANITIZE}")
endif()
file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")
set(exe "${OUT_DIR}/sssn_pkg_config_consumer")
step("${CXX_COMPILER} -std=c++17 ${SOURCE} ${flags_text}"
  "${CXX_COMPILER}" -std=c++17 ${sanitize_args} "${SOURCE}" -o "${exe}"
  ${flags} "-Wl,-rpath,${libdir}")

# -- 3. run it --------------------------------------------------------------------------

step("run ${exe}"
  "${CMAKE_COMMAND}" "-DEXE=${exe}" "-DEXPECTED=${EXPECTED}" -DTIMEOUT=60
  -P "${CHECK_OUTPUT_SCRIPT}")
message(STATUS "${what}: a plain compiler command with pkg-config works")
