// RateLimiter: a token bucket holding at most one token, so requests are spread evenly
// (no bursts that would trip a provisioned-capacity table). A caller that finds no token
// reserves the next one (the balance goes negative) and sleeps outside the lock, so
// concurrent callers queue up fairly instead of spinning.
#include <algorithm>
#include <chrono>
#include <thread>

#include "aws/aws_client.h"

namespace tributary::aws {
namespace {

int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RateLimiter::RateLimiter(double requests_per_second)
    : rate_(requests_per_second), tokens_(1.0), last_micros_(now_micros()) {}

void RateLimiter::acquire() {
  if (rate_ <= 0) return;
  double wait_seconds = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t now = now_micros();
    tokens_ = std::min(1.0, tokens_ + static_cast<double>(now - last_micros_) * rate_ / 1e6);
    last_micros_ = now;
    tokens_ -= 1.0;
    if (tokens_ < 0) wait_seconds = -tokens_ / rate_;
  }
  if (wait_seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait_seconds));
}

}  // namespace tributary::aws
