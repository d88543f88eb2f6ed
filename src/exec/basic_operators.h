// Streaming and simple operators: table scan (source), filter, project, limit,
// values (source), and the result collector (sink).
#pragma once
#include <atomic>
#include <mutex>

#include "exec/physical_operator.h"

namespace tributary::exec {

class ScanOperator : public PhysicalOperator {
 public:
  ScanOperator(planner::PlanNode* node, ExecContext& context);
  bool is_source() const override { return true; }
  // Applies published dynamic filters, then plans splits.
  void prepare(ExecContext& context) override;
  std::unique_ptr<SourceState> make_source_state(ExecContext& context) override;
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;
  int source_parallelism() const override { return (int)splits_.size(); }

 private:
  std::vector<std::shared_ptr<Split>> splits_;
  std::atomic<size_t> next_split_{0};
  ScanRequest request_;  // the plan's request plus dynamic filters
  bool prepared_ = false;
};

class FilterOperator : public PhysicalOperator {
 public:
  explicit FilterOperator(planner::PlanNode* node);
  bool is_streaming() const override { return true; }
  OperatorResult execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) override;

 private:
  std::vector<planner::BExprPtr> conjuncts_;
  std::vector<std::vector<int>> conjunct_columns_;  // input columns each conjunct reads
};

class ProjectOperator : public PhysicalOperator {
 public:
  explicit ProjectOperator(planner::PlanNode* node);
  bool is_streaming() const override { return true; }
  OperatorResult execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) override;

 private:
  std::vector<planner::BExprPtr> exprs_;
  bool reuses_outputs_ = false;  // some expression reads an earlier output (input width + its index)
};

class LimitOperator : public PhysicalOperator {
 public:
  explicit LimitOperator(planner::PlanNode* node) : PhysicalOperator(node) {}
  bool is_streaming() const override { return true; }
  bool requires_single_thread() const override { return node->offset > 0; }
  OperatorResult execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) override;

 private:
  std::atomic<int64_t> seen_{0};
};

class ValuesOperator : public PhysicalOperator {
 public:
  explicit ValuesOperator(planner::PlanNode* node) : PhysicalOperator(node) {}
  bool is_source() const override { return true; }
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;
  bool source_is_ordered() const override { return true; }

 private:
  std::atomic<bool> done_{false};
};

// Collects the final result. Keeps chunk order when fed by one thread.
class ResultCollector : public PhysicalOperator {
 public:
  explicit ResultCollector(planner::PlanNode* node) : PhysicalOperator(node) {}
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  // The collected chunks in the order of their source positions (SinkState::order).
  std::vector<Chunk> take();

 private:
  std::mutex mutex_;
  std::vector<std::pair<uint64_t, Chunk>> chunks_;
};

}  // namespace tributary::exec
