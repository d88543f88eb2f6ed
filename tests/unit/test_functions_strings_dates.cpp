// String, regexp and date/time functions, exercised through a FunctionRegistry
// the way the executor calls them: bind (with constants), then one kernel call
// per chunk on vectors of the bound argument types.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"
#include "function/function.h"

namespace tributary {
namespace {

Value S(const std::string& s) { return Value::string(s); }
Value I(int64_t i) { return Value::integer(i); }
Value D(const std::string& text) {
  int64_t days = 0;
  EXPECT_TRUE(datetime::parse_date(text, &days)) << text;
  return Value::integer(days, Type::date());
}
Value TS(const std::string& text, int precision = 3) {
  int64_t micros = 0;
  EXPECT_TRUE(datetime::parse_timestamp(text, &micros)) << text;
  return Value::integer(micros, Type::timestamp(precision));
}
Value Null(Type t = Type::varchar()) { return Value::null(t); }

// The implicit coercions the executor applies before a call (only those these tests need).
Value coerce(const Value& v, const Type& to) {
  if (v.is_null || v.type.id == to.id) return v;
  if (v.type.id == TypeId::DATE && to.id == TypeId::TIMESTAMP) {
    return Value::integer(v.i * datetime::kMicrosPerDay, to);
  }
  if (v.type.is_integer() && to.id == TypeId::DOUBLE) return Value::floating((double)v.i);
  ADD_FAILURE() << "no coercion from " << v.type.to_string() << " to " << to.to_string();
  return v;
}

class StringsDates : public ::testing::Test {
 protected:
  void SetUp() override {
    register_string_functions(registry_);
    register_datetime_functions(registry_);
    int64_t start = 0;
    datetime::parse_timestamp("2024-03-10 15:45:30.123456", &start);
    context_.query_start_micros = start;
  }

  // Evaluates name(columns...) over rows; arguments are constants (bound as such) when `constants`.
  std::vector<Value> rows(const std::string& name, const std::vector<std::vector<Value>>& columns,
                          bool constants = false) {
    std::vector<Type> types;
    std::vector<const Value*> constant_values;
    for (const auto& column : columns) {
      Type t = column[0].type;
      for (const auto& v : column)
        if (!v.is_null) t = v.type;
      types.push_back(t);
      constant_values.push_back(constants ? &column[0] : nullptr);
    }
    BoundFunction bound = registry_.bind_scalar(name, types, constant_values);
    last_type_ = bound.return_type;
    size_t count = columns.empty() ? 1 : columns[0].size();
    std::vector<Vector> args;
    for (size_t a = 0; a < columns.size(); a++) {
      Vector v(bound.arg_types[a], count);
      for (size_t i = 0; i < count; i++) v.set_value(i, coerce(columns[a][i], bound.arg_types[a]));
      args.push_back(std::move(v));
    }
    Vector out(bound.return_type, count);
    KernelCall call{context_, args, count, bound.return_type, bound.state.get()};
    bound.kernel(call, out);
    std::vector<Value> result;
    for (size_t i = 0; i < count; i++) result.push_back(out.get_value(i));
    return result;
  }

  // One row, every argument a constant; the result as Trino prints it.
  std::string eval(const std::string& name, const std::vector<Value>& args) {
    std::vector<std::vector<Value>> columns;
    for (const auto& a : args) columns.push_back({a});
    return rows(name, columns, true)[0].to_string();
  }

  // The message of the error evaluating name(args) throws ("" if none).
  std::string error(const std::string& name, const std::vector<Value>& args) {
    try {
      eval(name, args);
    } catch (const Error& e) {
      return e.message();
    }
    return "";
  }

  FunctionRegistry registry_;
  FunctionContext context_;
  Type last_type_;
};

// ---------------------------------------------------------------- strings

TEST_F(StringsDates, LengthCountsCodePoints) {
  EXPECT_EQ(eval("length", {S("hello")}), "5");
  EXPECT_EQ(eval("length", {S("héllo wörld")}), "11");
  EXPECT_EQ(eval("length", {S("日本語")}), "3");
  EXPECT_EQ(eval("length", {S("")}), "0");
  EXPECT_EQ(eval("length", {Null()}), "NULL");
  EXPECT_EQ(last_type_, Type::bigint());
}

TEST_F(StringsDates, LowerUpper) {
  EXPECT_EQ(eval("lower", {S("HeLLo")}), "hello");
  EXPECT_EQ(eval("upper", {S("straße ÄÖü")}), "STRAßE ÄÖÜ");
  EXPECT_EQ(eval("lower", {S("ÉCOLE ΑΒΓ")}), "école αβγ");
  EXPECT_EQ(eval("upper", {S("привет")}), "ПРИВЕТ");
}

TEST_F(StringsDates, Trim) {
  EXPECT_EQ(eval("trim", {S("  a b  ")}), "a b");
  EXPECT_EQ(eval("ltrim", {S("  a b  ")}), "a b  ");
  EXPECT_EQ(eval("rtrim", {S("  a b  ")}), "  a b");
  EXPECT_EQ(eval("trim", {S("\t\n x \r")}), "x");
  EXPECT_EQ(eval("trim", {S("xxaxyx"), S("xy")}), "a");
  EXPECT_EQ(eval("ltrim", {S("éé résumé"), S("é ")}), "résumé");
  EXPECT_EQ(eval("trim", {S("   ")}), "");
}

TEST_F(StringsDates, SubstrUtf8AndNegativeStart) {
  EXPECT_EQ(eval("substr", {S("héllo"), I(2)}), "éllo");
  EXPECT_EQ(eval("substr", {S("héllo"), I(2), I(3)}), "éll");
  EXPECT_EQ(eval("substring", {S("日本語です"), I(3), I(2)}), "語で");
  EXPECT_EQ(eval("substr", {S("hello"), I(-3)}), "llo");
  EXPECT_EQ(eval("substr", {S("hello"), I(-3), I(2)}), "ll");
  EXPECT_EQ(eval("substr", {S("hello"), I(-6)}), "");
  EXPECT_EQ(eval("substr", {S("hello"), I(0)}), "");
  EXPECT_EQ(eval("substr", {S("hello"), I(10)}), "");
  EXPECT_EQ(eval("substr", {S("hello"), I(2), I(0)}), "");
  EXPECT_EQ(eval("substr", {S("hello"), I(4), I(100)}), "lo");
  EXPECT_EQ(eval("substr", {S("hello"), Null(Type::bigint())}), "NULL");
}

TEST_F(StringsDates, SubstrKeepsVarcharLength) {
  std::vector<Type> types = {Type::varchar(10), Type::bigint()};
  BoundFunction bound = registry_.bind_scalar("substr", types, {nullptr, nullptr});
  EXPECT_EQ(bound.return_type, Type::varchar(10));
  bound = registry_.bind_scalar("concat", {Type::varchar(3), Type::varchar(4)}, {nullptr, nullptr});
  EXPECT_EQ(bound.return_type, Type::varchar(7));
}

TEST_F(StringsDates, ConcatAndNulls) {
  EXPECT_EQ(eval("concat", {S("a"), S("bc"), S("déf")}), "abcdéf");
  EXPECT_EQ(eval("$concat", {S("x"), S("y")}), "xy");
  EXPECT_EQ(eval("concat", {S("a"), Null()}), "NULL");
  EXPECT_EQ(eval("concat_ws", {S(","), S("a"), Null(), S("b")}), "a,b");
  EXPECT_EQ(eval("concat_ws", {Null(), S("a"), S("b")}), "NULL");
  auto out = rows("concat", {{S("a"), Null(), S("c")}, {S("1"), S("2"), Null()}});
  EXPECT_EQ(out[0].to_string(), "a1");
  EXPECT_TRUE(out[1].is_null);
  EXPECT_TRUE(out[2].is_null);
}

TEST_F(StringsDates, ReplaceStrposSplitPart) {
  EXPECT_EQ(eval("replace", {S("banana"), S("an"), S("AN")}), "bANANa");
  EXPECT_EQ(eval("replace", {S("banana"), S("a")}), "bnn");
  EXPECT_EQ(eval("replace", {S("abc"), S(""), S("-")}), "-a-b-c-");
  EXPECT_EQ(eval("strpos", {S("héllo"), S("l")}), "3");
  EXPECT_EQ(eval("strpos", {S("hello"), S("z")}), "0");
  EXPECT_EQ(eval("strpos", {S("abcabc"), S("bc"), I(2)}), "5");
  EXPECT_EQ(eval("strpos", {S("abcabc"), S("bc"), I(-1)}), "5");
  EXPECT_EQ(eval("strpos", {S("aaa"), S("aa"), I(2)}), "2");
  EXPECT_EQ(error("strpos", {S("abc"), S("b"), I(0)}), "'instance' must be a positive or negative number.");
  EXPECT_EQ(eval("split_part", {S("a,b,c"), S(","), I(2)}), "b");
  EXPECT_EQ(eval("split_part", {S("a,b,c"), S(","), I(3)}), "c");
  EXPECT_EQ(eval("split_part", {S("a,b,c"), S(","), I(4)}), "NULL");
  EXPECT_EQ(eval("split_part", {S("a::b"), S("::"), I(2)}), "b");
  EXPECT_EQ(error("split_part", {S("a,b"), S(","), I(0)}), "Index must be greater than zero");
}

TEST_F(StringsDates, Padding) {
  EXPECT_EQ(eval("lpad", {S("abc"), I(6), S("xy")}), "xyxabc");
  EXPECT_EQ(eval("rpad", {S("abc"), I(6), S("xy")}), "abcxyx");
  EXPECT_EQ(eval("lpad", {S("abcdef"), I(3), S("x")}), "abc");
  EXPECT_EQ(eval("rpad", {S("abcdef"), I(3), S("x")}), "abc");
  EXPECT_EQ(eval("lpad", {S("é"), I(3), S("ü")}), "üüé");
  EXPECT_EQ(error("lpad", {S("abc"), I(5), S("")}), "Padding string must not be empty");
  EXPECT_EQ(error("rpad", {S("abc"), I(-1), S("x")}), "Target length must be in the range [0..2147483647]");
}

TEST_F(StringsDates, MiscStringFunctions) {
  EXPECT_EQ(eval("starts_with", {S("hello"), S("he")}), "true");
  EXPECT_EQ(eval("starts_with", {S("hello"), S("lo")}), "false");
  EXPECT_EQ(eval("ends_with", {S("hello"), S("lo")}), "true");
  EXPECT_EQ(eval("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(eval("chr", {I(233)}), "é");
  EXPECT_EQ(eval("codepoint", {S("é")}), "233");
  EXPECT_EQ(error("chr", {I(-1)}), "Not a valid Unicode code point: -1");
  EXPECT_EQ(eval("to_utf8", {S("ab")}), "61 62");
  EXPECT_EQ(eval("from_utf8", {Value::string("a\xff" "b", Type::varbinary())}), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(eval("levenshtein_distance", {S("kitten"), S("sitting")}), "3");
  EXPECT_EQ(eval("levenshtein_distance", {S(""), S("abc")}), "3");
  EXPECT_EQ(eval("hamming_distance", {S("karolin"), S("kathrin")}), "3");
  EXPECT_EQ(error("hamming_distance", {S("a"), S("ab")}),
            "The input strings to hamming_distance function must have the same length");
}

// ---------------------------------------------------------------- regexp

TEST_F(StringsDates, RegexpLikeAndExtract) {
  EXPECT_EQ(eval("regexp_like", {S("abc123"), S("\\d+")}), "true");
  EXPECT_EQ(eval("regexp_like", {S("abc"), S("^b")}), "false");
  EXPECT_EQ(eval("regexp_extract", {S("abc123def456"), S("\\d+")}), "123");
  EXPECT_EQ(eval("regexp_extract", {S("key=value"), S("(\\w+)=(\\w+)"), I(2)}), "value");
  EXPECT_EQ(eval("regexp_extract", {S("abc"), S("\\d+")}), "NULL");
  EXPECT_EQ(eval("regexp_extract", {S("ac"), S("a(b)?c"), I(1)}), "NULL");
  EXPECT_EQ(error("regexp_extract", {S("abc"), S("(a)"), I(2)}), "Pattern has 1 groups. Cannot access group 2");
  EXPECT_EQ(eval("regexp_count", {S("a1b22c333"), S("\\d+")}), "3");
  EXPECT_EQ(eval("regexp_position", {S("héllo wörld"), S("w")}), "7");
  EXPECT_EQ(eval("regexp_position", {S("a1b2c3"), S("\\d"), I(3), I(2)}), "6");
  EXPECT_EQ(eval("regexp_position", {S("abc"), S("z")}), "-1");
  EXPECT_FALSE(error("regexp_like", {S("abc"), S("(unclosed")}).empty());
}

TEST_F(StringsDates, RegexpReplace) {
  EXPECT_EQ(eval("regexp_replace", {S("1a 2b 14m"), S("\\d+")}), "a b m");
  EXPECT_EQ(eval("regexp_replace", {S("1a 2b 14m"), S("(\\d+)([ab]) "), S("3c$2 ")}), "3ca 3cb 14m");
  EXPECT_EQ(eval("regexp_replace", {S("John Smith"), S("(\\w+) (\\w+)"), S("$2, $1")}), "Smith, John");
  EXPECT_EQ(eval("regexp_replace", {S("John Smith"), S("(?<first>\\w+) (?<last>\\w+)"), S("${last} ${first}")}),
            "Smith John");
  EXPECT_EQ(eval("regexp_replace", {S("a.b"), S("\\."), S("\\$")}), "a$b");
  EXPECT_EQ(eval("regexp_replace", {S("abc"), S(""), S("-")}), "-a-b-c-");
  EXPECT_EQ(eval("regexp_replace", {S("baaac"), S("a*"), S("-")}), "-b--c-");
  EXPECT_EQ(error("regexp_replace", {S("abc"), S("(b)"), S("$2")}), "Illegal replacement sequence: $2");
  EXPECT_EQ(eval("regexp_replace", {S("xyz"), S("(b)"), S("$2")}), "xyz");  // checked only on a match
}

TEST_F(StringsDates, RegexpWithPatternColumn) {
  auto out = rows("regexp_like", {{S("abc"), S("abc"), S("123"), S("x")}, {S("b"), S("^b"), S("\\d"), Null()}});
  EXPECT_EQ(out[0].to_string(), "true");
  EXPECT_EQ(out[1].to_string(), "false");
  EXPECT_EQ(out[2].to_string(), "true");
  EXPECT_TRUE(out[3].is_null);
}

// ---------------------------------------------------------------- dates

TEST_F(StringsDates, DateTrunc) {
  EXPECT_EQ(eval("date_trunc", {S("week"), D("2024-03-14")}), "2024-03-11");  // Thursday -> Monday
  EXPECT_EQ(eval("date_trunc", {S("week"), D("2024-03-10")}), "2024-03-04");  // Sunday -> Monday before
  EXPECT_EQ(eval("date_trunc", {S("quarter"), D("2024-08-20")}), "2024-07-01");
  EXPECT_EQ(eval("date_trunc", {S("MONTH"), D("2024-08-20")}), "2024-08-01");
  EXPECT_EQ(eval("date_trunc", {S("year"), D("2024-08-20")}), "2024-01-01");
  EXPECT_EQ(eval("date_trunc", {S("hour"), TS("2024-08-20 13:45:12.345")}), "2024-08-20 13:00:00.000");
  EXPECT_EQ(eval("date_trunc", {S("second"), TS("2024-08-20 13:45:12.345")}), "2024-08-20 13:45:12.000");
  EXPECT_EQ(eval("date_trunc", {S("quarter"), TS("2024-05-20 13:45:12.345")}), "2024-04-01 00:00:00.000");
  EXPECT_EQ(eval("date_trunc", {S("day"), TS("1969-12-31 23:59:59.999")}), "1969-12-31 00:00:00.000");
  EXPECT_EQ(error("date_trunc", {S("decade"), D("2024-01-01")}), "'decade' is not a valid DATE field");
  EXPECT_EQ(error("date_trunc", {S("hour"), D("2024-01-01")}), "'hour' is not a valid DATE field");
}

TEST_F(StringsDates, DateAddClampsToMonthEnd) {
  EXPECT_EQ(eval("date_add", {S("month"), I(1), D("2024-01-31")}), "2024-02-29");
  EXPECT_EQ(eval("date_add", {S("month"), I(1), D("2023-01-31")}), "2023-02-28");
  EXPECT_EQ(eval("date_add", {S("year"), I(1), D("2024-02-29")}), "2025-02-28");
  EXPECT_EQ(eval("date_add", {S("quarter"), I(-1), D("2024-05-31")}), "2024-02-29");
  EXPECT_EQ(eval("date_add", {S("day"), I(-1), D("2024-03-01")}), "2024-02-29");
  EXPECT_EQ(eval("date_add", {S("week"), I(2), D("2024-03-01")}), "2024-03-15");
  EXPECT_EQ(eval("date_add", {S("hour"), I(25), TS("2024-03-01 00:30:00")}), "2024-03-02 01:30:00.000");
  EXPECT_EQ(eval("date_add", {S("month"), I(1), TS("2024-01-31 10:00:00")}), "2024-02-29 10:00:00.000");
  EXPECT_EQ(eval("date_add", {S("millisecond"), I(1500), TS("2024-01-31 10:00:00")}), "2024-01-31 10:00:01.500");
}

TEST_F(StringsDates, DateDiff) {
  EXPECT_EQ(eval("date_diff", {S("day"), D("2024-01-01"), D("2024-03-01")}), "60");
  EXPECT_EQ(eval("date_diff", {S("month"), D("2024-01-31"), D("2024-02-29")}), "1");
  EXPECT_EQ(eval("date_diff", {S("month"), D("2024-01-30"), D("2024-02-28")}), "0");
  EXPECT_EQ(eval("date_diff", {S("month"), D("2024-02-29"), D("2024-01-31")}), "-1");
  EXPECT_EQ(eval("date_diff", {S("month"), D("2024-01-15"), D("2024-03-14")}), "1");
  EXPECT_EQ(eval("date_diff", {S("year"), D("2020-02-29"), D("2021-02-28")}), "1");
  EXPECT_EQ(eval("date_diff", {S("year"), D("2020-03-01"), D("2021-02-28")}), "0");
  EXPECT_EQ(eval("date_diff", {S("quarter"), D("2024-01-01"), D("2024-12-31")}), "3");
  EXPECT_EQ(eval("date_diff", {S("week"), D("2024-01-01"), D("2024-01-14")}), "1");
  EXPECT_EQ(eval("date_diff", {S("hour"), TS("2024-01-01 10:00:00"), TS("2024-01-02 09:59:59")}), "23");
  EXPECT_EQ(eval("date_diff", {S("second"), TS("2024-01-01 10:00:00.900"), TS("2024-01-01 10:00:02.100")}), "1");
  EXPECT_EQ(eval("date_diff", {S("day"), D("2024-01-01"), TS("2024-01-03 12:00:00")}), "2");
}

TEST_F(StringsDates, ExtractFields) {
  EXPECT_EQ(eval("day_of_week", {D("2024-03-10")}), "7");  // Sunday
  EXPECT_EQ(eval("dow", {D("2024-03-11")}), "1");          // Monday
  EXPECT_EQ(eval("year", {D("2024-03-10")}), "2024");
  EXPECT_EQ(eval("quarter", {D("2024-08-10")}), "3");
  EXPECT_EQ(eval("month", {TS("2024-08-10 01:02:03")}), "8");
  EXPECT_EQ(eval("day", {TS("2024-08-10 01:02:03")}), "10");
  EXPECT_EQ(eval("day_of_year", {D("2024-12-31")}), "366");
  EXPECT_EQ(eval("week", {D("2021-01-03")}), "53");  // ISO week of 2020
  EXPECT_EQ(eval("year_of_week", {D("2021-01-03")}), "2020");
  EXPECT_EQ(eval("week_of_year", {D("2024-12-30")}), "1");
  EXPECT_EQ(eval("hour", {TS("2024-08-10 13:02:03.456")}), "13");
  EXPECT_EQ(eval("minute", {TS("2024-08-10 13:02:03.456")}), "2");
  EXPECT_EQ(eval("second", {TS("2024-08-10 13:02:03.456")}), "3");
  EXPECT_EQ(eval("millisecond", {TS("2024-08-10 13:02:03.456")}), "456");
  EXPECT_EQ(eval("hour", {TS("1969-12-31 23:00:00")}), "23");
  EXPECT_EQ(eval("last_day_of_month", {D("2024-02-10")}), "2024-02-29");
  EXPECT_THROW(registry_.bind_scalar("hour", {Type::date()}, {nullptr}), Error);
}

TEST_F(StringsDates, FormatDatetimeJoda) {
  Value t = TS("2024-03-05 14:07:09.045");
  EXPECT_EQ(eval("format_datetime", {t, S("yyyy-MM-dd HH:mm:ss.SSS")}), "2024-03-05 14:07:09.045");
  EXPECT_EQ(eval("format_datetime", {t, S("EEEE, MMMM d, yy h:mm a")}), "Tuesday, March 5, 24 2:07 PM");
  EXPECT_EQ(eval("format_datetime", {t, S("EEE MMM dd 'at' HH'h' ''")}), "Tue Mar 05 at 14h '");
  EXPECT_EQ(error("format_datetime", {t, S("yyyy-qq")}), "Illegal pattern component: qq");
}

TEST_F(StringsDates, DateFormatMysql) {
  Value t = TS("2024-03-05 14:07:09.045");
  EXPECT_EQ(eval("date_format", {t, S("%Y-%m-%d %H:%i:%s")}), "2024-03-05 14:07:09");
  EXPECT_EQ(eval("date_format", {t, S("%W %M %e %y %r")}), "Tuesday March 5 24 02:07:09 PM");
  EXPECT_EQ(eval("date_format", {t, S("%a %b %c %j %T %f %p %%")}), "Tue Mar 3 065 14:07:09 045000 PM %");
  EXPECT_EQ(error("date_format", {t, S("%U")}), "%U not supported in date format string");
}

TEST_F(StringsDates, ParseFunctions) {
  EXPECT_EQ(eval("date_parse", {S("2024-03-05 14:07:09"), S("%Y-%m-%d %H:%i:%s")}), "2024-03-05 14:07:09.000");
  EXPECT_EQ(eval("date_parse", {S("05/03/69 2:07 pm"), S("%d/%m/%y %l:%i %p")}), "2069-03-05 14:07:00.000");
  EXPECT_EQ(eval("date_parse", {S("2024-03-05 14:07:09.123456"), S("%Y-%m-%d %H:%i:%s.%f")}),
            "2024-03-05 14:07:09.123");
  EXPECT_EQ(error("date_parse", {S("2024-13-05"), S("%Y-%m-%d")}),
            "Cannot parse \"2024-13-05\": Value 13 for monthOfYear must be in the range [1,12]");
  EXPECT_EQ(error("date_parse", {S("2024-03-05x"), S("%Y-%m-%d")}),
            "Invalid format: \"2024-03-05x\" is malformed at \"x\"");
  EXPECT_EQ(error("date_parse", {S("2024-03"), S("%Y-%m-%d")}), "Invalid format: \"2024-03\" is too short");
  EXPECT_EQ(eval("parse_datetime", {S("2024-03-05T14:07:09.045+01:00"), S("yyyy-MM-dd'T'HH:mm:ss.SSSZZ")}),
            "2024-03-05 13:07:09.045");
  EXPECT_EQ(eval("parse_datetime", {S("Mar 5 2024"), S("MMM d yyyy")}), "2024-03-05 00:00:00.000");
}

TEST_F(StringsDates, IsoAndUnixTime) {
  EXPECT_EQ(eval("from_iso8601_date", {S("2024-03-05")}), "2024-03-05");
  EXPECT_EQ(eval("from_iso8601_date", {S("2020-W10-5")}), "2020-03-06");
  EXPECT_EQ(eval("from_iso8601_timestamp", {S("2024-03-05T14:07:09.5Z")}), "2024-03-05 14:07:09.500");
  EXPECT_EQ(eval("from_iso8601_timestamp", {S("2024-03-05T14:07:09-02:00")}), "2024-03-05 16:07:09.000");
  EXPECT_EQ(eval("to_iso8601", {TS("2024-03-05 14:07:09.045")}), "2024-03-05T14:07:09.045");
  EXPECT_EQ(eval("to_iso8601", {D("2024-03-05")}), "2024-03-05");
  EXPECT_EQ(eval("to_unixtime", {TS("1970-01-02 00:00:01.500")}), "86401.5");
  EXPECT_EQ(eval("from_unixtime", {I(86401)}), "1970-01-02 00:00:01.000");
  EXPECT_EQ(eval("date", {S("2024-03-05")}), "2024-03-05");
  EXPECT_EQ(eval("date", {TS("2024-03-05 23:59:59")}), "2024-03-05");
  EXPECT_EQ(error("date", {S("2024-02-30")}), "Value cannot be cast to date: 2024-02-30");
}

TEST_F(StringsDates, CurrentDateAndTimestamp) {
  EXPECT_EQ(eval("current_date", {}), "2024-03-10");
  EXPECT_EQ(eval("current_timestamp", {}), "2024-03-10 15:45:30.123");
  EXPECT_FALSE(registry_.bind_scalar("now", {}, {}).deterministic);
  context_.time_zone = "-08:00";
  EXPECT_EQ(eval("localtimestamp", {}), "2024-03-10 07:45:30.123");
}

TEST_F(StringsDates, TimestampPrecisionIsKept) {
  BoundFunction bound = registry_.bind_scalar("date_trunc", {Type::varchar(), Type::timestamp(6)}, {nullptr, nullptr});
  EXPECT_EQ(bound.return_type, Type::timestamp(6));
  EXPECT_EQ(eval("date_add", {S("second"), I(1), TS("2024-01-01 00:00:00.123456", 6)}), "2024-01-01 00:00:01.123456");
}

TEST_F(StringsDates, NullPropagationAcrossRows) {
  auto out = rows("date_add", {{S("day"), S("day"), S("month")}, {I(1), Null(Type::bigint()), I(1)},
                               {D("2024-01-31"), D("2024-01-31"), Null(Type::date())}});
  EXPECT_EQ(out[0].to_string(), "2024-02-01");
  EXPECT_TRUE(out[1].is_null);
  EXPECT_TRUE(out[2].is_null);
}

}  // namespace
}  // namespace tributary
