// Per-query execution state shared by all operators and threads: cancellation,
// the memory tracker, counters that become query statistics, and how to run
// a subquery. Thread-safe.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "common/error.h"
#include "planner/expression_evaluator.h"

namespace tributary::exec {

class MemoryTracker {
 public:
  explicit MemoryTracker(int64_t limit_bytes = 0) : limit_(limit_bytes) {}
  void set_limit(int64_t limit_bytes) { limit_ = limit_bytes; }
  // Accounts `bytes`; throws Error(LIMIT_EXCEEDED) when the query would exceed its limit.
  void reserve(int64_t bytes);
  void release(int64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  int64_t limit_;
};

struct ExecContext {
  FunctionContext function_context;
  std::atomic<bool> cancelled{false};
  std::string cancel_reason = "Query was cancelled";
  MemoryTracker memory;
  int threads = 2;
  std::atomic<uint64_t> bytes_scanned{0};
  std::atomic<uint64_t> rows_scanned{0};
  std::function<std::vector<Chunk>(const planner::PlanPtr&)> run_subquery;

  void check_cancelled() const {
    if (cancelled.load(std::memory_order_relaxed)) throw_error(ErrorCode::CANCELLED, cancel_reason);
  }
  planner::EvalContext eval_context() {
    planner::EvalContext context;
    context.function_context = &function_context;
    context.run_subquery = run_subquery;
    return context;
  }
};

}  // namespace tributary::exec
