// Window functions: buffers its input, sorts by (partition keys, order keys),
// then computes every window call per partition (ranking, lag/lead,
// first/last/nth_value, and aggregates over ROWS/RANGE frames) and emits the
// input rows with one extra column per call.
#pragma once
#include <mutex>

#include "exec/physical_operator.h"
#include "exec/sort_operator.h"

namespace tributary::exec {

class WindowOperator : public PhysicalOperator {
 public:
  WindowOperator(planner::PlanNode* node, ExecContext& context);
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;
  bool is_source() const override { return true; }
  bool source_is_ordered() const override { return true; }
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;

 private:
  void compute(const planner::WindowCall& call, const Chunk& data, const std::vector<uint32_t>& order,
               Vector& out);
  std::vector<int> partition_columns_;
  std::vector<SortSpec> order_keys_;
  std::mutex mutex_;
  std::vector<Chunk> collected_;
  Chunk result_;
  size_t cursor_ = 0;
};

}  // namespace tributary::exec
