// Sort (and top-N when the node has a limit): a sink that buffers its input
// (top-N keeps only the best rows per thread as it goes), sorts once in
// finalize, and emits rows in order as a single-threaded, ordered source.
#pragma once
#include <atomic>
#include <mutex>

#include "exec/physical_operator.h"

namespace tributary::exec {

struct SortSpec {
  int column;
  bool ascending;
  bool nulls_first;
};

// Returns the row order of `data` by `keys` (stable).
std::vector<uint32_t> sort_permutation(const Chunk& data, const std::vector<SortSpec>& keys, int64_t limit);

class SortOperator : public PhysicalOperator {
 public:
  SortOperator(planner::PlanNode* node, ExecContext& context);
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;
  bool is_source() const override { return true; }
  bool source_is_ordered() const override { return true; }
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;

 private:
  Chunk compact(std::vector<Chunk>& chunks);
  std::vector<SortSpec> keys_;
  std::mutex mutex_;
  std::vector<Chunk> collected_;
  Chunk sorted_;
  std::vector<uint32_t> order_;
  size_t cursor_ = 0;
};

}  // namespace tributary::exec
