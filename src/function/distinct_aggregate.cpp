// Tuples are serialized into one std::string per row: fixed-width values as
// their bytes, strings length-prefixed (raw when they are the only argument),
// and with several arguments a leading NULL flag per argument. The set owns
// those strings; finalize decodes them back into small vectors.
#include "function/distinct_aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/error.h"

namespace tributary {
namespace {

using TupleSet = std::unordered_set<std::string>;

template <class T>
void append_raw(std::string& buffer, const T& value) {
  buffer.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <class T>
T read_raw(const char*& cursor) {
  T value;
  std::memcpy(&value, cursor, sizeof(T));
  cursor += sizeof(T);
  return value;
}

// Appends row `row` of `arg` (known not NULL). `last` strings need no length prefix.
void append_value(std::string& buffer, const Vector& arg, size_t row, bool last) {
  switch (arg.type().physical()) {
    case PhysicalType::BOOL: buffer.push_back(static_cast<char>(arg.data<uint8_t>()[row] != 0)); break;
    case PhysicalType::I64: append_raw(buffer, arg.data<int64_t>()[row]); break;
    case PhysicalType::F64: {
      double v = arg.data<double>()[row];
      if (v == 0) v = 0;  // -0.0 is 0.0
      if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
      append_raw(buffer, v);
      break;
    }
    case PhysicalType::I128: append_raw(buffer, arg.data<int128>()[row]); break;
    case PhysicalType::STRING: {
      std::string_view s = arg.data<std::string_view>()[row];
      if (!last) append_raw(buffer, static_cast<uint32_t>(s.size()));
      buffer.append(s.data(), s.size());
      break;
    }
  }
}

// Decodes one value written by append_value into row `row` of `out`.
void decode_value(const char*& cursor, const char* end, Vector& out, size_t row, bool last) {
  out.nulls()[row] = 0;
  switch (out.type().physical()) {
    case PhysicalType::BOOL: out.data<uint8_t>()[row] = static_cast<uint8_t>(*cursor++); break;
    case PhysicalType::I64: out.data<int64_t>()[row] = read_raw<int64_t>(cursor); break;
    case PhysicalType::F64: out.data<double>()[row] = read_raw<double>(cursor); break;
    case PhysicalType::I128: out.data<int128>()[row] = read_raw<int128>(cursor); break;
    case PhysicalType::STRING: {
      size_t size = last ? static_cast<size_t>(end - cursor) : read_raw<uint32_t>(cursor);
      out.data<std::string_view>()[row] = out.add_string(std::string_view(cursor, size));
      cursor += size;
      break;
    }
  }
}

struct DistinctShared {
  AggregateKernel inner;
  std::vector<Type> arg_types;
};

// Owns `count` inner states in one 16-byte aligned block and destroys the
// initialized ones on every exit path.
class InnerStates {
 public:
  InnerStates(const AggregateKernel& kernel, size_t count) : kernel_(kernel), pointers_(count) {
    stride_ = std::max<size_t>(16, (kernel.state_size + 15) / 16 * 16);
    block_ = static_cast<std::byte*>(::operator new(stride_ * std::max<size_t>(count, 1), std::align_val_t(16)));
    for (size_t i = 0; i < count; i++) {
      pointers_[i] = block_ + i * stride_;
      kernel_.init(pointers_[i]);
      initialized_++;
    }
  }
  ~InnerStates() {
    if (kernel_.destroy) {
      for (size_t i = 0; i < initialized_; i++) kernel_.destroy(pointers_[i]);
    }
    ::operator delete(block_, std::align_val_t(16));
  }
  InnerStates(const InnerStates&) = delete;
  InnerStates& operator=(const InnerStates&) = delete;
  void** data() { return pointers_.data(); }
  void* operator[](size_t i) { return pointers_[i]; }

 private:
  const AggregateKernel& kernel_;
  std::vector<void*> pointers_;
  std::byte* block_ = nullptr;
  size_t stride_ = 0;
  size_t initialized_ = 0;
};

// Replays every tuple of `set` into `inner_state`, in batches of up to one chunk.
void replay(const DistinctShared& shared, const TupleSet& set, void* inner_state) {
  if (set.empty()) return;
  const size_t arg_count = shared.arg_types.size();
  const bool multi = arg_count > 1;
  const size_t capacity = std::min(set.size(), kChunkCapacity);
  std::vector<void*> targets(capacity, inner_state);
  auto it = set.begin();
  while (it != set.end()) {
    std::vector<Vector> columns;
    columns.reserve(arg_count);
    for (const Type& t : shared.arg_types) columns.emplace_back(t, capacity);
    size_t rows = 0;
    for (; rows < capacity && it != set.end(); ++it, ++rows) {
      const char* cursor = it->data();
      const char* end = cursor + it->size();
      for (size_t j = 0; j < arg_count; j++) {
        bool last = j + 1 == arg_count;
        if (multi && *cursor++ != 0) {
          columns[j].set_null(rows);
          continue;
        }
        decode_value(cursor, end, columns[j], rows, last);
      }
    }
    shared.inner.update(targets.data(), columns, rows);
  }
}

}  // namespace

AggregateKernel make_distinct_kernel(const BoundAggregate& inner) {
  auto shared = std::make_shared<DistinctShared>(DistinctShared{inner.kernel, inner.arg_types});
  AggregateKernel k;
  static_assert(alignof(TupleSet) <= 16);
  k.state_size = sizeof(TupleSet);
  // Approximate heap cost of one set entry beyond its bytes (node, hash, string header).
  static constexpr size_t kSetEntryOverhead = 64;
  k.init = [](void* state) { new (state) TupleSet(); };
  k.destroy = [](void* state) { static_cast<TupleSet*>(state)->~TupleSet(); };
  k.update = [shared](void** states, const std::vector<Vector>& args, size_t count) {
    const size_t arg_count = args.size();
    std::string buffer;
    if (arg_count == 1) {
      const Vector& arg = args[0];
      const uint8_t* nulls = arg.may_have_nulls() ? arg.nulls() : nullptr;
      for (size_t i = 0; i < count; i++) {
        if (nulls && nulls[i]) continue;
        buffer.clear();
        append_value(buffer, arg, i, true);
        if (static_cast<TupleSet*>(states[i])->insert(buffer).second)
          aggregate_state_bytes_added += (int64_t)(buffer.size() + kSetEntryOverhead);
      }
      return;
    }
    for (size_t i = 0; i < count; i++) {
      buffer.clear();
      for (size_t j = 0; j < arg_count; j++) {
        bool null = args[j].may_have_nulls() && args[j].is_null(i);
        buffer.push_back(static_cast<char>(null));
        if (!null) append_value(buffer, args[j], i, j + 1 == arg_count);
      }
      if (static_cast<TupleSet*>(states[i])->insert(buffer).second)
        aggregate_state_bytes_added += (int64_t)(buffer.size() + kSetEntryOverhead);
    }
  };
  k.combine = [](void* src, void* dst) { static_cast<TupleSet*>(dst)->merge(*static_cast<TupleSet*>(src)); };
  k.finalize = [shared](void** states, size_t count, Vector& out) {
    InnerStates inner_states(shared->inner, count);
    for (size_t i = 0; i < count; i++) replay(*shared, *static_cast<TupleSet*>(states[i]), inner_states[i]);
    shared->inner.finalize(inner_states.data(), count, out);
  };
  return k;
}

}  // namespace tributary
