// Full-jitter backoff: spreading retries uniformly over [0, cap) keeps clients that failed
// together (a throttled burst) from retrying together.
#include "aws/retry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace tributary::aws {

double backoff_cap_ms(const RetryPolicy& policy, int attempt) {
  // 2^30 already exceeds any sensible cap; the clamp keeps pow() finite.
  double cap = std::min<double>(policy.max_delay_ms, policy.base_delay_ms * std::pow(2.0, std::clamp(attempt, 0, 30)));
  return std::max(0.0, cap);
}

void sleep_backoff(const RetryPolicy& policy, int attempt) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  double cap = backoff_cap_ms(policy, attempt);
  if (cap <= 0) return;
  std::uniform_real_distribution<double> delay(0, cap);
  std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(delay(random)));
}

}  // namespace tributary::aws
