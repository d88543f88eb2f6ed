// Built-in aggregate functions with Trino's result types and NULL rules:
// count, count_if, sum, avg, min, max, arbitrary/any_value, bool_and/every,
// bool_or, max_by, min_by, approx_distinct, variance/stddev family,
// geometric_mean.
//
// Every aggregate is a small "Op" struct (State + add + merge + write); the
// templates below turn it into an AggregateKernel whose update is one tight
// loop over the chunk. When every row of a chunk targets the same state
// (ungrouped aggregation) the state is moved into a local so the compiler can
// keep it in registers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/decimal.h"
#include "common/error.h"
#include "function/function.h"

namespace tributary {
namespace {

// ---------------------------------------------------------------- helpers

bool all_same(void* const* states, size_t count) {
  void* first = states[0];
  for (size_t i = 1; i < count; i++) {
    if (states[i] != first) return false;
  }
  return true;
}

template <class T>
void put(Vector& out, size_t row, T value) {
  out.data<T>()[row] = value;
  out.nulls()[row] = 0;
}

inline void put(Vector& out, size_t row, std::string_view value) {
  out.data<std::string_view>()[row] = out.add_string(value);
  out.nulls()[row] = 0;
}

// Storage for one value inside a state; strings own a copy of their bytes
// because the input vector's heap dies with the chunk.
template <class T>
struct Slot {
  T value{};
  void set(T v) { value = v; }
  T get() const { return value; }
};

template <>
struct Slot<std::string_view> {
  std::string value;
  void set(std::string_view v) { value.assign(v.data(), v.size()); }
  std::string_view get() const { return value; }
};

// Total order for min/max: NaN is larger than every other double (Trino's order).
template <class T>
inline bool less(const T& a, const T& b) {
  return a < b;
}
template <>
inline bool less<double>(const double& a, const double& b) {
  if (std::isnan(b)) return !std::isnan(a);
  return a < b;
}

// Calls f(T{}) with the C++ value type of a physical type.
template <class F>
auto dispatch_physical(PhysicalType physical, F&& f) {
  switch (physical) {
    case PhysicalType::BOOL: return f(uint8_t{});
    case PhysicalType::I64: return f(int64_t{});
    case PhysicalType::F64: return f(double{});
    case PhysicalType::I128: return f(int128{});
    case PhysicalType::STRING: return f(std::string_view{});
  }
  return f(int64_t{});
}

template <class S>
void init_state(void* p) {
  new (p) S();
}

template <class S>
void set_lifecycle(AggregateKernel& k) {
  static_assert(alignof(S) <= 16, "states are 16-byte aligned");
  k.state_size = sizeof(S);
  k.init = &init_state<S>;
  if constexpr (!std::is_trivially_destructible_v<S>) {
    k.destroy = [](void* p) { static_cast<S*>(p)->~S(); };
  }
}

// Op requirements: using In, State; static void add(State&, In);
// static void merge(State& src, State& dst); static void write(State&, Vector&, size_t row).
template <class Op>
void update_unary(void** states, const Vector& arg, size_t count) {
  using In = typename Op::In;
  using S = typename Op::State;
  if (count == 0) return;
  const In* values = arg.data<In>();
  const bool has_nulls = arg.may_have_nulls();
  const uint8_t* nulls = arg.nulls();
  if (all_same(states, count)) {
    S& target = *static_cast<S*>(states[0]);
    S local = std::move(target);
    if (has_nulls) {
      for (size_t i = 0; i < count; i++) {
        if (!nulls[i]) Op::add(local, values[i]);
      }
    } else {
      for (size_t i = 0; i < count; i++) Op::add(local, values[i]);
    }
    target = std::move(local);
    return;
  }
  if (has_nulls) {
    for (size_t i = 0; i < count; i++) {
      if (!nulls[i]) Op::add(*static_cast<S*>(states[i]), values[i]);
    }
  } else {
    for (size_t i = 0; i < count; i++) Op::add(*static_cast<S*>(states[i]), values[i]);
  }
}

template <class Op>
AggregateKernel unary_kernel() {
  using S = typename Op::State;
  AggregateKernel k;
  set_lifecycle<S>(k);
  k.update = [](void** states, const std::vector<Vector>& args, size_t count) {
    update_unary<Op>(states, args[0], count);
  };
  k.combine = [](void* src, void* dst) { Op::merge(*static_cast<S*>(src), *static_cast<S*>(dst)); };
  k.finalize = [](void** states, size_t count, Vector& out) {
    for (size_t i = 0; i < count; i++) Op::write(*static_cast<S*>(states[i]), out, i);
  };
  return k;
}

// An aggregate over arguments of type UNKNOWN (bare NULLs): always NULL.
AggregateKernel null_kernel() {
  AggregateKernel k;
  k.state_size = 1;
  k.init = [](void*) {};
  k.update = [](void**, const std::vector<Vector>&, size_t) {};
  k.combine = [](void*, void*) {};
  k.finalize = [](void**, size_t count, Vector& out) {
    for (size_t i = 0; i < count; i++) out.set_null(i);
  };
  return k;
}

// ---------------------------------------------------------------- count

struct CountState {
  int64_t count = 0;
};

AggregateKernel count_kernel(bool star) {
  AggregateKernel k;
  set_lifecycle<CountState>(k);
  if (star) {
    k.update = [](void** states, const std::vector<Vector>&, size_t count) {
      if (count == 0) return;
      if (all_same(states, count)) {
        static_cast<CountState*>(states[0])->count += static_cast<int64_t>(count);
        return;
      }
      for (size_t i = 0; i < count; i++) static_cast<CountState*>(states[i])->count++;
    };
  } else {
    k.update = [](void** states, const std::vector<Vector>& args, size_t count) {
      if (count == 0) return;
      const Vector& arg = args[0];
      const uint8_t* nulls = arg.nulls();
      if (all_same(states, count)) {
        int64_t n = static_cast<int64_t>(count);
        if (arg.may_have_nulls()) {
          for (size_t i = 0; i < count; i++) n -= nulls[i] != 0;
        }
        static_cast<CountState*>(states[0])->count += n;
        return;
      }
      if (arg.may_have_nulls()) {
        for (size_t i = 0; i < count; i++) static_cast<CountState*>(states[i])->count += nulls[i] == 0;
      } else {
        for (size_t i = 0; i < count; i++) static_cast<CountState*>(states[i])->count++;
      }
    };
  }
  k.combine = [](void* src, void* dst) {
    static_cast<CountState*>(dst)->count += static_cast<CountState*>(src)->count;
  };
  k.finalize = [](void** states, size_t count, Vector& out) {
    for (size_t i = 0; i < count; i++) put<int64_t>(out, i, static_cast<CountState*>(states[i])->count);
  };
  return k;
}

struct CountIfOp {
  using In = uint8_t;
  using State = CountState;
  static void add(State& s, uint8_t v) { s.count += v != 0; }
  static void merge(State& src, State& dst) { dst.count += src.count; }
  static void write(State& s, Vector& out, size_t row) { put<int64_t>(out, row, s.count); }
};

// ---------------------------------------------------------------- sum

[[noreturn]] void throw_addition_overflow(const char* what, int64_t a, int64_t b) {
  throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE,
              std::string(what) + " addition overflow: " + std::to_string(a) + " + " + std::to_string(b));
}

struct LongSumState {
  int64_t sum = 0;
  bool has = false;
};

// Integer and interval sums: exact, overflow is an error. Name picks the message.
template <bool Interval>
struct LongSumOp {
  using In = int64_t;
  using State = LongSumState;
  static void add(State& s, int64_t v) {
    int64_t r;
    if (__builtin_add_overflow(s.sum, v, &r)) throw_addition_overflow(Interval ? "interval" : "bigint", s.sum, v);
    s.sum = r;
    s.has = true;
  }
  static void merge(State& src, State& dst) {
    if (!src.has) return;
    add(dst, src.sum);
  }
  static void write(State& s, Vector& out, size_t row) {
    if (s.has)
      put<int64_t>(out, row, s.sum);
    else
      out.set_null(row);
  }
};

struct DoubleSumState {
  double sum = 0;
  bool has = false;
};

// REAL sums accumulate in double and round to float precision at the end (as Trino).
template <bool Real>
struct DoubleSumOp {
  using In = double;
  using State = DoubleSumState;
  static void add(State& s, double v) {
    s.sum += v;
    s.has = true;
  }
  static void merge(State& src, State& dst) {
    if (!src.has) return;
    add(dst, src.sum);
  }
  static void write(State& s, Vector& out, size_t row) {
    if (!s.has) {
      out.set_null(row);
      return;
    }
    put<double>(out, row, Real ? static_cast<double>(static_cast<float>(s.sum)) : s.sum);
  }
};

// Decimal sums: 128-bit sum plus a count of 2^128 wrap-arounds, so a sum that
// overflows temporarily and comes back is still exact; checked at the end.
struct DecimalSumState {
  int128 sum = 0;
  int64_t wraps = 0;
  bool has = false;
};

inline void add_decimal(DecimalSumState& s, int128 v) {
  int128 r;
  if (__builtin_add_overflow(s.sum, v, &r)) s.wraps += v < 0 ? -1 : 1;
  s.sum = r;
}

inline void merge_decimal(DecimalSumState& src, DecimalSumState& dst) {
  add_decimal(dst, src.sum);
  dst.wraps += src.wraps;
  dst.has |= src.has;
}

inline int128 checked_decimal(const DecimalSumState& s) {
  if (s.wraps != 0 || !decimal::fits(s.sum, 38)) {
    throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Decimal overflow");
  }
  return s.sum;
}

struct DecimalSumOp {
  using In = int128;
  using State = DecimalSumState;
  static void add(State& s, int128 v) {
    add_decimal(s, v);
    s.has = true;
  }
  static void merge(State& src, State& dst) { merge_decimal(src, dst); }
  static void write(State& s, Vector& out, size_t row) {
    if (s.has)
      put<int128>(out, row, checked_decimal(s));
    else
      out.set_null(row);
  }
};

// ---------------------------------------------------------------- avg

struct DoubleAvgState {
  double sum = 0;
  int64_t count = 0;
};

// avg(integer) and avg(double) -> double; avg(real) -> real. Integers arrive as int64.
template <class In_, bool Real>
struct DoubleAvgOp {
  using In = In_;
  using State = DoubleAvgState;
  static void add(State& s, In v) {
    s.sum += static_cast<double>(v);
    s.count++;
  }
  static void merge(State& src, State& dst) {
    dst.sum += src.sum;
    dst.count += src.count;
  }
  static void write(State& s, Vector& out, size_t row) {
    if (s.count == 0) {
      out.set_null(row);
      return;
    }
    double avg = s.sum / static_cast<double>(s.count);
    put<double>(out, row, Real ? static_cast<double>(static_cast<float>(avg)) : avg);
  }
};

struct DecimalAvgState {
  DecimalSumState sum;
  int64_t count = 0;
};

// avg(decimal(p,s)) -> decimal(p,s); also avg(interval) -> interval (int64 input),
// both rounding half away from zero.
template <class In_>
struct ExactAvgOp {
  using In = In_;
  using State = DecimalAvgState;
  static void add(State& s, In v) {
    add_decimal(s.sum, static_cast<int128>(v));
    s.count++;
  }
  static void merge(State& src, State& dst) {
    merge_decimal(src.sum, dst.sum);
    dst.count += src.count;
  }
  static void write(State& s, Vector& out, size_t row) {
    if (s.count == 0) {
      out.set_null(row);
      return;
    }
    if (s.sum.wraps != 0) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Decimal overflow");
    int128 avg = decimal::divide_round(s.sum.sum, s.count);
    if constexpr (std::is_same_v<In, int128>) {
      put<int128>(out, row, avg);
    } else {
      put<int64_t>(out, row, static_cast<int64_t>(avg));
    }
  }
};

// ---------------------------------------------------------------- min / max / arbitrary

template <class T>
struct ValueState {
  Slot<T> slot;
  bool has = false;
};

template <class T>
void write_slot(const ValueState<T>& s, Vector& out, size_t row) {
  if (s.has)
    put(out, row, s.slot.get());
  else
    out.set_null(row);
}

template <class T, bool Max>
struct MinMaxOp {
  using In = T;
  using State = ValueState<T>;
  static void add(State& s, T v) {
    if (!s.has) {
      s.slot.set(v);
      s.has = true;
    } else if (Max ? less(s.slot.get(), v) : less(v, s.slot.get())) {
      s.slot.set(v);
    }
  }
  static void merge(State& src, State& dst) {
    if (src.has) add(dst, src.slot.get());
  }
  static void write(State& s, Vector& out, size_t row) { write_slot(s, out, row); }
};

template <class T>
struct ArbitraryOp {
  using In = T;
  using State = ValueState<T>;
  static void add(State& s, T v) {
    if (s.has) return;
    s.slot.set(v);
    s.has = true;
  }
  static void merge(State& src, State& dst) {
    if (src.has && !dst.has) add(dst, src.slot.get());
  }
  static void write(State& s, Vector& out, size_t row) { write_slot(s, out, row); }
};

struct BoolState {
  uint8_t value = 0;
  bool has = false;
};

template <bool And>
struct BoolOp {
  using In = uint8_t;
  using State = BoolState;
  static void add(State& s, uint8_t v) {
    s.value = s.has ? (And ? (s.value & (v != 0)) : (s.value | (v != 0))) : (v != 0);
    s.has = true;
  }
  static void merge(State& src, State& dst) {
    if (src.has) add(dst, src.value);
  }
  static void write(State& s, Vector& out, size_t row) {
    if (s.has)
      put<uint8_t>(out, row, s.value);
    else
      out.set_null(row);
  }
};

// ---------------------------------------------------------------- max_by / min_by

// max_by(x, y): the x of the row with the largest y. Rows with NULL y are
// ignored; a NULL x is a legitimate answer. Ties keep the first row seen.
template <class X, class Y, bool Max>
struct ByState {
  Slot<Y> key;
  Slot<X> value;
  bool has = false;
  bool value_null = false;
};

template <class X, class Y, bool Max>
AggregateKernel by_kernel() {
  using S = ByState<X, Y, Max>;
  AggregateKernel k;
  set_lifecycle<S>(k);
  k.update = [](void** states, const std::vector<Vector>& args, size_t count) {
    const X* xs = args[0].data<X>();
    const Y* ys = args[1].data<Y>();
    const uint8_t* xn = args[0].may_have_nulls() ? args[0].nulls() : nullptr;
    const uint8_t* yn = args[1].may_have_nulls() ? args[1].nulls() : nullptr;
    for (size_t i = 0; i < count; i++) {
      if (yn && yn[i]) continue;
      S& s = *static_cast<S*>(states[i]);
      const Y& y = ys[i];
      if (s.has && !(Max ? less(s.key.get(), y) : less(y, s.key.get()))) continue;
      s.has = true;
      s.key.set(y);
      if (xn && xn[i]) {
        s.value_null = true;
      } else {
        s.value_null = false;
        s.value.set(xs[i]);
      }
    }
  };
  k.combine = [](void* src_ptr, void* dst_ptr) {
    S& src = *static_cast<S*>(src_ptr);
    S& dst = *static_cast<S*>(dst_ptr);
    if (!src.has) return;
    if (dst.has && !(Max ? less(dst.key.get(), src.key.get()) : less(src.key.get(), dst.key.get()))) return;
    dst = std::move(src);
  };
  k.finalize = [](void** states, size_t count, Vector& out) {
    for (size_t i = 0; i < count; i++) {
      S& s = *static_cast<S*>(states[i]);
      if (!s.has || s.value_null)
        out.set_null(i);
      else
        put(out, i, s.value.get());
    }
  };
  return k;
}

template <bool Max>
AggregateKernel make_by_kernel(PhysicalType x, PhysicalType y) {
  return dispatch_physical(x, [&](auto x_tag) {
    return dispatch_physical(y, [&](auto y_tag) { return by_kernel<decltype(x_tag), decltype(y_tag), Max>(); });
  });
}

// ---------------------------------------------------------------- variance family

// Welford's running mean and sum of squared deviations; merged with Chan's formula.
struct MomentsState {
  int64_t count = 0;
  double mean = 0;
  double m2 = 0;
};

enum class Moment { VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP };

template <Moment Kind>
struct MomentsOp {
  using In = double;
  using State = MomentsState;
  static void add(State& s, double v) {
    s.count++;
    double delta = v - s.mean;
    s.mean += delta / static_cast<double>(s.count);
    s.m2 += delta * (v - s.mean);
  }
  static void merge(State& src, State& dst) {
    if (src.count == 0) return;
    if (dst.count == 0) {
      dst = src;
      return;
    }
    double n1 = static_cast<double>(dst.count);
    double n2 = static_cast<double>(src.count);
    double n = n1 + n2;
    double delta = src.mean - dst.mean;
    dst.mean += delta * n2 / n;
    dst.m2 += src.m2 + delta * delta * n1 * n2 / n;
    dst.count += src.count;
  }
  static void write(State& s, Vector& out, size_t row) {
    constexpr bool sample = Kind == Moment::VAR_SAMP || Kind == Moment::STDDEV_SAMP;
    if (s.count == 0 || (sample && s.count == 1)) {
      out.set_null(row);
      return;
    }
    double variance = s.m2 / static_cast<double>(sample ? s.count - 1 : s.count);
    if (variance < 0) variance = 0;  // rounding can make m2 a hair below zero
    bool root = Kind == Moment::STDDEV_SAMP || Kind == Moment::STDDEV_POP;
    put<double>(out, row, root ? std::sqrt(variance) : variance);
  }
};

struct GeometricMeanOp {
  using In = double;
  using State = DoubleAvgState;  // sum of logarithms
  static void add(State& s, double v) {
    s.sum += std::log(v);
    s.count++;
  }
  static void merge(State& src, State& dst) {
    dst.sum += src.sum;
    dst.count += src.count;
  }
  static void write(State& s, Vector& out, size_t row) {
    if (s.count == 0)
      out.set_null(row);
    else
      put<double>(out, row, std::exp(s.sum / static_cast<double>(s.count)));
  }
};

// ---------------------------------------------------------------- approx_distinct

// 64-bit hashing: murmur3's finalizer for fixed-width values, an 8-bytes-at-a-time
// multiply-rotate loop for strings. Deterministic (no per-process seed).
inline uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t hash_bytes(const char* data, size_t size) {
  uint64_t h = kGolden ^ (size * 0x87c37b91114253d5ULL);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    h ^= rotl64(word * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
    h = rotl64(h, 27) * 5 + 0x52dce729;
  }
  uint64_t tail = 0;
  size_t rest = size - i;
  if (rest > 0) {
    std::memcpy(&tail, data + i, rest);
    h ^= rotl64(tail * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
  }
  return mix64(h ^ size);
}

inline uint64_t hash_value(int64_t v) { return mix64(static_cast<uint64_t>(v) + kGolden); }
inline uint64_t hash_value(uint8_t v) { return hash_value(static_cast<int64_t>(v != 0)); }
inline uint64_t hash_value(double v) {
  if (v == 0) v = 0;  // -0.0 and 0.0 are the same value
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  return mix64(bits + kGolden);
}
inline uint64_t hash_value(int128 v) {
  auto u = static_cast<unsigned __int128>(v);
  return mix64(static_cast<uint64_t>(u) ^ mix64(static_cast<uint64_t>(u >> 64) + kGolden));
}
inline uint64_t hash_value(std::string_view v) { return hash_bytes(v.data(), v.size()); }

// HyperLogLog with 2^11 registers (standard error 1.04/sqrt(2048) = 2.3%, Trino's
// default). Small sets are kept exactly as a sorted list of hashes and only turn
// into registers past kExactLimit; the register estimate uses Ertl's improved
// estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
// 2017), which needs no bias tables across the whole range.
constexpr int kIndexBits = 11;
constexpr size_t kRegisters = size_t{1} << kIndexBits;
constexpr int kRankBits = 64 - kIndexBits;
constexpr size_t kExactLimit = 256;

struct HllState {
  std::vector<uint64_t> exact;             // sorted distinct hashes while registers == null
  std::unique_ptr<uint8_t[]> registers;  // kRegisters ranks once dense

  void add_dense(uint64_t h) {
    size_t index = h >> kRankBits;
    uint64_t rest = h << kIndexBits;
    uint8_t rank = rest == 0 ? kRankBits + 1 : static_cast<uint8_t>(__builtin_clzll(rest) + 1);
    if (rank > kRankBits + 1) rank = kRankBits + 1;
    if (rank > registers[index]) registers[index] = rank;
  }
  void make_dense() {
    registers.reset(new uint8_t[kRegisters]());
    for (uint64_t h : exact) add_dense(h);
    exact.clear();
    exact.shrink_to_fit();
  }
  void add_hash(uint64_t h) {
    if (registers) {
      add_dense(h);
      return;
    }
    auto it = std::lower_bound(exact.begin(), exact.end(), h);
    if (it != exact.end() && *it == h) return;
    exact.insert(it, h);
    if (exact.size() > kExactLimit) make_dense();
  }
  void merge_from(HllState& src) {
    if (!src.registers) {
      for (uint64_t h : src.exact) add_hash(h);
      return;
    }
    if (!registers) make_dense();
    for (size_t i = 0; i < kRegisters; i++) registers[i] = std::max(registers[i], src.registers[i]);
  }
  int64_t estimate() const {
    if (!registers) return static_cast<int64_t>(exact.size());
    const double m = static_cast<double>(kRegisters);
    int histogram[kRankBits + 2] = {};
    for (size_t i = 0; i < kRegisters; i++) histogram[registers[i]]++;
    double z = m * tau(1.0 - histogram[kRankBits + 1] / m);
    for (int k = kRankBits; k >= 1; k--) z = 0.5 * (z + histogram[k]);
    z += m * sigma(histogram[0] / m);
    const double alpha = 0.5 / std::log(2.0);
    return static_cast<int64_t>(std::llround(alpha * m * m / z));
  }
  static double sigma(double x) {
    if (x == 1.0) return std::numeric_limits<double>::infinity();
    double y = 1, z = x, previous;
    do {
      x *= x;
      previous = z;
      z += x * y;
      y += y;
    } while (z != previous);
    return z;
  }
  static double tau(double x) {
    if (x == 0.0 || x == 1.0) return 0.0;
    double y = 1.0, z = 1.0 - x, previous;
    do {
      x = std::sqrt(x);
      previous = z;
      y *= 0.5;
      z -= (1 - x) * (1 - x) * y;
    } while (z != previous);
    return z / 3;
  }
};

template <class T>
struct ApproxDistinctOp {
  using In = T;
  using State = HllState;
  static void add(State& s, T v) { s.add_hash(hash_value(v)); }
  static void merge(State& src, State& dst) { dst.merge_from(src); }
  static void write(State& s, Vector& out, size_t row) { put<int64_t>(out, row, s.estimate()); }
};

// ---------------------------------------------------------------- binders

void bind_to(BoundAggregate* out, const std::string& name, std::vector<Type> args, Type result,
             AggregateKernel kernel) {
  out->name = name;
  out->arg_types = std::move(args);
  out->return_type = result;
  out->kernel = std::move(kernel);
}

void register_count(FunctionRegistry& r) {
  r.add_aggregate("count", [](const std::vector<Type>& args, BoundAggregate* out) {
    if (args.size() > 1) return false;
    bind_to(out, "count", args, Type::bigint(), count_kernel(args.empty()));
    return true;
  });
  r.add_aggregate("count_if", [](const std::vector<Type>& args, BoundAggregate* out) {
    if (args.size() != 1 || (args[0].id != TypeId::BOOLEAN && args[0].id != TypeId::UNKNOWN)) return false;
    bind_to(out, "count_if", {Type::boolean()}, Type::bigint(), unary_kernel<CountIfOp>());
    return true;
  });
  r.add_signature_doc("count", "count()");
  r.add_signature_doc("count", "count(T)");
  r.add_signature_doc("count_if", "count_if(boolean)");
}

void register_sum_avg(FunctionRegistry& r) {
  r.add_aggregate("sum", [](const std::vector<Type>& args, BoundAggregate* out) {
    if (args.size() != 1) return false;
    Type t = args[0].id == TypeId::UNKNOWN ? Type::bigint() : args[0];
    if (t.is_integer()) {
      bind_to(out, "sum", {t}, Type::bigint(), unary_kernel<LongSumOp<false>>());
    } else if (t.is_interval()) {
      bind_to(out, "sum", {t}, t, unary_kernel<LongSumOp<true>>());
    } else if (t.id == TypeId::REAL) {
      bind_to(out, "sum", {t}, t, unary_kernel<DoubleSumOp<true>>());
    } else if (t.id == TypeId::DOUBLE) {
      bind_to(out, "sum", {t}, t, unary_kernel<DoubleSumOp<false>>());
    } else if (t.id == TypeId::DECIMAL) {
      bind_to(out, "sum", {t}, Type::decimal(38, t.scale), unary_kernel<DecimalSumOp>());
    } else {
      return false;
    }
    return true;
  });
  r.add_aggregate("avg", [](const std::vector<Type>& args, BoundAggregate* out) {
    if (args.size() != 1) return false;
    Type t = args[0].id == TypeId::UNKNOWN ? Type::double_() : args[0];
    if (t.is_integer()) {
      bind_to(out, "avg", {t}, Type::double_(), unary_kernel<DoubleAvgOp<int64_t, false>>());
    } else if (t.id == TypeId::REAL) {
      bind_to(out, "avg", {t}, t, unary_kernel<DoubleAvgOp<double, true>>());
    } else if (t.id == TypeId::DOUBLE) {
      bind_to(out, "avg", {t}, t, unary_kernel<DoubleAvgOp<double, false>>());
    } else if (t.id == TypeId::DECIMAL) {
      bind_to(out, "avg", {t}, t, unary_kernel<ExactAvgOp<int128>>());
    } else if (t.is_interval()) {
      bind_to(out, "avg", {t}, t, unary_kernel<ExactAvgOp<int64_t>>());
    } else {
      return false;
    }
    return true;
  });
  for (const char* name : {"sum", "avg"}) {
    for (const char* arg : {"bigint", "double", "real", "decimal(p,s)", "interval"}) {
      r.add_signature_doc(name, std::string(name) + "(" + arg + ")");
    }
  }
}

template <template <class> class OpOf>
AggregateKernel kernel_for_physical(PhysicalType p) {
  return dispatch_physical(p, [](auto tag) { return unary_kernel<OpOf<decltype(tag)>>(); });
}

template <class T>
using MinOp = MinMaxOp<T, false>;
template <class T>
using MaxOp = MinMaxOp<T, true>;

void register_value_aggregates(FunctionRegistry& r) {
  auto add_value_aggregate = [&r](const std::string& name, AggregateKernel (*make)(PhysicalType)) {
    r.add_aggregate(name, [name, make](const std::vector<Type>& args, BoundAggregate* out) {
      if (args.size() != 1) return false;
      const Type& t = args[0];
      bind_to(out, name, {t}, t, t.id == TypeId::UNKNOWN ? null_kernel() : make(t.physical()));
      return true;
    });
    r.add_signature_doc(name, name + "(T)");
  };
  add_value_aggregate("min", &kernel_for_physical<MinOp>);
  add_value_aggregate("max", &kernel_for_physical<MaxOp>);
  add_value_aggregate("arbitrary", &kernel_for_physical<ArbitraryOp>);
  add_value_aggregate("any_value", &kernel_for_physical<ArbitraryOp>);

  for (const char* name : {"bool_and", "every", "bool_or"}) {
    bool is_and = std::string(name) != "bool_or";
    r.add_aggregate(name, [name = std::string(name), is_and](const std::vector<Type>& args, BoundAggregate* out) {
      if (args.size() != 1 || (args[0].id != TypeId::BOOLEAN && args[0].id != TypeId::UNKNOWN)) return false;
      bind_to(out, name, {Type::boolean()}, Type::boolean(),
              is_and ? unary_kernel<BoolOp<true>>() : unary_kernel<BoolOp<false>>());
      return true;
    });
    r.add_signature_doc(name, std::string(name) + "(boolean)");
  }

  for (const char* name : {"max_by", "min_by"}) {
    bool is_max = std::string(name) == "max_by";
    r.add_aggregate(name, [name = std::string(name), is_max](const std::vector<Type>& args, BoundAggregate* out) {
      if (args.size() != 2) return false;
      const Type& x = args[0];
      const Type& y = args[1];
      AggregateKernel kernel;
      if (x.id == TypeId::UNKNOWN || y.id == TypeId::UNKNOWN)
        kernel = null_kernel();
      else
        kernel = is_max ? make_by_kernel<true>(x.physical(), y.physical())
                        : make_by_kernel<false>(x.physical(), y.physical());
      bind_to(out, name, {x, y}, x, std::move(kernel));
      return true;
    });
    r.add_signature_doc(name, std::string(name) + "(V, K)");
  }
}

void register_statistics(FunctionRegistry& r) {
  struct Entry {
    const char* name;
    AggregateKernel (*make)();
  };
  static const Entry entries[] = {
      {"variance", &unary_kernel<MomentsOp<Moment::VAR_SAMP>>},
      {"var_samp", &unary_kernel<MomentsOp<Moment::VAR_SAMP>>},
      {"var_pop", &unary_kernel<MomentsOp<Moment::VAR_POP>>},
      {"stddev", &unary_kernel<MomentsOp<Moment::STDDEV_SAMP>>},
      {"stddev_samp", &unary_kernel<MomentsOp<Moment::STDDEV_SAMP>>},
      {"stddev_pop", &unary_kernel<MomentsOp<Moment::STDDEV_POP>>},
      {"geometric_mean", &unary_kernel<GeometricMeanOp>},
  };
  for (const Entry& entry : entries) {
    std::string name = entry.name;
    auto make = entry.make;
    // Arguments are coerced to double by the caller (arg_types).
    r.add_aggregate(name, [name, make](const std::vector<Type>& args, BoundAggregate* out) {
      if (args.size() != 1 || !(args[0].is_numeric() || args[0].id == TypeId::UNKNOWN)) return false;
      bind_to(out, name, {Type::double_()}, Type::double_(), make());
      return true;
    });
    r.add_signature_doc(name, name + "(double)");
  }

  r.add_aggregate("approx_distinct", [](const std::vector<Type>& args, BoundAggregate* out) {
    if (args.empty() || args.size() > 2) return false;
    std::vector<Type> arg_types = {args[0]};
    // The optional maximum standard error is accepted; 2.3% (Trino's default) is always used.
    if (args.size() == 2) {
      if (!args[1].is_numeric() && args[1].id != TypeId::UNKNOWN) return false;
      arg_types.push_back(Type::double_());
    }
    AggregateKernel kernel = args[0].id == TypeId::UNKNOWN ? count_kernel(false)  // all NULL: 0
                                                           : kernel_for_physical<ApproxDistinctOp>(args[0].physical());
    bind_to(out, "approx_distinct", arg_types, Type::bigint(), std::move(kernel));
    return true;
  });
  r.add_signature_doc("approx_distinct", "approx_distinct(T)");
  r.add_signature_doc("approx_distinct", "approx_distinct(T, double)");
}

}  // namespace

void register_aggregate_functions(FunctionRegistry& registry) {
  register_count(registry);
  register_sum_avg(registry);
  register_value_aggregates(registry);
  register_statistics(registry);
}

}  // namespace tributary
