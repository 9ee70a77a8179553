// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

/// @file
/// The configuration of a channel (`sssn/channel_config.hpp`) and the types
/// of its operations (`sssn/channel_protocol.hpp`), for code that includes
/// both under their former common name.

#include "sssn/channel_config.hpp"
#include "sssn/channel_protocol.hpp"
