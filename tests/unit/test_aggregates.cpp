// Aggregate functions through the registry: result types, NULL rules,
// decimal exactness, grouped updates, combine of partial states, the DISTINCT
// wrapper and approx_distinct accuracy.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "function/distinct_aggregate.h"
#include "function/function.h"

using namespace tributary;

namespace {

const FunctionRegistry& registry() {
  static const FunctionRegistry* r = [] {
    auto* reg = new FunctionRegistry();
    register_aggregate_functions(*reg);
    return reg;
  }();
  return *r;
}

BoundAggregate bind(const std::string& name, const std::vector<Type>& args) {
  return registry().bind_aggregate(name, args);
}

// `count` aggregate states of one kernel, aligned, destroyed at scope exit.
class States {
 public:
  States(const AggregateKernel& kernel, size_t count) : kernel_(kernel), pointers_(count) {
    stride_ = std::max<size_t>(16, (kernel.state_size + 15) / 16 * 16);
    block_ = static_cast<std::byte*>(::operator new(stride_ * count, std::align_val_t(16)));
    for (size_t i = 0; i < count; i++) {
      pointers_[i] = block_ + i * stride_;
      kernel_.init(pointers_[i]);
    }
  }
  ~States() {
    for (void* p : pointers_) {
      if (kernel_.destroy) kernel_.destroy(p);
    }
    ::operator delete(block_, std::align_val_t(16));
  }
  void* operator[](size_t i) const { return pointers_[i]; }
  void** data() { return pointers_.data(); }
  size_t size() const { return pointers_.size(); }

 private:
  AggregateKernel kernel_;
  std::vector<void*> pointers_;
  std::byte* block_;
  size_t stride_;
};

// Updates one state per row through `rows_to_state` (all rows to state 0 when empty).
void update(const BoundAggregate& agg, States& states, const std::vector<Vector>& args, size_t rows,
            const std::vector<size_t>& rows_to_state = {}) {
  std::vector<void*> targets(rows);
  for (size_t i = 0; i < rows; i++) targets[i] = states[rows_to_state.empty() ? 0 : rows_to_state[i]];
  agg.kernel.update(targets.data(), args, rows);
}

std::vector<Value> finalize(const BoundAggregate& agg, States& states) {
  Vector out(agg.return_type, std::max<size_t>(states.size(), 1));
  agg.kernel.finalize(states.data(), states.size(), out);
  std::vector<Value> values;
  for (size_t i = 0; i < states.size(); i++) values.push_back(out.get_value(i));
  return values;
}

Vector column(Type type, const std::vector<Value>& values) {
  Vector v(type, std::max<size_t>(values.size(), 1));
  for (size_t i = 0; i < values.size(); i++) {
    Value value = values[i];
    value.type = type;
    v.set_value(i, value);
  }
  return v;
}

Vector ints(const std::vector<std::optional<int64_t>>& values, Type type = Type::bigint()) {
  std::vector<Value> out;
  for (auto& v : values) out.push_back(v ? Value::integer(*v, type) : Value::null(type));
  return column(type, out);
}

Vector doubles(const std::vector<std::optional<double>>& values, Type type = Type::double_()) {
  std::vector<Value> out;
  for (auto& v : values) out.push_back(v ? Value::floating(*v, type) : Value::null(type));
  return column(type, out);
}

Vector decimals(const std::vector<std::optional<int64_t>>& unscaled, Type type) {
  std::vector<Value> out;
  for (auto& v : unscaled) out.push_back(v ? Value::decimal(*v, type) : Value::null(type));
  return column(type, out);
}

Vector strings(const std::vector<std::optional<std::string>>& values) {
  std::vector<Value> out;
  for (auto& v : values) out.push_back(v ? Value::string(*v) : Value::null(Type::varchar()));
  return column(Type::varchar(), out);
}

Vector bools(const std::vector<std::optional<bool>>& values) {
  std::vector<Value> out;
  for (auto& v : values) out.push_back(v ? Value::boolean(*v) : Value::null(Type::boolean()));
  return column(Type::boolean(), out);
}

// One ungrouped aggregation over a single batch.
Value run(const BoundAggregate& agg, const std::vector<Vector>& args, size_t rows) {
  States states(agg.kernel, 1);
  update(agg, states, args, rows);
  return finalize(agg, states)[0];
}

Value run1(const std::string& name, const Vector& arg, size_t rows) {
  return run(bind(name, {arg.type()}), {arg}, rows);
}

}  // namespace

TEST(Aggregates, CountStarAndCountValue) {
  auto star = bind("count", {});
  EXPECT_EQ(star.return_type, Type::bigint());
  Value v = run(star, {}, 5);
  EXPECT_EQ(v.i, 5);

  Vector x = ints({1, std::nullopt, 3, std::nullopt});
  EXPECT_EQ(run1("count", x, 4).i, 2);
  EXPECT_EQ(run1("count", ints({std::nullopt, std::nullopt}), 2).i, 0);
  EXPECT_FALSE(run1("count", ints({std::nullopt}), 1).is_null);
  EXPECT_EQ(run1("count", strings({"a", std::nullopt, "b"}), 3).i, 2);

  auto count_if = bind("count_if", {Type::boolean()});
  EXPECT_EQ(count_if.return_type, Type::bigint());
  EXPECT_EQ(run(count_if, {bools({true, false, std::nullopt, true})}, 4).i, 2);
}

TEST(Aggregates, CountNoRowsIsZero) {
  auto count = bind("count", {Type::integer()});
  States states(count.kernel, 1);
  Value v = finalize(count, states)[0];
  EXPECT_FALSE(v.is_null);
  EXPECT_EQ(v.i, 0);
}

TEST(Aggregates, SumResultTypesAndNulls) {
  EXPECT_EQ(bind("sum", {Type::integer()}).return_type, Type::bigint());
  EXPECT_EQ(bind("sum", {Type::tinyint()}).return_type, Type::bigint());
  EXPECT_EQ(bind("sum", {Type::real()}).return_type, Type::real());
  EXPECT_EQ(bind("sum", {Type::double_()}).return_type, Type::double_());
  EXPECT_EQ(bind("sum", {Type::decimal(10, 2)}).return_type, Type::decimal(38, 2));
  EXPECT_EQ(bind("sum", {Type::interval_day_time()}).return_type, Type::interval_day_time());

  EXPECT_EQ(run1("sum", ints({1, 2, std::nullopt, 4}, Type::integer()), 4).i, 7);
  EXPECT_TRUE(run1("sum", ints({std::nullopt, std::nullopt}), 2).is_null);
  EXPECT_DOUBLE_EQ(run1("sum", doubles({0.5, 1.25, std::nullopt}), 3).d, 1.75);

  Value dec = run1("sum", decimals({150, 250, std::nullopt, -1}, Type::decimal(10, 2)), 4);
  EXPECT_EQ(dec.type, Type::decimal(38, 2));
  EXPECT_TRUE(dec.dec == 399);
  EXPECT_TRUE(run1("sum", decimals({std::nullopt}, Type::decimal(10, 2)), 1).is_null);

  // REAL sums are rounded to float precision.
  Value real = run1("sum", doubles({0.1f, 0.2f}, Type::real()), 2);
  EXPECT_EQ(real.d, static_cast<double>(static_cast<float>(static_cast<double>(0.1f) + static_cast<double>(0.2f))));
}

TEST(Aggregates, SumBigintOverflowIsAnError) {
  Vector x = ints({INT64_MAX, 1});
  try {
    run1("sum", x, 2);
    FAIL() << "expected overflow";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NUMERIC_OUT_OF_RANGE);
    EXPECT_NE(e.message().find("bigint addition overflow"), std::string::npos);
  }
  // Overflow that only happens when partial states are combined.
  auto sum = bind("sum", {Type::bigint()});
  States states(sum.kernel, 2);
  update(sum, states, {ints({INT64_MAX - 1, 1})}, 2, {0, 1});
  sum.kernel.update(states.data() + 1, {ints({1})}, 1);
  EXPECT_THROW(sum.kernel.combine(states[1], states[0]), Error);
}

TEST(Aggregates, SumDecimalOverflowBeyond38Digits) {
  Type t = Type::decimal(38, 0);
  int128 big = 1;
  for (int i = 0; i < 38; i++) big *= 10;
  big -= 1;  // 10^38 - 1
  Vector x(t, 2);
  x.set_value(0, Value::decimal(big, t));
  x.set_value(1, Value::decimal(big, t));
  try {
    run1("sum", x, 2);
    FAIL() << "expected overflow";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NUMERIC_OUT_OF_RANGE);
  }
  // Temporarily past 2^127, back in range at the end: still exact.
  Vector y(t, 3);
  y.set_value(0, Value::decimal(big, t));
  y.set_value(1, Value::decimal(big, t));
  y.set_value(2, Value::decimal(-big, t));
  EXPECT_TRUE(run1("sum", y, 3).dec == big);
}

TEST(Aggregates, AvgTypesAndDecimalRounding) {
  EXPECT_EQ(bind("avg", {Type::integer()}).return_type, Type::double_());
  EXPECT_EQ(bind("avg", {Type::real()}).return_type, Type::real());
  EXPECT_EQ(bind("avg", {Type::decimal(10, 2)}).return_type, Type::decimal(10, 2));

  EXPECT_DOUBLE_EQ(run1("avg", ints({1, 2, std::nullopt, 4, 3}), 5).d, 2.5);
  Value dec = run1("avg", decimals({100, 200, 200}, Type::decimal(10, 2)), 3);
  EXPECT_TRUE(dec.dec == 167) << dec.to_string();
  EXPECT_EQ(dec.to_string(), "1.67");
  Value negative = run1("avg", decimals({-100, -200, -200}, Type::decimal(10, 2)), 3);
  EXPECT_TRUE(negative.dec == -167);
  // Exactly half rounds away from zero: (1 + 2) / 2 = 1.5 -> 2 at scale 0.
  EXPECT_TRUE(run1("avg", decimals({1, 2}, Type::decimal(5, 0)), 2).dec == 2);
  EXPECT_TRUE(run1("avg", decimals({-1, -2}, Type::decimal(5, 0)), 2).dec == -2);
  EXPECT_TRUE(run1("avg", decimals({std::nullopt}, Type::decimal(10, 2)), 1).is_null);
  EXPECT_TRUE(run1("avg", doubles({std::nullopt}), 1).is_null);

  Value interval = run1("avg", ints({1000, 2000, 4000}, Type::interval_day_time()), 3);
  EXPECT_EQ(interval.type, Type::interval_day_time());
  EXPECT_EQ(interval.i, 2333);
}

TEST(Aggregates, MinMaxOfManyTypes) {
  Vector x = ints({5, std::nullopt, -3, 9});
  EXPECT_EQ(run1("min", x, 4).i, -3);
  EXPECT_EQ(run1("max", x, 4).i, 9);
  EXPECT_TRUE(run1("max", ints({std::nullopt}), 1).is_null);
  EXPECT_EQ(bind("max", {Type::date()}).return_type, Type::date());

  Vector d = decimals({123, -500, 77}, Type::decimal(7, 2));
  EXPECT_TRUE(run1("min", d, 3).dec == -500);
  EXPECT_TRUE(run1("max", d, 3).dec == 123);
  EXPECT_EQ(run1("max", d, 3).type, Type::decimal(7, 2));

  Vector f = doubles({1.5, NAN, -2.0});
  EXPECT_TRUE(std::isnan(run1("max", f, 3).d));
  EXPECT_EQ(run1("min", f, 3).d, -2.0);

  Vector b = bools({true, false, std::nullopt});
  EXPECT_FALSE(run1("min", b, 3).b);
  EXPECT_TRUE(run1("max", b, 3).b);
}

TEST(Aggregates, StringMinMaxOwnTheirBytes) {
  for (const char* name : {"min", "max", "arbitrary"}) {
    auto agg = bind(name, {Type::varchar()});
    States states(agg.kernel, 1);
    {
      Vector s = strings({"pear", std::nullopt, "apple", "zebra-long-string-beyond-sso", "\xC3\xA9t\xC3\xA9"});
      update(agg, states, {s}, 5);
    }  // the input vector and its heap are gone here
    {
      Vector s = strings({"banana"});
      update(agg, states, {s}, 1);
    }
    Value v = finalize(agg, states)[0];
    // Bytewise: 0xC3 sorts after ASCII.
    std::string expected = std::string(name) == "min" ? "apple" : std::string(name) == "max" ? "\xC3\xA9t\xC3\xA9" : "pear";
    EXPECT_EQ(v.s, expected) << name;
  }
}

TEST(Aggregates, ArbitraryAndBooleanAggregates) {
  EXPECT_EQ(run1("any_value", ints({std::nullopt, 7, 8}), 3).i, 7);
  EXPECT_TRUE(run1("arbitrary", ints({std::nullopt}), 1).is_null);
  Vector b = bools({true, std::nullopt, false});
  EXPECT_FALSE(run1("bool_and", b, 3).b);
  EXPECT_FALSE(run1("every", b, 3).b);
  EXPECT_TRUE(run1("bool_or", b, 3).b);
  EXPECT_TRUE(run1("bool_and", bools({true, true}), 2).b);
  EXPECT_TRUE(run1("bool_or", bools({std::nullopt}), 1).is_null);
}

TEST(Aggregates, MaxByMinBy) {
  auto max_by = bind("max_by", {Type::varchar(), Type::integer()});
  EXPECT_EQ(max_by.return_type, Type::varchar());
  Vector x = strings({"a", "b", "c", std::nullopt});
  Vector y = ints({3, 10, std::nullopt, 1}, Type::integer());
  EXPECT_EQ(run(max_by, {x, y}, 4).s, "b");
  auto min_by = bind("min_by", {Type::varchar(), Type::integer()});
  EXPECT_TRUE(run(min_by, {x, y}, 4).is_null);  // the row with the smallest y has x NULL
  EXPECT_EQ(run(min_by, {x, y}, 3).s, "a");
}

TEST(Aggregates, VarianceFamily) {
  Vector x = doubles({1, 2, 3, 4, std::nullopt});
  EXPECT_NEAR(run1("variance", x, 5).d, 5.0 / 3.0, 1e-12);
  EXPECT_NEAR(run1("var_samp", x, 5).d, 5.0 / 3.0, 1e-12);
  EXPECT_NEAR(run1("var_pop", x, 5).d, 1.25, 1e-12);
  EXPECT_NEAR(run1("stddev", x, 5).d, std::sqrt(5.0 / 3.0), 1e-12);
  EXPECT_NEAR(run1("stddev_pop", x, 5).d, std::sqrt(1.25), 1e-12);
  EXPECT_TRUE(run1("stddev_samp", doubles({1}), 1).is_null);
  EXPECT_EQ(run1("stddev_pop", doubles({1}), 1).d, 0.0);
  auto var = bind("variance", {Type::bigint()});
  EXPECT_EQ(var.arg_types[0], Type::double_());
  EXPECT_NEAR(run1("geometric_mean", doubles({2, 8}), 2).d, 4.0, 1e-12);

  // Combining partial moments equals one pass.
  auto vs = bind("var_samp", {Type::double_()});
  States states(vs.kernel, 2);
  update(vs, states, {doubles({1, 2, 3, 4, 10})}, 5, {0, 0, 1, 1, 1});
  vs.kernel.combine(states[1], states[0]);
  Value all = finalize(vs, states)[0];
  EXPECT_NEAR(all.d, run1("var_samp", doubles({1, 2, 3, 4, 10}), 5).d, 1e-12);
}

TEST(Aggregates, GroupedUpdateUsesOneStatePerRow) {
  auto sum = bind("sum", {Type::decimal(12, 2)});
  States states(sum.kernel, 3);
  Vector x = decimals({100, 200, 300, std::nullopt, 500, 600}, Type::decimal(12, 2));
  update(sum, states, {x}, 6, {0, 1, 0, 2, 1, 0});
  auto values = finalize(sum, states);
  EXPECT_TRUE(values[0].dec == 1000);
  EXPECT_TRUE(values[1].dec == 700);
  EXPECT_TRUE(values[2].is_null);

  auto avg = bind("avg", {Type::bigint()});
  States avg_states(avg.kernel, 2);
  update(avg, avg_states, {ints({1, 10, 2, 20})}, 4, {0, 1, 0, 1});
  auto averages = finalize(avg, avg_states);
  EXPECT_DOUBLE_EQ(averages[0].d, 1.5);
  EXPECT_DOUBLE_EQ(averages[1].d, 15.0);
}

TEST(Aggregates, CombinePartialStates) {
  auto avg = bind("avg", {Type::decimal(10, 2)});
  States partial(avg.kernel, 2);
  update(avg, partial, {decimals({100, 200, 200}, Type::decimal(10, 2))}, 3, {0, 1, 1});
  avg.kernel.combine(partial[1], partial[0]);
  EXPECT_TRUE(finalize(avg, partial)[0].dec == 167);

  auto max = bind("max", {Type::varchar()});
  States max_states(max.kernel, 2);
  update(max, max_states, {strings({"m", "x", std::nullopt})}, 3, {0, 1, 0});
  max.kernel.combine(max_states[1], max_states[0]);
  EXPECT_EQ(finalize(max, max_states)[0].s, "x");

  auto count = bind("count", {Type::bigint()});
  States count_states(count.kernel, 2);
  update(count, count_states, {ints({1, 2, std::nullopt, 4})}, 4, {0, 1, 1, 1});
  count.kernel.combine(count_states[1], count_states[0]);
  EXPECT_EQ(finalize(count, count_states)[0].i, 3);

  // Combining into an empty state keeps the other side's value.
  auto sum = bind("sum", {Type::bigint()});
  States sum_states(sum.kernel, 2);
  update(sum, sum_states, {ints({5})}, 1, {1});
  sum.kernel.combine(sum_states[1], sum_states[0]);
  EXPECT_EQ(finalize(sum, sum_states)[0].i, 5);
}

TEST(Aggregates, DistinctWrapper) {
  auto count = bind("count", {Type::bigint()});
  BoundAggregate distinct_count = count;
  distinct_count.kernel = make_distinct_kernel(count);
  Vector x = ints({1, 2, 2, std::nullopt, 3, 1});
  EXPECT_EQ(run(distinct_count, {x}, 6).i, 3);

  auto sum = bind("sum", {Type::decimal(10, 2)});
  BoundAggregate distinct_sum = sum;
  distinct_sum.kernel = make_distinct_kernel(sum);
  EXPECT_TRUE(run(distinct_sum, {decimals({100, 100, 250, std::nullopt}, Type::decimal(10, 2))}, 4).dec == 350);
  EXPECT_TRUE(run(distinct_sum, {decimals({std::nullopt}, Type::decimal(10, 2))}, 1).is_null);

  // Grouped, across two partial states, with strings whose input dies before finalize.
  auto count_s = bind("count", {Type::varchar()});
  BoundAggregate distinct_s = count_s;
  distinct_s.kernel = make_distinct_kernel(count_s);
  States states(distinct_s.kernel, 3);
  {
    Vector s = strings({"a", "b", "a", "c", "a", std::nullopt});
    update(distinct_s, states, {s}, 6, {0, 0, 0, 1, 1, 2});
  }
  {
    Vector s = strings({"b", "d"});
    update(distinct_s, states, {s}, 2, {1, 1});
  }
  distinct_s.kernel.combine(states[1], states[0]);  // {a,b} + {c,a,b,d}
  auto values = finalize(distinct_s, states);
  EXPECT_EQ(values[0].i, 4);
  EXPECT_EQ(values[2].i, 0);

  // min over distinct strings returns an owned string.
  auto min = bind("min", {Type::varchar()});
  BoundAggregate distinct_min = min;
  distinct_min.kernel = make_distinct_kernel(min);
  EXPECT_EQ(run(distinct_min, {strings({"q", "b", "q"})}, 3).s, "b");

  // Two arguments: tuples are distinct as a whole.
  auto max_by = bind("max_by", {Type::bigint(), Type::bigint()});
  BoundAggregate distinct_by = max_by;
  distinct_by.kernel = make_distinct_kernel(max_by);
  EXPECT_EQ(run(distinct_by, {ints({1, 2, 1}), ints({5, 9, 5})}, 3).i, 2);
}

TEST(Aggregates, DistinctAcrossManyBatches) {
  auto sum = bind("sum", {Type::bigint()});
  BoundAggregate distinct_sum = sum;
  distinct_sum.kernel = make_distinct_kernel(sum);
  States states(distinct_sum.kernel, 1);
  const size_t n = 5000;  // more than one chunk of distinct values on replay
  Vector x(Type::bigint(), n);
  for (size_t i = 0; i < n; i++) x.set_value(i, Value::integer(static_cast<int64_t>(i % 3000)));
  update(distinct_sum, states, {x}, n);
  EXPECT_EQ(finalize(distinct_sum, states)[0].i, 2999 * 3000 / 2);
}

TEST(Aggregates, ApproxDistinct) {
  EXPECT_EQ(bind("approx_distinct", {Type::varchar()}).return_type, Type::bigint());
  EXPECT_EQ(run1("approx_distinct", ints({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, std::nullopt}), 13).i, 10);
  EXPECT_EQ(run1("approx_distinct", strings({"a", "b", "a", "c"}), 4).i, 3);
  EXPECT_EQ(run1("approx_distinct", ints({std::nullopt}), 1).i, 0);

  const size_t n = 100000;
  auto agg = bind("approx_distinct", {Type::bigint()});
  auto estimate_ints = [&]() {
    States states(agg.kernel, 2);
    // Two partial states over halves of the values (each value seen twice), then combined.
    for (size_t start = 0; start < n; start += kChunkCapacity) {
      size_t rows = std::min(kChunkCapacity, n - start);
      Vector x(Type::bigint(), rows);
      for (size_t i = 0; i < rows; i++) x.set_value(i, Value::integer(static_cast<int64_t>((start + i) * 7919)));
      update(agg, states, {x}, rows, std::vector<size_t>(rows, start % 2));
      update(agg, states, {x}, rows, std::vector<size_t>(rows, 1));
    }
    agg.kernel.combine(states[1], states[0]);
    return finalize(agg, states)[0].i;
  };
  int64_t estimate = estimate_ints();
  EXPECT_NEAR(static_cast<double>(estimate), static_cast<double>(n), 0.05 * n);
  EXPECT_EQ(estimate, estimate_ints());  // deterministic

  auto strings_agg = bind("approx_distinct", {Type::varchar()});
  States states(strings_agg.kernel, 1);
  for (size_t start = 0; start < n; start += kChunkCapacity) {
    size_t rows = std::min(kChunkCapacity, n - start);
    Vector x(Type::varchar(), rows);
    for (size_t i = 0; i < rows; i++) x.set_value(i, Value::string("key-" + std::to_string(start + i)));
    update(strings_agg, states, {x}, rows);
  }
  int64_t string_estimate = finalize(strings_agg, states)[0].i;
  EXPECT_NEAR(static_cast<double>(string_estimate), static_cast<double>(n), 0.05 * n);

  // Mid-range cardinalities stay accurate too (no bias bump around 5 * 2048).
  for (size_t distinct : {300, 1000, 5000, 12000}) {
    States mid(agg.kernel, 1);
    Vector x(Type::bigint(), distinct);
    for (size_t i = 0; i < distinct; i++) x.set_value(i, Value::integer(static_cast<int64_t>(i)));
    update(agg, mid, {x}, distinct);
    double got = static_cast<double>(finalize(agg, mid)[0].i);
    EXPECT_NEAR(got, static_cast<double>(distinct), 0.07 * distinct) << distinct;
  }
}

TEST(Aggregates, UnknownArgumentsAndMismatches) {
  auto sum = bind("sum", {Type::unknown()});
  EXPECT_EQ(sum.return_type, Type::bigint());
  EXPECT_EQ(sum.arg_types[0], Type::bigint());
  auto min = bind("min", {Type::unknown()});
  EXPECT_TRUE(run(min, {Vector::constant(Value::null(), 3)}, 3).is_null);
  EXPECT_EQ(run(bind("count", {Type::unknown()}), {Vector::constant(Value::null(), 3)}, 3).i, 0);
  try {
    bind("sum", {Type::varchar()});
    FAIL() << "sum(varchar) must not bind";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::TYPE_MISMATCH);
  }
  EXPECT_THROW(bind("bool_and", {Type::integer()}), Error);
  EXPECT_EQ(run1("sum", ints({1000, 500}, Type::interval_year_month()), 2).i, 1500);
}
