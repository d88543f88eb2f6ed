// Parsing of one text field (CSV cell, JSON scalar) straight into a vector's
// physical representation, without allocating. Each function returns false when
// the text is not a valid value of the type; the caller then stores NULL.
#pragma once
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/types.h"
#include "vector/vector.h"

namespace tributary::files {

inline std::string_view trim_spaces(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
  return s.substr(b, e - b);
}

inline bool parse_int64(std::string_view s, int64_t* out) {
  const char* p = s.data();
  const char* end = p + s.size();
  if (p == end) return false;
  bool negative = false;
  if (*p == '-' || *p == '+') {
    negative = *p == '-';
    if (++p == end) return false;
  }
  uint64_t v = 0;
  if (end - p > 19) return false;
  for (; p < end; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > (uint64_t)INT64_MAX + 1) return false;
    *out = (int64_t)(0 - v);
  } else {
    if (v > (uint64_t)INT64_MAX) return false;
    *out = (int64_t)v;
  }
  return true;
}

inline bool parse_integer_field(std::string_view s, TypeId id, int64_t* out) {
  if (!parse_int64(s, out)) {
    std::string_view t = trim_spaces(s);
    if (t.size() == s.size() || !parse_int64(t, out)) return false;
  }
  return *out >= integer_min(id) && *out <= integer_max(id);
}

inline bool parse_double_field(std::string_view s, double* out) {
  s = trim_spaces(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc() && ptr == s.data() + s.size()) return true;
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) {
    *out = std::strtod(std::string(s).c_str(), nullptr);
    return true;
  }
  return false;
}

// Fast path for plain "[-]digits[.digits]" with at most 18 digits; falls back to decimal::parse.
inline bool parse_decimal_field(std::string_view s, int precision, int scale, int128* out) {
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  int64_t v = 0;
  int digits = 0, fraction = 0;
  bool point = false, fast = p < end;
  for (; p < end; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (d <= 9) {
      v = v * 10 + d;
      digits++;
      fraction += point;
    } else if (*p == '.' && !point) {
      point = true;
    } else {
      fast = false;
      break;
    }
  }
  if (fast && digits > 0 && digits <= 18 && fraction <= scale) {
    int128 r = (int128)v * decimal::pow10(scale - fraction);
    if (negative) r = -r;
    if (!decimal::fits(r, precision)) return false;
    *out = r;
    return true;
  }
  return decimal::parse(s, scale, out) && decimal::fits(*out, precision);
}

inline bool parse_date_field(std::string_view s, int64_t* days) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const char* c = s.data();
    unsigned y0 = c[0] - '0', y1 = c[1] - '0', y2 = c[2] - '0', y3 = c[3] - '0';
    unsigned m0 = c[5] - '0', m1 = c[6] - '0', d0 = c[8] - '0', d1 = c[9] - '0';
    if (y0 <= 9 && y1 <= 9 && y2 <= 9 && y3 <= 9 && m0 <= 9 &&
        m1 <= 9 && d0 <= 9 && d1 <= 9) {
      int64_t y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
      unsigned m = m0 * 10 + m1, d = d0 * 10 + d1;
      if (!datetime::valid_date(y, m, d)) return false;
      *days = datetime::days_from_civil(y, m, d);
      return true;
    }
    return false;
  }
  std::string_view t = trim_spaces(s);
  if (t.size() < 8) return false;
  return datetime::parse_date(t, days);
}

inline bool parse_timestamp_field(std::string_view s, int64_t* micros) {
  std::string_view t = trim_spaces(s);
  if (t.size() < 8) return false;
  return datetime::parse_timestamp(t, micros);
}

inline bool parse_bool_field(std::string_view s, uint8_t* out) {
  s = trim_spaces(s);
  auto is = [&](const char* word) {
    size_t n = std::strlen(word);
    if (s.size() != n) return false;
    for (size_t i = 0; i < n; i++)
      if ((s[i] | 0x20) != word[i]) return false;
    return true;
  };
  if (is("true") || is("t") || s == "1" || is("yes")) {
    *out = 1;
    return true;
  }
  if (is("false") || is("f") || s == "0" || is("no")) {
    *out = 0;
    return true;
  }
  return false;
}

// Parses `text` as a value of the vector's type into row `row`. Returns false
// (leaving the row untouched) when the text is not a valid value; the caller sets NULL.
inline bool store_text_value(Vector& vec, size_t row, std::string_view text) {
  const Type& type = vec.type();
  switch (type.id) {
    case TypeId::VARCHAR:
    case TypeId::VARBINARY:
      vec.data<std::string_view>()[row] = vec.add_string(text);
      return true;
    case TypeId::BIGINT:
    case TypeId::INTEGER:
    case TypeId::SMALLINT:
    case TypeId::TINYINT:
      return parse_integer_field(text, type.id, &vec.data<int64_t>()[row]);
    case TypeId::DOUBLE:
      return parse_double_field(text, &vec.data<double>()[row]);
    case TypeId::REAL: {
      double d;
      if (!parse_double_field(text, &d)) return false;
      vec.data<double>()[row] = (double)(float)d;
      return true;
    }
    case TypeId::DECIMAL:
      return parse_decimal_field(text, type.precision, type.scale, &vec.data<int128>()[row]);
    case TypeId::DATE:
      return parse_date_field(text, &vec.data<int64_t>()[row]);
    case TypeId::TIMESTAMP:
      return parse_timestamp_field(text, &vec.data<int64_t>()[row]);
    case TypeId::BOOLEAN:
      return parse_bool_field(text, &vec.data<uint8_t>()[row]);
    default:
      return false;
  }
}

}  // namespace tributary::files
