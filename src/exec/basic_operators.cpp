#include "exec/basic_operators.h"

#include <algorithm>
#include <optional>
#include <chrono>
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
  // The thread's next split, opened and prefetching while `source` is read (sources whose
  // prefetch() says so: object-store Parquet).
  std::unique_ptr<PageSource> ahead;
  size_t ahead_split = 0;
  // A split that ended with its last chunk, reported done when the next call comes (by then
  // that chunk has been pushed through the pipeline).
  std::optional<size_t> ended;

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

void ScanOperator::hold_back(ExecContext& context) {
  // A streamed result keeps the splits' order, so the chunks of splits read ahead of the
  // lowest unfinished one wait in memory. A thread about to claim a split more than
  // 2 x threads ahead waits for the consumer to catch up -- at most 200 ms, so a split that
  // never reports its end (LIMIT stopped its thread) cannot stall the others.
  if (!consumed_below_) return;
  const uint64_t window = 2 * (uint64_t)std::max(1, context.threads);
  for (int waited = 0; waited < 200; waited++) {
    uint64_t next = next_split_.load();
    if (next >= splits_.size() || next < consumed_below_->load() + window) return;
    context.check_cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

bool ScanOperator::start_split(ExecContext& context, ScanState* state) {
  size_t index;
  if (state->ahead) {
    index = state->ahead_split;
    state->source = std::move(state->ahead);
  } else {
    hold_back(context);
    index = next_split_.fetch_add(1);
    if (index >= splits_.size()) return false;
    state->source = node->connector->open(node->table, *splits_[index], request_);
    node->stats->splits.fetch_add(1);
  }
  state->split = index;
  state->order = index;
  PageSource* source = state->source.get();
  state->cancel_hook = context.add_cancel_hook([source] { source->cancel(); });
  state->reported_bytes = 0;
  // A source that prefetches gets the thread's next split opened (and fetching) now -- not
  // under a LIMIT, which may need no further split, and only while more splits are left than
  // threads to share them.
  if (!request_.limit && source->prefetch() &&
      splits_.size() - std::min(splits_.size(), next_split_.load()) > (size_t)context.threads) {
    size_t next = next_split_.fetch_add(1);
    if (next < splits_.size()) {
      state->ahead = node->connector->open(node->table, *splits_[next], request_);
      state->ahead_split = next;
      node->stats->splits.fetch_add(1);
      state->ahead->prefetch();
    }
  }
  return true;
}

bool ScanOperator::get_data(ExecContext& context, Chunk& out, SourceState* raw_state) {
  auto* state = static_cast<ScanState*>(raw_state);
  uint64_t start = now_nanos();
  if (state->ended) {
    if (split_done_) split_done_(*state->ended);
    state->ended.reset();
  }
  while (true) {
    context.check_cancelled();
    if (!state->source && !start_split(context, state)) {
      add_time(now_nanos() - start);
      return false;
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
    if (status == PageStatus::FINISHED) {
      state->close();
      if (out.size > 0) state->ended = state->split;
      else if (split_done_) split_done_(state->split);
    }
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
  for (const auto& conjunct : conjuncts_) {
    std::vector<int> columns;
    std::vector<const planner::BoundExpr*> pending{conjunct.get()};
    while (!pending.empty()) {
      const planner::BoundExpr* e = pending.back();
      pending.pop_back();
      if (e->kind == planner::BoundKind::COLUMN && e->index >= 0 &&
          std::find(columns.begin(), columns.end(), e->index) == columns.end()) {
        columns.push_back(e->index);
      }
      for (const auto& arg : e->args) pending.push_back(arg.get());
    }
    conjunct_columns_.push_back(std::move(columns));
  }
}

// Conjuncts run in order, each on the rows the earlier ones kept (so a guard such as
// `x <> 0 AND 10 / x > 1` still protects the later one). Only the columns a conjunct reads are
// narrowed to the surviving rows before it runs; the other columns are copied once, at the end.
OperatorResult FilterOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
  uint64_t start = now_nanos();
  auto eval = context.eval_context();
  std::vector<uint32_t> kept;  // rows of input still selected, when not all
  bool all = true;
  for (size_t c = 0; c < conjuncts_.size(); c++) {
    if (input.size == 0 || (!all && kept.empty())) break;
    std::vector<uint32_t> sel;
    if (all) {
      sel = planner::evaluate_filter(*conjuncts_[c], input, eval);
      if (sel.size() == input.size) continue;
      kept = std::move(sel);
      all = false;
      continue;
    }
    // Columns the conjunct does not read keep the input's vectors: never read, so their row
    // numbering does not matter.
    Chunk narrowed;
    narrowed.columns = input.columns;
    narrowed.size = kept.size();
    for (int column : conjunct_columns_[c]) {
      if (column < 0 || (size_t)column >= input.columns.size()) continue;
      const Vector& source = input.columns[(size_t)column];
      Vector values(source.type(), std::max<size_t>(kept.size(), 1));
      values.gather(source, kept.data(), kept.size());
      narrowed.columns[(size_t)column] = std::move(values);
    }
    sel = planner::evaluate_filter(*conjuncts_[c], narrowed, eval);
    if (sel.size() == kept.size()) continue;
    for (auto& row : sel) row = kept[row];
    kept = std::move(sel);
  }
  output = all ? input : input.select(kept.data(), kept.size());
  add_output_rows(output.size);
  add_time(now_nanos() - start);
  return OperatorResult::NEED_MORE_INPUT;
}

// ---------------------------------------------------------------- project

namespace {

// An expression whose value is worth computing once and reading again.
bool reusable(const planner::BoundExpr& e) {
  return e.kind != planner::BoundKind::COLUMN && e.kind != planner::BoundKind::CONSTANT &&
         e.kind != planner::BoundKind::OUTER_REF && e.deterministic() && !planner::contains_subquery(e);
}

// Replaces every subtree of `node` equal to `target` by a reference to input column `index`.
bool replace_subtrees(BExprPtr& node, const planner::BoundExpr& target, int index) {
  if (planner::expr_equals(*node, target)) {
    auto column = std::make_shared<planner::BoundExpr>();
    column->kind = planner::BoundKind::COLUMN;
    column->type = target.type;
    column->symbol = -1000 - index;  // matches no plan symbol
    column->index = index;
    column->name = "expr";
    node = column;
    return true;
  }
  bool replaced = false;
  for (auto& arg : node->args) replaced |= replace_subtrees(arg, target, index);
  return replaced;
}

}  // namespace

ProjectOperator::ProjectOperator(planner::PlanNode* node) : PhysicalOperator(node) {
  for (const auto& e : node->exprs) exprs_.push_back(resolve_expr(e, node->children[0]->columns));
  // Common subexpressions: where output j contains output i (as TPC-H Q1's charge contains its
  // discounted price), j reads i's result, evaluated once per chunk and appended to the input.
  // Every output is evaluated on every row, so reading one instead of recomputing it neither
  // adds nor hides an error.
  const int input_width = static_cast<int>(node->children[0]->columns.size());
  std::vector<BExprPtr> originals;
  for (const auto& e : exprs_) originals.push_back(resolve_expr(e, node->children[0]->columns));
  for (size_t j = 1; j < exprs_.size(); j++) {
    for (size_t i = 0; i < j; i++) {
      if (!reusable(*originals[i])) continue;
      if (replace_subtrees(exprs_[j], *originals[i], input_width + static_cast<int>(i))) reuses_outputs_ = true;
    }
  }
}

OperatorResult ProjectOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* state) {
  uint64_t start = now_nanos();
  auto eval = context.eval_context();
  output.columns.clear();
  if (!reuses_outputs_) {
    for (const auto& e : exprs_) output.columns.push_back(planner::evaluate(*e, input, eval));
  } else {
    Chunk extended;
    extended.columns.reserve(input.columns.size() + exprs_.size());
    extended.columns = input.columns;
    extended.size = input.size;
    for (const auto& e : exprs_) {
      Vector value = planner::evaluate(*e, extended, eval);
      extended.columns.push_back(value);
      output.columns.push_back(std::move(value));
    }
  }
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
  std::vector<std::pair<uint64_t, Chunk>> chunks;
};

std::unique_ptr<SinkState> ResultCollector::make_sink_state(ExecContext& context, int child) {
  return std::make_unique<CollectorState>();
}

void ResultCollector::sink(ExecContext& context, Chunk& input, SinkState* state) {
  if (input.size == 0) return;
  if (consumer_) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_) return;  // the consumer threw: the query is failing, write nothing more
    if (state->order == next_position_.load()) {
      emit(input);
    } else {
      memory_ = &context.memory;
      memory_->reserve((int64_t)input.memory_bytes());
      waiting_[state->order].push_back(std::move(input));
    }
    return;
  }
  context.memory.reserve((int64_t)input.memory_bytes());
  static_cast<CollectorState*>(state)->chunks.emplace_back(state->order, std::move(input));
}

void ResultCollector::combine(ExecContext& context, SinkState* state) {
  auto* s = static_cast<CollectorState*>(state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : s->chunks) chunks_.push_back(std::move(c));
  s->chunks.clear();
}

void ResultCollector::position_done(uint64_t position) {
  if (!consumer_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (position >= next_position_.load()) done_.insert(position);
  emit_ready();
}

void ResultCollector::emit(Chunk& chunk) {
  if (failed_) return;
  try {
    consumer_(chunk);
  } catch (...) {
    failed_ = true;
    throw;
  }
}

void ResultCollector::emit_ready() {
  while (true) {
    // The chunks of the current lowest position that waited (it was not the lowest then).
    auto waiting = waiting_.find(next_position_.load());
    if (waiting != waiting_.end()) {
      for (auto& chunk : waiting->second) {
        memory_->release((int64_t)chunk.memory_bytes());
        emit(chunk);
      }
      waiting_.erase(waiting);
    }
    auto done = done_.find(next_position_.load());
    if (done == done_.end()) return;
    done_.erase(done);
    next_position_.fetch_add(1);
  }
}

void ResultCollector::finalize(ExecContext& context, int child) {
  if (!consumer_) return;
  // Every thread has stopped (some positions may never have reported their end: LIMIT stops
  // early): what still waits goes out in position order.
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [position, chunks] : waiting_)
    for (auto& chunk : chunks) {
      memory_->release((int64_t)chunk.memory_bytes());
      emit(chunk);
    }
  waiting_.clear();
  done_.clear();
}

std::vector<Chunk> ResultCollector::take() {
  // Rows keep the source's order (files: file order, as DuckDB's preserve_insertion_order), so
  // CREATE TABLE AS writes a sorted input as sorted row groups whose statistics prune well.
  std::stable_sort(chunks_.begin(), chunks_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Chunk> out;
  out.reserve(chunks_.size());
  for (auto& c : chunks_) out.push_back(std::move(c.second));
  chunks_.clear();
  return out;
}

}  // namespace tributary::exec
