# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# Helpers shared by the subdirectories of sssn-actors: warnings, and the
# conventions that turn a source file into a test or an example.
#
#   unit_tests/<stem>.cpp        -> executable sssn-test-<stem>,
#                                   CTest test unit.<stem>
#   unit_tests/<dir>/<stem>.cpp  -> executable sssn-test-<dir>-<stem>,
#                                   CTest test unit.<dir>.<stem>
#   integration_tests/<stem>.cpp -> executable sssn-test-<stem>,
#                                   CTest test integration.<stem>
#   examples/<stem>.cpp          -> executable <stem>, and, if
#                                   examples/<stem>.expected exists, CTest
#                                   test example.<stem> comparing stdout

include_guard(GLOBAL)

# `seconds` times SSSN_TEST_TIMEOUT_SCALE (1 unless set, see the top-level
# CMakeLists.txt), into `out_var`: every CTest time limit goes through it.
function(sssn_scaled_timeout out_var seconds)
  set(scale 1)
  if(SSSN_TEST_TIMEOUT_SCALE)
    set(scale ${SSSN_TEST_TIMEOUT_SCALE})
  endif()
  math(EXPR result "${seconds} * ${scale}")
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()

# Compares a program's stdout with a file (used by example tests).
set(SSSN_CHECK_OUTPUT_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")

# Adds our warning flags to `target` (privately: consumers keep their own).
function(sssn_enable_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  endif()
endfunction()

# The name of the test in `source` (a path relative to the current source
# directory, or absolute below it), into `out_var`: its path without `.cpp`,
# `/` written as `.` (unit_tests/channel/write.cpp: channel.write).
function(sssn_test_name out_var source)
  get_filename_component(path "${source}" ABSOLUTE)
  file(RELATIVE_PATH rel "${CMAKE_CURRENT_SOURCE_DIR}" "${path}")
  string(REGEX REPLACE "\\.cpp$" "" rel "${rel}")
  string(REPLACE "/" "." name "${rel}")
  set(${out_var} "${name}" PARENT_SCOPE)
endfunction()

# Turns the Boost.Test source `source` into the executable
# sssn-test-<name> (`.` in the name written as `-`) and the CTest test
# <kind>.<name>, labelled <kind> and `LABELS` (TIMEOUT seconds, default 300:
# a hang is a failure). `name` is sssn_test_name's. The file must not define
# BOOST_TEST_MODULE; we define it as <name> (`.` written as `_`).
# `LIBRARIES` names extra libraries to link.
function(sssn_add_test kind source)
  cmake_parse_arguments(arg "" "TIMEOUT" "LIBRARIES;LABELS" ${ARGN})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  sssn_scaled_timeout(arg_TIMEOUT ${arg_TIMEOUT})
  sssn_test_name(name "${source}")
  string(REPLACE "." "-" target_suffix "${name}")
  string(REPLACE "." "_" module "${name}")
  set(target "sssn-test-${target_suffix}")
  add_executable(${target} "${source}")
  # Unit tests link the library's objects (libsssn_actors/CMakeLists.txt):
  # they test internal classes that the shared library does not export.
  # Integration tests link the library, as any user does.
  if(kind STREQUAL "unit")
    set(library sssn_actors_objects)
  else()
    set(library sssn::actors)
  endif()
  target_link_libraries(${target} PRIVATE ${library}
                        Boost::unit_test_framework ${arg_LIBRARIES})
  target_compile_definitions(${target} PRIVATE BOOST_TEST_DYN_LINK
                             "BOOST_TEST_MODULE=${module}")
  # The shared fixtures of unit_tests/ and those beside the test, for files
  # in subdirectories too; tests of the plain classes include their private
  # headers, "detail/....hpp" under libsssn_actors/src.
  target_include_directories(${target} PRIVATE
                             "${PROJECT_SOURCE_DIR}/unit_tests"
                             "${CMAKE_CURRENT_SOURCE_DIR}"
                             "${PROJECT_SOURCE_DIR}/libsssn_actors/src")
  sssn_enable_warnings(${target})
  add_test(NAME "${kind}.${name}" COMMAND ${target})
  set(labels ${kind} ${arg_LABELS})
  set_tests_properties("${kind}.${name}" PROPERTIES
    TIMEOUT ${arg_TIMEOUT}
    LABELS "${labels}")
endfunction()

# sssn_add_test(unit ...): the CTest test unit.<name>.
function(sssn_add_unit_test source)
  sssn_add_test(unit "${source}" ${ARGN})
endfunction()

# sssn_add_test(integration ...): the CTest test integration.<name>.
function(sssn_add_integration_test source)
  sssn_add_test(integration "${source}" ${ARGN})
endfunction()

# Turns the example `source` into the executable <stem>. If <stem>.expected
# sits beside the source, adds the CTest test example.<stem>: it runs the
# example and compares its stdout line by line with that file (TIMEOUT
# seconds, default 60). `LIBRARIES` names extra libraries to link.
function(sssn_add_example source)
  cmake_parse_arguments(arg "" "TIMEOUT" "LIBRARIES" ${ARGN})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()
  sssn_scaled_timeout(arg_TIMEOUT ${arg_TIMEOUT})
  get_filename_component(stem "${source}" NAME_WE)
  get_filename_component(dir "${source}" DIRECTORY)
  if(NOT dir)
    set(dir "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  add_executable(${stem} "${source}")
  target_link_libraries(${stem} PRIVATE sssn::actors ${arg_LIBRARIES})
  sssn_enable_warnings(${stem})
  set(expected "${dir}/${stem}.expected")
  if(EXISTS "${expected}")
    # The script's own limit is a bit shorter than CTest's, so that a hang
    # is reported with the output seen so far.
    math(EXPR inner_timeout "${arg_TIMEOUT} - 5")
    if(inner_timeout LESS 1)
      set(inner_timeout ${arg_TIMEOUT})
    endif()
    add_test(NAME "example.${stem}"
      COMMAND "${CMAKE_COMMAND}"
              "-DEXE=$<TARGET_FILE:${stem}>"
              "-DEXPECTED=${expected}"
              "-DTIMEOUT=${inner_timeout}"
              -P "${SSSN_CHECK_OUTPUT_SCRIPT}")
    set_tests_properties("example.${stem}" PROPERTIES
      TIMEOUT ${arg_TIMEOUT}
      LABELS example)
  endif()
endfunction()
