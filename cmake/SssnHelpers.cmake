# Helpers shared by the subdirectories of sssn-actors: warnings, and the
# conventions that turn a source file into a test or an example.
#
#   unit_tests/<stem>.cpp  -> executable sssn-test-<stem>, CTest test unit.<stem>
#   examples/<stem>.cpp    -> executable <stem>, and, if examples/<stem>.expected
#                             exists, CTest test example.<stem> comparing stdout

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

# Turns the Boost.Test source `source` into the executable sssn-test-<stem>
# and the CTest test unit.<stem> (TIMEOUT seconds, default 300: a hang is a
# failure). The file must not define BOOST_TEST_MODULE; we define it as
# <stem>. `LIBRARIES` names extra libraries to link.
function(sssn_add_unit_test source)
  cmake_parse_arguments(arg "" "TIMEOUT" "LIBRARIES" ${ARGN})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  sssn_scaled_timeout(arg_TIMEOUT ${arg_TIMEOUT})
  get_filename_component(stem "${source}" NAME_WE)
  set(target "sssn-test-${stem}")
  add_executable(${target} "${source}")
  target_link_libraries(${target} PRIVATE sssn::actors
                        Boost::unit_test_framework ${arg_LIBRARIES})
  target_compile_definitions(${target} PRIVATE BOOST_TEST_DYN_LINK
                             "BOOST_TEST_MODULE=${stem}")
  # Tests of the plain classes include their private headers,
  # "detail/....hpp" under libsssn_actors/src.
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/unit_tests"
                             "${PROJECT_SOURCE_DIR}/libsssn_actors/src")
  sssn_enable_warnings(${target})
  add_test(NAME "unit.${stem}" COMMAND ${target})
  set_tests_properties("unit.${stem}" PROPERTIES
    TIMEOUT ${arg_TIMEOUT}
    LABELS unit)
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
