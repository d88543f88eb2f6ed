// Calendar arithmetic for DATE (days since 1970-01-01) and TIMESTAMP
// (microseconds since 1970-01-01 00:00:00, no time zone), proleptic Gregorian.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::datetime {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day);
bool valid_date(int64_t year, unsigned month, unsigned day);
unsigned days_in_month(int64_t year, unsigned month);

// "2024-01-15" (also accepts a trailing time part when allow_time). False if malformed.
bool parse_date(std::string_view text, int64_t* days);
// "2024-01-15 10:20:30.123456", "2024-01-15T10:20:30Z", "2024-01-15". False if malformed.
bool parse_timestamp(std::string_view text, int64_t* micros);

std::string format_date(int64_t days);
// precision = number of fractional digits printed (0..6).
std::string format_timestamp(int64_t micros, int precision);

// Floor division helpers for negative values.
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

// Adds months to a date, clamping the day to the month's end (Trino semantics).
int64_t add_months_to_days(int64_t days, int64_t months);
int64_t add_months_to_micros(int64_t micros, int64_t months);

// ISO day of week, 1 = Monday .. 7 = Sunday.
int day_of_week(int64_t days);

}  // namespace tributary::datetime
