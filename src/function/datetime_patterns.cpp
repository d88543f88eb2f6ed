// Date/time patterns: Joda and MySQL patterns compiled to one token list (as Trino
// does), formatting and parsing with Joda's rules and messages, and ISO 8601 text.
#include "function/datetime_patterns.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"

namespace tributary::datetime_patterns {

using std::string_view;
using namespace datetime;

namespace {


const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

bool is_numeric_token(const Token& t) {
  if (t.field == 0) return false;
  if (t.field == 'M' || t.field == 'E') return t.width < 3;
  return std::string_view("yYxCwedDHhKkmsS").find(t.field) != std::string_view::npos;
}

int current_year() {
  std::time_t now = std::time(nullptr);
  std::tm tm_utc;
  gmtime_r(&now, &tm_utc);
  return tm_utc.tm_year + 1900;
}

void add_literal(DateTimePattern* p, string_view text) {
  if (text.empty()) return;
  if (!p->tokens.empty() && p->tokens.back().field == 0) {
    p->tokens.back().literal.append(text);
    return;
  }
  Token t;
  t.literal = std::string(text);
  p->tokens.push_back(std::move(t));
}

void add_field(DateTimePattern* p, char field, int width, int max_parse) {
  Token t;
  t.field = field;
  t.width = width;
  t.max_parse = std::max(width, max_parse);
  p->tokens.push_back(std::move(t));
}

void append_number(std::string& out, int64_t value, int width) {
  char buffer[32];
  bool negative = value < 0;
  uint64_t v = negative ? (uint64_t)(-(value + 1)) + 1 : (uint64_t)value;
  int n = 0;
  do {
    buffer[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (negative) out += '-';
  for (int k = n; k < width; k++) out += '0';
  while (n) out += buffer[--n];
}

std::string sample_text(string_view text) { return std::string(text); }

[[noreturn]] void field_out_of_range(string_view text, int64_t value, const char* field, int64_t low, int64_t high) {
  throw_error(ErrorCode::INVALID_ARGUMENT, "Cannot parse \"" + std::string(text) + "\": Value " + std::to_string(value) +
                                               " for " + field + " must be in the range [" + std::to_string(low) +
                                               "," + std::to_string(high) + "]");
}

// Case-insensitive match of one of `names` (full names, then 3-letter forms) at text[pos].
int match_name(string_view text, size_t* pos, const char* const* names, int count) {
  for (int form = 0; form < 2; form++) {
    for (int k = 0; k < count; k++) {
      string_view name = names[k];
      if (form == 1) name = name.substr(0, 3);
      if (text.size() - *pos < name.size()) continue;
      bool same = true;
      for (size_t c = 0; c < name.size() && same; c++) {
        same = std::tolower((unsigned char)text[*pos + c]) == std::tolower((unsigned char)name[c]);
      }
      if (same) {
        *pos += name.size();
        return k;
      }
    }
  }
  return -1;
}

bool read_digits(string_view s, size_t* pos, int count, int64_t* out) {
  int64_t v = 0;
  for (int k = 0; k < count; k++) {
    if (*pos >= s.size() || !std::isdigit((unsigned char)s[*pos])) return false;
    v = v * 10 + (s[(*pos)++] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

// ---------------------------------------------------------------- patterns

[[noreturn]] void parse_failure(string_view text, size_t position) {
  std::string sample = sample_text(text);
  if (position == 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Invalid format: \"" + sample + "\"");
  if (position >= text.size()) throw_error(ErrorCode::INVALID_ARGUMENT, "Invalid format: \"" + sample + "\" is too short");
  throw_error(ErrorCode::INVALID_ARGUMENT,
              "Invalid format: \"" + sample + "\" is malformed at \"" + std::string(text.substr(position)) + "\"");
}

DateTimePattern parse_joda_pattern(string_view pattern) {
  DateTimePattern p;
  p.pivot_year = current_year() - 30;
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (std::isalpha((unsigned char)c)) {
      size_t end = i;
      while (end < pattern.size() && pattern[end] == c) end++;
      int count = (int)(end - i);
      if (std::string_view("GCYyxwedEDMadhKHkmsSzZ").find(c) == std::string_view::npos) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Illegal pattern component: " + std::string(pattern.substr(i, count)));
      }
      int max_parse = 2;
      if (c == 'D') max_parse = 3;
      if (c == 'S') max_parse = 9;
      if (c == 'e') max_parse = 1;
      if (c == 'y' || c == 'Y' || c == 'x' || c == 'C') max_parse = 9;
      add_field(&p, c, count, max_parse);
      i = end;
      continue;
    }
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        add_literal(&p, "'");
        i += 2;
        continue;
      }
      std::string text;
      i++;
      while (i < pattern.size()) {
        if (pattern[i] == '\'') {
          if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
            text += '\'';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i++];
      }
      add_literal(&p, text);
      continue;
    }
    add_literal(&p, pattern.substr(i, 1));
    i++;
  }
  // A year followed directly by a number parses a fixed number of digits; "yy"
  // is lenient (accepts a full year) unless a number follows.
  for (size_t k = 0; k < p.tokens.size(); k++) {
    Token& t = p.tokens[k];
    bool numeric_next = k + 1 < p.tokens.size() && is_numeric_token(p.tokens[k + 1]);
    if (t.field == 'y' || t.field == 'Y' || t.field == 'x') {
      if (t.width == 2) {
        t.lenient_year = !numeric_next;
        t.max_parse = t.lenient_year ? 9 : 2;
      } else if (numeric_next) {
        t.max_parse = t.width;
      }
    }
  }
  return p;
}

DateTimePattern parse_mysql_pattern(string_view format) {
  DateTimePattern p;
  p.pivot_year = 2020;  // Trino: two-digit years are 1970 .. 2069
  for (size_t i = 0; i < format.size(); i++) {
    char c = format[i];
    if (c != '%' || i + 1 == format.size()) {
      add_literal(&p, format.substr(i, 1));
      continue;
    }
    char spec = format[++i];
    switch (spec) {
      case 'a': add_field(&p, 'E', 3, 0); break;
      case 'b': add_field(&p, 'M', 3, 0); break;
      case 'c': add_field(&p, 'M', 1, 2); break;
      case 'D': add_field(&p, 'o', 1, 2); break;
      case 'd': add_field(&p, 'd', 2, 2); break;
      case 'e': add_field(&p, 'd', 1, 2); break;
      case 'f': add_field(&p, 'S', 6, 9); break;
      case 'H': add_field(&p, 'H', 2, 2); break;
      case 'h':
      case 'I': add_field(&p, 'h', 2, 2); break;
      case 'i': add_field(&p, 'm', 2, 2); break;
      case 'j': add_field(&p, 'D', 3, 3); break;
      case 'k': add_field(&p, 'H', 1, 2); break;
      case 'l': add_field(&p, 'h', 1, 2); break;
      case 'M': add_field(&p, 'M', 4, 0); break;
      case 'm': add_field(&p, 'M', 2, 2); break;
      case 'p': add_field(&p, 'a', 1, 0); break;
      case 'r':
        add_field(&p, 'h', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 'm', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 's', 2, 2);
        add_literal(&p, " ");
        add_field(&p, 'a', 1, 0);
        break;
      case 'S':
      case 's': add_field(&p, 's', 2, 2); break;
      case 'T':
        add_field(&p, 'H', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 'm', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 's', 2, 2);
        break;
      case 'v': add_field(&p, 'w', 2, 2); break;
      case 'x': add_field(&p, 'x', 4, 4); break;
      case 'W': add_field(&p, 'E', 4, 0); break;
      case 'Y': add_field(&p, 'y', 4, 4); break;
      case 'y': add_field(&p, 'y', 2, 2); break;
      case 'U':
      case 'u':
      case 'V':
      case 'w':
      case 'X':
        throw_error(ErrorCode::INVALID_ARGUMENT, std::string("%") + spec + " not supported in date format string");
      default: add_literal(&p, format.substr(i, 1)); break;  // %% and unknown specifiers print the character
    }
  }
  return p;
}

// Formats like Joda (millisecond precision, zone UTC).
void format_with(const DateTimePattern& pattern, int64_t micros, std::string& out) {
  int64_t days = days_of(micros);
  int64_t time = micros - days * kMicrosPerDay;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, &year, &month, &day);
  int hour = (int)(time / kMicrosPerHour);
  int millis = (int)(time % kMicrosPerSecond / kMicrosPerMilli);
  for (const Token& t : pattern.tokens) {
    switch (t.field) {
      case 0: out += t.literal; break;
      case 'G': out += year > 0 ? "AD" : "BC"; break;
      case 'C': append_number(out, (year > 0 ? year : 1 - year) / 100, t.width); break;
      case 'y':
      case 'Y':
      case 'x': {
        int64_t y = year;
        if (t.field == 'x') {
          int64_t week;
          iso_week(days, &y, &week);
        } else if (t.field == 'Y' && y <= 0) {
          y = 1 - y;
        }
        if (t.width == 2) {
          append_number(out, floor_mod(y, 100), 2);
        } else {
          append_number(out, y, t.width);
        }
        break;
      }
      case 'w': {
        int64_t y, week;
        iso_week(days, &y, &week);
        append_number(out, week, t.width);
        break;
      }
      case 'e': append_number(out, day_of_week(days), t.width); break;
      case 'E': {
        const char* name = kDayNames[day_of_week(days) - 1];
        out += t.width >= 4 ? std::string(name) : std::string(name, 3);
        break;
      }
      case 'D': append_number(out, days - days_from_civil(year, 1, 1) + 1, t.width); break;
      case 'M':
        if (t.width >= 4) {
          out += kMonthNames[month - 1];
        } else if (t.width == 3) {
          out.append(kMonthNames[month - 1], 3);
        } else {
          append_number(out, month, t.width);
        }
        break;
      case 'd': append_number(out, day, t.width); break;
      case 'o': {
        append_number(out, day, 1);
        const char* suffix = (day % 10 == 1 && day != 11)   ? "st"
                             : (day % 10 == 2 && day != 12) ? "nd"
                             : (day % 10 == 3 && day != 13) ? "rd"
                                                            : "th";
        out += suffix;
        break;
      }
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'h': append_number(out, hour % 12 == 0 ? 12 : hour % 12, t.width); break;
      case 'K': append_number(out, hour % 12, t.width); break;
      case 'H': append_number(out, hour, t.width); break;
      case 'k': append_number(out, hour == 0 ? 24 : hour, t.width); break;
      case 'm': append_number(out, time / kMicrosPerMinute % 60, t.width); break;
      case 's': append_number(out, time / kMicrosPerSecond % 60, t.width); break;
      case 'S': {
        char digits[16];
        std::snprintf(digits, sizeof digits, "%03d", millis);
        for (int k = 0; k < t.width; k++) out += k < 3 ? digits[k] : '0';
        break;
      }
      case 'z': out += "UTC"; break;
      case 'Z': out += t.width == 1 ? "+0000" : t.width == 2 ? "+00:00" : "UTC"; break;
    }
  }
}

// Parses like a Joda formatter; fields default to 1970-01-01 00:00:00.
int64_t parse_with(const DateTimePattern& pattern, string_view text) {
  int64_t year = 1970;
  int64_t month = 1, day = 1, hour = -1, clock_hour = -1, minute = 0, second = 0, fraction_micros = 0;
  int64_t day_of_year = -1, week_year = INT64_MIN, week = -1, weekday = -1;
  int halfday = -1;
  int64_t offset = 0;
  size_t pos = 0;
  for (const Token& t : pattern.tokens) {
    if (t.field == 0) {
      if (text.size() - pos < t.literal.size()) parse_failure(text, pos);
      for (size_t c = 0; c < t.literal.size(); c++) {
        if (std::tolower((unsigned char)text[pos + c]) != std::tolower((unsigned char)t.literal[c])) {
          parse_failure(text, pos);
        }
      }
      pos += t.literal.size();
      continue;
    }
    if (is_numeric_token(t) || t.field == 'o') {
      size_t start = pos;
      bool negative = false;
      if ((t.field == 'y' || t.field == 'Y' || t.field == 'x') && pos < text.size() &&
          (text[pos] == '-' || text[pos] == '+') && t.width != 2) {
        negative = text[pos] == '-';
        pos++;
      }
      int64_t value = 0;
      int digits = 0;
      while (pos < text.size() && digits < t.max_parse && std::isdigit((unsigned char)text[pos])) {
        if (digits < 18) value = value * 10 + (text[pos] - '0');
        digits++;
        pos++;
      }
      if (digits == 0) parse_failure(text, start);
      if (negative) value = -value;
      switch (t.field) {
        case 'y':
        case 'Y':
        case 'x': {
          int64_t y = value;
          if (t.width == 2 && !(t.lenient_year && digits != 2)) {
            int64_t low = pattern.pivot_year - 50;
            y = low - floor_mod(low, 100) + value;
            if (y < low) y += 100;
          }
          if (t.field == 'x') {
            week_year = y;
          } else {
            year = y;
          }
          break;
        }
        case 'C': year = value * 100 + floor_mod(year, 100); break;
        case 'w': week = value; break;
        case 'e': weekday = value; break;
        case 'D': day_of_year = value; break;
        case 'M': month = value; break;
        case 'd':
        case 'o':
          day = value;
          if (t.field == 'o' && text.size() - pos >= 2 && std::isalpha((unsigned char)text[pos])) pos += 2;
          break;
        case 'H': hour = value; break;
        case 'k': hour = value == 24 ? 0 : value; break;
        case 'h':
        case 'K': clock_hour = t.field == 'h' ? value : (value == 0 ? 12 : value); break;
        case 'm': minute = value; break;
        case 's': second = value; break;
        case 'S': {
          int64_t f = value;
          for (int k = digits; k < 6; k++) f *= 10;
          for (int k = 6; k < std::min(digits, 18); k++) f /= 10;
          fraction_micros = f / kMicrosPerMilli * kMicrosPerMilli;  // millisecond precision, as Joda
          break;
        }
      }
      continue;
    }
    switch (t.field) {
      case 'M': {
        int k = match_name(text, &pos, kMonthNames, 12);
        if (k < 0) parse_failure(text, pos);
        month = k + 1;
        break;
      }
      case 'E': {
        int k = match_name(text, &pos, kDayNames, 7);
        if (k < 0) parse_failure(text, pos);
        break;  // the day of week is parsed but does not move the date
      }
      case 'a': {
        static const char* const kHalfdays[] = {"AM", "PM"};
        int k = match_name(text, &pos, kHalfdays, 2);
        if (k < 0) parse_failure(text, pos);
        halfday = k;
        break;
      }
      case 'G': {
        static const char* const kEras[] = {"AD", "BC"};
        if (match_name(text, &pos, kEras, 2) < 0) parse_failure(text, pos);
        break;
      }
      case 'Z': {
        if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
          pos++;
          break;
        }
        size_t start = pos;
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) parse_failure(text, pos);
        bool negative = text[pos++] == '-';
        int64_t parts[2] = {0, 0};
        for (int part = 0; part < 2; part++) {
          if (part == 1 && pos < text.size() && text[pos] == ':') pos++;
          int digits = 0;
          while (pos < text.size() && digits < 2 && std::isdigit((unsigned char)text[pos])) {
            parts[part] = parts[part] * 10 + (text[pos++] - '0');
            digits++;
          }
          if (part == 0 && digits != 2) parse_failure(text, start);
        }
        offset = parts[0] * kMicrosPerHour + parts[1] * kMicrosPerMinute;
        if (negative) offset = -offset;
        break;
      }
      case 'z': throw_error(ErrorCode::INVALID_ARGUMENT, "Parsing of time zone names is not supported");
    }
  }
  if (pos < text.size()) parse_failure(text, pos);

  if (month < 1 || month > 12) field_out_of_range(text, month, "monthOfYear", 1, 12);
  if (hour >= 0 && hour > 23) field_out_of_range(text, hour, "hourOfDay", 0, 23);
  if (clock_hour >= 0 && (clock_hour < 1 || clock_hour > 12)) {
    field_out_of_range(text, clock_hour, "clockhourOfHalfday", 1, 12);
  }
  if (minute > 59) field_out_of_range(text, minute, "minuteOfHour", 0, 59);
  if (second > 59) field_out_of_range(text, second, "secondOfMinute", 0, 59);
  int64_t days;
  if (week >= 0 && week_year != INT64_MIN) {
    int64_t jan4 = days_from_civil(week_year, 1, 4);
    days = jan4 - (day_of_week(jan4) - 1) + (week - 1) * 7 + (weekday > 0 ? weekday - 1 : 0);
  } else if (day_of_year >= 0) {
    int64_t limit = is_leap(year) ? 366 : 365;
    if (day_of_year < 1 || day_of_year > limit) field_out_of_range(text, day_of_year, "dayOfYear", 1, limit);
    days = days_from_civil(year, 1, 1) + day_of_year - 1;
  } else {
    int64_t limit = days_in_month(year, (unsigned)month);
    if (day < 1 || day > limit) field_out_of_range(text, day, "dayOfMonth", 1, limit);
    days = days_from_civil(year, (unsigned)month, (unsigned)day);
  }
  int64_t h = hour >= 0 ? hour : (clock_hour >= 0 ? clock_hour % 12 : 0) + (halfday == 1 ? 12 : 0);
  if (hour >= 0 && halfday >= 0 && clock_hour < 0) h = hour;
  return days * kMicrosPerDay + h * kMicrosPerHour + minute * kMicrosPerMinute + second * kMicrosPerSecond +
         fraction_micros - offset;
}

// ---------------------------------------------------------------- ISO 8601

// YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Www-D, YYYY-DDD. Throws Joda's message.
int64_t parse_iso_date(string_view s, size_t* pos) {
  int64_t year, month = 1, day = 1;
  size_t start = *pos;
  bool negative = false;
  if (*pos < s.size() && (s[*pos] == '-' || s[*pos] == '+')) negative = s[(*pos)++] == '-';
  if (!read_digits(s, pos, 4, &year)) parse_failure(s, start);
  if (negative) year = -year;
  if (*pos < s.size() && s[*pos] == '-') {
    (*pos)++;
    if (*pos < s.size() && s[*pos] == 'W') {
      (*pos)++;
      int64_t week, weekday = 1;
      size_t at = *pos;
      if (!read_digits(s, pos, 2, &week)) parse_failure(s, at);
      if (*pos < s.size() && s[*pos] == '-') {
        (*pos)++;
        at = *pos;
        if (!read_digits(s, pos, 1, &weekday)) parse_failure(s, at);
      }
      if (week < 1 || week > 53) field_out_of_range(s, week, "weekOfWeekyear", 1, 53);
      if (weekday < 1 || weekday > 7) field_out_of_range(s, weekday, "dayOfWeek", 1, 7);
      int64_t jan4 = days_from_civil(year, 1, 4);
      return jan4 - (day_of_week(jan4) - 1) + (week - 1) * 7 + weekday - 1;
    }
    size_t at = *pos;
    if (!read_digits(s, pos, 2, &month)) parse_failure(s, at);
    if (*pos < s.size() && std::isdigit((unsigned char)s[*pos])) {  // ordinal date YYYY-DDD
      int64_t third = s[(*pos)++] - '0';
      int64_t doy = month * 10 + third;
      int64_t limit = is_leap(year) ? 366 : 365;
      if (doy < 1 || doy > limit) field_out_of_range(s, doy, "dayOfYear", 1, limit);
      return days_from_civil(year, 1, 1) + doy - 1;
    }
    if (month < 1 || month > 12) field_out_of_range(s, month, "monthOfYear", 1, 12);
    if (*pos < s.size() && s[*pos] == '-') {
      (*pos)++;
      at = *pos;
      if (!read_digits(s, pos, 2, &day)) parse_failure(s, at);
      int64_t limit = days_in_month(year, (unsigned)month);
      if (day < 1 || day > limit) field_out_of_range(s, day, "dayOfMonth", 1, limit);
    }
  }
  return days_from_civil(year, (unsigned)month, (unsigned)day);
}

int64_t parse_iso_timestamp(string_view s, int64_t default_offset) {
  size_t pos = 0;
  int64_t days = parse_iso_date(s, &pos);
  int64_t time = 0;
  int64_t offset = default_offset;
  if (pos < s.size() && s[pos] == 'T') {
    pos++;
    int64_t h, m = 0, sec = 0, fraction = 0;
    size_t at = pos;
    if (!read_digits(s, &pos, 2, &h)) parse_failure(s, at);
    if (pos < s.size() && s[pos] == ':') {
      pos++;
      at = pos;
      if (!read_digits(s, &pos, 2, &m)) parse_failure(s, at);
      if (pos < s.size() && s[pos] == ':') {
        pos++;
        at = pos;
        if (!read_digits(s, &pos, 2, &sec)) parse_failure(s, at);
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
          pos++;
          int digits = 0;
          while (pos < s.size() && std::isdigit((unsigned char)s[pos])) {
            if (digits < 3) fraction = fraction * 10 + (s[pos] - '0');
            digits++;
            pos++;
          }
          if (digits == 0) parse_failure(s, pos);
          for (int k = digits; k < 3; k++) fraction *= 10;
        }
      }
    }
    if (h > 23) field_out_of_range(s, h, "hourOfDay", 0, 23);
    if (m > 59) field_out_of_range(s, m, "minuteOfHour", 0, 59);
    if (sec > 59) field_out_of_range(s, sec, "secondOfMinute", 0, 59);
    time = h * kMicrosPerHour + m * kMicrosPerMinute + sec * kMicrosPerSecond + fraction * kMicrosPerMilli;
    if (pos < s.size()) {
      if (s[pos] == 'Z') {
        pos++;
        offset = 0;
      } else if (s[pos] == '+' || s[pos] == '-') {
        bool negative = s[pos++] == '-';
        int64_t oh, om = 0;
        at = pos;
        if (!read_digits(s, &pos, 2, &oh)) parse_failure(s, at);
        if (pos < s.size() && s[pos] == ':') pos++;
        if (pos < s.size()) {
          at = pos;
          if (!read_digits(s, &pos, 2, &om)) parse_failure(s, at);
        }
        offset = oh * kMicrosPerHour + om * kMicrosPerMinute;
        if (negative) offset = -offset;
      }
    }
  }
  if (pos < s.size()) parse_failure(s, pos);
  return days * kMicrosPerDay + time - offset;
}

std::string iso_timestamp(int64_t micros, int precision) {
  std::string text = format_timestamp(micros, precision);
  text[10] = 'T';
  return text;
}

}  // namespace tributary::datetime_patterns
