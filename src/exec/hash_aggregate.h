// Hash aggregation (and SELECT DISTINCT): each thread aggregates into its own
// GroupTable; combine() merges partial states into the global table; the
// source side emits one row per group. A global aggregate (no keys) always
// yields one row.
#pragma once
#include <atomic>
#include <mutex>

#include "exec/group_table.h"
#include "exec/physical_operator.h"

namespace tributary::exec {

struct AggregateSinkState;

class HashAggregateOperator : public PhysicalOperator {
 public:
  HashAggregateOperator(planner::PlanNode* node, ExecContext& context);
  ~HashAggregateOperator() override;
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;
  bool is_source() const override { return true; }
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;
  int source_parallelism() const override { return 2; }

  struct Aggregate {
    AggregateKernel kernel;
    std::vector<int> arg_columns;
    int filter_column = -1;
    size_t offset = 0;
  };

  // Runs the aggregates' destructors on every group's state (not thread-safe per table).
  void destroy_states(GroupTable& table);

 private:
  void init_states(GroupTable& table, uint32_t group);
  // Feeds one chunk (whose groups are in state.groups) to the aggregates: row by row, or group
  // by group when the table holds few groups.
  void update_by_row(AggregateSinkState& state, const Chunk& input);
  void update_by_group(AggregateSinkState& state, const Chunk& input);

  static constexpr size_t kBatchMinRows = 256;
  static constexpr size_t kBatchMaxGroups = 64;
  static constexpr size_t kCompactionMaxGroups = 8;  // up to this many: one selection pass per group
  bool batch_by_group_ = false;
  std::vector<int> input_arg_columns_;                   // distinct input columns of all arguments
  std::vector<std::vector<size_t>> aggregate_arg_slots_;  // per aggregate: its arguments' positions there

  std::vector<int> key_columns_;
  std::vector<Aggregate> aggregates_;
  size_t state_size_ = 0;
  std::mutex mutex_;
  std::unique_ptr<GroupTable> global_;
  std::atomic<size_t> cursor_{0};
};

}  // namespace tributary::exec
