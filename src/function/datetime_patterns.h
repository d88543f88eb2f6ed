// Text forms of dates and times, internal to src/function: Joda (format_datetime,
// parse_datetime) and MySQL (date_format, date_parse) patterns compiled to one token
// list and applied with Joda's rules, and ISO 8601 (from_iso8601_*, to_iso8601).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"

namespace tributary::datetime_patterns {

inline constexpr int64_t kMicrosPerMilli = 1000;
inline constexpr int64_t kMicrosPerMinute = 60 * datetime::kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;

inline int64_t days_of(int64_t micros) { return datetime::floor_div(micros, datetime::kMicrosPerDay); }

inline bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// ISO-8601 week number and week-based year of a date.
inline void iso_week(int64_t days, int64_t* week_year, int64_t* week) {
  int64_t thursday = days - datetime::day_of_week(days) + 4;
  int64_t y;
  unsigned m, d;
  datetime::civil_from_days(thursday, &y, &m, &d);
  *week = (thursday - datetime::days_from_civil(y, 1, 1)) / 7 + 1;
  *week_year = y;
}


// One element of a date/time pattern: a literal or a field with its width.
// Letters follow Joda: y Y x C w e E D M d a h K H k m s S z Z G, plus
// 'o' for MySQL's %D (day with English suffix).
struct Token {
  char field = 0;  // 0 = literal
  int width = 0;
  int max_parse = 0;
  bool lenient_year = false;  // "yy" in a Joda pattern also accepts a full year
  std::string literal;
};

struct DateTimePattern {
  std::vector<Token> tokens;
  int pivot_year = 2000;  // two-digit years parse into [pivot - 50, pivot + 49]
};

// Compile a pattern to tokens. Throw INVALID_ARGUMENT for an unsupported or malformed pattern.
DateTimePattern parse_joda_pattern(std::string_view pattern);
DateTimePattern parse_mysql_pattern(std::string_view format);

// Appends `micros` (a TIMESTAMP) formatted like Joda: millisecond precision, zone UTC.
void format_with(const DateTimePattern& pattern, int64_t micros, std::string& out);
// Parses like a Joda formatter into a TIMESTAMP; fields default to 1970-01-01 00:00:00.
// Throws INVALID_ARGUMENT with Joda's message when `text` does not fit the pattern.
int64_t parse_with(const DateTimePattern& pattern, std::string_view text);

// Throws Joda's INVALID_ARGUMENT "Invalid format" message for `text` failing at `position`.
[[noreturn]] void parse_failure(std::string_view text, size_t position);

// ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Www-D, YYYY-DDD from s[*pos]; advances *pos.
int64_t parse_iso_date(std::string_view s, size_t* pos);
// A date with an optional THH[:mm[:ss[.fff]]][Z|+hh[:mm]] part; default_offset applies without a zone.
int64_t parse_iso_timestamp(std::string_view s, int64_t default_offset);
// "2024-01-15T10:20:30.123" with `precision` fractional digits.
std::string iso_timestamp(int64_t micros, int precision);

}  // namespace tributary::datetime_patterns
