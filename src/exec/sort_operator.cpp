#include "exec/sort_operator.h"

#include <algorithm>

#include "exec/row_keys.h"

namespace tributary::exec {

struct SortSinkState : SinkState {
  std::vector<Chunk> chunks;
  size_t rows = 0;
};

std::vector<uint32_t> sort_permutation(const Chunk& data, const std::vector<SortSpec>& keys, int64_t limit) {
  std::vector<uint32_t> order(data.size);
  for (size_t i = 0; i < data.size; i++) order[i] = (uint32_t)i;
  auto less = [&](uint32_t a, uint32_t b) {
    for (const auto& k : keys) {
      const Vector& v = data.columns[k.column];
      bool an = v.is_null(a), bn = v.is_null(b);
      if (an || bn) {
        if (an == bn) continue;
        return an ? k.nulls_first : !k.nulls_first;
      }
      int c = compare_values(v, a, v, b);
      if (c != 0) return k.ascending ? c < 0 : c > 0;
    }
    return a < b;  // stable
  };
  if (limit >= 0 && (size_t)limit < order.size()) {
    std::partial_sort(order.begin(), order.begin() + limit, order.end(), less);
    order.resize(limit);
  } else {
    std::sort(order.begin(), order.end(), less);
  }
  return order;
}

SortOperator::SortOperator(planner::PlanNode* node, ExecContext& context) : PhysicalOperator(node) {
  for (const auto& k : node->sort_keys) {
    int p = planner::column_position(*node->children[0], k.expr->symbol);
    if (p < 0) throw_error(ErrorCode::INTERNAL_ERROR, "sort key missing: " + k.expr->name);
    keys_.push_back({p, k.ascending, k.nulls_first});
  }
}

std::unique_ptr<SinkState> SortOperator::make_sink_state(ExecContext& context, int child) {
  return std::make_unique<SortSinkState>();
}

Chunk SortOperator::compact(std::vector<Chunk>& chunks) {
  Chunk all = concatenate(chunks, output_types());
  chunks.clear();
  auto order = sort_permutation(all, keys_, node->limit);
  return all.select(order.data(), order.size());
}

void SortOperator::sink(ExecContext& context, Chunk& input, SinkState* raw_state) {
  if (input.size == 0) return;
  auto* state = static_cast<SortSinkState*>(raw_state);
  state->rows += input.size;
  context.memory.reserve((int64_t)input.memory_bytes());
  state->chunks.push_back(std::move(input));
  // Top-N keeps memory bounded: shrink to the best `limit` rows now and then.
  if (node->limit >= 0 && state->rows > std::max<size_t>(4 * (size_t)node->limit, 64 * 1024)) {
    Chunk best = compact(state->chunks);
    state->rows = best.size;
    state->chunks.push_back(std::move(best));
  }
}

void SortOperator::combine(ExecContext& context, SinkState* raw_state) {
  auto* state = static_cast<SortSinkState*>(raw_state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : state->chunks) collected_.push_back(std::move(c));
  state->chunks.clear();
}

void SortOperator::finalize(ExecContext& context, int child) {
  uint64_t start = now_nanos();
  sorted_ = concatenate(collected_, output_types());
  collected_.clear();
  order_ = sort_permutation(sorted_, keys_, node->limit);
  add_time(now_nanos() - start);
}

bool SortOperator::get_data(ExecContext& context, Chunk& out, SourceState* state) {
  if (cursor_ >= order_.size()) return false;
  size_t count = std::min(kChunkCapacity, order_.size() - cursor_);
  out = sorted_.select(order_.data() + cursor_, count);
  cursor_ += count;
  add_output_rows(count);
  return true;
}

}  // namespace tributary::exec
