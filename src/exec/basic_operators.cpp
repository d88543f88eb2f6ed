#include "exec/basic_operators.h"

#include <thread>

namespace tributary::exec {

using planner::BExprPtr;

PhysicalOperator::PhysicalOperator(planner::PlanNode* node) : node(node) {
  if (!node->stats) node->stats = std::make_shared<planner::OperatorStats>();
}

std::vector<Type> PhysicalOperator::output_types() const {
  std::vector<Type> types;
  for (const auto& c : node->columns) types.push_back(c.type);
  return types;
}

static BExprPtr deep_copy(const BExprPtr& e) {
  auto copy = std::make_shared<planner::BoundExpr>(*e);
  for (auto& a : copy->args) a = deep_copy(a);
  return copy;
}

BExprPtr resolve_expr(const BExprPtr& expr, const std::vector<planner::PlanColumn>& layout) {
  BExprPtr copy = deep_copy(expr);
  std::vector<int> symbols;
  for (const auto& c : layout) symbols.push_back(c.symbol);
  planner::resolve_columns(*copy, symbols);
  return copy;
}

// ---------------------------------------------------------------- scan

struct ScanState : SourceState {
  ExecContext* context = nullptr;
  std::unique_ptr<PageSource> source;
  int64_t cancel_hook = 0;
  size_t split = 0;
  uint64_t reported_bytes = 0;

  planner::OperatorStats* stats = nullptr;

  void close() {
    if (cancel_hook) context->remove_cancel_hook(cancel_hook);
    cancel_hook = 0;
    if (source && stats) {
      SourceMetrics m = source->metrics();
      stats->source_requests.fetch_add(m.requests);
      stats->capacity_milli.fetch_add((uint64_t)(m.capacity_units * 1000 + 0.5));
      stats->rejected_values.fetch_add(m.rejected_values);
      context->rejected_values.fetch_add(m.rejected_values);
      stats->add_access_path(m.access_path);
    }
    source.reset();
  }
  ~ScanState() override { close(); }
};

ScanOperator::ScanOperator(planner::PlanNode* node, ExecContext& context)
    : PhysicalOperator(node), request_(node->request) {}

void ScanOperator::prepare(ExecContext& context) {
  if (prepared_) return;
  prepared_ = true;
  bool narrowed = false;
  for (const auto& filter : node->dynamic_filters) {
    std::lock_guard<std::mutex> lock(filter->mutex);
    if (!filter->ready || !filter->usable) continue;
    Domain domain;
    auto existing = request_.constraint.columns.find(filter->scan_column);
    for (const auto& value : filter->values)
      if (existing == request_.constraint.columns.end() || existing->second.contains(value))
        domain.ranges.push_back(Range::equal(value));
    request_.constraint.columns[filter->scan_column] = domain;
    if (domain.ranges.empty()) request_.constraint.none = true;
    node->pushdown.details.push_back("dynamic filter on " + node->table.columns[filter->scan_column].name + ": " +
                                     std::to_string(filter->values.size()) + " values");
    narrowed = true;
  }
  try {
    if (narrowed) {
      auto pushdown = node->connector->apply_pushdown(node->table, request_);
      for (const auto& d : pushdown.details) node->pushdown.details.push_back("with dynamic filter: " + d);
    }
    if (request_.constraint.none) return;  // no row can match: nothing to read
    splits_ = node->connector->plan_splits(node->table, request_, context.threads);
  } catch (const Error& error) {
    if (error.code() == ErrorCode::SOURCE_ERROR) throw;
    throw_error(error.code(), "catalog '" + node->catalog + "': " + error.message());
  }
}

std::unique_ptr<SourceState> ScanOperator::make_source_state(ExecContext& context) {
  auto state = std::make_unique<ScanState>();
  state->context = &context;
  state->stats = node->stats.get();
  return state;
}

bool ScanOperator::get_data(ExecContext& context, Chunk& out, SourceState* raw_state) {
  auto* state = static_cast<ScanState*>(raw_state);
  uint64_t start = now_nanos();
  while (true) {
    context.check_cancelled();
    if (!state->source) {
      size_t index = next_split_.fetch_add(1);
      if (index >= splits_.size()) {
        add_time(now_nanos() - start);
        return false;
      }
      state->split = index;
      state->source = node->connector->open(node->table, *splits_[index], request_);
      PageSource* source = state->source.get();
      state->cancel_hook = context.add_cancel_hook([source] { source->cancel(); });
      state->reported_bytes = 0;
      node->stats->splits.fetch_add(1);
    }
    out.init(output_types());
    PageStatus status = state->source->next(out);
    uint64_t bytes = state->source->bytes_read();
    if (bytes > state->reported_bytes) {
      uint64_t delta = bytes - state->reported_bytes;
      state->reported_bytes = bytes;
      node->stats->bytes_read.fetch_add(delta);
      context.bytes_scanned.fetch_add(delta);
    }
    if (status == PageStatus::BLOCKED) {
      auto future = state->source->blocked_future();
      if (future.valid()) future.wait();
      continue;
    }
    if (status == PageStatus::FINISHED) state->close();
    if (out.size > 0) {
      context.rows_scanned.fetch_add(out.size);
      add_output_rows(out.size);
      add_time(now_nanos() - start);
      return true;
    }
  }
}

// ---------------------------------------------------------------- filter

FilterOperator::FilterOperator(planner::PlanNode* node) : PhysicalOperator(node) {
  for (const auto& c : planner::split_conjuncts(node->predicate))
    conjuncts_.push_back(resolve_expr(c, node->children[0]->columns));
  if (conjuncts_.empty()) conjuncts_.push_back(planner::make_constant(Value::boolean(true)));
}

OperatorResult FilterOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
  uint64_t start = now_nanos();
  auto eval = context.eval_context();
  Chunk current = input;
  for (const auto& conjunct : conjuncts_) {
    if (current.size == 0) break;
    std::vector<uint32_t> sel = planner::evaluate_filter(*conjunct, current, eval);
    if (sel.size() != current.size) current = current.select(sel.data(), sel.size());
  }
  output = std::move(current);
  add_output_rows(output.size);
  add_time(now_nanos() - start);
  return OperatorResult::NEED_MORE_INPUT;
}

// ---------------------------------------------------------------- project

ProjectOperator::ProjectOperator(planner::PlanNode* node) : PhysicalOperator(node) {
  for (const auto& e : node->exprs) exprs_.push_back(resolve_expr(e, node->children[0]->columns));
}

OperatorResult ProjectOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
  uint64_t start = now_nanos();
  auto eval = context.eval_context();
  output.columns.clear();
  for (const auto& e : exprs_) output.columns.push_back(planner::evaluate(*e, input, eval));
  output.size = input.size;
  add_output_rows(output.size);
  add_time(now_nanos() - start);
  return OperatorResult::NEED_MORE_INPUT;
}

// ---------------------------------------------------------------- limit

OperatorResult LimitOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
  int64_t n = (int64_t)input.size;
  int64_t begin = seen_.fetch_add(n);
  int64_t end = begin + n;
  int64_t lo = node->offset;
  int64_t hi = node->limit >= 0 ? node->offset + node->limit : INT64_MAX;
  int64_t from = std::max(begin, lo), to = std::min(end, hi);
  if (from >= to) {
    output.size = 0;
    output.columns = input.columns;
  } else if (from == begin && to == end) {
    output = input;
  } else {
    output = input.slice((size_t)(from - begin), (size_t)(to - from));
  }
  add_output_rows(output.size);
  return end >= hi ? OperatorResult::FINISHED : OperatorResult::NEED_MORE_INPUT;
}

// ---------------------------------------------------------------- values

bool ValuesOperator::get_data(ExecContext& context, Chunk& out, SourceState* state) {
  if (done_.exchange(true)) return false;
  out.init(output_types(), std::max<size_t>(node->rows.size(), 1));
  for (size_t r = 0; r < node->rows.size(); r++)
    for (size_t c = 0; c < node->columns.size(); c++) out.columns[c].set_value(r, node->rows[r][c]);
  out.size = node->rows.size();
  add_output_rows(out.size);
  return true;
}

// ---------------------------------------------------------------- result

struct CollectorState : SinkState {
  std::vector<Chunk> chunks;
};

std::unique_ptr<SinkState> ResultCollector::make_sink_state(ExecContext& context, int child) {
  return std::make_unique<CollectorState>();
}

void ResultCollector::sink(ExecContext& context, Chunk& input, SinkState* state) {
  if (input.size == 0) return;
  context.memory.reserve((int64_t)input.memory_bytes());
  static_cast<CollectorState*>(state)->chunks.push_back(std::move(input));
}

void ResultCollector::combine(ExecContext& context, SinkState* state) {
  auto* s = static_cast<CollectorState*>(state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : s->chunks) chunks_.push_back(std::move(c));
  s->chunks.clear();
}

}  // namespace tributary::exec
