// PhysicalOperator: one node of the executable plan, playing up to three roles
// in push-based pipelines (as in DuckDB): a source produces chunks (scans,
// the output side of aggregates/sorts), an operator transforms chunks as they
// stream by (filter, project, hash probe, limit), a sink consumes a pipeline's
// chunks (hash build, aggregate, sort, result). Every role's state is per
// thread; methods marked thread-safe are called from all pipeline threads.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "exec/exec_context.h"
#include "planner/operator_stats.h"
#include "planner/plan.h"

namespace tributary::exec {

struct OperatorState {
  virtual ~OperatorState() = default;
};
struct SinkState {
  virtual ~SinkState() = default;
  // The source position of the chunks being sunk (SourceState::order), for sinks that keep the
  // source's row order (the result collector).
  uint64_t order = 0;
};
struct SourceState {
  virtual ~SourceState() = default;
  // Where the last chunk came from in the source's own order (a scan: its split's index). One
  // position's chunks are produced by one thread, in order.
  uint64_t order = 0;
};

enum class OperatorResult { NEED_MORE_INPUT, HAVE_MORE_OUTPUT, FINISHED };

class PhysicalOperator {
 public:
  explicit PhysicalOperator(planner::PlanNode* node);
  virtual ~PhysicalOperator() = default;

  planner::PlanNode* node;  // output layout = node->columns; stats go to node->stats
  std::vector<std::unique_ptr<PhysicalOperator>> children;
  std::vector<Type> output_types() const;

  // Source role
  virtual bool is_source() const { return false; }
  // Called once, single-threaded, when the source's pipeline starts (its dependencies,
  // e.g. hash-join builds that publish dynamic filters, have finished).
  virtual void prepare(ExecContext& context) {}
  virtual std::unique_ptr<SourceState> make_source_state(ExecContext& context) { return nullptr; }
  // Thread-safe. Fills `out`; returns false when the source is exhausted.
  virtual bool get_data(ExecContext& context, Chunk& out, SourceState* state) { return false; }
  virtual int source_parallelism() const { return 1; }
  virtual bool source_is_ordered() const { return false; }
  // For a source whose SourceState::order positions end one by one (a scan's splits): called,
  // thread-safe, once every chunk of a position has been produced and handed on.
  // `consumed_below` (the lowest position the consumer still waits for) lets the source hold
  // back from running far ahead of it.
  virtual void set_position_listener(std::function<void(uint64_t)> listener,
                                     const std::atomic<uint64_t>* consumed_below) {}

  // Operator role
  virtual bool is_streaming() const { return false; }
  virtual std::unique_ptr<OperatorState> make_operator_state(ExecContext& context) { return nullptr; }
  virtual OperatorResult execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
    return OperatorResult::NEED_MORE_INPUT;
  }
  // For outer joins: after the probe pipeline, the rows this operator still owes (unmatched build rows).
  virtual bool has_final_output() const { return false; }
  virtual bool get_final_output(ExecContext& context, Chunk& out, SourceState* state) { return false; }
  virtual std::unique_ptr<SourceState> make_final_output_state(ExecContext& context) { return nullptr; }
  // Whether rows must pass through this operator in order on one thread (LIMIT with OFFSET).
  virtual bool requires_single_thread() const { return false; }

  // Sink role. `child` tells which child's pipeline feeds the sink (set operations, joins).
  virtual bool is_sink() const { return false; }
  virtual std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) { return nullptr; }
  virtual void sink(ExecContext& context, Chunk& input, SinkState* state) {}
  // Thread-safe: a thread finished feeding the sink.
  virtual void combine(ExecContext& context, SinkState* state) {}
  // All threads finished (single-threaded).
  virtual void finalize(ExecContext& context, int child) {}

  void add_output_rows(uint64_t rows) {
    if (node->stats) node->stats->output_rows.fetch_add(rows, std::memory_order_relaxed);
  }
  void add_time(uint64_t nanos) {
    if (node->stats) node->stats->wall_nanos.fetch_add(nanos, std::memory_order_relaxed);
  }
};

// Deep copy of `expr` with COLUMN indexes resolved against `layout` (the child's symbols).
planner::BExprPtr resolve_expr(const planner::BExprPtr& expr, const std::vector<planner::PlanColumn>& layout);

inline uint64_t now_nanos() {
  return (uint64_t)std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace tributary::exec
