// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Declarations shared by the two halves of sssn-bench: the driver
// (bench_main.cpp: runs every case in a child process, prints the table and
// writes JSON) and the cases (bench_cases.cpp: one measurement per process).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// `key=value` arguments of a child process.
using arg_map = std::map<std::string, std::string>;

/// Runs one case on one side (`ours`, `raw`, or a variant) and returns its
/// figures as a JSON object; `{"error": "..."}` when it could not run.
nlohmann::json run_case(const std::string& name, const std::string& side,
                        const arg_map& args);

/// Runs the server of the remote cases: prints `PORTS <node> <raw>` on
/// stdout, then serves until stdin closes (at most `max_seconds`).
int run_server(int max_seconds);

/// The effective scheduler settings of an actor system built like the
/// benchmark's (what CAF itself reads back from the configuration).
nlohmann::json scheduler_settings();

} // namespace bench
