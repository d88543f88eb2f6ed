// Tests of src/common: decimal arithmetic helpers, calendar arithmetic,
// Value's text forms (Trino/Java style doubles), type names and coercion
// rules, and the error helpers (codes, positions, "Did you mean").
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "common/types.h"
#include "common/value.h"

using namespace tributary;

namespace {

int128 parse_decimal(const char* text, int scale) {
  int128 out = 0;
  EXPECT_TRUE(decimal::parse(text, scale, &out)) << text;
  return out;
}

std::string parse_to_string(const char* text, int scale) {
  return decimal::to_string(parse_decimal(text, scale), scale);
}

bool parse_fails(const char* text, int scale) {
  int128 out = 0;
  return !decimal::parse(text, scale, &out);
}

ErrorCode code_of_type_error(const std::string& text, std::string* message = nullptr) {
  try {
    parse_type_name(text);
  } catch (const Error& e) {
    if (message) *message = e.message();
    return e.code();
  }
  return ErrorCode::INTERNAL_ERROR;
}

Type super(const Type& a, const Type& b) {
  Type out;
  EXPECT_TRUE(common_super_type(a, b, &out)) << a.to_string() << " / " << b.to_string();
  return out;
}

}  // namespace

// ---------------------------------------------------------------- decimal

TEST(CommonDecimal, ParseAndToStringAtScale) {
  EXPECT_EQ(parse_decimal("123.45", 2), 12345);
  EXPECT_EQ(parse_to_string("123.45", 2), "123.45");
  EXPECT_EQ(parse_to_string("123.45", 4), "123.4500");
  EXPECT_EQ(parse_to_string("7", 2), "7.00");
  EXPECT_EQ(parse_to_string("  +7 ", 0), "7");
  EXPECT_EQ(parse_to_string(".5", 1), "0.5");
  EXPECT_EQ(parse_to_string("-0.25", 2), "-0.25");
  EXPECT_EQ(parse_to_string("000123", 0), "123");
}

TEST(CommonDecimal, ParseRoundsHalfAwayFromZero) {
  EXPECT_EQ(parse_to_string("1.005", 2), "1.01");
  EXPECT_EQ(parse_to_string("1.004", 2), "1.00");
  EXPECT_EQ(parse_to_string("-1.005", 2), "-1.01");
  EXPECT_EQ(parse_to_string("-1.004", 2), "-1.00");
  EXPECT_EQ(parse_to_string("0.5", 0), "1");
  EXPECT_EQ(parse_to_string("-0.5", 0), "-1");
  EXPECT_EQ(parse_to_string("2.4999", 0), "2");
  EXPECT_EQ(parse_to_string("0.05", 1), "0.1");
  EXPECT_EQ(parse_to_string("0.04", 0), "0");
}

TEST(CommonDecimal, ParseExponents) {
  EXPECT_EQ(parse_decimal("1e3", 0), 1000);
  EXPECT_EQ(parse_decimal("-1e3", 0), -1000);
  EXPECT_EQ(parse_to_string("1.5E-2", 3), "0.015");
  EXPECT_EQ(parse_to_string("1.5E-2", 2), "0.02");
  EXPECT_EQ(parse_to_string("2.5e+1", 1), "25.0");
  EXPECT_TRUE(parse_fails("1e", 0));
  EXPECT_TRUE(parse_fails("1e+", 0));
  EXPECT_TRUE(parse_fails("1e3x", 0));
  EXPECT_TRUE(parse_fails("e3", 0));
}

TEST(CommonDecimal, ParseRejectsGarbage) {
  EXPECT_TRUE(parse_fails("", 0));
  EXPECT_TRUE(parse_fails("abc", 0));
  EXPECT_TRUE(parse_fails("1.2.3", 0));
  EXPECT_TRUE(parse_fails("-", 0));
  EXPECT_TRUE(parse_fails("1 2", 0));
}

TEST(CommonDecimal, ThirtyEightDigitLimit) {
  const char* max38 = "99999999999999999999999999999999999999";
  EXPECT_EQ(parse_decimal(max38, 0), decimal::max_unscaled(38));
  EXPECT_EQ(decimal::to_string(decimal::max_unscaled(38), 0), max38);
  EXPECT_EQ(parse_decimal("-99999999999999999999999999999999999999", 0), -decimal::max_unscaled(38));
  EXPECT_TRUE(parse_fails("100000000000000000000000000000000000000", 0));  // 39 digits
  EXPECT_TRUE(parse_fails("99999999999999999999999999999999999999.5", 0));  // rounds to 39 digits
  EXPECT_TRUE(parse_fails("1", 38));  // 1 followed by 38 zeros
  EXPECT_EQ(parse_decimal("0.1", 38), decimal::pow10(37));
  EXPECT_TRUE(decimal::fits(decimal::max_unscaled(10), 10));
  EXPECT_FALSE(decimal::fits(decimal::pow10(10), 10));
  EXPECT_FALSE(decimal::fits(-decimal::pow10(10), 10));
  EXPECT_EQ(decimal::int128_to_string(std::numeric_limits<int128>::min()),
            "-170141183460469231731687303715884105728");
}

TEST(CommonDecimal, ToStringPadsFraction) {
  EXPECT_EQ(decimal::to_string(-5, 3), "-0.005");
  EXPECT_EQ(decimal::to_string(0, 2), "0.00");
  EXPECT_EQ(decimal::to_string(150, 2), "1.50");
  EXPECT_EQ(decimal::to_string(-12345, 0), "-12345");
}

TEST(CommonDecimal, RescaleRoundsHalfAwayFromZero) {
  EXPECT_EQ(decimal::rescale(12345, 2, 0), 123);
  EXPECT_EQ(decimal::rescale(12350, 2, 0), 124);
  EXPECT_EQ(decimal::rescale(-12350, 2, 0), -124);
  EXPECT_EQ(decimal::rescale(-12349, 2, 0), -123);
  EXPECT_EQ(decimal::rescale(15, 1, 3), 1500);
  EXPECT_EQ(decimal::rescale(-15, 1, 1), -15);
}

TEST(CommonDecimal, DivideRound) {
  EXPECT_EQ(decimal::divide_round(7, 2), 4);
  EXPECT_EQ(decimal::divide_round(-7, 2), -4);
  EXPECT_EQ(decimal::divide_round(7, -2), -4);
  EXPECT_EQ(decimal::divide_round(-7, -2), 4);
  EXPECT_EQ(decimal::divide_round(5, 3), 2);
  EXPECT_EQ(decimal::divide_round(4, 3), 1);
  EXPECT_EQ(decimal::divide_round(-1, 3), 0);
  EXPECT_EQ(decimal::divide_round(6, 3), 2);
}

TEST(CommonDecimal, LiteralTypeAndDoubleConversions) {
  int p = 0, s = 0;
  decimal::literal_type("123.450", &p, &s);
  EXPECT_EQ(p, 6);
  EXPECT_EQ(s, 3);
  decimal::literal_type("0.05", &p, &s);
  EXPECT_EQ(p, 2);
  EXPECT_EQ(s, 2);
  decimal::literal_type("007", &p, &s);
  EXPECT_EQ(p, 1);
  EXPECT_EQ(s, 0);
  EXPECT_DOUBLE_EQ(decimal::to_double(12345, 2), 123.45);
  int128 out = 0;
  ASSERT_TRUE(decimal::from_double(2.5, 5, 0, &out));
  EXPECT_EQ(out, 3);
  ASSERT_TRUE(decimal::from_double(-2.5, 5, 0, &out));
  EXPECT_EQ(out, -3);
  ASSERT_TRUE(decimal::from_double(0.125, 5, 2, &out));
  EXPECT_EQ(out, 13);
  EXPECT_FALSE(decimal::from_double(1000.0, 3, 0, &out));
  EXPECT_FALSE(decimal::from_double(std::nan(""), 10, 0, &out));
  EXPECT_FALSE(decimal::from_double(INFINITY, 10, 0, &out));
}

// ---------------------------------------------------------------- datetime

TEST(CommonDatetime, KnownDays) {
  EXPECT_EQ(datetime::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(datetime::days_from_civil(2000, 1, 1), 10957);
  EXPECT_EQ(datetime::days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(datetime::days_from_civil(1600, 1, 1), -135140);
  EXPECT_EQ(datetime::days_from_civil(2400, 12, 31), 157419);
  EXPECT_EQ(datetime::days_from_civil(1900, 3, 1), -25508);
  EXPECT_EQ(datetime::format_date(-1), "1969-12-31");
  EXPECT_EQ(datetime::format_date(19782), "2024-02-29");
}

TEST(CommonDatetime, RoundTripsFrom1600To2400) {
  int64_t first = datetime::days_from_civil(1600, 1, 1);
  int64_t last = datetime::days_from_civil(2400, 12, 31);
  int64_t expected_year = 1600;
  unsigned expected_month = 1, expected_day = 1;
  int leap_days = 0;
  int mismatches = 0;
  for (int64_t days = first; days <= last; days++) {
    int64_t y;
    unsigned m, d;
    datetime::civil_from_days(days, &y, &m, &d);
    if (y != expected_year || m != expected_month || d != expected_day) mismatches++;
    if (datetime::days_from_civil(y, m, d) != days) mismatches++;
    if (m == 2 && d == 29) leap_days++;
    // advance the expected calendar date by one day
    if (expected_day < datetime::days_in_month(expected_year, expected_month)) {
      expected_day++;
    } else {
      expected_day = 1;
      if (++expected_month > 12) {
        expected_month = 1;
        expected_year++;
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(expected_year, 2401);
  // Multiples of 4 in 1600..2400 (201) minus 1700, 1800, 1900, 2100, 2200, 2300.
  EXPECT_EQ(leap_days, 195);
  EXPECT_EQ(last - first + 1, 801 * 365 + 195);
}

TEST(CommonDatetime, LeapYears) {
  EXPECT_EQ(datetime::days_in_month(2024, 2), 29u);
  EXPECT_EQ(datetime::days_in_month(2023, 2), 28u);
  EXPECT_EQ(datetime::days_in_month(1900, 2), 28u);
  EXPECT_EQ(datetime::days_in_month(2000, 2), 29u);
  EXPECT_EQ(datetime::days_in_month(2023, 4), 30u);
  EXPECT_TRUE(datetime::valid_date(2000, 2, 29));
  EXPECT_FALSE(datetime::valid_date(1900, 2, 29));
  EXPECT_FALSE(datetime::valid_date(2024, 2, 30));
  EXPECT_FALSE(datetime::valid_date(2024, 13, 1));
  EXPECT_FALSE(datetime::valid_date(2024, 0, 1));
  EXPECT_FALSE(datetime::valid_date(2024, 1, 0));
}

TEST(CommonDatetime, ParseDate) {
  int64_t days = -7;
  ASSERT_TRUE(datetime::parse_date("2024-01-15", &days));
  EXPECT_EQ(days, 19737);
  ASSERT_TRUE(datetime::parse_date(" 2024-02-29 ", &days));
  EXPECT_EQ(days, 19782);
  ASSERT_TRUE(datetime::parse_date("2024-1-5", &days));
  EXPECT_EQ(datetime::format_date(days), "2024-01-05");
  ASSERT_TRUE(datetime::parse_date("1969-12-31", &days));
  EXPECT_EQ(days, -1);
  EXPECT_FALSE(datetime::parse_date("2024-02-30", &days));
  EXPECT_FALSE(datetime::parse_date("2023-02-29", &days));
  EXPECT_FALSE(datetime::parse_date("2024-13-01", &days));
  EXPECT_FALSE(datetime::parse_date("2024/01/15", &days));
  EXPECT_FALSE(datetime::parse_date("2024-01-15x", &days));
  EXPECT_FALSE(datetime::parse_date("2024-01-15 10:00:00", &days));
  EXPECT_FALSE(datetime::parse_date("", &days));
  EXPECT_FALSE(datetime::parse_date("hello", &days));
}

TEST(CommonDatetime, ParseTimestamp) {
  const int64_t base = 19737 * datetime::kMicrosPerDay;  // 2024-01-15
  int64_t micros = 0;
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15 10:20:30.123456", &micros));
  EXPECT_EQ(micros, 1705314030123456LL);
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15T10:20:30Z", &micros));
  EXPECT_EQ(micros, 1705314030000000LL);
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15", &micros));
  EXPECT_EQ(micros, base);
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15 10:20", &micros));
  EXPECT_EQ(micros, base + (10 * 3600 + 20 * 60) * datetime::kMicrosPerSecond);
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15 10:20:30.5", &micros));
  EXPECT_EQ(micros, 1705314030500000LL);
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15 10:20:30.1234567", &micros));
  EXPECT_EQ(micros, 1705314030123456LL);  // digits past microseconds are dropped
  ASSERT_TRUE(datetime::parse_timestamp("2024-01-15 10:20:30 UTC", &micros));
  EXPECT_EQ(micros, 1705314030000000LL);
  EXPECT_FALSE(datetime::parse_timestamp("2024-02-30 00:00:00", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15 24:00:00", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15 10:60:00", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15 10:20:30.", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15 10", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15X10:20:30", &micros));
  EXPECT_FALSE(datetime::parse_timestamp("2024-01-15 10:20:30+02:00", &micros));
}

TEST(CommonDatetime, FormatTimestampPrecisions) {
  const int64_t ts = 1705314030123456LL;
  EXPECT_EQ(datetime::format_timestamp(ts, 0), "2024-01-15 10:20:30");
  EXPECT_EQ(datetime::format_timestamp(ts, 1), "2024-01-15 10:20:30.1");
  EXPECT_EQ(datetime::format_timestamp(ts, 3), "2024-01-15 10:20:30.123");
  EXPECT_EQ(datetime::format_timestamp(ts, 6), "2024-01-15 10:20:30.123456");
  EXPECT_EQ(datetime::format_timestamp(ts, 9), "2024-01-15 10:20:30.123456000");
  EXPECT_EQ(datetime::format_timestamp(-1, 6), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(datetime::format_timestamp(0, 3), "1970-01-01 00:00:00.000");
}

TEST(CommonDatetime, AddMonthsClampsToMonthEnd) {
  auto d = [](int y, unsigned m, unsigned day) { return datetime::days_from_civil(y, m, day); };
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2024, 1, 31), 1)), "2024-02-29");
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2023, 1, 31), 1)), "2023-02-28");
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2024, 3, 31), -1)), "2024-02-29");
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2024, 1, 15), -13)), "2022-12-15");
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2024, 2, 29), 12)), "2025-02-28");
  EXPECT_EQ(datetime::format_date(datetime::add_months_to_days(d(2024, 5, 31), 1)), "2024-06-30");
  int64_t ts = 1705314030123456LL;  // 2024-01-15 10:20:30.123456
  EXPECT_EQ(datetime::format_timestamp(datetime::add_months_to_micros(ts, 1), 6), "2024-02-15 10:20:30.123456");
  int64_t before_epoch = -1;  // 1969-12-31 23:59:59.999999
  EXPECT_EQ(datetime::format_timestamp(datetime::add_months_to_micros(before_epoch, 2), 6),
            "1970-02-28 23:59:59.999999");
}

TEST(CommonDatetime, DayOfWeek) {
  EXPECT_EQ(datetime::day_of_week(0), 4);       // 1970-01-01 Thursday
  EXPECT_EQ(datetime::day_of_week(19737), 1);   // 2024-01-15 Monday
  EXPECT_EQ(datetime::day_of_week(19736), 7);   // 2024-01-14 Sunday
  EXPECT_EQ(datetime::day_of_week(-1), 3);      // 1969-12-31 Wednesday
  EXPECT_EQ(datetime::day_of_week(-135140), 6); // 1600-01-01 Saturday
  EXPECT_EQ(datetime::floor_div(-7, 2), -4);
  EXPECT_EQ(datetime::floor_mod(-7, 2), 1);
}

// ---------------------------------------------------------------- Value text forms

TEST(CommonValue, FormatDoubleJavaStyle) {
  EXPECT_EQ(format_double(1.0), "1.0");
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(1e10), "1.0E10");
  EXPECT_EQ(format_double(1e-5), "1.0E-5");
  EXPECT_EQ(format_double(123456.789), "123456.789");
  EXPECT_EQ(format_double(std::nan("")), "NaN");
  EXPECT_EQ(format_double(INFINITY), "Infinity");
  EXPECT_EQ(format_double(-INFINITY), "-Infinity");
  EXPECT_EQ(format_double(0.0), "0.0");
  EXPECT_EQ(format_double(-0.0), "-0.0");
  EXPECT_EQ(format_double(100.0), "100.0");
  EXPECT_EQ(format_double(-2.5), "-2.5");
  EXPECT_EQ(format_double(0.001), "0.001");
  EXPECT_EQ(format_double(0.0001), "1.0E-4");
  EXPECT_EQ(format_double(9999999.0), "9999999.0");
  EXPECT_EQ(format_double(1e7), "1.0E7");
  EXPECT_EQ(format_double(12345678.0), "1.2345678E7");
  EXPECT_EQ(format_double(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
}

TEST(CommonValue, FormatReal) {
  EXPECT_EQ(format_real(0.1f), "0.1");
  EXPECT_EQ(format_real(1.1f), "1.1");
  EXPECT_EQ(format_real(1.0f), "1.0");
  EXPECT_EQ(format_real(3.4028235e38f), "3.4028235E38");
  EXPECT_EQ(Value::floating((float)0.1f, Type::real()).to_string(), "0.1");
  EXPECT_EQ(Value::floating(0.1, Type::double_()).to_string(), "0.1");
}

TEST(CommonValue, ToStringPerType) {
  EXPECT_EQ(Value::null().to_string(), "NULL");
  EXPECT_EQ(Value::null(Type::integer()).to_string(), "NULL");
  EXPECT_EQ(Value::boolean(true).to_string(), "true");
  EXPECT_EQ(Value::boolean(false).to_string(), "false");
  EXPECT_EQ(Value::integer(-42, Type::integer()).to_string(), "-42");
  EXPECT_EQ(Value::decimal(150, Type::decimal(3, 2)).to_string(), "1.50");
  EXPECT_EQ(Value::decimal(-5, Type::decimal(5, 3)).to_string(), "-0.005");
  EXPECT_EQ(Value::string("héllo").to_string(), "héllo");
  EXPECT_EQ(Value::integer(19737, Type::date()).to_string(), "2024-01-15");
  EXPECT_EQ(Value::integer(1705314030123456LL, Type::timestamp(3)).to_string(), "2024-01-15 10:20:30.123");
  EXPECT_EQ(Value::integer(1705314030123456LL, Type::timestamp(6)).to_string(), "2024-01-15 10:20:30.123456");
  EXPECT_EQ(Value::integer(90061001, Type::interval_day_time()).to_string(), "1 01:01:01.001");
  EXPECT_EQ(Value::integer(-90061001, Type::interval_day_time()).to_string(), "-1 01:01:01.001");
  EXPECT_EQ(Value::integer(14, Type::interval_year_month()).to_string(), "1-2");
  EXPECT_EQ(Value::integer(-14, Type::interval_year_month()).to_string(), "-1-2");
  EXPECT_EQ(Value::string(std::string("\x01\xab", 2), Type::varbinary()).to_string(), "01 ab");
}

TEST(CommonValue, CompareAndEquality) {
  EXPECT_LT(Value::integer(1).compare(Value::integer(2)), 0);
  EXPECT_GT(Value::string("b").compare(Value::string("a")), 0);
  EXPECT_EQ(Value::null().compare(Value::null()), 0);
  EXPECT_TRUE(Value::decimal(150, Type::decimal(3, 2)) == Value::decimal(150, Type::decimal(3, 2)));
  EXPECT_FALSE(Value::null(Type::bigint()) == Value::integer(0));
}

// ---------------------------------------------------------------- types

TEST(CommonTypes, ParseTypeNames) {
  EXPECT_EQ(parse_type_name("decimal(10,2)"), Type::decimal(10, 2));
  EXPECT_EQ(parse_type_name("DECIMAL( 10 , 2 )"), Type::decimal(10, 2));
  EXPECT_EQ(parse_type_name("decimal"), Type::decimal(38, 0));
  EXPECT_EQ(parse_type_name("numeric(5)"), Type::decimal(5, 0));
  EXPECT_EQ(parse_type_name("double precision"), Type::double_());
  EXPECT_EQ(parse_type_name("DOUBLE"), Type::double_());
  EXPECT_EQ(parse_type_name("int"), Type::integer());
  EXPECT_EQ(parse_type_name("BigInt"), Type::bigint());
  EXPECT_EQ(parse_type_name("float"), Type::real());
  EXPECT_EQ(parse_type_name("varchar"), Type::varchar());
  EXPECT_EQ(parse_type_name("varchar(255)").to_string(), "varchar(255)");
  EXPECT_EQ(parse_type_name("timestamp"), Type::timestamp(3));
  EXPECT_EQ(parse_type_name("timestamp(6)"), Type::timestamp(6));
  EXPECT_EQ(parse_type_name("timestamp(0)").to_string(), "timestamp(0)");
  EXPECT_EQ(parse_type_name("date"), Type::date());
  EXPECT_EQ(parse_type_name("boolean"), Type::boolean());
  EXPECT_EQ(parse_type_name("interval day to second"), Type::interval_day_time());
  EXPECT_EQ(parse_type_name("interval year to month"), Type::interval_year_month());
  EXPECT_EQ(Type::decimal(10, 2).to_string(), "decimal(10,2)");
  EXPECT_EQ(Type::decimal(10, 2).athena_name(), "decimal");
  EXPECT_EQ(Type::timestamp(3).athena_name(), "timestamp");
  EXPECT_EQ(Type::integer().athena_name(), "integer");
}

TEST(CommonTypes, ParseTypeNameErrors) {
  std::string message;
  EXPECT_EQ(code_of_type_error("foo", &message), ErrorCode::TYPE_MISMATCH);
  EXPECT_EQ(message, "Unknown type: foo");
  EXPECT_EQ(code_of_type_error("decimal(39,0)", &message), ErrorCode::TYPE_MISMATCH);
  EXPECT_EQ(message, "DECIMAL precision must be in range [1, 38]: decimal(39,0)");
  EXPECT_EQ(code_of_type_error("decimal(5,6)", &message), ErrorCode::TYPE_MISMATCH);
  EXPECT_EQ(message, "DECIMAL scale must be in range [0, precision]: decimal(5,6)");
  EXPECT_EQ(code_of_type_error("decimal(a)", &message), ErrorCode::TYPE_MISMATCH);
  EXPECT_EQ(message, "Unknown type: decimal(a)");
  EXPECT_EQ(code_of_type_error("varchar(10", &message), ErrorCode::TYPE_MISMATCH);
  EXPECT_EQ(message, "Unknown type: varchar(10");
  EXPECT_EQ(code_of_type_error("timestamp(13)", &message), ErrorCode::TYPE_MISMATCH);
}

TEST(CommonTypes, PhysicalTypes) {
  EXPECT_EQ(Type::boolean().physical(), PhysicalType::BOOL);
  EXPECT_EQ(Type::date().physical(), PhysicalType::I64);
  EXPECT_EQ(Type::timestamp().physical(), PhysicalType::I64);
  EXPECT_EQ(Type::real().physical(), PhysicalType::F64);
  EXPECT_EQ(Type::decimal(10, 2).physical(), PhysicalType::I128);
  EXPECT_EQ(Type::varbinary().physical(), PhysicalType::STRING);
  EXPECT_EQ(integer_min(TypeId::SMALLINT), -32768);
  EXPECT_EQ(integer_max(TypeId::TINYINT), 127);
  EXPECT_EQ(integer_as_decimal(TypeId::BIGINT), Type::decimal(19, 0));
}

TEST(CommonTypes, CommonSuperTypeRules) {
  EXPECT_EQ(super(Type::integer(), Type::bigint()), Type::bigint());
  EXPECT_EQ(super(Type::smallint(), Type::tinyint()), Type::smallint());
  EXPECT_EQ(super(Type::integer(), Type::decimal(5, 2)), Type::decimal(12, 2));
  EXPECT_EQ(super(Type::bigint(), Type::decimal(38, 10)), Type::decimal(38, 10));
  EXPECT_EQ(super(Type::decimal(38, 0), Type::decimal(10, 5)), Type::decimal(38, 5));
  EXPECT_EQ(super(Type::decimal(5, 2), Type::decimal(7, 1)), Type::decimal(8, 2));
  EXPECT_EQ(super(Type::integer(), Type::double_()), Type::double_());
  EXPECT_EQ(super(Type::decimal(10, 2), Type::double_()), Type::double_());
  EXPECT_EQ(super(Type::decimal(10, 2), Type::real()), Type::real());
  EXPECT_EQ(super(Type::real(), Type::double_()), Type::double_());
  EXPECT_EQ(super(Type::varchar(3), Type::varchar(5)), Type::varchar(5));
  EXPECT_EQ(super(Type::varchar(3), Type::varchar()), Type::varchar());
  EXPECT_EQ(super(Type::date(), Type::timestamp(6)), Type::timestamp(6));
  EXPECT_EQ(super(Type::timestamp(3), Type::timestamp(6)), Type::timestamp(6));
  EXPECT_EQ(super(Type::date(), Type::date()), Type::date());
  EXPECT_EQ(super(Type::unknown(), Type::varchar()), Type::varchar());
  EXPECT_EQ(super(Type::integer(), Type::unknown()), Type::integer());
  Type out;
  EXPECT_FALSE(common_super_type(Type::varchar(), Type::integer(), &out));
  EXPECT_FALSE(common_super_type(Type::boolean(), Type::integer(), &out));
  EXPECT_FALSE(common_super_type(Type::date(), Type::varchar(), &out));
  EXPECT_FALSE(common_super_type(Type::date(), Type::bigint(), &out));
}

// A DATE widened to TIMESTAMP(0) needs no fractional digits, so the common super type of
// date and timestamp(0) is timestamp(0) in Trino. common_super_type() turns a computed
// precision of 0 into 3 and answers timestamp(3).
TEST(CommonTypes, DateAndTimestamp0SuperTypeKeepsPrecision0) {
  EXPECT_EQ(super(Type::date(), Type::timestamp(0)), Type::timestamp(0));
}

TEST(CommonTypes, CanCoerce) {
  EXPECT_TRUE(can_coerce(Type::integer(), Type::bigint()));
  EXPECT_FALSE(can_coerce(Type::bigint(), Type::integer()));
  EXPECT_TRUE(can_coerce(Type::integer(), Type::decimal(12, 2)));
  EXPECT_FALSE(can_coerce(Type::integer(), Type::decimal(5, 2)));
  EXPECT_TRUE(can_coerce(Type::decimal(5, 2), Type::decimal(10, 3)));
  EXPECT_FALSE(can_coerce(Type::decimal(5, 2), Type::decimal(10, 1)));
  EXPECT_TRUE(can_coerce(Type::integer(), Type::double_()));
  EXPECT_FALSE(can_coerce(Type::double_(), Type::integer()));
  EXPECT_TRUE(can_coerce(Type::unknown(), Type::date()));
  EXPECT_TRUE(can_coerce(Type::date(), Type::timestamp(3)));
  EXPECT_FALSE(can_coerce(Type::varchar(), Type::integer()));
}

// ---------------------------------------------------------------- errors

TEST(CommonError, FullFormat) {
  Error with_position(ErrorCode::SYNTAX_ERROR, "bad thing", 3, 7);
  EXPECT_EQ(with_position.full(), "SYNTAX_ERROR: line 3:7: bad thing");
  EXPECT_STREQ(with_position.what(), "SYNTAX_ERROR: line 3:7: bad thing");
  EXPECT_EQ(with_position.message(), "bad thing");
  EXPECT_EQ(with_position.line(), 3);
  EXPECT_EQ(with_position.column(), 7);
  Error without_position(ErrorCode::NOT_FOUND, "missing");
  EXPECT_EQ(without_position.full(), "NOT_FOUND: missing");
  EXPECT_EQ(Error(ErrorCode::INVALID_ARGUMENT, "x").full(), "INVALID_FUNCTION_ARGUMENT: x");
  EXPECT_STREQ(error_code_name(ErrorCode::NUMERIC_OUT_OF_RANGE), "NUMERIC_VALUE_OUT_OF_RANGE");
  EXPECT_STREQ(error_code_name(ErrorCode::INVALID_CAST), "INVALID_CAST_ARGUMENT");
  EXPECT_STREQ(error_code_name(ErrorCode::LIMIT_EXCEEDED), "LIMIT_EXCEEDED");
  try {
    throw_error(ErrorCode::CANCELLED, "stop", 1, 2);
    FAIL() << "throw_error returned";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::CANCELLED);
    EXPECT_EQ(e.full(), "CANCELLED: line 1:2: stop");
  }
}

TEST(CommonError, NearestNameAndDidYouMean) {
  std::vector<std::string> columns = {"name", "id", "amount"};
  EXPECT_EQ(nearest_name("nme", columns), "name");
  EXPECT_EQ(nearest_name("NAME", columns), "name");
  EXPECT_EQ(nearest_name("amuont", columns), "amount");
  EXPECT_EQ(nearest_name("xyzzy", columns), "");
  EXPECT_EQ(nearest_name("anything", {}), "");
  EXPECT_EQ(did_you_mean("ordrs", {"orders", "customers"}), " Did you mean 'orders'?");
  EXPECT_EQ(did_you_mean("zzz", {"orders"}), "");
}
