// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

/// @file
/// `SSSN_ACTORS_EXPORT`: marks what the shared library exports.
///
/// The library is compiled with hidden visibility by default
/// (`-fvisibility=hidden -fvisibility-inlines-hidden`, see
/// libsssn_actors/CMakeLists.txt): only declarations marked with this macro
/// are in the dynamic symbol table of `libsssn_actors.so`, so that the
/// templates the library instantiates (CAF's, nlohmann::json's) stay
/// private to it. Everything that code outside the library calls and that
/// is defined in a source file of the library carries the macro:
///
/// - a class with members defined out of line (or a vtable):
///   `class SSSN_ACTORS_EXPORT channel { ... };`
/// - a free function or an extern variable, on its declaration:
///   `SSSN_ACTORS_EXPORT std::string make_uuid();`
/// - a friend function defined out of line, on its friend declaration
///   (friends do not take the visibility of the class).
///
/// Header-only code (inline functions, templates) needs nothing. The same
/// definition serves building and using the library: on ELF (and Mach-O)
/// the attribute means "visible" both where a symbol is defined and where
/// it is used, so there is no import/export switch and no generated
/// header. With a static library it is harmless (an executable exports
/// nothing by default). Other compilers get an empty definition. A build of
/// the library may predefine it (`-DSSSN_ACTORS_EXPORT=`, e.g. for a static
/// library that goes into a shared library of yours that should not
/// re-export sssn's symbols); code that uses the library never needs to.
#ifndef SSSN_ACTORS_EXPORT
#  if defined(_WIN32) || defined(__CYGWIN__)
#    define SSSN_ACTORS_EXPORT
#  elif defined(__GNUC__) // GCC and Clang
#    define SSSN_ACTORS_EXPORT __attribute__((visibility("default")))
#  else
#    define SSSN_ACTORS_EXPORT
#  endif
#endif
