#include "exec/window_operator.h"

#include <algorithm>
#include <cstring>

#include "exec/row_keys.h"

namespace tributary::exec {

struct WindowSinkState : SinkState {
  std::vector<Chunk> chunks;
};

WindowOperator::WindowOperator(planner::PlanNode* node, ExecContext& context) : PhysicalOperator(node) {
  const auto& child = *node->children[0];
  for (const auto& k : node->partition_keys) partition_columns_.push_back(planner::column_position(child, k->symbol));
  for (const auto& k : node->window_order)
    order_keys_.push_back({planner::column_position(child, k.expr->symbol), k.ascending, k.nulls_first});
}

std::unique_ptr<SinkState> WindowOperator::make_sink_state(ExecContext& context, int child) {
  return std::make_unique<WindowSinkState>();
}

void WindowOperator::sink(ExecContext& context, Chunk& input, SinkState* state) {
  if (input.size == 0) return;
  context.memory.reserve((int64_t)input.memory_bytes());
  static_cast<WindowSinkState*>(state)->chunks.push_back(std::move(input));
}

void WindowOperator::combine(ExecContext& context, SinkState* state) {
  auto* s = static_cast<WindowSinkState*>(state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : s->chunks) collected_.push_back(std::move(c));
  s->chunks.clear();
}

namespace {

bool same_keys(const Chunk& data, const std::vector<int>& columns, uint32_t a, uint32_t b) {
  for (int c : columns)
    if (!values_equal(data.columns[c], a, data.columns[c], b)) return false;
  return true;
}

}  // namespace

void WindowOperator::compute(const planner::WindowCall& call, const Chunk& data, const std::vector<uint32_t>& order,
                             Vector& out) {
  size_t n = order.size();
  std::vector<int> order_columns;
  for (const auto& k : order_keys_) order_columns.push_back(k.column);
  std::vector<int> arg_columns;
  for (const auto& a : call.args) arg_columns.push_back(planner::column_position(*node->children[0], a->symbol));
  const std::string& f = call.function;
  size_t start = 0;
  // A sorted copy of the argument columns makes frame slices contiguous.
  std::vector<Vector> sorted_args;
  for (int c : arg_columns) {
    Vector v(data.columns[c].type(), std::max<size_t>(n, 1));
    v.gather(data.columns[c], order.data(), n);
    sorted_args.push_back(v);
  }
  while (start < n) {
    size_t end = start + 1;
    while (end < n && same_keys(data, partition_columns_, order[start], order[end])) end++;
    // peers: [peer_start[i], peer_end[i])
    std::vector<size_t> peer_end(end - start), peer_start(end - start);
    for (size_t i = start; i < end;) {
      size_t j = i + 1;
      while (j < end && same_keys(data, order_columns, order[i], order[j])) j++;
      for (size_t k = i; k < j; k++) {
        peer_start[k - start] = i;
        peer_end[k - start] = j;
      }
      i = j;
    }
    size_t size = end - start;
    if (f == "row_number") {
      for (size_t i = start; i < end; i++) out.data<int64_t>()[i] = (int64_t)(i - start + 1);
    } else if (f == "rank") {
      for (size_t i = start; i < end; i++) out.data<int64_t>()[i] = (int64_t)(peer_start[i - start] - start + 1);
    } else if (f == "dense_rank") {
      int64_t rank = 0;
      for (size_t i = start; i < end; i++) {
        if (peer_start[i - start] == i) rank++;
        out.data<int64_t>()[i] = rank;
      }
    } else if (f == "percent_rank") {
      for (size_t i = start; i < end; i++)
        out.data<double>()[i] = size <= 1 ? 0.0 : double(peer_start[i - start] - start) / double(size - 1);
    } else if (f == "cume_dist") {
      for (size_t i = start; i < end; i++) out.data<double>()[i] = double(peer_end[i - start] - start) / double(size);
    } else if (f == "ntile") {
      for (size_t i = start; i < end; i++) {
        if (sorted_args[0].is_null(i)) {
          out.set_null(i);
          continue;
        }
        int64_t buckets = sorted_args[0].data<int64_t>()[i];
        if (buckets <= 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Buckets must be greater than 0");
        int64_t rows = (int64_t)size, position = (int64_t)(i - start);
        int64_t per = rows / buckets, extra = rows % buckets;
        int64_t bucket;
        if (position < extra * (per + 1))
          bucket = position / (per + 1);
        else
          bucket = extra + (position - extra * (per + 1)) / std::max<int64_t>(per, 1);
        out.data<int64_t>()[i] = bucket + 1;
      }
    } else if (f == "lag" || f == "lead") {
      for (size_t i = start; i < end; i++) {
        int64_t offset = 1;
        if (sorted_args.size() >= 2) {
          if (sorted_args[1].is_null(i)) {
            out.set_null(i);
            continue;
          }
          offset = sorted_args[1].data<int64_t>()[i];
          if (offset < 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Offset must be at least 0");
        }
        int64_t target = f == "lag" ? (int64_t)i - offset : (int64_t)i + offset;
        if (target >= (int64_t)start && target < (int64_t)end) {
          append_owned(sorted_args[0], (size_t)target, out, i);
        } else if (sorted_args.size() >= 3) {
          append_owned(sorted_args[2], i, out, i);
        } else {
          out.set_null(i);
        }
      }
    } else {
      // Frame-based functions.
      for (size_t i = start; i < end; i++) {
        int64_t frame_start, frame_end;  // inclusive, absolute
        const auto& frame = call.frame;
        if (frame.range_default) {
          frame_start = (int64_t)start;
          frame_end = (int64_t)peer_end[i - start] - 1;
        } else if (!frame.rows) {
          frame_start = frame.start == INT64_MIN ? (int64_t)start : (int64_t)peer_start[i - start];
          frame_end = frame.end == INT64_MAX ? (int64_t)end - 1 : (int64_t)peer_end[i - start] - 1;
        } else {
          frame_start = frame.start == INT64_MIN ? (int64_t)start
                        : frame.start == INT64_MAX ? (int64_t)end
                                                   : (int64_t)i + frame.start;
          frame_end = frame.end == INT64_MAX ? (int64_t)end - 1
                      : frame.end == INT64_MIN ? (int64_t)start - 1
                                               : (int64_t)i + frame.end;
        }
        frame_start = std::max<int64_t>(frame_start, (int64_t)start);
        frame_end = std::min<int64_t>(frame_end, (int64_t)end - 1);
        if (f == "first_value" || f == "last_value" || f == "nth_value") {
          int64_t target;
          if (f == "first_value") {
            target = frame_start;
          } else if (f == "last_value") {
            target = frame_end;
          } else {
            if (sorted_args[1].is_null(i)) {
              out.set_null(i);
              continue;
            }
            int64_t nth = sorted_args[1].data<int64_t>()[i];
            if (nth <= 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Offset must be at least 1");
            target = frame_start + nth - 1;
          }
          if (call.ignore_nulls && frame_start <= frame_end) {
            if (f == "first_value") {
              while (target <= frame_end && sorted_args[0].is_null(target)) target++;
            } else if (f == "last_value") {
              while (target >= frame_start && sorted_args[0].is_null(target)) target--;
            }
          }
          if (frame_start > frame_end || target < frame_start || target > frame_end)
            out.set_null(i);
          else
            append_owned(sorted_args[0], (size_t)target, out, i);
          continue;
        }
        // Aggregate over the frame.
        const AggregateKernel& kernel = call.aggregate->kernel;
        std::vector<uint8_t> storage(std::max<size_t>(kernel.state_size, 16) + 16);
        void* state = storage.data();
        kernel.init(state);
        if (frame_start <= frame_end) {
          size_t count = (size_t)(frame_end - frame_start + 1);
          std::vector<Vector> args;
          std::vector<uint32_t> sel(count);
          for (size_t k = 0; k < count; k++) sel[k] = (uint32_t)(frame_start + k);
          for (auto& a : sorted_args) {
            Vector v(a.type(), count);
            v.gather(a, sel.data(), count);
            args.push_back(v);
          }
          std::vector<void*> states(count, state);
          kernel.update(states.data(), args, count);
        }
        Vector one(call.type, 1);
        kernel.finalize(&state, 1, one);
        append_owned(one, 0, out, i);
        if (kernel.destroy) kernel.destroy(state);
      }
    }
    start = end;
  }
}

void WindowOperator::finalize(ExecContext& context, int child) {
  uint64_t start = now_nanos();
  std::vector<Type> input_types;
  for (const auto& c : node->children[0]->columns) input_types.push_back(c.type);
  Chunk data = concatenate(collected_, input_types);
  collected_.clear();
  std::vector<SortSpec> keys;
  for (int c : partition_columns_) keys.push_back({c, true, false});
  keys.insert(keys.end(), order_keys_.begin(), order_keys_.end());
  std::vector<uint32_t> order = sort_permutation(data, keys, -1);
  result_ = data.select(order.data(), order.size());
  for (const auto& call : node->window_calls) {
    Vector out(call.type, std::max<size_t>(order.size(), 1));
    compute(call, data, order, out);
    result_.columns.push_back(out);
  }
  // Output layout: node->columns order (child columns then calls, possibly pruned).
  Chunk arranged;
  arranged.size = result_.size;
  std::vector<int> layout;
  for (const auto& c : node->children[0]->columns) layout.push_back(c.symbol);
  for (const auto& call : node->window_calls) layout.push_back(call.output_symbol);
  for (const auto& c : node->columns) {
    auto it = std::find(layout.begin(), layout.end(), c.symbol);
    arranged.columns.push_back(result_.columns[it - layout.begin()]);
  }
  result_ = std::move(arranged);
  add_time(now_nanos() - start);
}

bool WindowOperator::get_data(ExecContext& context, Chunk& out, SourceState* state) {
  if (cursor_ >= result_.size) return false;
  size_t count = std::min(kChunkCapacity, result_.size - cursor_);
  out = result_.slice(cursor_, count);
  cursor_ += count;
  add_output_rows(count);
  return true;
}

}  // namespace tributary::exec
