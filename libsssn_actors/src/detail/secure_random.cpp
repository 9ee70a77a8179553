// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/secure_random.hpp"

#include <atomic>
#include <random>

#include <pthread.h>

#include <openssl/rand.h>

namespace sssn::detail {

namespace {

/// Bumped in every forked child, so that parent and child never hand out
/// the same buffered bytes.
std::atomic<uint64_t> fork_generation{0};

void on_fork_in_child() {
  fork_generation.fetch_add(1, std::memory_order_relaxed);
}

/// One thread's batch of random words. OpenSSL's RAND_bytes costs about
/// 20k instructions per call whatever it returns (locks, provider lookup),
/// so a batch is large: 4 KiB lasts 256 message ids.
///
/// All zero to begin with (`left == 0`: refill first), so that the
/// thread_local below is constant-initialised: no guard and no init call on
/// each access, one TLS lookup per draw.
struct random_batch {
  static constexpr size_t size = 512;
  uint64_t words[size];
  /// Unused words, at the end of `words`.
  size_t left;
  uint64_t generation;

  void refill() {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(words),
                   static_cast<int>(sizeof(words)))
        != 1) {
      // OpenSSL could not seed itself: take the kernel's generator
      // (getrandom), which libstdc++'s random_device reads on Linux.
      std::random_device rd;
      for (auto& w : words)
        w = (static_cast<uint64_t>(rd()) << 32) | rd();
    }
    left = size;
  }
};

thread_local random_batch batch;

} // namespace

uint64_t secure_random_u64() {
  static const bool registered
    = pthread_atfork(nullptr, nullptr, on_fork_in_child) == 0;
  static_cast<void>(registered);
  auto& b = batch;
  auto gen = fork_generation.load(std::memory_order_relaxed);
  if (b.left == 0 || b.generation != gen) {
    b.refill();
    b.generation = gen;
  }
  auto& word = b.words[random_batch::size - b.left--];
  auto result = word;
  // Used bytes do not stay behind in memory.
  word = 0;
  return result;
}

} // namespace sssn::detail
