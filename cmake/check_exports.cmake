# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

# package.exports: the shared library exports sssn's API and nothing else.
#
#   cmake -DLIBRARY=<libsssn_actors.so> -DNM=<nm> [-DCXXFILT=<c++filt>]
#         [-DMAX_SSSN_SYMBOLS=<n>] [-DMAX_SYMBOLS=<n>]
#         [-DSANITIZE=<sanitizers>] -P cmake/check_exports.cmake
#
# The library is compiled with hidden visibility; only what
# SSSN_ACTORS_EXPORT (sssn/export.hpp) marks is exported. This lists the
# dynamic symbols the library defines (`nm -D --defined-only`, mangled
# names: binutils cannot demangle some of CAF's), prints how many there
# are, and fails, naming them, if any is not allowed:
#
# 1. Symbols of namespace sssn, whatever their kind: functions and
#    variables, and the typeinfo and vtables of exported sssn classes (a
#    class with a vtable, sssn::config, must export them; typeinfo of the
#    others is emitted where CAF's add_message_type takes typeid of them).
#    Member templates of exported classes instantiated in the library
#    (sssn::channel::blocking<...>, with CAF types among their arguments)
#    are sssn's too.
# 2. Weak definitions (nm types W, V, u, v: vague linkage, identical to
#    what any user's own instantiation gives) of namespace std. libstdc++
#    declares namespace std with default visibility
#    (_GLIBCXX_VISIBILITY(default)), so its templates that the library
#    instantiates with arguments of default visibility (std types, built-in
#    types, exported sssn classes: std::vector<sssn::content>,
#    std::map<std::string, uint8_t>, their typeinfo and shared_ptr control
#    blocks) stay visible whatever -fvisibility says: 92 with GCC 12, 370
#    with clang 14 and the sanitizers, which inline less. (Clang also
#    exports friend functions defined in std class templates whatever
#    their arguments, e.g. std::operator== of a std::map<std::string,
#    nlohmann::json>.) Only a linker version script would hide them, and it
#    would have to match demangled names, which binutils cannot always
#    produce for ours.
# 3. In sanitizer builds (SANITIZE set): the typeinfo of function types
#    (_ZTIF..., _ZTSF...), which UBSan's -fsanitize=function emits for
#    every function whose address is taken (726 with clang 14), and the
#    sanitizers' own symbols (__asan*, __odr_asan*, __ubsan*, __tsan*,
#    __lsan*, __sanitizer*), if any.
#
# Everything else (caf::..., nlohmann::..., a strong std symbol, a global
# function) fails the test. So do more than MAX_SSSN_SYMBOLS of namespace
# sssn (default 300: the API, 213 with GCC 12 when this test was written;
# raise it deliberately when the API grows), more than MAX_SYMBOLS in all
# but the sanitizers' (default 800: sssn's and std's; 305 with GCC 12, 569
# with clang 14 and the sanitizers), and the absence of a few symbols that
# must be exported (see `required` below).

cmake_minimum_required(VERSION 3.16) # IN_LIST

if(NOT LIBRARY OR NOT NM)
  message(FATAL_ERROR "check_exports.cmake: set -DLIBRARY=<library> and -DNM=<nm>")
endif()
if(NOT EXISTS "${LIBRARY}")
  message(FATAL_ERROR "package.exports: ${LIBRARY} does not exist; build the "
                      "project first")
endif()
if(NOT MAX_SSSN_SYMBOLS)
  set(MAX_SSSN_SYMBOLS 300)
endif()
if(NOT MAX_SYMBOLS)
  set(MAX_SYMBOLS 800)
endif()

execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
  OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "package.exports: ${NM} -D --defined-only ${LIBRARY} "
                      "failed (${rc}): ${nm_err}")
endif()

# Each line: "<address> <type> <name>" (absolute symbols may lack the
# address). Names carry no spaces: nm prints them mangled without -C.
string(REPLACE ";" "\\;" nm_out "${nm_out}")
string(REPLACE "\n" ";" lines "${nm_out}")

# Namespace sssn, mangled: N...4sssn starts every name in it, optionally
# behind a special-name prefix (TV vtable, TI typeinfo, TS typeinfo name,
# TT VTT, GV guard variable, Z local entity, Th/Tv thunks) and cv/ref
# qualifiers of member functions.
set(sssn_re "^_Z(TV|TI|TS|TT|GV|Z|Th[n0-9_]*|Tv[n0-9_]*)?N[rVKRO]*4sssn")
# Namespace std: _ZSt..., _ZNSt..., _ZNKSt..., _ZTISt..., _ZTINSt7__cxx11...
set(std_re "^_Z(TV|TI|TS|TT|GV|Z)?N?[rVKRO]*St")
set(weak_types W V u v)

set(count 0)
set(n_sssn 0)
set(n_std 0)
set(n_sanitizer 0)
set(bad "")
set(names "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^([0-9a-fA-F]+ )?([A-Za-z]) (.+)$")
    message(FATAL_ERROR "package.exports: cannot read nm's line '${line}'")
  endif()
  set(type "${CMAKE_MATCH_2}")
  set(name "${CMAKE_MATCH_3}")
  # A versioned symbol: name@VERSION or name@@VERSION.
  string(REGEX REPLACE "@.*$" "" name "${name}")
  math(EXPR count "${count} + 1")
  list(APPEND names "${name}")
  if(name MATCHES "${sssn_re}")
    math(EXPR n_sssn "${n_sssn} + 1")
  elseif(name MATCHES "${std_re}" AND type IN_LIST weak_types)
    math(EXPR n_std "${n_std} + 1")
  elseif(SANITIZE AND name MATCHES
         "^(_ZT[IS]F|__(asan|odr_asan|ubsan|tsan|lsan|sanitizer))")
    math(EXPR n_sanitizer "${n_sanitizer} + 1")
  else()
    list(APPEND bad "${type} ${name}")
  endif()
endforeach()

math(EXPR n_counted "${count} - ${n_sanitizer}")
message(STATUS "package.exports: ${LIBRARY} exports ${count} symbols: "
               "${n_sssn} of namespace sssn (bound ${MAX_SSSN_SYMBOLS}), "
               "${n_std} weak std template instantiations, "
               "${n_sanitizer} of the sanitizers; ${n_counted} but the "
               "sanitizers' (bound ${MAX_SYMBOLS})")

# Readable names for the report, if c++filt is there.
function(demangle out_var)
  set(text "${ARGN}")
  if(CXXFILT AND text)
    list(JOIN text "\n" joined)
    string(RANDOM LENGTH 8 tag)
    set(tmp "${CMAKE_CURRENT_BINARY_DIR}/check_exports_${tag}.txt")
    file(WRITE "${tmp}" "${joined}\n")
    # binutils' c++filt gives up on CAF's longest names at its recursion
    # limit unless told not to; llvm-cxxfilt knows no such option.
    execute_process(COMMAND "${CXXFILT}" --no-recurse-limit INPUT_FILE "${tmp}"
      OUTPUT_VARIABLE demangled ERROR_QUIET RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      execute_process(COMMAND "${CXXFILT}" INPUT_FILE "${tmp}"
        OUTPUT_VARIABLE demangled RESULT_VARIABLE rc)
    endif()
    file(REMOVE "${tmp}")
    if(rc EQUAL 0)
      string(STRIP "${demangled}" text)
    endif()
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

set(failed FALSE)
list(LENGTH bad n_bad)
if(n_bad GREATER 0)
  # One line each (plain message() does not rewrap), the first 200.
  set(shown ${bad})
  if(n_bad GREATER 200)
    list(SUBLIST bad 0 200 shown)
  endif()
  list(JOIN shown "\n" shown_text)
  demangle(shown_text "${shown_text}")
  message("package.exports: ${n_bad} exported symbols outside namespace "
          "sssn (nm type, name):")
  string(REPLACE "\n" "\n  " shown_text "${shown_text}")
  message("  ${shown_text}")
  if(n_bad GREATER 200)
    math(EXPR more "${n_bad} - 200")
    message("  ... and ${more} more")
  endif()
  message(SEND_ERROR
    "package.exports: ${n_bad} exported symbols are neither of namespace "
    "sssn nor weak std template instantiations (listed above): is "
    "CXX_VISIBILITY_PRESET gone, or was a declaration outside namespace sssn "
    "marked SSSN_ACTORS_EXPORT?")
  set(failed TRUE)
endif()

if(n_sssn GREATER MAX_SSSN_SYMBOLS)
  message(SEND_ERROR
    "package.exports: ${n_sssn} exported symbols of namespace sssn, more "
    "than the bound of ${MAX_SSSN_SYMBOLS} (SSSN_MAX_SSSN_EXPORTS in "
    "unit_tests/CMakeLists.txt): raise it if the public API grew, else find "
    "what is exported that should not be")
  set(failed TRUE)
endif()
if(n_counted GREATER MAX_SYMBOLS)
  message(SEND_ERROR
    "package.exports: ${n_counted} exported symbols (not counting the "
    "sanitizers'), more than the bound of ${MAX_SYMBOLS} (SSSN_MAX_EXPORTS "
    "in unit_tests/CMakeLists.txt): which exported class drags in so many "
    "std instantiations?")
  set(failed TRUE)
endif()

# What must be exported: the extern variable that sssn::detail::prove (an
# inline template) reads in the user's code, and the vtable and typeinfo
# of sssn::config, a class with virtual members that users derive from
# or hold. If these are missing, the macro does not work at all.
set(required
  _ZN4sssn6detail17remembered_tokensE
  _ZTVN4sssn6configE
  _ZTIN4sssn6configE
  _ZN4sssn13spawn_channelERN3caf12actor_systemENS_14channel_configE)
foreach(symbol IN LISTS required)
  if(NOT symbol IN_LIST names)
    demangle(readable "${symbol}")
    message(SEND_ERROR "package.exports: ${readable} (${symbol}) is not "
                       "exported")
    set(failed TRUE)
  endif()
endforeach()

if(failed)
  message(FATAL_ERROR "package.exports failed")
endif()
message(STATUS "package.exports: every exported symbol is allowed")
