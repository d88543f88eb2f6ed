#include "exec/hash_join.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "exec/row_keys.h"

namespace tributary::exec {

using planner::JoinKind;

struct BuildState : SinkState {
  std::vector<Chunk> chunks;
  int64_t bytes = 0;
};

struct ProbeState : OperatorState {
  size_t next_row = 0;  // resume position inside the current input chunk
  std::vector<uint64_t> hashes;
  std::vector<Vector> keys;
  bool keys_ready = false;
};

HashJoinOperator::HashJoinOperator(planner::PlanNode* node, ExecContext& context) : PhysicalOperator(node) {
  const auto& left = node->children[0]->columns;
  const auto& right = node->children[1]->columns;
  for (const auto& [l, r] : node->equi_keys) {
    probe_keys_.push_back(resolve_expr(l, left));
    build_keys_.push_back(resolve_expr(r, right));
  }
  if (node->residual) {
    std::vector<planner::PlanColumn> both = left;
    both.insert(both.end(), right.begin(), right.end());
    residual_ = resolve_expr(node->residual, both);
  }
  for (const auto& c : left) probe_types_.push_back(c.type);
  for (const auto& c : right) build_types_.push_back(c.type);
}

std::unique_ptr<SinkState> HashJoinOperator::make_sink_state(ExecContext& context, int child) {
  return std::make_unique<BuildState>();
}

void HashJoinOperator::sink(ExecContext& context, Chunk& input, SinkState* raw_state) {
  if (input.size == 0) return;
  auto* state = static_cast<BuildState*>(raw_state);
  int64_t bytes = (int64_t)input.memory_bytes();
  context.memory.reserve(bytes);
  state->bytes += bytes;
  state->chunks.push_back(std::move(input));
}

void HashJoinOperator::combine(ExecContext& context, SinkState* raw_state) {
  auto* state = static_cast<BuildState*>(raw_state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : state->chunks) collected_.push_back(std::move(c));
  state->chunks.clear();
}

void HashJoinOperator::finalize(ExecContext& context, int child) {
  uint64_t start = now_nanos();
  build_ = concatenate(collected_, build_types_);
  collected_.clear();
  size_t n = build_.size;
  context.memory.reserve((int64_t)(n * 16 + build_.memory_bytes()));
  matched_.reset(new std::atomic<uint8_t>[std::max<size_t>(n, 1)]);
  for (size_t i = 0; i < n; i++) matched_[i].store(0, std::memory_order_relaxed);
  if (build_keys_.empty()) return;
  auto eval = context.eval_context();
  for (const auto& k : build_keys_) build_key_values_.push_back(planner::evaluate(*k, build_, eval));
  build_hashes_.resize(n);
  for (size_t k = 0; k < build_key_values_.size(); k++)
    hash_column(build_key_values_[k], n, build_hashes_.data(), k == 0);
  size_t buckets = 16;
  while (buckets < n * 2) buckets *= 2;
  heads_.assign(buckets, 0);
  next_.assign(n, 0);
  mask_ = buckets - 1;
  publish_dynamic_filters();
  for (size_t i = 0; i < n; i++) {
    bool has_null = false;
    for (const auto& k : build_key_values_) has_null |= k.is_null(i);
    if (has_null) {
      build_has_null_key_ = true;
      continue;  // NULL keys never match
    }
    size_t b = build_hashes_[i] & mask_;
    next_[i] = heads_[b];
    heads_[b] = (uint32_t)i + 1;
  }
  add_time(now_nanos() - start);
}

void HashJoinOperator::publish_dynamic_filters() {
  for (const auto& filter : node->dynamic_filters) {
    const Vector& keys = build_key_values_[filter->key_index];
    std::vector<Value> values;
    bool usable = true;
    for (size_t i = 0; i < build_.size && usable; i++) {
      if (keys.is_null(i)) continue;
      Value v = keys.get_value(i);
      if (filter->through_varchar_cast) {
        // CAST(int_column AS varchar) = key: only canonical integer text can match.
        char* end = nullptr;
        errno = 0;
        long long parsed = std::strtoll(v.s.c_str(), &end, 10);
        if (v.s.empty() || *end || errno || std::to_string(parsed) != v.s) continue;
        if (parsed < integer_min(filter->column_type.id) || parsed > integer_max(filter->column_type.id)) continue;
        v = Value::integer(parsed, filter->column_type);
      } else {
        if (filter->column_type.is_integer() &&
            (v.i < integer_min(filter->column_type.id) || v.i > integer_max(filter->column_type.id)))
          continue;
        v.type = filter->column_type;
      }
      values.push_back(std::move(v));
      if (values.size() > filter->max_values * 4) usable = false;
    }
    std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return a.compare(b) < 0; });
    values.erase(std::unique(values.begin(), values.end(), [](const Value& a, const Value& b) { return a.compare(b) == 0; }),
                 values.end());
    if (values.size() > filter->max_values) usable = false;
    std::lock_guard<std::mutex> lock(filter->mutex);
    filter->ready = true;
    filter->usable = usable;
    if (usable) filter->values = std::move(values);
  }
}

std::unique_ptr<OperatorState> HashJoinOperator::make_operator_state(ExecContext& context) {
  return std::make_unique<ProbeState>();
}

void HashJoinOperator::emit_pairs(ExecContext& context, const Chunk& probe, const std::vector<uint32_t>& probe_rows,
                                  const std::vector<uint32_t>& build_rows, Chunk& output) {
  size_t count = probe_rows.size();
  output.columns.clear();
  for (size_t c = 0; c < probe.columns.size(); c++) {
    Vector v(probe.columns[c].type(), std::max<size_t>(count, 1));
    v.gather(probe.columns[c], probe_rows.data(), count);
    output.columns.push_back(v);
  }
  for (size_t c = 0; c < build_.columns.size(); c++) {
    Vector v(build_.columns[c].type(), std::max<size_t>(count, 1));
    v.gather(build_.columns[c], build_rows.data(), count);
    output.columns.push_back(v);
  }
  output.size = count;
}

OperatorResult HashJoinOperator::execute(ExecContext& context, Chunk& input, Chunk& output, OperatorState* raw) {
  uint64_t start = now_nanos();
  auto* state = static_cast<ProbeState*>(raw);
  auto eval = context.eval_context();
  size_t n = input.size;
  JoinKind kind = node->join_kind;
  bool equi = !probe_keys_.empty();
  if (!state->keys_ready) {
    state->keys.clear();
    if (equi) {
      for (const auto& k : probe_keys_) state->keys.push_back(planner::evaluate(*k, input, eval));
      state->hashes.resize(n);
      for (size_t k = 0; k < state->keys.size(); k++) hash_column(state->keys[k], n, state->hashes.data(), k == 0);
    }
    state->keys_ready = true;
    state->next_row = 0;
  }
  if (!equi && !residual_ && (kind == JoinKind::SEMI || kind == JoinKind::ANTI)) {
    // Uncorrelated EXISTS / NOT EXISTS: the answer is the same for every row.
    bool keep = (build_.size > 0) == (kind == JoinKind::SEMI);
    if (keep) {
      output = input;
    } else {
      output = input.slice(0, 0);
    }
    state->keys_ready = false;
    add_output_rows(output.size);
    return OperatorResult::NEED_MORE_INPUT;
  }
  // Candidate pairs for a batch of probe rows (bounded so that outputs stay chunk-sized).
  constexpr size_t kMaxPairs = 16 * 1024;
  std::vector<uint32_t> probe_rows, build_rows;
  size_t row = state->next_row;
  size_t batch_start = row;
  for (; row < n; row++) {
    if (probe_rows.size() >= kMaxPairs) break;
    if (equi) {
      bool has_null = false;
      for (const auto& k : state->keys) has_null |= k.is_null(row);
      if (has_null) continue;
      uint64_t h = state->hashes[row];
      for (uint32_t entry = heads_.empty() ? 0 : heads_[h & mask_]; entry; entry = next_[entry - 1]) {
        uint32_t b = entry - 1;
        if (build_hashes_[b] != h) continue;
        bool equal = true;
        for (size_t k = 0; k < state->keys.size() && equal; k++)
          equal = values_equal(state->keys[k], row, build_key_values_[k], b);
        if (!equal) continue;
        probe_rows.push_back((uint32_t)row);
        build_rows.push_back(b);
      }
    } else {
      for (size_t b = 0; b < build_.size; b++) {
        probe_rows.push_back((uint32_t)row);
        build_rows.push_back((uint32_t)b);
      }
    }
  }
  size_t batch_end = row;
  // Residual filter on candidate pairs.
  if (residual_ && !probe_rows.empty()) {
    Chunk pairs;
    emit_pairs(context, input, probe_rows, build_rows, pairs);
    std::vector<uint32_t> sel = planner::evaluate_filter(*residual_, pairs, eval);
    if (sel.size() != probe_rows.size()) {
      std::vector<uint32_t> p, b;
      for (uint32_t s : sel) {
        p.push_back(probe_rows[s]);
        b.push_back(build_rows[s]);
      }
      probe_rows.swap(p);
      build_rows.swap(b);
    }
  }
  if (kind == JoinKind::FULL || kind == JoinKind::RIGHT)
    for (uint32_t b : build_rows) matched_[b].store(1, std::memory_order_relaxed);

  if (kind == JoinKind::SEMI || kind == JoinKind::ANTI) {
    std::vector<uint8_t> hit(batch_end - batch_start, 0);
    for (uint32_t p : probe_rows) hit[p - batch_start] = 1;
    std::vector<uint32_t> sel;
    if (kind == JoinKind::ANTI && node->null_aware) {
      // NOT IN: an empty subquery passes every row; a NULL in it passes none; a NULL value never passes.
      for (size_t r = batch_start; r < batch_end; r++) {
        if (build_.size == 0) {
          sel.push_back((uint32_t)r);
          continue;
        }
        if (build_has_null_key_ || hit[r - batch_start]) continue;
        bool null_key = false;
        for (const auto& k : state->keys) null_key |= k.is_null(r);
        if (!null_key) sel.push_back((uint32_t)r);
      }
    } else {
      for (size_t r = batch_start; r < batch_end; r++)
        if (hit[r - batch_start] == (kind == JoinKind::SEMI ? 1 : 0)) sel.push_back((uint32_t)r);
    }
    output = input.select(sel.data(), sel.size());
  } else if (kind == JoinKind::LEFT || kind == JoinKind::FULL) {
    std::vector<uint8_t> hit(batch_end - batch_start, 0);
    for (uint32_t p : probe_rows) hit[p - batch_start] = 1;
    std::vector<uint32_t> unmatched;
    for (size_t r = batch_start; r < batch_end; r++)
      if (!hit[r - batch_start]) unmatched.push_back((uint32_t)r);
    emit_pairs(context, input, probe_rows, build_rows, output);
    if (!unmatched.empty()) {
      size_t base = output.size;
      size_t total = base + unmatched.size();
      for (size_t c = 0; c < input.columns.size(); c++) output.columns[c].gather(input.columns[c], unmatched.data(), unmatched.size(), base);
      for (size_t c = input.columns.size(); c < output.columns.size(); c++) {
        Vector& v = output.columns[c];
        if (v.capacity() < total) v.grow(total, base);
        std::memset(v.nulls() + base, 1, unmatched.size());
        v.mark_may_have_nulls();
      }
      output.size = total;
    }
  } else {
    emit_pairs(context, input, probe_rows, build_rows, output);
  }
  add_output_rows(output.size);
  add_time(now_nanos() - start);
  if (batch_end < n) {
    state->next_row = batch_end;
    return OperatorResult::HAVE_MORE_OUTPUT;
  }
  state->keys_ready = false;
  return OperatorResult::NEED_MORE_INPUT;
}

std::unique_ptr<SourceState> HashJoinOperator::make_final_output_state(ExecContext& context) {
  return std::make_unique<SourceState>();
}

bool HashJoinOperator::get_final_output(ExecContext& context, Chunk& out, SourceState* state) {
  while (true) {
    size_t offset = final_cursor_.fetch_add(kChunkCapacity);
    if (offset >= build_.size) return false;
    size_t end = std::min(build_.size, offset + kChunkCapacity);
    std::vector<uint32_t> rows;
    for (size_t i = offset; i < end; i++)
      if (!matched_[i].load(std::memory_order_relaxed)) rows.push_back((uint32_t)i);
    if (rows.empty()) continue;
    out.columns.clear();
    for (const auto& t : probe_types_) {
      Vector v(t, rows.size());
      std::memset(v.nulls(), 1, rows.size());
      v.mark_may_have_nulls();
      out.columns.push_back(v);
    }
    for (size_t c = 0; c < build_.columns.size(); c++) {
      Vector v(build_.columns[c].type(), rows.size());
      v.gather(build_.columns[c], rows.data(), rows.size());
      out.columns.push_back(v);
    }
    out.size = rows.size();
    add_output_rows(out.size);
    return true;
  }
}

}  // namespace tributary::exec
