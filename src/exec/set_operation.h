// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL]: a sink fed by one pipeline per
// child (rows are buffered per child), combined in finalize with a GroupTable
// counting each distinct row per side, then emitted as a source.
#pragma once
#include <atomic>
#include <mutex>

#include "exec/physical_operator.h"

namespace tributary::exec {

class SetOperationOperator : public PhysicalOperator {
 public:
  SetOperationOperator(planner::PlanNode* node, ExecContext& context) : PhysicalOperator(node) {}
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;
  bool is_source() const override { return true; }
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;
  int source_parallelism() const override { return 2; }

 private:
  std::mutex mutex_;
  std::vector<Chunk> inputs_[2];
  std::vector<Chunk> output_;
  std::atomic<size_t> cursor_{0};
  int finalized_children_ = 0;
};

}  // namespace tributary::exec
