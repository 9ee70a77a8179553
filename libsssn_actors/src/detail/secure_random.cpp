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
struct random_batch {
  static constexpr size_t size = 512;
  uint64_t words[size];
  size_t next = size;
  uint64_t generation = 0;

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
    next = 0;
  }
};

} // namespace

uint64_t secure_random_u64() {
  static const bool registered
    = pthread_atfork(nullptr, nullptr, on_fork_in_child) == 0;
  static_cast<void>(registered);
  thread_local random_batch batch;
  auto gen = fork_generation.load(std::memory_order_relaxed);
  if (batch.next == random_batch::size || batch.generation != gen) {
    batch.refill();
    batch.generation = gen;
  }
  auto result = batch.words[batch.next];
  // Used bytes do not stay behind in memory.
  batch.words[batch.next++] = 0;
  return result;
}

} // namespace sssn::detail
