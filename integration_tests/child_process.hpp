// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// A child process for tests that run real programs (`sssn serve`): stdout on
// a pipe read with bounded waits, stderr in a file, killed and reaped by its
// destructor, and killed by the kernel should the test process die first.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace sssn::test {

/// Returns the contents of the file at `path` (empty if it cannot be read).
inline std::string read_text_file(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A child process with stdout on a pipe (read with bounded waits) and
/// stderr in a file. The destructor kills (SIGKILL) and reaps it; should
/// this process die first, the kernel kills it (PR_SET_PDEATHSIG).
class child_process {
public:
  using steady = std::chrono::steady_clock;

  struct options {
    std::vector<std::string> args; // args[0]: the program's path
    std::string stderr_path;
    std::string cwd; // empty: ours
    std::vector<std::string> env; // extra NAME=VALUE entries
  };

  explicit child_process(options opts) : opts_(std::move(opts)) {
    // Everything the child needs is prepared before fork: between fork and
    // exec it calls only async-signal-safe functions.
    std::vector<char*> argv;
    for (auto& x : opts_.args)
      argv.push_back(const_cast<char*>(x.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (auto p = environ; *p != nullptr; ++p)
      env_strings.emplace_back(*p);
    for (auto& x : opts_.env)
      env_strings.push_back(x);
    std::vector<char*> envp;
    for (auto& x : env_strings)
      envp.push_back(const_cast<char*>(x.c_str()));
    envp.push_back(nullptr);
    const char* err_path = opts_.stderr_path.c_str();
    const char* cwd = opts_.cwd.empty() ? nullptr : opts_.cwd.c_str();
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2 failed");
    auto parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
      close(fds[0]);
      close(fds[1]);
      throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
      // The child dies with us, even if we crash or are killed (a fixture
      // destructor that never runs must not leak servers).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent)
        _exit(127);
      struct sigaction dfl;
      std::memset(&dfl, 0, sizeof(dfl));
      dfl.sa_handler = SIG_DFL;
      for (auto sig : {SIGINT, SIGTERM, SIGPIPE, SIGCHLD})
        sigaction(sig, &dfl, nullptr);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      int in = open("/dev/null", O_RDONLY);
      int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(fds[1], 1) < 0
          || dup2(err, 2) < 0)
        _exit(127);
      if (in > 2)
        close(in);
      if (err > 2)
        close(err);
      if (cwd != nullptr && chdir(cwd) != 0)
        _exit(127);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(fds[1]);
    out_fd_ = fds[0];
  }

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  ~child_process() {
    kill(SIGKILL);
    if (pid_ > 0 && !status_) {
      int st = 0;
      while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
        // retry
      }
    }
    if (out_fd_ >= 0)
      close(out_fd_);
  }

  pid_t pid() const {
    return pid_;
  }

  /// Sends `sig` unless the process was reaped already.
  void kill(int sig) {
    if (pid_ > 0 && !status_)
      ::kill(pid_, sig);
  }

  /// Reads one line of stdout (without '\n'), waiting at most `timeout`.
  std::optional<std::string> read_line(steady::duration timeout) {
    auto deadline = steady::now() + timeout;
    for (;;) {
      if (auto pos = out_.find('\n'); pos != std::string::npos) {
        auto line = out_.substr(0, pos);
        out_.erase(0, pos + 1);
        return line;
      }
      if (eof_ || !fill(deadline))
        return std::nullopt;
    }
  }

  /// Reads stdout until EOF, waiting at most `timeout`; returns what was
  /// not read as lines yet.
  std::string read_all(steady::duration timeout) {
    auto deadline = steady::now() + timeout;
    while (!eof_ && fill(deadline)) {
      // keep reading
    }
    return std::exchange(out_, std::string{});
  }

  /// Waits at most `timeout` for the process to exit; returns its exit code,
  /// or 128 + signal number when a signal ended it.
  std::optional<int> wait_exit(steady::duration timeout) {
    auto deadline = steady::now() + timeout;
    while (!status_) {
      int st = 0;
      auto rc = waitpid(pid_, &st, WNOHANG);
      if (rc == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        break;
      }
      if (rc < 0 && errno != EINTR)
        return std::nullopt;
      if (steady::now() >= deadline)
        return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    return status_;
  }

  /// Returns what the process wrote to stderr so far.
  std::string err() const {
    return read_text_file(opts_.stderr_path);
  }

private:
  // Reads what is available on stdout, waiting until `deadline`; returns
  // false on timeout or error.
  bool fill(steady::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - steady::now())
                  .count();
    if (left <= 0)
      return false;
    pollfd pfd{out_fd_, POLLIN, 0};
    auto rc = poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0)
      return errno == EINTR;
    if (rc == 0)
      return false;
    char buf[4096];
    auto n = read(out_fd_, buf, sizeof(buf));
    if (n < 0)
      return errno == EINTR || errno == EAGAIN;
    if (n == 0) {
      eof_ = true;
      return true;
    }
    out_.append(buf, static_cast<size_t>(n));
    return true;
  }

  options opts_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string out_;
  bool eof_ = false;
  std::optional<int> status_;
};

} // namespace sssn::test
