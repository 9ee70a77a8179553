# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause

#[=======================================================================[.rst:
FindCAF
-------

Finds the C++ Actor Framework (CAF) 0.17.x as Debian's ``libcaf-dev``
installs it: headers and libraries, but no CMake package or pkg-config file.

The version is read from ``#define CAF_VERSION 1706`` in ``caf/config.hpp``
(major = v / 10000, minor = v / 100 % 100, patch = v % 100), so
``find_package(CAF 0.17.6)`` really checks it.

Components
^^^^^^^^^^

``core`` and ``io`` are always required. ``openssl`` is optional unless
requested: ``find_package(CAF 0.17.6 REQUIRED COMPONENTS openssl)``.

Imported targets
^^^^^^^^^^^^^^^^

``CAF::core``
  ``libcaf_core``; links ``Threads::Threads``.
``CAF::io``
  ``libcaf_io`` (the middleman); links ``CAF::core``.
``CAF::openssl``
  ``libcaf_openssl`` (TLS for the middleman), only if found; links ``CAF::io``.

Result variables
^^^^^^^^^^^^^^^^

``CAF_FOUND``, ``CAF_VERSION`` (also ``CAF_VERSION_MAJOR``,
``CAF_VERSION_MINOR``, ``CAF_VERSION_PATCH``), ``CAF_<component>_FOUND``,
``CAF_INCLUDE_DIRS``, ``CAF_LIBRARIES`` (core and io).

``CAF_HARDENED``
  ``TRUE`` if this CAF was built with the hardening patch series of
  ``.ci/caf-patches`` (``.ci/hardened-caf``), i.e. it installs
  ``caf/detail/sssn_hardening.hpp``; ``FALSE`` for Debian's ``libcaf-dev``.
  Also an internal cache entry, so that scripts can read it.

Cache variables
^^^^^^^^^^^^^^^

``CAF_INCLUDE_DIR``, ``CAF_CORE_LIBRARY``, ``CAF_IO_LIBRARY``,
``CAF_OPENSSL_LIBRARY``; set them (or ``CMAKE_PREFIX_PATH``) to use a CAF
built elsewhere.

Hints
^^^^^

``CAF_ROOT`` (CMake or environment variable)
  the install prefix of another CAF build (``include/``, ``lib/``), e.g. the
  ThreadSanitizer build of ``.ci/sanitize``. When set, headers and libraries
  are searched there only, so that the two never come from different builds.

This file is installed beside ``sssn_actorsConfig.cmake`` so that consumers
of the installed package find CAF the same way.
#]=======================================================================]

set(_caf_hints)
if(NOT CAF_ROOT AND DEFINED ENV{CAF_ROOT})
  set(CAF_ROOT "$ENV{CAF_ROOT}")
endif()
if(CAF_ROOT)
  set(_caf_hints HINTS "${CAF_ROOT}" NO_DEFAULT_PATH)
endif()
find_path(CAF_INCLUDE_DIR NAMES caf/config.hpp caf/all.hpp
          PATH_SUFFIXES include ${_caf_hints})
find_library(CAF_CORE_LIBRARY NAMES caf_core PATH_SUFFIXES lib ${_caf_hints})
find_library(CAF_IO_LIBRARY NAMES caf_io PATH_SUFFIXES lib ${_caf_hints})
find_library(CAF_OPENSSL_LIBRARY NAMES caf_openssl PATH_SUFFIXES lib
             ${_caf_hints})
unset(_caf_hints)

unset(CAF_VERSION)
if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_ver_line
       REGEX "^#define CAF_VERSION [0-9]+")
  if(_caf_ver_line)
    string(REGEX REPLACE "^#define CAF_VERSION ([0-9]+).*" "\\1" _caf_ver
           "${_caf_ver_line}")
    math(EXPR CAF_VERSION_MAJOR "${_caf_ver} / 10000")
    math(EXPR CAF_VERSION_MINOR "(${_caf_ver} / 100) % 100")
    math(EXPR CAF_VERSION_PATCH "${_caf_ver} % 100")
    set(CAF_VERSION
        "${CAF_VERSION_MAJOR}.${CAF_VERSION_MINOR}.${CAF_VERSION_PATCH}")
  endif()
  unset(_caf_ver_line)
  unset(_caf_ver)
endif()

# The hardened CAF (.ci/hardened-caf) installs a header of its own.
set(CAF_HARDENED FALSE)
if(CAF_INCLUDE_DIR
   AND EXISTS "${CAF_INCLUDE_DIR}/caf/detail/sssn_hardening.hpp")
  set(CAF_HARDENED TRUE)
endif()
set(CAF_HARDENED "${CAF_HARDENED}" CACHE INTERNAL
    "whether CAF was built with the patches of .ci/caf-patches")

# Per-component results, for HANDLE_COMPONENTS.
set(CAF_core_FOUND FALSE)
set(CAF_io_FOUND FALSE)
set(CAF_openssl_FOUND FALSE)
if(CAF_CORE_LIBRARY)
  set(CAF_core_FOUND TRUE)
endif()
if(CAF_IO_LIBRARY)
  set(CAF_io_FOUND TRUE)
endif()
if(CAF_OPENSSL_LIBRARY)
  set(CAF_openssl_FOUND TRUE)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF
  REQUIRED_VARS CAF_CORE_LIBRARY CAF_IO_LIBRARY CAF_INCLUDE_DIR
  VERSION_VAR CAF_VERSION
  HANDLE_COMPONENTS)

if(CAF_FOUND)
  set(CAF_INCLUDE_DIRS "${CAF_INCLUDE_DIR}")
  set(CAF_LIBRARIES "${CAF_CORE_LIBRARY}" "${CAF_IO_LIBRARY}")
  find_package(Threads REQUIRED)
  if(NOT TARGET CAF::core)
    add_library(CAF::core UNKNOWN IMPORTED)
    set_target_properties(CAF::core PROPERTIES
      IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES Threads::Threads)
  endif()
  if(NOT TARGET CAF::io)
    add_library(CAF::io UNKNOWN IMPORTED)
    set_target_properties(CAF::io PROPERTIES
      IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES CAF::core)
  endif()
  if(CAF_OPENSSL_LIBRARY AND NOT TARGET CAF::openssl)
    add_library(CAF::openssl UNKNOWN IMPORTED)
    set_target_properties(CAF::openssl PROPERTIES
      IMPORTED_LOCATION "${CAF_OPENSSL_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES CAF::io)
  endif()
endif()

mark_as_advanced(CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY
                 CAF_OPENSSL_LIBRARY)
