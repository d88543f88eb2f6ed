// Per-query execution state shared by all operators and threads: cancellation,
// the memory tracker, counters that become query statistics, and how to run
// a subquery. Thread-safe.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>
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
  std::atomic<uint64_t> rejected_values{0};  // values sources read as NULL (type mismatch)
  std::function<std::vector<Chunk>(const planner::PlanPtr&)> run_subquery;

  // Sets the cancelled flag and tells every registered source to stop (KILL QUERY,
  // PQcancel), so a worker blocked inside a source returns promptly. Thread-safe.
  void cancel() {
    cancelled.store(true);
    // Hooks run under the lock so a source cannot be destroyed while it is being cancelled
    // (remove_cancel_hook waits); hooks must not register or remove hooks themselves.
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    for (const auto& [id, hook] : cancel_hooks_) hook();
  }
  // Registers a hook run by cancel(); returns an id for remove_cancel_hook.
  int64_t add_cancel_hook(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    int64_t id = ++next_hook_id_;
    cancel_hooks_.emplace_back(id, std::move(hook));
    return id;
  }
  void remove_cancel_hook(int64_t id) {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    for (auto it = cancel_hooks_.begin(); it != cancel_hooks_.end(); ++it)
      if (it->first == id) {
        cancel_hooks_.erase(it);
        return;
      }
  }

  void check_cancelled() const {
    if (cancelled.load(std::memory_order_relaxed)) throw_error(ErrorCode::CANCELLED, cancel_reason);
  }
  std::mutex cancel_mutex_;
  std::vector<std::pair<int64_t, std::function<void()>>> cancel_hooks_;
  int64_t next_hook_id_ = 0;

  planner::EvalContext eval_context() {
    planner::EvalContext context;
    context.function_context = &function_context;
    context.run_subquery = run_subquery;
    return context;
  }
};

}  // namespace tributary::exec
