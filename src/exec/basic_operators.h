// Streaming and simple operators: table scan (source), filter, project, limit,
// values (source), and the result collector (sink).
#pragma once
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "exec/physical_operator.h"

namespace tributary::exec {

struct ScanState;

class ScanOperator : public PhysicalOperator {
 public:
  ScanOperator(planner::PlanNode* node, ExecContext& context);
  bool is_source() const override { return true; }
  // Applies published dynamic filters, then plans splits.
  void prepare(ExecContext& context) override;
  std::unique_ptr<SourceState> make_source_state(ExecContext& context) override;
  bool get_data(ExecContext& context, Chunk& out, SourceState* state) override;
  int source_parallelism() const override { return (int)splits_.size(); }
  void set_position_listener(std::function<void(uint64_t)> listener,
                             const std::atomic<uint64_t>* consumed_below) override {
    split_done_ = std::move(listener);
    consumed_below_ = consumed_below;
  }

 private:
  // Opens the thread's next split (the one opened ahead, or a newly claimed one); false when
  // none is left.
  bool start_split(ExecContext& context, ScanState* state);
  // Streaming: waits (a bounded time) before claiming a split far ahead of the consumer.
  void hold_back(ExecContext& context);

  std::function<void(uint64_t)> split_done_;
  const std::atomic<uint64_t>* consumed_below_ = nullptr;
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
// The query's result: rows in the order of their source positions (SinkState::order; a scan's
// splits), either collected (take()) or, with a consumer, streamed to it as soon as every
// earlier position has ended (position_done()): one call at a time, in order, holding only
// the chunks of positions that finished early.
class ResultCollector : public PhysicalOperator {
 public:
  explicit ResultCollector(planner::PlanNode* node, std::function<void(Chunk&)> consumer = nullptr)
      : PhysicalOperator(node), consumer_(std::move(consumer)) {}
  bool is_sink() const override { return true; }
  std::unique_ptr<SinkState> make_sink_state(ExecContext& context, int child) override;
  void sink(ExecContext& context, Chunk& input, SinkState* state) override;
  void combine(ExecContext& context, SinkState* state) override;
  void finalize(ExecContext& context, int child) override;
  // Thread-safe: every chunk of source position `position` has been sunk.
  void position_done(uint64_t position);
  bool streaming() const { return consumer_ != nullptr; }
  // The lowest source position whose chunks the consumer has not all received.
  const std::atomic<uint64_t>* consumed_below() const { return &next_position_; }
  // The collected chunks in the order of their source positions (SinkState::order).
  std::vector<Chunk> take();

 private:
  void emit_ready();         // REQUIRES(mutex_)
  void emit(Chunk& chunk);   // REQUIRES(mutex_); after one throw, no more calls


  std::function<void(Chunk&)> consumer_;
  std::mutex mutex_;
  std::vector<std::pair<uint64_t, Chunk>> chunks_;
  // Streaming: the lowest position not yet ended, the later ones that have, and the chunks
  // waiting for earlier positions.
  std::atomic<uint64_t> next_position_{0};  // written under mutex_, read by the scan
  std::set<uint64_t> done_;
  std::map<uint64_t, std::vector<Chunk>> waiting_;
  MemoryTracker* memory_ = nullptr;  // where waiting chunks are accounted
  bool failed_ = false;              // GUARDED_BY(mutex_)
};

}  // namespace tributary::exec
