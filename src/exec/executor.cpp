#include "exec/executor.h"

#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>

#include "exec/basic_operators.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/set_operation.h"
#include "exec/sort_operator.h"
#include "exec/window_operator.h"

namespace tributary::exec {

namespace {

using planner::PlanKind;

std::unique_ptr<PhysicalOperator> build_operator(planner::PlanNode* node, ExecContext& context) {
  std::unique_ptr<PhysicalOperator> op;
  switch (node->kind) {
    case PlanKind::SCAN: op = std::make_unique<ScanOperator>(node, context); break;
    case PlanKind::FILTER: op = std::make_unique<FilterOperator>(node); break;
    case PlanKind::PROJECT: op = std::make_unique<ProjectOperator>(node); break;
    case PlanKind::AGGREGATE: op = std::make_unique<HashAggregateOperator>(node, context); break;
    case PlanKind::JOIN: op = std::make_unique<HashJoinOperator>(node, context); break;
    case PlanKind::SORT: op = std::make_unique<SortOperator>(node, context); break;
    case PlanKind::LIMIT: op = std::make_unique<LimitOperator>(node); break;
    case PlanKind::SET_OPERATION: op = std::make_unique<SetOperationOperator>(node, context); break;
    case PlanKind::VALUES: op = std::make_unique<ValuesOperator>(node); break;
    case PlanKind::WINDOW: op = std::make_unique<WindowOperator>(node, context); break;
  }
  for (const auto& child : node->children) op->children.push_back(build_operator(child.get(), context));
  return op;
}

struct Pipeline {
  PhysicalOperator* source = nullptr;
  std::vector<PhysicalOperator*> operators;
  PhysicalOperator* sink = nullptr;
  int sink_child = 0;
  std::vector<Pipeline*> dependencies;
};

class PipelineBuilder {
 public:
  std::vector<std::unique_ptr<Pipeline>> pipelines;

  Pipeline* new_pipeline(PhysicalOperator* sink, int child) {
    pipelines.push_back(std::make_unique<Pipeline>());
    pipelines.back()->sink = sink;
    pipelines.back()->sink_child = child;
    return pipelines.back().get();
  }

  void build(PhysicalOperator* op, Pipeline* current) {
    if (op->node->kind == PlanKind::JOIN) {
      Pipeline* build_side = new_pipeline(op, 1);
      build(op->children[1].get(), build_side);
      current->dependencies.push_back(build_side);
      build(op->children[0].get(), current);
      current->operators.push_back(op);
      return;
    }
    if (op->is_streaming()) {
      build(op->children[0].get(), current);
      current->operators.push_back(op);
      return;
    }
    // A source (scan/values) or a sink-then-source (aggregate, sort, window, set operation).
    current->source = op;
    for (size_t i = 0; i < op->children.size(); i++) {
      Pipeline* child = new_pipeline(op, (int)i);
      build(op->children[i].get(), child);
      current->dependencies.push_back(child);
    }
  }
};

class PipelineRunner {
 public:
  explicit PipelineRunner(ExecContext& context) : context_(context) {}

  void run(Pipeline* pipeline) {
    for (Pipeline* dependency : pipeline->dependencies) run(dependency);
    context_.check_cancelled();
    pipeline->source->prepare(context_);
    int threads = std::max(1, std::min(context_.threads, pipeline->source->source_parallelism()));
    if (pipeline->source->source_is_ordered()) threads = 1;
    for (auto* op : pipeline->operators)
      if (op->requires_single_thread()) threads = 1;
    if (pipeline->sink->node->kind == PlanKind::SORT && false) threads = 1;
    finished_ = false;
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](bool use_final_output, PhysicalOperator* final_op, size_t first_op) {
      try {
        auto sink_state = pipeline->sink->make_sink_state(context_, pipeline->sink_child);
        std::vector<std::unique_ptr<OperatorState>> states;
        for (auto* op : pipeline->operators) states.push_back(op->make_operator_state(context_));
        if (!use_final_output) {
          auto source_state = pipeline->source->make_source_state(context_);
          while (!finished_.load(std::memory_order_relaxed)) {
            context_.check_cancelled();
            Chunk chunk;
            if (!pipeline->source->get_data(context_, chunk, source_state.get())) break;
            if (chunk.size == 0) continue;
            if (sink_state && source_state) sink_state->order = source_state->order;
            push(pipeline, chunk, 0, states, sink_state.get());
          }
        } else {
          auto source_state = final_op->make_final_output_state(context_);
          // An outer join's unmatched build rows come after every row of the probe side.
          if (sink_state) sink_state->order = UINT64_MAX;
          while (!finished_.load(std::memory_order_relaxed)) {
            context_.check_cancelled();
            Chunk chunk;
            if (!final_op->get_final_output(context_, chunk, source_state.get())) break;
            if (chunk.size == 0) continue;
            push(pipeline, chunk, first_op, states, sink_state.get());
          }
        }
        pipeline->sink->combine(context_, sink_state.get());
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        context_.cancel();
      }
    };
    if (threads == 1) {
      work(false, nullptr, 0);
    } else {
      std::vector<std::thread> workers;
      for (int t = 0; t < threads; t++) workers.emplace_back(work, false, nullptr, 0);
      for (auto& w : workers) w.join();
    }
    // Outer joins owe their unmatched build rows once the probe side is done.
    for (size_t i = 0; i < pipeline->operators.size() && !error; i++) {
      PhysicalOperator* op = pipeline->operators[i];
      if (op->has_final_output()) {
        finished_ = false;
        work(true, op, i + 1);
      }
    }
    if (error) {
      context_.cancelled.store(true);
      std::rethrow_exception(error);
    }
    pipeline->sink->finalize(context_, pipeline->sink_child);
  }

 private:
  void push(Pipeline* pipeline, Chunk& chunk, size_t index, std::vector<std::unique_ptr<OperatorState>>& states,
            SinkState* sink_state) {
    if (index == pipeline->operators.size()) {
      if (chunk.size > 0) pipeline->sink->sink(context_, chunk, sink_state);
      return;
    }
    PhysicalOperator* op = pipeline->operators[index];
    while (true) {
      Chunk output;
      OperatorResult result = op->execute(context_, chunk, output, states[index].get());
      if (output.size > 0) push(pipeline, output, index + 1, states, sink_state);
      if (result == OperatorResult::HAVE_MORE_OUTPUT) {
        context_.check_cancelled();  // one input chunk can fan out into much work (joins)
        continue;
      }
      if (result == OperatorResult::FINISHED) finished_.store(true);
      return;
    }
  }

  ExecContext& context_;
  std::atomic<bool> finished_{false};
};

}  // namespace

namespace {

void run_into(const planner::PlanPtr& plan, ExecContext& context, ResultCollector& collector) {
  auto root = build_operator(plan.get(), context);
  PipelineBuilder builder;
  Pipeline* top = builder.new_pipeline(&collector, 0);
  builder.build(root.get(), top);
  // The result's own pipeline reports when each source position (split) ends, for streaming.
  if (collector.streaming())
    top->source->set_position_listener([&collector](uint64_t position) { collector.position_done(position); },
                                       collector.consumed_below());
  PipelineRunner runner(context);
  runner.run(top);
}

}  // namespace

std::vector<Chunk> execute_plan(const planner::PlanPtr& plan, ExecContext& context) {
  ResultCollector collector(plan.get());
  run_into(plan, context, collector);
  return collector.take();
}

void execute_plan(const planner::PlanPtr& plan, ExecContext& context, const std::function<void(Chunk&)>& consumer) {
  ResultCollector collector(plan.get(), consumer);
  run_into(plan, context, collector);
}

}  // namespace tributary::exec
