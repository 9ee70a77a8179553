// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The log hook (sssn/log.hpp): bounded lines, and a default handler that
// never blocks the thread that logs, even when stderr is a pipe nobody
// reads.

#include "timeout_scale.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "sssn/log.hpp"

using namespace sssn;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

} // namespace

BOOST_AUTO_TEST_CASE(a_long_message_is_cut_and_counted,
                     *tt::timeout(test_timeout)) {
  std::string seen;
  set_log_handler([&seen](log_level, std::string_view, std::string_view msg) {
    seen = std::string{msg};
  });
  auto before = log_stats().truncated;
  log(log_level::error, "test", std::string(1'000'000, 'x'));
  set_log_handler({});
  BOOST_TEST(seen.size() < max_log_line + 64);
  BOOST_TEST(seen.rfind(std::string(max_log_line, 'x'), 0) == 0u);
  BOOST_TEST(seen.find("997952 more bytes") != std::string::npos, seen);
  BOOST_TEST(log_stats().truncated == before + 1);
  // A short one passes as it is.
  set_log_handler([&seen](log_level, std::string_view, std::string_view msg) {
    seen = std::string{msg};
  });
  log(log_level::error, "test", "short");
  set_log_handler({});
  BOOST_TEST(seen == "short");
}

BOOST_AUTO_TEST_CASE(a_full_stderr_pipe_never_blocks_a_logging_thread,
                     *tt::timeout(test_timeout)) {
  // In a child whose stderr is a pipe that nobody reads: four threads log
  // 20,000 lines each. The pipe holds 64 KiB; a blocking write hung the
  // node (and it ignored SIGTERM). Now the excess is dropped and counted.
  auto pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    int fds[2];
    if (pipe(fds) != 0 || dup2(fds[1], STDERR_FILENO) < 0)
      _exit(3);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([] {
        for (int i = 0; i < 20'000; ++i)
          log(log_level::warning, "test",
              "a line of about one hundred bytes, written again and again "
              "into a pipe that nobody reads");
      });
    for (auto& th : threads)
      th.join();
    _exit(log_stats().dropped > 0 ? 0 : 2);
  }
  auto deadline = std::chrono::steady_clock::now() + 30s;
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    BOOST_FAIL("the logging threads blocked on a full stderr pipe");
  }
  BOOST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, "exit status " << WEXITSTATUS(status)
                                                       << " (2: nothing was "
                                                          "counted as dropped)");
}
