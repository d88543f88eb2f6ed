// Per-plan-node runtime counters (EXPLAIN ANALYZE, query statistics). Thread-safe.
#pragma once
#include <atomic>
#include <cstdint>

namespace tributary::planner {

struct OperatorStats {
  std::atomic<uint64_t> output_rows{0};
  std::atomic<uint64_t> wall_nanos{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> splits{0};
};

}  // namespace tributary::planner
