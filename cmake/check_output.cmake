# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# Runs a program and compares its standard output, line by line, with a file.
#
#   cmake -DEXE=<program> -DEXPECTED=<file> [-DARGS=<a;b;...>]
#         [-DTIMEOUT=<seconds>] -P check_output.cmake
#
# Fails (non-zero exit of cmake) if the program exits with a non-zero code,
# times out, or if any line differs or the line counts differ; the message
# names the first differing line and shows expected against actual. Lines
# are compared exactly, except that "\r\n" counts as "\n" and a missing
# newline at the end of either text does not matter. Standard error is not
# compared; it is shown on failure.

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS EXE EXPECTED)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_output.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "check_output.cmake: no such file: ${EXPECTED}")
endif()

set(timeout_args)
if(TIMEOUT)
  set(timeout_args TIMEOUT ${TIMEOUT})
endif()

execute_process(
  COMMAND "${EXE}" ${ARGS}
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors
  RESULT_VARIABLE rc
  ${timeout_args})
file(READ "${EXPECTED}" expected)
string(REPLACE "\r\n" "\n" actual "${actual}")
string(REPLACE "\r\n" "\n" expected "${expected}")

# Removes the first line from the variable named `text_var` and stores it
# in `line_var`. Works on strings, not CMake lists, so that ';' and '[' in
# the output are just characters.
function(pop_line text_var line_var)
  set(text "${${text_var}}")
  string(FIND "${text}" "\n" pos)
  if(pos EQUAL -1)
    set(line "${text}")
    set(text "")
  else()
    string(SUBSTRING "${text}" 0 ${pos} line)
    math(EXPR next "${pos} + 1")
    string(SUBSTRING "${text}" ${next} -1 text)
  endif()
  set(${line_var} "${line}" PARENT_SCOPE)
  set(${text_var} "${text}" PARENT_SCOPE)
endfunction()

# Prints `text` with line numbers, verbatim, to stderr.
function(show title text)
  message("---- ${title} ----")
  set(n 0)
  while(NOT "${text}" STREQUAL "")
    pop_line(text line)
    math(EXPR n "${n} + 1")
    message("${n}: ${line}")
  endwhile()
  if(n EQUAL 0)
    message("(empty)")
  endif()
endfunction()

get_filename_component(exe_name "${EXE}" NAME)

if(NOT "${rc}" STREQUAL "0")
  show("stdout of ${exe_name}" "${actual}")
  show("stderr of ${exe_name}" "${errors}")
  message(FATAL_ERROR "${exe_name} failed: exit status '${rc}'")
endif()

set(exp_rest "${expected}")
set(act_rest "${actual}")
set(exp_count 0)
set(act_count 0)
set(first_diff 0)
while(NOT ("${exp_rest}" STREQUAL "" AND "${act_rest}" STREQUAL ""))
  set(have_exp FALSE)
  set(have_act FALSE)
  set(exp_line "")
  set(act_line "")
  if(NOT "${exp_rest}" STREQUAL "")
    pop_line(exp_rest exp_line)
    math(EXPR exp_count "${exp_count} + 1")
    set(have_exp TRUE)
  endif()
  if(NOT "${act_rest}" STREQUAL "")
    pop_line(act_rest act_line)
    math(EXPR act_count "${act_count} + 1")
    set(have_act TRUE)
  endif()
  if(first_diff EQUAL 0)
    if(NOT have_exp OR NOT have_act OR NOT "${exp_line}" STREQUAL "${act_line}")
      if(have_exp)
        math(EXPR first_diff "${exp_count}")
      else()
        math(EXPR first_diff "${act_count}")
      endif()
      if(have_exp)
        set(diff_exp "\"${exp_line}\"")
      else()
        math(EXPR n "${exp_count}")
        set(diff_exp "(none: the expected output has ${n} lines)")
      endif()
      if(have_act)
        set(diff_act "\"${act_line}\"")
      else()
        math(EXPR n "${act_count}")
        set(diff_act "(none: the program printed ${n} lines)")
      endif()
    endif()
  endif()
endwhile()

if(NOT first_diff EQUAL 0)
  show("expected (${EXPECTED})" "${expected}")
  show("actual stdout of ${exe_name}" "${actual}")
  if(NOT "${errors}" STREQUAL "")
    show("stderr of ${exe_name}" "${errors}")
  endif()
  message("---- first difference: line ${first_diff} ----")
  message("expected: ${diff_exp}")
  message("actual:   ${diff_act}")
  message("expected ${exp_count} lines, got ${act_count}")
  message(FATAL_ERROR
    "output of ${exe_name} differs from ${EXPECTED} at line ${first_diff}")
endif()

message(STATUS "${exe_name}: ${act_count} lines of output as expected")
