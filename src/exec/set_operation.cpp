#include "exec/set_operation.h"

#include <cstring>

#include "exec/group_table.h"

namespace tributary::exec {

struct SetSinkState : SinkState {
  int child = 0;
  std::vector<Chunk> chunks;
};

std::unique_ptr<SinkState> SetOperationOperator::make_sink_state(ExecContext& context, int child) {
  auto state = std::make_unique<SetSinkState>();
  state->child = child;
  return state;
}

void SetOperationOperator::sink(ExecContext& context, Chunk& input, SinkState* raw_state) {
  if (input.size == 0) return;
  context.memory.reserve((int64_t)input.memory_bytes());
  static_cast<SetSinkState*>(raw_state)->chunks.push_back(std::move(input));
}

void SetOperationOperator::combine(ExecContext& context, SinkState* raw_state) {
  auto* state = static_cast<SetSinkState*>(raw_state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : state->chunks) inputs_[state->child].push_back(std::move(c));
  state->chunks.clear();
}

void SetOperationOperator::finalize(ExecContext& context, int child) {
  if (++finalized_children_ < 2) return;
  uint64_t start = now_nanos();
  auto types = output_types();
  if (node->set_op == planner::PlanNode::UNION && node->set_all) {
    for (auto& side : inputs_)
      for (auto& c : side) output_.push_back(std::move(c));
    return;
  }
  GroupTable table(types, 16, &context.memory);
  std::vector<uint32_t> ids(kChunkCapacity);
  for (int side = 0; side < 2; side++) {
    for (auto& c : inputs_[side]) {
      for (size_t offset = 0; offset < c.size; offset += kChunkCapacity) {
        size_t count = std::min(kChunkCapacity, c.size - offset);
        Chunk part = (offset == 0 && count == c.size) ? c : c.slice(offset, count);
        ids.resize(count);
        table.find_or_create(part.columns, count, ids.data(),
                             [&](uint32_t group) { std::memset(table.state(group), 0, 16); });
        for (size_t i = 0; i < count; i++) reinterpret_cast<int64_t*>(table.state(ids[i]))[side]++;
      }
    }
    inputs_[side].clear();
  }
  std::vector<uint32_t> rows;
  for (uint32_t g = 0; g < table.size(); g++) {
    const int64_t* counts = reinterpret_cast<const int64_t*>(table.state(g));
    int64_t left = counts[0], right = counts[1], copies = 0;
    switch (node->set_op) {
      case planner::PlanNode::UNION: copies = 1; break;
      case planner::PlanNode::INTERSECT:
        copies = node->set_all ? std::min(left, right) : (left > 0 && right > 0 ? 1 : 0);
        break;
      case planner::PlanNode::EXCEPT:
        copies = node->set_all ? std::max<int64_t>(left - right, 0) : (left > 0 && right == 0 ? 1 : 0);
        break;
    }
    for (int64_t k = 0; k < copies; k++) rows.push_back(g);
  }
  for (size_t offset = 0; offset < rows.size(); offset += kChunkCapacity) {
    size_t count = std::min(kChunkCapacity, rows.size() - offset);
    Chunk out;
    for (const auto& k : table.keys()) {
      Vector v(k.type(), count);
      v.gather(k, rows.data() + offset, count);
      out.columns.push_back(v);
    }
    out.size = count;
    output_.push_back(std::move(out));
  }
  add_time(now_nanos() - start);
}

bool SetOperationOperator::get_data(ExecContext& context, Chunk& out, SourceState* state) {
  size_t index = cursor_.fetch_add(1);
  if (index >= output_.size()) return false;
  out = output_[index];
  add_output_rows(out.size);
  return true;
}

}  // namespace tributary::exec
