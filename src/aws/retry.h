// Backoff between retries of an AWS request, shared by JsonServiceClient and S3Client:
// AWS's recommended "full jitter" scheme, sleep rand(0, min(max, base * 2^attempt)).
#pragma once
#include "aws/aws_client.h"

namespace tributary::aws {

// The upper bound, in milliseconds, of the delay before retry number `attempt + 1`
// (attempt 0 = the first request failed): min(max_delay_ms, base_delay_ms * 2^attempt),
// never negative. Pure.
double backoff_cap_ms(const RetryPolicy& policy, int attempt);

// Sleeps a uniformly random time in [0, backoff_cap_ms(policy, attempt)). Thread-safe
// (one random generator per thread); throws nothing.
void sleep_backoff(const RetryPolicy& policy, int attempt);

}  // namespace tributary::aws
