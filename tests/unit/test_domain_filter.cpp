// DomainFilter: a pushed column domain evaluated over vectors must keep exactly the rows
// Domain::contains accepts (checked row by row against it), for every type it compiles, with
// NULLs, several ranges, long IN lists and mixed-type bounds; and refuse what it cannot do exactly.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <random>

#include "common/decimal.h"
#include "connector/domain_filter.h"

using namespace tributary;

namespace {

Range between(Value lo, Value hi, bool lo_inclusive = true, bool hi_inclusive = true) {
  Range r;
  r.low = std::move(lo);
  r.high = std::move(hi);
  r.low_unbounded = r.high_unbounded = false;
  r.low_inclusive = lo_inclusive;
  r.high_inclusive = hi_inclusive;
  return r;
}

// x <= v (or x < v) when !low; x >= v (or x > v) when low.
Range one_side(Value v, bool low, bool inclusive) {
  Range r;
  (low ? r.low : r.high) = std::move(v);
  (low ? r.low_unbounded : r.high_unbounded) = false;
  (low ? r.low_inclusive : r.high_inclusive) = inclusive;
  return r;
}

Range at_most(Value hi, bool inclusive) { return one_side(std::move(hi), false, inclusive); }
Range at_least(Value lo, bool inclusive) { return one_side(std::move(lo), true, inclusive); }

// Selects over `values` (two passes: all rows, then every other row) and compares with contains().
void expect_same_as_contains(const Domain& domain, const Type& type, const std::vector<Value>& values) {
  auto filter = DomainFilter::compile(domain, type);
  ASSERT_TRUE(filter.has_value()) << domain.to_string("c");
  Vector v(type, values.size());
  for (size_t i = 0; i < values.size(); i++) v.set_value(i, values[i]);
  for (size_t step : {1, 2}) {
    std::vector<uint32_t> sel;
    for (size_t i = 0; i < values.size(); i += step) sel.push_back(static_cast<uint32_t>(i));
    std::vector<uint32_t> want;
    for (uint32_t r : sel)
      if (domain.contains(values[r])) want.push_back(r);
    size_t kept = filter->select(v, sel.data(), sel.size());
    sel.resize(kept);
    EXPECT_EQ(sel, want) << domain.to_string("c") << " step " << step;
  }
}

}  // namespace

TEST(DomainFilter, IntegersDatesAndTimestamps) {
  std::vector<Value> values;
  for (int i = -20; i < 40; i++) values.push_back(i % 7 == 0 ? Value::null(Type::bigint()) : Value::integer(i));
  Domain eq;
  eq.ranges = {Range::equal(Value::integer(5))};
  expect_same_as_contains(eq, Type::bigint(), values);
  Domain ranges;
  ranges.ranges = {at_most(Value::integer(-10), false), between(Value::integer(0), Value::integer(9), false, true),
                   at_least(Value::integer(30), true)};
  expect_same_as_contains(ranges, Type::bigint(), values);
  ranges.null_allowed = true;
  expect_same_as_contains(ranges, Type::bigint(), values);
  // Bounds at the ends of the type: open ends that leave nothing, closed ones that leave all.
  std::vector<Value> extremes = {Value::integer(INT64_MIN), Value::integer(-1), Value::integer(0), Value::integer(INT64_MAX)};
  for (bool inclusive : {false, true}) {
    Domain above;
    above.ranges = {at_least(Value::integer(INT64_MAX), inclusive)};
    expect_same_as_contains(above, Type::bigint(), extremes);
    Domain below;
    below.ranges = {at_most(Value::integer(INT64_MIN), inclusive)};
    expect_same_as_contains(below, Type::bigint(), extremes);
    Domain everything;
    everything.ranges = {between(Value::integer(INT64_MIN), Value::integer(INT64_MAX), inclusive, inclusive)};
    expect_same_as_contains(everything, Type::bigint(), extremes);
  }
  Domain nulls = Domain::only_null();
  expect_same_as_contains(nulls, Type::bigint(), values);
  Domain none;
  expect_same_as_contains(none, Type::bigint(), values);
  // An INTEGER bound against a BIGINT column, and dates.
  Domain small;
  small.ranges = {between(Value::integer(3, Type::integer()), Value::integer(12, Type::integer()))};
  expect_same_as_contains(small, Type::bigint(), values);
  std::vector<Value> days;
  for (int i = 0; i < 50; i++) days.push_back(Value::integer(19000 + i, Type::date()));
  Domain day_range;
  day_range.ranges = {between(Value::integer(19010, Type::date()), Value::integer(19020, Type::date()), true, false)};
  expect_same_as_contains(day_range, Type::date(), days);
  // Timestamps of another precision are not comparable raw: refused.
  Domain ts;
  ts.ranges = {Range::equal(Value::integer(1000, Type::timestamp(6)))};
  EXPECT_FALSE(DomainFilter::compile(ts, Type::timestamp(3)).has_value());
  EXPECT_TRUE(DomainFilter::compile(ts, Type::timestamp(6)).has_value());
  // A date bound on a timestamp column is refused too.
  Domain date_on_ts;
  date_on_ts.ranges = {Range::equal(Value::integer(1, Type::date()))};
  EXPECT_FALSE(DomainFilter::compile(date_on_ts, Type::timestamp(3)).has_value());
}

TEST(DomainFilter, LongInListsUseSortedPoints) {
  std::mt19937 rng(5);
  std::vector<Value> values;
  for (int i = 0; i < 3000; i++) values.push_back(i % 101 == 0 ? Value::null(Type::bigint()) : Value::integer(rng() % 500));
  for (bool null_allowed : {false, true}) {
    Domain in;
    for (int k = 0; k < 60; k++) in.ranges.push_back(Range::equal(Value::integer((k * 37) % 500)));
    in.null_allowed = null_allowed;
    expect_same_as_contains(in, Type::bigint(), values);
  }
  std::vector<Value> words;
  for (int i = 0; i < 500; i++) words.push_back(Value::string("w" + std::to_string(rng() % 100)));
  Domain in_words;
  for (int k = 0; k < 20; k++) in_words.ranges.push_back(Range::equal(Value::string("w" + std::to_string(k * 3))));
  expect_same_as_contains(in_words, Type::varchar(), words);
}

TEST(DomainFilter, DecimalsWithIntegerAndNarrowerBounds) {
  const Type t = Type::decimal(12, 2);
  std::vector<Value> values;
  for (int i = -300; i < 300; i += 7) values.push_back(Value::decimal(i, t));
  values.push_back(Value::null(t));
  Domain d;
  d.ranges = {between(Value::integer(-1), Value::integer(1), true, false)};  // -1.00 <= x < 1.00
  expect_same_as_contains(d, t, values);
  Domain narrow;
  narrow.ranges = {at_least(Value::decimal(5, Type::decimal(3, 1)), false)};  // x > 0.5
  expect_same_as_contains(narrow, t, values);
  // A bound with more fractional digits than the column cannot be rescaled exactly: refused.
  Domain wide;
  wide.ranges = {at_least(Value::decimal(5, Type::decimal(10, 3)), false)};
  EXPECT_FALSE(DomainFilter::compile(wide, t).has_value());
}

TEST(DomainFilter, StringsBooleansAndRefusals) {
  std::vector<Value> words;
  for (const char* w : {"", "a", "ab", "abc", "b", "ba", "zz", "\xc3\xa9t\xc3\xa9", "A"}) words.push_back(Value::string(w));
  words.push_back(Value::null(Type::varchar()));
  Domain prefix;  // 'ab' <= s < 'b', as LIKE 'ab%' might push
  prefix.ranges = {between(Value::string("ab"), Value::string("b"), true, false)};
  expect_same_as_contains(prefix, Type::varchar(), words);
  Domain two;
  two.ranges = {Range::equal(Value::string("zz")), at_most(Value::string("a"), true)};
  two.null_allowed = true;
  expect_same_as_contains(two, Type::varchar(), words);
  std::vector<Value> flags = {Value::boolean(true), Value::boolean(false), Value::null(Type::boolean())};
  Domain yes;
  yes.ranges = {Range::equal(Value::boolean(true))};
  expect_same_as_contains(yes, Type::boolean(), flags);
  // Doubles (NaN ordering), domains allowing every value, and bounds of another type: refused.
  Domain dbl;
  dbl.ranges = {Range::equal(Value::floating(1.5))};
  EXPECT_FALSE(DomainFilter::compile(dbl, Type::double_()).has_value());
  EXPECT_FALSE(DomainFilter::compile(Domain::all_values(false), Type::bigint()).has_value());
  Domain text_on_int;
  text_on_int.ranges = {Range::equal(Value::string("1"))};
  EXPECT_FALSE(DomainFilter::compile(text_on_int, Type::bigint()).has_value());
}

TEST(DomainFilter, CompileForScanColumns) {
  TupleDomain constraint;
  Domain d;
  d.ranges = {Range::equal(Value::integer(7))};
  constraint.columns[3] = d;
  constraint.columns[5] = Domain::all_values(false);
  auto filters = compile_domain_filters(constraint, {5, 3, 0}, {Type::bigint(), Type::bigint(), Type::bigint()});
  ASSERT_EQ(filters.size(), 3u);
  EXPECT_FALSE(filters[0].has_value());
  EXPECT_TRUE(filters[1].has_value());
  EXPECT_FALSE(filters[2].has_value());
}
