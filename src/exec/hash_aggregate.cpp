#include "exec/hash_aggregate.h"

#include <algorithm>

#include "function/distinct_aggregate.h"

namespace tributary::exec {

struct AggregateSinkState : SinkState {
  HashAggregateOperator* owner = nullptr;
  std::unique_ptr<GroupTable> table;
  std::vector<uint32_t> groups;
  std::vector<uint8_t*> bases;  // each row's group state block
  std::vector<void*> states;
  // Batching by group (few groups): rows ordered by group, and each argument column's values
  // for one group's rows.
  std::vector<uint32_t> group_rows, group_starts;
  std::vector<Vector> gathered;
  // A thread that failed (memory limit, cancel) never reaches combine(): free its states here.
  ~AggregateSinkState() override {
    if (table) owner->destroy_states(*table);
  }
};

HashAggregateOperator::HashAggregateOperator(planner::PlanNode* node, ExecContext& context)
    : PhysicalOperator(node) {
  const auto& input = node->children[0]->columns;
  auto position = [&](const planner::BExprPtr& e) {
    int p = planner::column_position(*node->children[0], e->symbol);
    if (p < 0) throw_error(ErrorCode::INTERNAL_ERROR, "aggregate input column missing: " + e->name);
    return p;
  };
  (void)input;
  for (const auto& k : node->group_keys) key_columns_.push_back(position(k));
  for (const auto& a : node->aggregates) {
    Aggregate agg;
    agg.kernel = a.distinct ? make_distinct_kernel(*a.function) : a.function->kernel;
    for (const auto& arg : a.args) agg.arg_columns.push_back(position(arg));
    if (a.filter) agg.filter_column = position(a.filter);
    agg.offset = state_size_;
    state_size_ += (agg.kernel.state_size + 15) & ~size_t(15);
    aggregates_.push_back(std::move(agg));
  }
  // Batching by group needs the argument columns once each; aggregates with a FILTER keep the
  // row-by-row path.
  batch_by_group_ = true;
  for (const auto& agg : aggregates_) {
    if (agg.filter_column >= 0) batch_by_group_ = false;
    std::vector<size_t> slots;
    for (int c : agg.arg_columns) {
      auto it = std::find(input_arg_columns_.begin(), input_arg_columns_.end(), c);
      if (it == input_arg_columns_.end()) it = input_arg_columns_.insert(input_arg_columns_.end(), c);
      slots.push_back(static_cast<size_t>(it - input_arg_columns_.begin()));
    }
    aggregate_arg_slots_.push_back(std::move(slots));
  }
  std::vector<Type> key_types;
  for (int k : key_columns_) key_types.push_back(node->children[0]->columns[k].type);
  global_ = std::make_unique<GroupTable>(key_types, state_size_, &context.memory);
}

HashAggregateOperator::~HashAggregateOperator() {
  if (global_) destroy_states(*global_);
}

void HashAggregateOperator::init_states(GroupTable& table, uint32_t group) {
  uint8_t* base = table.state(group);
  for (auto& a : aggregates_) a.kernel.init(base + a.offset);
}

void HashAggregateOperator::destroy_states(GroupTable& table) {
  for (auto& a : aggregates_) {
    if (!a.kernel.destroy) continue;
    for (size_t g = 0; g < table.size(); g++) a.kernel.destroy(table.state((uint32_t)g) + a.offset);
  }
}

std::unique_ptr<SinkState> HashAggregateOperator::make_sink_state(ExecContext& context, int child) {
  auto state = std::make_unique<AggregateSinkState>();
  state->owner = this;
  std::vector<Type> key_types;
  for (int k : key_columns_) key_types.push_back(node->children[0]->columns[k].type);
  state->table = std::make_unique<GroupTable>(key_types, state_size_, &context.memory);
  return state;
}

void HashAggregateOperator::sink(ExecContext& context, Chunk& input, SinkState* raw_state) {
  uint64_t start = now_nanos();
  auto* state = static_cast<AggregateSinkState*>(raw_state);
  size_t n = input.size;
  if (n == 0) return;
  std::vector<Vector> keys;
  for (int k : key_columns_) keys.push_back(input.columns[k]);
  state->groups.resize(n);
  GroupTable& table = *state->table;
  table.find_or_create(keys, n, state->groups.data(), [&](uint32_t group) { init_states(table, group); });
  state->states.resize(n);
  if (aggregates_.empty()) {
    // SELECT DISTINCT: the groups are all there is.
  } else if (batch_by_group_ && n >= kBatchMinRows && table.size() <= kBatchMaxGroups) {
    update_by_group(*state, input);
  } else {
    update_by_row(*state, input);
  }
  if (aggregate_state_bytes_added > 0) {
    int64_t bytes = aggregate_state_bytes_added;
    aggregate_state_bytes_added = 0;
    context.memory.reserve(bytes);
  }
  add_time(now_nanos() - start);
}

// Few groups: every row of a group is handed to the kernels in one call whose state pointers are
// all the same, so each kernel accumulates in registers instead of bouncing between a handful of
// states through memory on every row. Rows keep their order within a group.
void HashAggregateOperator::update_by_group(AggregateSinkState& state, const Chunk& input) {
  const size_t n = input.size;
  GroupTable& table = *state.table;
  const size_t group_count = table.size();
  const uint32_t* groups = state.groups.data();
  // The rows ordered by group (stable).
  std::vector<uint32_t>& starts = state.group_starts;
  starts.assign(group_count + 1, 0);
  state.group_rows.resize(n + 1);
  uint32_t* ordered = state.group_rows.data();
  if (group_count <= kCompactionMaxGroups) {
    // One branch-free pass per group: every row is written at the cursor, which advances past
    // the group's rows only (the slot after the last one is overwritten by the next group).
    size_t position = 0;
    for (size_t g = 0; g < group_count; g++) {
      starts[g] = static_cast<uint32_t>(position);
      const uint32_t group = static_cast<uint32_t>(g);
      for (size_t i = 0; i < n; i++) {
        ordered[position] = static_cast<uint32_t>(i);
        position += groups[i] == group;
      }
    }
    starts[group_count] = static_cast<uint32_t>(position);
  } else {
    // Counting sort.
    for (size_t i = 0; i < n; i++) starts[groups[i] + 1]++;
    for (size_t g = 0; g < group_count; g++) starts[g + 1] += starts[g];
    std::vector<uint32_t> cursor(starts.begin(), starts.end() - 1);
    for (size_t i = 0; i < n; i++) ordered[cursor[groups[i]]++] = static_cast<uint32_t>(i);
  }
  if (state.gathered.size() != input_arg_columns_.size()) state.gathered.assign(input_arg_columns_.size(), Vector());
  std::vector<Vector> args;
  void** states = state.states.data();
  for (size_t g = 0; g < group_count; g++) {
    const size_t count = starts[g + 1] - starts[g];
    if (count == 0) continue;
    const uint32_t* rows = state.group_rows.data() + starts[g];
    const bool whole_chunk = count == n;
    if (!whole_chunk) {
      for (size_t u = 0; u < input_arg_columns_.size(); u++) {
        const Vector& column = input.columns[input_arg_columns_[u]];
        Vector& out = state.gathered[u];
        // String values point into the input's heaps: a fresh vector each time, so the heaps of
        // earlier chunks are not kept alive.
        if (out.capacity() < count || !(out.type() == column.type()) ||
            column.type().physical() == PhysicalType::STRING) {
          out = Vector(column.type(), std::max<size_t>(count, kChunkCapacity));
        }
        out.set_all_valid(count);
        out.gather(column, rows, count);
      }
    }
    uint8_t* base = table.state(static_cast<uint32_t>(g));
    for (size_t a = 0; a < aggregates_.size(); a++) {
      const Aggregate& aggregate = aggregates_[a];
      args.clear();
      for (size_t k = 0; k < aggregate.arg_columns.size(); k++) {
        args.push_back(whole_chunk ? input.columns[aggregate.arg_columns[k]]
                                   : state.gathered[aggregate_arg_slots_[a][k]]);
      }
      void* target = base + aggregate.offset;
      for (size_t i = 0; i < count; i++) states[i] = target;
      aggregate.kernel.update(states, args, count);
    }
  }
}

void HashAggregateOperator::update_by_row(AggregateSinkState& raw, const Chunk& input) {
  AggregateSinkState* state = &raw;
  const size_t n = input.size;
  GroupTable& table = *state->table;
  state->bases.resize(n);
  uint8_t** bases = state->bases.data();
  for (size_t i = 0; i < n; i++) bases[i] = table.state(state->groups[i]);
  void** states = state->states.data();
  for (auto& a : aggregates_) {
    std::vector<Vector> args;
    for (int c : a.arg_columns) args.push_back(input.columns[c]);
    if (a.filter_column >= 0) {
      const Vector& filter = input.columns[a.filter_column];
      std::vector<uint32_t> sel;
      for (size_t i = 0; i < n; i++)
        if (!filter.is_null(i) && filter.data<uint8_t>()[i]) sel.push_back((uint32_t)i);
      if (sel.empty()) continue;
      if (sel.size() != n) {
        Chunk sub;
        for (auto& v : args) {
          Vector s(v.type(), sel.size());
          s.gather(v, sel.data(), sel.size());
          sub.columns.push_back(s);
        }
        for (size_t i = 0; i < sel.size(); i++) states[i] = bases[sel[i]] + a.offset;
        a.kernel.update(state->states.data(), sub.columns, sel.size());
        continue;
      }
    }
    const size_t offset = a.offset;
    for (size_t i = 0; i < n; i++) states[i] = bases[i] + offset;
    a.kernel.update(states, args, n);
  }
}

void HashAggregateOperator::combine(ExecContext& context, SinkState* raw_state) {
  auto* state = static_cast<AggregateSinkState*>(raw_state);
  GroupTable& local = *state->table;
  std::lock_guard<std::mutex> lock(mutex_);
  size_t groups = local.size();
  std::vector<uint32_t> ids(std::min<size_t>(groups, kChunkCapacity));
  for (size_t offset = 0; offset < groups; offset += kChunkCapacity) {
    size_t count = std::min(kChunkCapacity, groups - offset);
    std::vector<Vector> keys;
    for (const auto& k : local.keys()) {
      Vector slice(k.type(), count);
      std::vector<uint32_t> sel(count);
      for (size_t i = 0; i < count; i++) sel[i] = (uint32_t)(offset + i);
      slice.gather(k, sel.data(), count);
      keys.push_back(slice);
    }
    ids.resize(count);
    global_->find_or_create(keys, count, ids.data(), [&](uint32_t group) { init_states(*global_, group); });
    for (auto& a : aggregates_) {
      for (size_t i = 0; i < count; i++)
        a.kernel.combine(local.state((uint32_t)(offset + i)) + a.offset, global_->state(ids[i]) + a.offset);
    }
  }
  destroy_states(local);
  state->table.reset();
}

void HashAggregateOperator::finalize(ExecContext& context, int child) {
  if (key_columns_.empty() && global_->size() == 0) {
    uint32_t id;
    std::vector<Vector> none;
    global_->find_or_create(none, 1, &id, [&](uint32_t group) { init_states(*global_, group); });
  }
}

bool HashAggregateOperator::get_data(ExecContext& context, Chunk& out, SourceState* state) {
  size_t total = global_->size();
  size_t offset = cursor_.fetch_add(kChunkCapacity);
  if (offset >= total) return false;
  uint64_t start = now_nanos();
  size_t count = std::min(kChunkCapacity, total - offset);
  out.columns.clear();
  std::vector<uint32_t> sel(count);
  for (size_t i = 0; i < count; i++) sel[i] = (uint32_t)(offset + i);
  for (const auto& k : global_->keys()) {
    Vector v(k.type(), count);
    v.gather(k, sel.data(), count);
    out.columns.push_back(v);
  }
  std::vector<void*> states(count);
  for (size_t a = 0; a < aggregates_.size(); a++) {
    for (size_t i = 0; i < count; i++) states[i] = global_->state((uint32_t)(offset + i)) + aggregates_[a].offset;
    Vector v(node->columns[key_columns_.size() + a].type, count);
    aggregates_[a].kernel.finalize(states.data(), count, v);
    out.columns.push_back(v);
  }
  out.size = count;
  add_output_rows(count);
  add_time(now_nanos() - start);
  return true;
}

}  // namespace tributary::exec
