// CAST / TRY_CAST. Each (from, to) pair is a tight loop over the vector; a
// failing row either throws (CAST) or becomes NULL (TRY_CAST). Numeric casts
// and VARCHAR->number parsing never allocate per row; number->VARCHAR formats
// into a stack buffer and copies once into the output heap.
#include "function/cast.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"

namespace tributary {

namespace {

// ---- names used in messages ----

std::string upper_name(const Type& t) {
  if (t.id == TypeId::DECIMAL) return "DECIMAL(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
  std::string s = t.to_string();
  for (char& c : s) c = (char)std::toupper((unsigned char)c);
  return s;
}

// Trino's short names in "Cannot cast 'x' to INT".
const char* parse_target_name(TypeId id) {
  switch (id) {
    case TypeId::TINYINT: return "TINYINT";
    case TypeId::SMALLINT: return "SMALLINT";
    case TypeId::INTEGER: return "INT";
    case TypeId::BIGINT: return "BIGINT";
    case TypeId::REAL: return "REAL";
    case TypeId::DOUBLE: return "DOUBLE";
    case TypeId::BOOLEAN: return "BOOLEAN";
    default: return "?";
  }
}

// ---- text helpers ----

inline bool is_space(char c) { return (unsigned char)c <= ' '; }

inline std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) b++;
  while (e > b && is_space(s[e - 1])) e--;
  return s.substr(b, e - b);
}

// Strict integer text: optional sign and digits only.
bool parse_integer(std::string_view text, int64_t lo, int64_t hi, int64_t* out) {
  std::string_view s = trim(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    i++;
  }
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); i++) {
    unsigned d = (unsigned)(s[i] - '0');
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > (uint64_t)INT64_MAX + 1) return false;
    int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    if (r < lo) return false;
    *out = r;
  } else {
    if (v > (uint64_t)INT64_MAX || (int64_t)v > hi) return false;
    *out = (int64_t)v;
  }
  return true;
}

template <class F>
bool parse_floating(std::string_view text, F* out) {
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') return false;
  }
  if (s.empty()) return false;
  F v;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (end != s.data() + s.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // Java semantics: overflow to infinity, underflow to zero.
    bool negative = s[0] == '-';
    size_t e = s.find_first_of("eE");
    bool tiny = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
    v = tiny ? (negative ? -F(0) : F(0)) : (negative ? -HUGE_VAL : HUGE_VAL);
  } else if (ec != std::errc()) {
    return false;
  }
  *out = v;
  return true;
}

enum class DecimalParse { OK, NOT_A_NUMBER, TOO_LARGE };

// "123.45", "-1e3", " .5 " at `scale`, rounding half up; no allocation.
DecimalParse parse_decimal(std::string_view text, int precision, int scale, int128* out) {
  std::string_view s = trim(text);
  size_t i = 0, n = s.size();
  bool negative = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    i++;
  }
  size_t int_begin = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  size_t int_len = i - int_begin;
  size_t frac_begin = i, frac_len = 0;
  if (i < n && s[i] == '.') {
    i++;
    frac_begin = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    frac_len = i - frac_begin;
  }
  if (int_len == 0 && frac_len == 0) return DecimalParse::NOT_A_NUMBER;
  long exponent = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool exponent_negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      exponent_negative = s[i] == '-';
      i++;
    }
    if (i == n) return DecimalParse::NOT_A_NUMBER;
    for (; i < n; i++) {
      if (s[i] < '0' || s[i] > '9') return DecimalParse::NOT_A_NUMBER;
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
    }
    if (exponent_negative) exponent = -exponent;
  }
  if (i != n) return DecimalParse::NOT_A_NUMBER;
  auto digit_at = [&](long k) -> int {
    return (int)((size_t)k < int_len ? s[int_begin + k] : s[frac_begin + (k - (long)int_len)]) - '0';
  };
  long total = (long)(int_len + frac_len);
  long shift = scale + exponent - (long)frac_len;  // unscaled = digits * 10^shift
  long keep = shift >= 0 ? total : total + shift;
  int128 v = 0;
  int significant = 0;
  for (long k = 0; k < keep; k++) {
    int d = digit_at(k);
    if (significant == 0 && d == 0) continue;
    if (++significant > 38) return DecimalParse::TOO_LARGE;
    v = v * 10 + d;
  }
  if (shift > 0 && v != 0) {
    if (significant + shift > 38) return DecimalParse::TOO_LARGE;
    v *= decimal::pow10((int)shift);
  }
  if (shift < 0 && keep >= 0 && keep < total && digit_at(keep) >= 5) v += 1;
  if (!decimal::fits(v, precision)) return DecimalParse::TOO_LARGE;
  *out = negative ? -v : v;
  return DecimalParse::OK;
}

// ---- number formatting into a caller's buffer ----

size_t format_int128(int128 v, char* buffer /* >= 41 bytes */) {
  char tmp[48];
  int pos = 48;
  bool negative = v < 0;
  unsigned __int128 u = negative ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
  do {
    tmp[--pos] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u > 0);
  if (negative) tmp[--pos] = '-';
  size_t len = 48 - pos;
  std::memcpy(buffer, tmp + pos, len);
  return len;
}

size_t format_decimal(int128 v, int scale, char* buffer /* >= 48 bytes */) {
  if (scale == 0) return format_int128(v, buffer);
  char digits[48];
  bool negative = v < 0;
  size_t len = format_int128(negative ? -v : v, digits);
  size_t pos = 0;
  if (negative) buffer[pos++] = '-';
  if ((int)len <= scale) {
    buffer[pos++] = '0';
    buffer[pos++] = '.';
    for (int k = 0; k < scale - (int)len; k++) buffer[pos++] = '0';
    std::memcpy(buffer + pos, digits, len);
    return pos + len;
  }
  size_t integral = len - scale;
  std::memcpy(buffer + pos, digits, integral);
  pos += integral;
  buffer[pos++] = '.';
  std::memcpy(buffer + pos, digits + integral, scale);
  return pos + scale;
}

// Java's Double.toString / Float.toString layout over the shortest round-trip digits.
template <class F>
size_t format_java(F value, char* buffer /* >= 64 bytes */) {
  if (std::isnan(value)) {
    std::memcpy(buffer, "NaN", 3);
    return 3;
  }
  if (std::isinf(value)) {
    if (value > 0) {
      std::memcpy(buffer, "Infinity", 8);
      return 8;
    }
    std::memcpy(buffer, "-Infinity", 9);
    return 9;
  }
  size_t pos = 0;
  if (std::signbit(value)) {
    buffer[pos++] = '-';
    value = -value;
  }
  if (value == 0) {
    std::memcpy(buffer + pos, "0.0", 3);
    return pos + 3;
  }
  char sci[64];
  auto result = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  // sci = D[.DDDD]e[+-]XX
  char digits[40];
  size_t ndigits = 0;
  char* p = sci;
  for (; p < result.ptr && *p != 'e'; p++)
    if (*p != '.') digits[ndigits++] = *p;
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+'), result.ptr, exponent);
  while (ndigits > 1 && digits[ndigits - 1] == '0') ndigits--;
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      size_t integral = (size_t)exponent + 1;
      for (size_t k = 0; k < integral; k++) buffer[pos++] = k < ndigits ? digits[k] : '0';
      buffer[pos++] = '.';
      if (ndigits > integral) {
        for (size_t k = integral; k < ndigits; k++) buffer[pos++] = digits[k];
      } else {
        buffer[pos++] = '0';
      }
    } else {
      buffer[pos++] = '0';
      buffer[pos++] = '.';
      for (int k = 0; k < -exponent - 1; k++) buffer[pos++] = '0';
      for (size_t k = 0; k < ndigits; k++) buffer[pos++] = digits[k];
    }
  } else {
    buffer[pos++] = digits[0];
    buffer[pos++] = '.';
    if (ndigits > 1) {
      for (size_t k = 1; k < ndigits; k++) buffer[pos++] = digits[k];
    } else {
      buffer[pos++] = '0';
    }
    buffer[pos++] = 'E';
    auto r = std::to_chars(buffer + pos, buffer + pos + 8, exponent);
    pos = r.ptr - buffer;
  }
  return pos;
}

// ---- numeric conversions ----

const double kPow10Double[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

inline double decimal_to_double(int128 v, int scale) {
  constexpr int128 exact = (int128)1 << 53;
  if (v < exact && v > -exact && scale <= 22) return (double)(int64_t)v / kPow10Double[scale];
  return decimal::to_double(v, scale);
}

// Trino converts through the double's shortest decimal text (BigDecimal.valueOf), rounding half up.
bool double_to_decimal(double d, int precision, int scale, int128* out) {
  if (!std::isfinite(d)) return false;
  if (scale <= 22) {
    double scaled = d * kPow10Double[scale];
    if (std::fabs(scaled) < 1e12) {
      double fraction = std::fabs(scaled - std::trunc(scaled));
      if (std::fabs(fraction - 0.5) > 1e-3) {
        int128 v = (int64_t)std::round(scaled);
        if (!decimal::fits(v, precision)) return false;
        *out = v;
        return true;
      }
    }
  }
  char text[64];
  auto result = std::to_chars(text, text + sizeof text, d);
  return parse_decimal(std::string_view(text, result.ptr - text), precision, scale, out) == DecimalParse::OK;
}

// Rounds to an integer half away from zero and checks the logical range.
inline bool double_to_integer(double d, int64_t lo, int64_t hi, int64_t* out) {
  if (std::isnan(d)) return false;
  double r = std::round(d);
  if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return false;
  int64_t v = (int64_t)r;
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

inline int64_t round_micros(int64_t micros, int from_precision, int to_precision) {
  if (to_precision >= from_precision || to_precision >= 6) return micros;
  int64_t unit = 1;
  for (int k = to_precision; k < 6; k++) unit *= 10;
  return datetime::floor_div(micros + unit / 2, unit) * unit;
}

// ---- the loop ----

// f(in, out&) -> bool; on false, try_cast makes the row NULL, otherwise fail(in) throws.
template <class In, class Out, class F, class Fail>
void cast_loop(const Vector& in, Vector& out, size_t count, bool try_cast, F&& f, Fail&& fail) {
  const In* src = in.data<In>();
  Out* dst = out.data<Out>();
  const uint8_t* nulls = out.nulls();
  bool any_null = out.may_have_nulls();
  for (size_t i = 0; i < count; i++) {
    if (any_null && nulls[i]) continue;
    if (!f(src[i], dst[i])) [[unlikely]] {
      if (try_cast) {
        out.set_null(i);
      } else {
        fail(src[i]);
      }
    }
  }
}

// Loop for casts that cannot fail.
template <class In, class Out, class F>
void map_loop(const Vector& in, Vector& out, size_t count, F&& f) {
  const In* src = in.data<In>();
  Out* dst = out.data<Out>();
  const uint8_t* nulls = out.nulls();
  if (!out.may_have_nulls()) {
    for (size_t i = 0; i < count; i++) dst[i] = f(src[i]);
  } else {
    for (size_t i = 0; i < count; i++)
      if (!nulls[i]) dst[i] = f(src[i]);
  }
}

[[noreturn]] __attribute__((noinline, cold)) void fail(ErrorCode code, const std::string& message) {
  throw_error(code, message);
}

std::string quoted_text(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view truncate_chars(std::string_view s, int length) {
  if (length < 0 || s.size() <= (size_t)length) return s;
  size_t pos = 0;
  for (int chars = 0; chars < length && pos < s.size(); chars++) {
    unsigned char lead = (unsigned char)s[pos];
    pos += lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
  }
  return s.substr(0, std::min(pos, s.size()));
}

// ---- per source family ----

void cast_to_varchar(const Vector& in, Vector& out, size_t count) {
  const Type& from = in.type();
  int length = out.type().precision;
  auto* dst = out.data<std::string_view>();
  const uint8_t* nulls = out.nulls();
  bool any_null = out.may_have_nulls();
  char buffer[80];
  auto emit = [&](size_t i, std::string_view text) { dst[i] = out.add_string(truncate_chars(text, length)); };
  switch (from.id) {
    case TypeId::VARCHAR:
    case TypeId::VARBINARY: {
      const auto* src = in.data<std::string_view>();
      for (size_t i = 0; i < count; i++) dst[i] = truncate_chars(src[i], length);
      out.share_heaps(in);
      return;
    }
    case TypeId::BOOLEAN: {
      const auto* src = in.data<uint8_t>();
      static const char* kTrue = "true";
      static const char* kFalse = "false";
      for (size_t i = 0; i < count; i++)
        dst[i] = truncate_chars(src[i] ? std::string_view(kTrue, 4) : std::string_view(kFalse, 5), length);
      return;
    }
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      const auto* src = in.data<int64_t>();
      for (size_t i = 0; i < count; i++) {
        if (any_null && nulls[i]) continue;
        auto r = std::to_chars(buffer, buffer + sizeof buffer, src[i]);
        emit(i, std::string_view(buffer, r.ptr - buffer));
      }
      return;
    }
    case TypeId::DOUBLE:
    case TypeId::REAL: {
      const auto* src = in.data<double>();
      bool real = from.id == TypeId::REAL;
      for (size_t i = 0; i < count; i++) {
        if (any_null && nulls[i]) continue;
        size_t len = real ? format_java<float>((float)src[i], buffer) : format_java<double>(src[i], buffer);
        emit(i, std::string_view(buffer, len));
      }
      return;
    }
    case TypeId::DECIMAL: {
      const auto* src = in.data<int128>();
      for (size_t i = 0; i < count; i++) {
        if (any_null && nulls[i]) continue;
        emit(i, std::string_view(buffer, format_decimal(src[i], from.scale, buffer)));
      }
      return;
    }
    default:
      for (size_t i = 0; i < count; i++) {
        if (any_null && nulls[i]) continue;
        emit(i, value_to_varchar(in, i));
      }
      return;
  }
}

void cast_from_varchar(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& to = out.type();
  using SV = std::string_view;
  switch (to.id) {
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      int64_t lo = integer_min(to.id), hi = integer_max(to.id);
      const char* name = parse_target_name(to.id);
      cast_loop<SV, int64_t>(
          in, out, count, try_cast, [=](SV s, int64_t& r) { return parse_integer(s, lo, hi, &r); },
          [=](SV s) { fail(ErrorCode::INVALID_CAST, "Cannot cast " + quoted_text(s) + " to " + name); });
      return;
    }
    case TypeId::DOUBLE:
      cast_loop<SV, double>(
          in, out, count, try_cast, [](SV s, double& r) { return parse_floating<double>(s, &r); },
          [](SV s) { fail(ErrorCode::INVALID_CAST, "Cannot cast " + quoted_text(s) + " to DOUBLE"); });
      return;
    case TypeId::REAL:
      cast_loop<SV, double>(
          in, out, count, try_cast,
          [](SV s, double& r) {
            float f;
            if (!parse_floating<float>(s, &f)) return false;
            r = f;
            return true;
          },
          [](SV s) { fail(ErrorCode::INVALID_CAST, "Cannot cast " + quoted_text(s) + " to REAL"); });
      return;
    case TypeId::DECIMAL: {
      int p = to.precision, sc = to.scale;
      std::string name = upper_name(to);
      cast_loop<SV, int128>(
          in, out, count, try_cast,
          [=](SV s, int128& r) { return parse_decimal(s, p, sc, &r) == DecimalParse::OK; },
          [=](SV s) {
            int128 ignored;
            bool too_large = parse_decimal(s, p, sc, &ignored) == DecimalParse::TOO_LARGE;
            fail(too_large ? ErrorCode::NUMERIC_OUT_OF_RANGE : ErrorCode::INVALID_CAST,
                 "Cannot cast VARCHAR " + quoted_text(s) + " to " + name +
                     (too_large ? ". Value too large." : ". Value is not a number."));
          });
      return;
    }
    case TypeId::BOOLEAN:
      cast_loop<SV, uint8_t>(
          in, out, count, try_cast,
          [](SV text, uint8_t& r) {
            SV s = trim(text);
            auto equals = [&](const char* word) {
              size_t n = std::strlen(word);
              if (s.size() != n) return false;
              for (size_t k = 0; k < n; k++)
                if (std::tolower((unsigned char)s[k]) != word[k]) return false;
              return true;
            };
            if (equals("true") || equals("t") || equals("1")) {
              r = 1;
              return true;
            }
            if (equals("false") || equals("f") || equals("0")) {
              r = 0;
              return true;
            }
            return false;
          },
          [](SV s) { fail(ErrorCode::INVALID_CAST, "Cannot cast " + quoted_text(s) + " to BOOLEAN"); });
      return;
    case TypeId::DATE:
      cast_loop<SV, int64_t>(
          in, out, count, try_cast, [](SV s, int64_t& r) { return datetime::parse_date(trim(s), &r); },
          [](SV s) { fail(ErrorCode::INVALID_CAST, "Value cannot be cast to date: " + std::string(s)); });
      return;
    case TypeId::TIMESTAMP: {
      int precision = to.precision;
      cast_loop<SV, int64_t>(
          in, out, count, try_cast,
          [=](SV s, int64_t& r) {
            if (!datetime::parse_timestamp(trim(s), &r)) return false;
            r = round_micros(r, 6, precision);
            return true;
          },
          [](SV s) { fail(ErrorCode::INVALID_CAST, "Value cannot be cast to timestamp: " + std::string(s)); });
      return;
    }
    case TypeId::VARCHAR:
    case TypeId::VARBINARY:
      cast_to_varchar(in, out, count);
      return;
    default:
      fail(ErrorCode::NOT_SUPPORTED, "Cannot cast " + in.type().to_string() + " to " + to.to_string());
  }
}

void cast_from_integer(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& from = in.type();
  const Type& to = out.type();
  switch (to.id) {
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      int64_t lo = integer_min(to.id), hi = integer_max(to.id);
      if (lo <= integer_min(from.id) && hi >= integer_max(from.id)) {
        map_loop<int64_t, int64_t>(in, out, count, [](int64_t v) { return v; });
        return;
      }
      std::string name = to.to_string();
      cast_loop<int64_t, int64_t>(
          in, out, count, try_cast,
          [=](int64_t v, int64_t& r) {
            r = v;
            return v >= lo && v <= hi;
          },
          [=](int64_t v) {
            fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Out of range for " + name + ": " + std::to_string(v));
          });
      return;
    }
    case TypeId::DOUBLE: map_loop<int64_t, double>(in, out, count, [](int64_t v) { return (double)v; }); return;
    case TypeId::REAL: map_loop<int64_t, double>(in, out, count, [](int64_t v) { return (double)(float)v; }); return;
    case TypeId::BOOLEAN: map_loop<int64_t, uint8_t>(in, out, count, [](int64_t v) { return (uint8_t)(v != 0); }); return;
    case TypeId::DECIMAL: {
      int128 m = decimal::pow10(to.scale);
      int128 limit = decimal::max_unscaled(to.precision);
      std::string message_prefix = "Cannot cast " + upper_name(from) + " '";
      std::string message_suffix = "' to " + upper_name(to);
      cast_loop<int64_t, int128>(
          in, out, count, try_cast,
          [=](int64_t v, int128& r) {
            r = (int128)v * m;
            return r <= limit && r >= -limit;
          },
          [&](int64_t v) {
            fail(ErrorCode::NUMERIC_OUT_OF_RANGE, message_prefix + std::to_string(v) + message_suffix);
          });
      return;
    }
    default: cast_to_varchar(in, out, count); return;
  }
}

void cast_from_floating(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& from = in.type();
  const Type& to = out.type();
  bool real = from.id == TypeId::REAL;
  auto show = [real](double v) {
    char buffer[64];
    size_t len = real ? format_java<float>((float)v, buffer) : format_java<double>(v, buffer);
    return std::string(buffer, len);
  };
  switch (to.id) {
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      int64_t lo = integer_min(to.id), hi = integer_max(to.id);
      std::string name = to.to_string();
      cast_loop<double, int64_t>(
          in, out, count, try_cast, [=](double v, int64_t& r) { return double_to_integer(v, lo, hi, &r); },
          [&](double v) {
            if (std::isnan(v)) {
              fail(ErrorCode::INVALID_CAST, std::string("Cannot cast ") + (real ? "real" : "double") + " NaN to " + name);
            }
            fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Out of range for " + name + ": " + show(v));
          });
      return;
    }
    case TypeId::DOUBLE: map_loop<double, double>(in, out, count, [](double v) { return v; }); return;
    case TypeId::REAL: map_loop<double, double>(in, out, count, [](double v) { return (double)(float)v; }); return;
    case TypeId::BOOLEAN: map_loop<double, uint8_t>(in, out, count, [](double v) { return (uint8_t)(v != 0); }); return;
    case TypeId::DECIMAL: {
      int p = to.precision, s = to.scale;
      cast_loop<double, int128>(
          in, out, count, try_cast, [=](double v, int128& r) { return double_to_decimal(v, p, s, &r); },
          [&](double v) {
            fail(std::isfinite(v) ? ErrorCode::NUMERIC_OUT_OF_RANGE : ErrorCode::INVALID_CAST,
                 "Cannot cast " + upper_name(from) + " '" + show(v) + "' to " + upper_name(to));
          });
      return;
    }
    default: cast_to_varchar(in, out, count); return;
  }
}

void cast_from_decimal(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& from = in.type();
  const Type& to = out.type();
  int fs = from.scale;
  auto fail_range = [&](int128 v) {
    char buffer[64];
    fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Cannot cast " + upper_name(from) + " '" +
                                              std::string(buffer, format_decimal(v, fs, buffer)) + "' to " +
                                              upper_name(to));
  };
  switch (to.id) {
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      int64_t lo = integer_min(to.id), hi = integer_max(to.id);
      int128 divisor = decimal::pow10(fs);
      cast_loop<int128, int64_t>(
          in, out, count, try_cast,
          [=](int128 v, int64_t& r) {
            int128 rounded = fs == 0 ? v : decimal::divide_round(v, divisor);
            if (rounded < lo || rounded > hi) return false;
            r = (int64_t)rounded;
            return true;
          },
          fail_range);
      return;
    }
    case TypeId::DOUBLE:
      map_loop<int128, double>(in, out, count, [fs](int128 v) { return decimal_to_double(v, fs); });
      return;
    case TypeId::REAL:
      map_loop<int128, double>(in, out, count, [fs](int128 v) { return (double)(float)decimal_to_double(v, fs); });
      return;
    case TypeId::BOOLEAN: map_loop<int128, uint8_t>(in, out, count, [](int128 v) { return (uint8_t)(v != 0); }); return;
    case TypeId::DECIMAL: {
      int ts = to.scale;
      int128 limit = decimal::max_unscaled(to.precision);
      bool can_overflow = to.precision - ts < from.precision - fs;
      if (ts == fs) {
        if (!can_overflow) {
          map_loop<int128, int128>(in, out, count, [](int128 v) { return v; });
          return;
        }
        cast_loop<int128, int128>(
            in, out, count, try_cast,
            [=](int128 v, int128& r) {
              r = v;
              return v <= limit && v >= -limit;
            },
            fail_range);
        return;
      }
      if (ts > fs) {
        int128 m = decimal::pow10(ts - fs);
        cast_loop<int128, int128>(
            in, out, count, try_cast,
            [=](int128 v, int128& r) {
              if (__builtin_mul_overflow(v, m, &r)) return false;
              return r <= limit && r >= -limit;
            },
            fail_range);
        return;
      }
      int128 divisor = decimal::pow10(fs - ts);
      cast_loop<int128, int128>(
          in, out, count, try_cast,
          [=](int128 v, int128& r) {
            r = decimal::divide_round(v, divisor);
            return r <= limit && r >= -limit;
          },
          fail_range);
      return;
    }
    default: cast_to_varchar(in, out, count); return;
  }
}

void cast_from_boolean(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& to = out.type();
  switch (to.physical()) {
    case PhysicalType::BOOL: map_loop<uint8_t, uint8_t>(in, out, count, [](uint8_t v) { return v; }); return;
    case PhysicalType::I64: map_loop<uint8_t, int64_t>(in, out, count, [](uint8_t v) { return (int64_t)(v != 0); }); return;
    case PhysicalType::F64: map_loop<uint8_t, double>(in, out, count, [](uint8_t v) { return v ? 1.0 : 0.0; }); return;
    case PhysicalType::I128: {
      int128 one = decimal::pow10(to.scale);
      bool fits = to.precision > to.scale;
      cast_loop<uint8_t, int128>(
          in, out, count, try_cast,
          [=](uint8_t v, int128& r) {
            r = v ? one : 0;
            return !v || fits;
          },
          [&](uint8_t) { fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Cannot cast BOOLEAN 'true' to " + upper_name(to)); });
      return;
    }
    case PhysicalType::STRING: cast_to_varchar(in, out, count); return;
  }
}

void cast_from_temporal(const Vector& in, Vector& out, size_t count) {
  const Type& from = in.type();
  const Type& to = out.type();
  if (from.id == TypeId::DATE && to.id == TypeId::TIMESTAMP) {
    map_loop<int64_t, int64_t>(in, out, count, [](int64_t d) { return d * datetime::kMicrosPerDay; });
  } else if (from.id == TypeId::TIMESTAMP && to.id == TypeId::DATE) {
    map_loop<int64_t, int64_t>(in, out, count,
                               [](int64_t t) { return datetime::floor_div(t, datetime::kMicrosPerDay); });
  } else if (from.id == TypeId::TIMESTAMP && to.id == TypeId::TIMESTAMP) {
    int fp = from.precision, tp = to.precision;
    map_loop<int64_t, int64_t>(in, out, count, [=](int64_t t) { return round_micros(t, fp, tp); });
  } else if (from.id == to.id) {
    map_loop<int64_t, int64_t>(in, out, count, [](int64_t v) { return v; });
  } else {
    cast_to_varchar(in, out, count);
  }
}

}  // namespace

bool cast_supported(const Type& from, const Type& to) {
  if (from.id == TypeId::UNKNOWN || from.id == to.id) return true;
  if (to.id == TypeId::UNKNOWN) return false;
  bool from_number = from.is_numeric() || from.id == TypeId::BOOLEAN;
  bool to_number = to.is_numeric() || to.id == TypeId::BOOLEAN;
  if (from_number && to_number) return true;
  if (to.id == TypeId::VARCHAR) return true;
  if (from.id == TypeId::VARCHAR) return !to.is_interval();
  if (from.is_temporal() && to.is_temporal()) return true;
  return false;
}

void cast_vector(const Vector& in, Vector& out, size_t count, bool try_cast) {
  const Type& from = in.type();
  const Type& to = out.type();
  if (from.id == TypeId::UNKNOWN) {
    std::memset(out.nulls(), 1, count);
    out.mark_may_have_nulls();
    return;
  }
  out.set_all_valid(count);
  if (in.may_have_nulls()) {
    std::memcpy(out.nulls(), in.nulls(), count);
    out.mark_may_have_nulls();
  }
  if (!cast_supported(from, to)) {
    throw_error(ErrorCode::TYPE_MISMATCH, "Cannot cast " + from.to_string() + " to " + to.to_string());
  }
  switch (from.id) {
    case TypeId::BOOLEAN: cast_from_boolean(in, out, count, try_cast); return;
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: cast_from_integer(in, out, count, try_cast); return;
    case TypeId::REAL:
    case TypeId::DOUBLE: cast_from_floating(in, out, count, try_cast); return;
    case TypeId::DECIMAL: cast_from_decimal(in, out, count, try_cast); return;
    case TypeId::VARCHAR: cast_from_varchar(in, out, count, try_cast); return;
    case TypeId::VARBINARY: cast_to_varchar(in, out, count); return;  // to varbinary or varchar: bytes as-is
    case TypeId::DATE:
    case TypeId::TIMESTAMP:
    case TypeId::INTERVAL_DAY_TIME:
    case TypeId::INTERVAL_YEAR_MONTH: cast_from_temporal(in, out, count); return;
    case TypeId::UNKNOWN: return;
  }
}

Value cast_value(const Value& in, const Type& to, bool try_cast) {
  if (in.is_null || in.type.id == TypeId::UNKNOWN) return Value::null(to);
  Vector source = Vector::constant(in, 1);
  Vector target(to, 1);
  cast_vector(source, target, 1, try_cast);
  return target.get_value(0);
}

std::string value_to_varchar(const Vector& in, size_t row) {
  const Type& t = in.type();
  char buffer[80];
  switch (t.id) {
    case TypeId::UNKNOWN: return "NULL";
    case TypeId::BOOLEAN: return in.data<uint8_t>()[row] ? "true" : "false";
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: return std::to_string(in.data<int64_t>()[row]);
    case TypeId::REAL: return std::string(buffer, format_java<float>((float)in.data<double>()[row], buffer));
    case TypeId::DOUBLE: return std::string(buffer, format_java<double>(in.data<double>()[row], buffer));
    case TypeId::DECIMAL: return std::string(buffer, format_decimal(in.data<int128>()[row], t.scale, buffer));
    case TypeId::VARCHAR:
    case TypeId::VARBINARY: return std::string(in.data<std::string_view>()[row]);
    case TypeId::DATE: return datetime::format_date(in.data<int64_t>()[row]);
    case TypeId::TIMESTAMP: return datetime::format_timestamp(in.data<int64_t>()[row], t.precision);
    case TypeId::INTERVAL_DAY_TIME:
    case TypeId::INTERVAL_YEAR_MONTH: return Value::integer(in.data<int64_t>()[row], t).to_string();
  }
  return "";
}

}  // namespace tributary
