// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/deserializer.hpp>
#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "sssn/refusals.hpp"

/// Helpers for the `inspect` overloads of our wire types: loads that
/// count what they refuse (see `sssn::refusals`).
namespace sssn::detail {

/// Applies `f` to `xs` (the fields of one of our wire types) and counts the
/// failure of a load as an undecodable value.
template <class Inspector, class... Ts>
typename Inspector::result_type inspect_counted(Inspector& f, Ts&&... xs) {
  if constexpr (Inspector::reads_state
                || std::is_void<typename Inspector::result_type>::value) {
    return f(std::forward<Ts>(xs)...);
  } else {
    auto err = f(std::forward<Ts>(xs)...);
    if (err)
      count_undecodable();
    return err;
  }
}

/// Largest byte blob that our wire types accept from a peer (64 MiB).
inline constexpr size_t max_wire_blob = size_t{64} * 1024 * 1024;

/// Reads a byte sequence written by CAF's serializer for `std::vector<char>`,
/// checking the declared length against the input that is really there (for
/// CAF's binary deserializer) and against `max_wire_blob` before allocating.
/// A refusal is counted (see `sssn::refusals`).
template <class Deserializer>
caf::error load_blob(Deserializer& f, std::vector<char>& out) {
  auto refuse = [](caf::error err) {
    count_undecodable();
    return err;
  };
  size_t size = 0;
  if (auto err = f.begin_sequence(size))
    return refuse(std::move(err));
  if (size > max_wire_blob)
    return refuse(caf::sec::invalid_argument);
  if (auto bin = dynamic_cast<caf::binary_deserializer*>(&f))
    if (size > bin->remaining())
      return refuse(caf::sec::end_of_stream);
  out.resize(size);
  if (size > 0)
    if (auto err = f.apply_raw(size, out.data()))
      return refuse(std::move(err));
  if (auto err = f.end_sequence())
    return refuse(std::move(err));
  return caf::none;
}

} // namespace sssn::detail
