// Operators, math functions, casts and overload resolution, exercised through
// a registry built here (global_registry() also needs other families).
#include <gtest/gtest.h>

#include <cmath>

#include "common/datetime.h"
#include "common/error.h"
#include "function/cast.h"
#include "function/function.h"

namespace tributary {
namespace {

const FunctionRegistry& test_registry() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    register_operators(r);
    register_math_functions(r);
    register_conditional_functions(r);
    r.add_simple("length", {Type::varchar()}, Type::bigint(), [](KernelCall& call, Vector& out) {
      for (size_t i = 0; i < call.count; i++) out.data<int64_t>()[i] = (int64_t)call.args[0].data<std::string_view>()[i].size();
    });
    return r;
  }();
  return registry;
}

Vector column(const Type& type, const std::vector<Value>& values) {
  Vector v(type, std::max<size_t>(values.size(), 1));
  for (size_t i = 0; i < values.size(); i++) {
    Value value = values[i];
    if (!value.is_null) value.type = type;
    v.set_value(i, value);
  }
  return v;
}

// Binds `name` over the argument columns, coerces them as the binder asks, runs the kernel.
Vector call_rows(const std::string& name, const std::vector<Vector>& args, size_t count,
                 const std::vector<const Value*>& constants = {}, Type* result_type = nullptr) {
  std::vector<Type> types;
  for (const auto& a : args) types.push_back(a.type());
  BoundFunction bound = test_registry().bind_scalar(name, types, constants);
  std::vector<Vector> coerced;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i].type() == bound.arg_types[i]) {
      coerced.push_back(args[i]);
    } else {
      Vector c(bound.arg_types[i], args[i].capacity());
      cast_vector(args[i], c, count, false);
      coerced.push_back(c);
    }
  }
  FunctionContext context;
  Vector out(bound.return_type, std::max<size_t>(count, 1));
  KernelCall call{context, coerced, count, bound.return_type, bound.state.get()};
  bound.kernel(call, out);
  if (result_type) *result_type = bound.return_type;
  return out;
}

Value call1(const std::string& name, const std::vector<Value>& args, Type* result_type = nullptr) {
  std::vector<Vector> columns;
  for (const auto& a : args) columns.push_back(a.is_null ? Vector::constant(a, 1) : column(a.type, {a}));
  return call_rows(name, columns, 1, {}, result_type).get_value(0);
}

Value integer(int64_t v) { return Value::integer(v, Type::integer()); }
Value bigint(int64_t v) { return Value::integer(v, Type::bigint()); }
Value dbl(double v) { return Value::floating(v); }
Value str(const std::string& s) { return Value::string(s); }
Value dec(const std::string& text, int precision, int scale) {
  return cast_value(str(text), Type::decimal(precision, scale));
}

template <class F>
std::string error_message(F&& f, ErrorCode* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.message();
  }
  return "<no error>";
}

// ---- integer arithmetic ----

TEST(Operators, IntegerOverflowChecksLogicalType) {
  ErrorCode code{};
  EXPECT_EQ(error_message([] { call1("$add", {integer(2147483647), integer(1)}); }, &code),
            "integer addition overflow: 2147483647 + 1");
  EXPECT_EQ(code, ErrorCode::NUMERIC_OUT_OF_RANGE);
  EXPECT_EQ(call1("$add", {bigint(2147483647), bigint(1)}).i, 2147483648LL);
  EXPECT_EQ(error_message([] { call1("$multiply", {bigint(INT64_MAX), bigint(2)}); }),
            "bigint multiplication overflow: 9223372036854775807 * 2");
  EXPECT_EQ(error_message([] { call1("$negate", {Value::integer(-128, Type::tinyint())}); }),
            "tinyint negation overflow: -128");
}

TEST(Operators, IntegerDivisionTruncatesAndChecksZero) {
  EXPECT_EQ(call1("$divide", {integer(-7), integer(2)}).i, -3);
  EXPECT_EQ(call1("$modulus", {integer(-7), integer(2)}).i, -1);
  EXPECT_EQ(call1("mod", {integer(7), integer(-3)}).i, 1);
  ErrorCode code{};
  EXPECT_EQ(error_message([] { call1("$divide", {integer(1), integer(0)}); }, &code), "Division by zero");
  EXPECT_EQ(code, ErrorCode::DIVISION_BY_ZERO);
  EXPECT_EQ(error_message([] { call1("$modulus", {bigint(1), bigint(0)}); }, &code), "Division by zero");
}

TEST(Operators, OverloadResolutionPrefersNarrowestCommonType) {
  Type t;
  EXPECT_EQ(call1("$add", {integer(1), bigint(2)}, &t).i, 3);
  EXPECT_EQ(t, Type::bigint());
  EXPECT_DOUBLE_EQ(call1("$add", {integer(1), dbl(0.5)}, &t).d, 1.5);
  EXPECT_EQ(t, Type::double_());
  call1("$add", {dec("1.5", 2, 1), dbl(1)}, &t);
  EXPECT_EQ(t, Type::double_());
}

TEST(Operators, FloatingDivisionFollowsIeee) {
  EXPECT_TRUE(std::isinf(call1("$divide", {dbl(1), dbl(0)}).d));
  EXPECT_TRUE(std::isnan(call1("$divide", {dbl(0), dbl(0)}).d));
  Value r = call1("$add", {Value::floating(0.1f, Type::real()), Value::floating(0.2f, Type::real())});
  EXPECT_EQ(r.d, (double)(0.1f + 0.2f));
}

// ---- decimal arithmetic ----

TEST(Operators, DecimalResultTypesAndValues) {
  Type t;
  Value sum = call1("$add", {dec("1.10", 3, 2), dec("2.005", 4, 3)}, &t);
  EXPECT_EQ(t, Type::decimal(5, 3));
  EXPECT_EQ(sum.to_string(), "3.105");
  Value product = call1("$multiply", {dec("1.10", 3, 2), dec("2.005", 4, 3)}, &t);
  EXPECT_EQ(t, Type::decimal(7, 5));
  EXPECT_EQ(product.to_string(), "2.20550");
  Value difference = call1("$subtract", {integer(1), dec("0.06", 3, 2)}, &t);
  EXPECT_EQ(t, Type::decimal(13, 2));
  EXPECT_EQ(difference.to_string(), "0.94");
  Value quotient = call1("$divide", {dec("2.00", 3, 2), integer(3)}, &t);
  EXPECT_EQ(t, Type::decimal(3, 2));
  EXPECT_EQ(quotient.to_string(), "0.67");
  EXPECT_EQ(call1("$divide", {dec("-2.00", 3, 2), integer(3)}).to_string(), "-0.67");
  Value remainder = call1("$modulus", {dec("5.5", 2, 1), integer(2)}, &t);
  EXPECT_EQ(t, Type::decimal(2, 1));
  EXPECT_EQ(remainder.to_string(), "1.5");
  EXPECT_EQ(call1("$negate", {dec("1.25", 3, 2)}, &t).to_string(), "-1.25");
  EXPECT_EQ(t, Type::decimal(3, 2));
}

TEST(Operators, DecimalOverflowAndDivisionByZero) {
  Value big = dec("99999999999999999999999999999999999999", 38, 0);
  ErrorCode code{};
  EXPECT_EQ(error_message([&] { call1("$add", {big, big}); }, &code), "Decimal overflow");
  EXPECT_EQ(code, ErrorCode::NUMERIC_OUT_OF_RANGE);
  EXPECT_EQ(error_message([] { call1("$divide", {dec("1.0", 2, 1), dec("0.0", 2, 1)}); }, &code),
            "Division by zero");
  EXPECT_EQ(code, ErrorCode::DIVISION_BY_ZERO);
}

TEST(Operators, DecimalMultiplyOverChunk) {
  Vector a(Type::decimal(12, 2)), b(Type::decimal(12, 2));
  for (size_t i = 0; i < kChunkCapacity; i++) {
    a.data<int128>()[i] = (int128)(i * 100 + 25);  // i.25
    b.data<int128>()[i] = 150;                     // 1.50
  }
  Type t;
  Vector out = call_rows("$multiply", {a, b}, kChunkCapacity, {}, &t);
  EXPECT_EQ(t, Type::decimal(24, 4));
  EXPECT_EQ(out.get_value(2047).to_string(), "3070.8750");
}

// ---- comparisons ----

TEST(Operators, ComparisonsPropagateNullsAndCoerce) {
  Vector a = column(Type::integer(), {integer(1), Value::null(), integer(3)});
  Vector b = column(Type::decimal(3, 1), {dec("1.0", 3, 1), dec("2.0", 3, 1), Value::null()});
  Vector eq = call_rows("$eq", {a, b}, 3);
  EXPECT_EQ(eq.get_value(0), Value::boolean(true));
  EXPECT_TRUE(eq.is_null(1));
  EXPECT_TRUE(eq.is_null(2));
  EXPECT_EQ(call1("$lt", {str("ab"), str("abc")}).b, true);
  EXPECT_EQ(call1("$gt", {str("abd"), str("abc")}).b, true);
  EXPECT_EQ(call1("$ne", {str("abc"), str("abc")}).b, false);
  EXPECT_EQ(call1("$le", {integer(2), dbl(2.0)}).b, true);
  Value day = Value::integer(datetime::days_from_civil(2024, 1, 15), Type::date());
  Value noon = Value::integer(day.i * datetime::kMicrosPerDay + 12 * 3600 * datetime::kMicrosPerSecond,
                              Type::timestamp(3));
  EXPECT_EQ(call1("$lt", {day, noon}).b, true);
  EXPECT_EQ(error_message([] { call1("$eq", {str("a"), integer(1)}); }), "Cannot apply operator: varchar = integer");
}

// ---- LIKE ----

bool like(const std::string& value, const std::string& pattern, const char* escape = nullptr, bool constant = true) {
  std::vector<Vector> args = {column(Type::varchar(), {str(value)}), column(Type::varchar(), {str(pattern)})};
  Value pattern_value = str(pattern);
  Value escape_value = str(escape ? escape : "");
  std::vector<const Value*> constants = {nullptr, constant ? &pattern_value : nullptr};
  if (escape) {
    args.push_back(column(Type::varchar(), {escape_value}));
    constants.push_back(constant ? &escape_value : nullptr);
  }
  return call_rows("$like", args, 1, constants).get_value(0).b;
}

TEST(Operators, LikePatterns) {
  for (bool constant : {true, false}) {
    EXPECT_TRUE(like("abcdef", "abc%", nullptr, constant));
    EXPECT_FALSE(like("xabcdef", "abc%", nullptr, constant));
    EXPECT_TRUE(like("xxabc", "%abc", nullptr, constant));
    EXPECT_TRUE(like("xxabcyy", "%abc%", nullptr, constant));
    EXPECT_FALSE(like("xxabyy", "%abc%", nullptr, constant));
    EXPECT_TRUE(like("abc", "a_c", nullptr, constant));
    EXPECT_TRUE(like("aéc", "a_c", nullptr, constant));
    EXPECT_FALSE(like("abbc", "a_c", nullptr, constant));
    EXPECT_TRUE(like("abXcdYef", "ab%cd%ef", nullptr, constant));
    EXPECT_TRUE(like("abcd", "a%_d", nullptr, constant));
    EXPECT_FALSE(like("ad", "a%_d", nullptr, constant));
    EXPECT_TRUE(like("", "%", nullptr, constant));
    EXPECT_TRUE(like("10%", "10!%", "!", constant));
    EXPECT_FALSE(like("100", "10!%", "!", constant));
    EXPECT_TRUE(like("a_b", "a#_b", "#", constant));
    EXPECT_TRUE(like("a#b", "a##b", "#", constant));
  }
  ErrorCode code{};
  EXPECT_EQ(error_message([] { like("abc", "a#bc", "#"); }, &code),
            "Escape character must be followed by '%', '_' or the escape character itself");
  EXPECT_EQ(code, ErrorCode::INVALID_ARGUMENT);
}

TEST(Operators, LikeWithNulls) {
  Vector values = column(Type::varchar(), {str("abc"), Value::null(), str("zzz")});
  Vector pattern = Vector::constant(str("a%"), 3);
  Value pattern_value = str("a%");
  Vector out = call_rows("$like", {values, pattern}, 3, {nullptr, &pattern_value});
  EXPECT_EQ(out.get_value(0), Value::boolean(true));
  EXPECT_TRUE(out.is_null(1));
  EXPECT_EQ(out.get_value(2), Value::boolean(false));
}

// ---- date/time arithmetic ----

TEST(Operators, DateIntervalArithmetic) {
  Value jan31 = Value::integer(datetime::days_from_civil(2024, 1, 31), Type::date());
  Value one_month = Value::integer(1, Type::interval_year_month());
  EXPECT_EQ(call1("$add", {jan31, one_month}).to_string(), "2024-02-29");
  Value two_days = Value::integer(2 * 86400000LL, Type::interval_day_time());
  EXPECT_EQ(call1("$subtract", {jan31, two_days}).to_string(), "2024-01-29");
  Value one_hour = Value::integer(3600000, Type::interval_day_time());
  EXPECT_EQ(error_message([&] { call1("$add", {jan31, one_hour}); }), "Cannot add hour, minutes or seconds to a date");
  Value ts = cast_value(str("2024-01-31 10:00:00"), Type::timestamp(3));
  EXPECT_EQ(call1("$add", {ts, one_hour}).to_string(), "2024-01-31 11:00:00.000");
  EXPECT_EQ(call1("$multiply", {one_hour, bigint(3)}).i, 3 * 3600000);
}

// ---- casts ----

TEST(Cast, IntegerRangeAndParsing) {
  ErrorCode code{};
  EXPECT_EQ(error_message([] { cast_value(bigint(3000000000LL), Type::integer()); }, &code),
            "Out of range for integer: 3000000000");
  EXPECT_EQ(code, ErrorCode::NUMERIC_OUT_OF_RANGE);
  EXPECT_TRUE(cast_value(bigint(3000000000LL), Type::integer(), true).is_null);
  EXPECT_EQ(cast_value(str("  42 "), Type::integer()).i, 42);
  EXPECT_EQ(cast_value(str("-9223372036854775808"), Type::bigint()).i, INT64_MIN);
  EXPECT_EQ(error_message([] { cast_value(str("abc"), Type::integer()); }, &code), "Cannot cast 'abc' to INT");
  EXPECT_EQ(code, ErrorCode::INVALID_CAST);
  EXPECT_EQ(error_message([] { cast_value(str("1.5"), Type::bigint()); }), "Cannot cast '1.5' to BIGINT");
  EXPECT_TRUE(cast_value(str("x"), Type::bigint(), true).is_null);
  EXPECT_EQ(cast_value(dbl(2.5), Type::integer()).i, 3);
  EXPECT_EQ(cast_value(dbl(-2.5), Type::integer()).i, -3);
  EXPECT_EQ(error_message([] { cast_value(dbl(3e9), Type::integer()); }), "Out of range for integer: 3.0E9");
  EXPECT_EQ(cast_value(Value::boolean(true), Type::integer()).i, 1);
  EXPECT_EQ(cast_value(str("T"), Type::boolean()).b, true);
  EXPECT_EQ(cast_value(str("0"), Type::boolean()).b, false);
}

TEST(Cast, Decimals) {
  EXPECT_EQ(cast_value(dec("1.255", 4, 3), Type::decimal(3, 2)).to_string(), "1.26");
  EXPECT_EQ(cast_value(dec("-1.255", 4, 3), Type::decimal(3, 2)).to_string(), "-1.26");
  ErrorCode code{};
  EXPECT_EQ(error_message([] { cast_value(dec("12345678.90", 10, 2), Type::decimal(5, 2)); }, &code),
            "Cannot cast DECIMAL(10, 2) '12345678.90' to DECIMAL(5, 2)");
  EXPECT_EQ(code, ErrorCode::NUMERIC_OUT_OF_RANGE);
  EXPECT_EQ(cast_value(str("1.005"), Type::decimal(3, 2)).to_string(), "1.01");
  EXPECT_EQ(cast_value(str("1e2"), Type::decimal(5, 1)).to_string(), "100.0");
  EXPECT_EQ(error_message([] { cast_value(str("abc"), Type::decimal(10, 2)); }),
            "Cannot cast VARCHAR 'abc' to DECIMAL(10, 2). Value is not a number.");
  EXPECT_EQ(cast_value(dbl(0.145), Type::decimal(3, 2)).to_string(), "0.15");
  EXPECT_EQ(cast_value(dbl(-1.5), Type::decimal(5, 1)).to_string(), "-1.5");
  EXPECT_DOUBLE_EQ(cast_value(dec("1.10", 3, 2), Type::double_()).d, 1.1);
  EXPECT_EQ(cast_value(dec("2.5", 2, 1), Type::integer()).i, 3);
  EXPECT_EQ(cast_value(integer(12), Type::decimal(4, 2)).to_string(), "12.00");
  EXPECT_EQ(error_message([] { cast_value(integer(123), Type::decimal(3, 1)); }),
            "Cannot cast INTEGER '123' to DECIMAL(3, 1)");
}

TEST(Cast, ToAndFromVarchar) {
  EXPECT_EQ(cast_value(dbl(1e10), Type::varchar()).s, "1.0E10");
  EXPECT_EQ(cast_value(dbl(0.1), Type::varchar()).s, "0.1");
  EXPECT_EQ(cast_value(dbl(123.0), Type::varchar()).s, "123.0");
  EXPECT_EQ(cast_value(dbl(0.001), Type::varchar()).s, "0.001");
  EXPECT_EQ(cast_value(dbl(1e-4), Type::varchar()).s, "1.0E-4");
  EXPECT_EQ(cast_value(Value::floating((float)1.1, Type::real()), Type::varchar()).s, "1.1");
  EXPECT_EQ(cast_value(dec("1.50", 3, 2), Type::varchar()).s, "1.50");
  EXPECT_EQ(cast_value(dec("-0.05", 3, 2), Type::varchar()).s, "-0.05");
  EXPECT_EQ(cast_value(Value::boolean(false), Type::varchar()).s, "false");
  EXPECT_EQ(cast_value(str("abcdef"), Type::varchar(3)).s, "abc");
  Value date = cast_value(str("2024-01-15"), Type::date());
  EXPECT_EQ(cast_value(date, Type::varchar()).s, "2024-01-15");
  EXPECT_EQ(cast_value(date, Type::timestamp(3)).to_string(), "2024-01-15 00:00:00.000");
  Value ts = cast_value(str("2024-01-15 10:00:00"), Type::timestamp(3));
  EXPECT_EQ(cast_value(ts, Type::varchar()).s, "2024-01-15 10:00:00.000");
  EXPECT_EQ(cast_value(ts, Type::date()).to_string(), "2024-01-15");
  EXPECT_EQ(error_message([] { cast_value(str("2024-13-45"), Type::date()); }),
            "Value cannot be cast to date: 2024-13-45");
  EXPECT_DOUBLE_EQ(cast_value(str(" 1.5e3 "), Type::double_()).d, 1500.0);
  EXPECT_TRUE(std::isnan(cast_value(str("NaN"), Type::double_()).d));
  EXPECT_FALSE(cast_supported(Type::date(), Type::integer()));
  EXPECT_TRUE(cast_supported(Type::integer(), Type::varchar()));
  EXPECT_TRUE(cast_value(Value::null(), Type::integer()).is_null);
}

TEST(Cast, VectorTryCastMixesNulls) {
  Vector in = column(Type::varchar(), {str("1"), str("x"), Value::null(), str("4")});
  Vector out(Type::bigint(), 4);
  cast_vector(in, out, 4, true);
  EXPECT_EQ(out.get_value(0).i, 1);
  EXPECT_TRUE(out.is_null(1));
  EXPECT_TRUE(out.is_null(2));
  EXPECT_EQ(out.get_value(3).i, 4);
}

// ---- math and conditional ----

TEST(Math, Rounding) {
  EXPECT_DOUBLE_EQ(call1("round", {dbl(2.5)}).d, 3.0);
  EXPECT_DOUBLE_EQ(call1("round", {dbl(-2.5)}).d, -3.0);
  EXPECT_DOUBLE_EQ(call1("round", {dbl(1.2345), integer(2)}).d, 1.23);
  EXPECT_EQ(call1("round", {integer(1250), integer(-2)}).i, 1300);
  Type t;
  Value r = call1("round", {dec("2.45", 3, 2), integer(1)}, &t);
  EXPECT_EQ(t, Type::decimal(4, 2));
  EXPECT_EQ(r.to_string(), "2.50");
  r = call1("round", {dec("-2.5", 2, 1)}, &t);
  EXPECT_EQ(t, Type::decimal(2, 0));
  EXPECT_EQ(r.to_string(), "-3");
  EXPECT_EQ(call1("floor", {dec("-1.5", 2, 1)}).to_string(), "-2");
  EXPECT_EQ(call1("ceil", {dec("-1.5", 2, 1)}).to_string(), "-1");
  EXPECT_EQ(call1("truncate", {dec("-1.59", 3, 2)}).to_string(), "-1");
  EXPECT_EQ(call1("abs", {integer(-5)}).i, 5);
  EXPECT_EQ(error_message([] { call1("abs", {bigint(INT64_MIN)}); }),
            "Value -9223372036854775808 is out of range for abs()");
  EXPECT_DOUBLE_EQ(call1("sqrt", {integer(16)}).d, 4.0);
  EXPECT_DOUBLE_EQ(call1("power", {integer(2), integer(10)}).d, 1024.0);
  EXPECT_DOUBLE_EQ(call1("log", {integer(2), integer(8)}).d, 3.0);
  EXPECT_EQ(call1("sign", {dec("-3.5", 2, 1)}).to_string(), "-1");
  EXPECT_EQ(call1("is_nan", {call1("nan", {})}).b, true);
}

TEST(Math, GreatestAndLeast) {
  Type t;
  EXPECT_DOUBLE_EQ(call1("greatest", {integer(1), dbl(2.5), bigint(2)}, &t).d, 2.5);
  EXPECT_EQ(t, Type::double_());
  EXPECT_EQ(call1("least", {str("b"), str("a"), str("c")}).s, "a");
  EXPECT_TRUE(call1("greatest", {integer(1), Value::null(Type::integer())}).is_null);
  EXPECT_EQ(call1("least", {dec("1.5", 2, 1), integer(1)}).to_string(), "1.0");
}

// ---- registry ----

TEST(Registry, ErrorsNameTheProblem) {
  ErrorCode code{};
  EXPECT_EQ(error_message([] { test_registry().bind_scalar("lenght", {Type::varchar()}, {}); }, &code),
            "Function 'lenght' not registered. Did you mean 'length'?");
  EXPECT_EQ(code, ErrorCode::NOT_FOUND);
  EXPECT_EQ(error_message([] { test_registry().bind_scalar("length", {Type::varchar(), Type::integer()}, {}); }, &code),
            "Unexpected parameters (varchar, integer) for function length. Expected: length(varchar)");
  EXPECT_EQ(code, ErrorCode::TYPE_MISMATCH);
  BoundFunction f = test_registry().bind_scalar("LENGTH", {Type::varchar(5)}, {});
  EXPECT_EQ(f.arg_types[0], Type::varchar(5));
  EXPECT_FALSE(test_registry().bind_scalar("random", {}, {}).deterministic);
}

}  // namespace
}  // namespace tributary
