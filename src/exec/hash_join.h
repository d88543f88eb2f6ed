// Hash join: the right child is the build side (a sink: rows are collected,
// then hashed on the key expressions into a chained table); the left child's
// pipeline probes it chunk by chunk. Supports INNER, LEFT, FULL (unmatched
// build rows are emitted after the probe pipeline), CROSS/non-equi (nested
// loop over the build rows), SEMI and ANTI, with an optional residual filter.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>

#include "exec/physical_operator.h"

namespace tributary::exec {

class HashJoinOperator : public PhysicalOperator {
 public:
  HashJoinOperator(planner::PlanNode* node, ExecContext& context);

  // build side
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;

  // probe side
  bool is_streaming() const override { return true; }
  std::unique_ptr<OperatorState> make_operator_state(ExecContext& context) override;
  OperatorResult execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) override;

  bool has_final_output() const override {
    return node->join_kind == planner::JoinKind::FULL || node->join_kind == planner::JoinKind::RIGHT;
  }
  std::unique_ptr<SourceState> make_final_output_state(ExecContext& context) override;
  bool get_final_output(ExecContext& context, Chunk& out, SourceState* state) override;

 private:
  void publish_dynamic_filters();
  void emit_pairs(ExecContext& context, const Chunk& probe, const std::vector<uint32_t>& probe_rows,
                  const std::vector<uint32_t>& build_rows, Chunk& output);

  std::vector<planner::BExprPtr> probe_keys_;
  std::vector<planner::BExprPtr> build_keys_;
  planner::BExprPtr residual_;  // resolved against left columns + right columns
  std::vector<Type> probe_types_, build_types_;

  std::mutex mutex_;
  std::vector<Chunk> collected_;
  Chunk build_;
  std::vector<Vector> build_key_values_;
  std::vector<uint64_t> build_hashes_;
  std::vector<uint32_t> heads_;  // bucket -> row + 1
  std::vector<uint32_t> next_;   // row -> next row + 1
  size_t mask_ = 0;
  std::unique_ptr<std::atomic<uint8_t>[]> matched_;
  std::atomic<size_t> final_cursor_{0};
  bool build_has_null_key_ = false;
};

}  // namespace tributary::exec
