#include "common/decimal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tributary::decimal {

std::string int128_to_string(int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  unsigned __int128 u = negative ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
  char buffer[48];
  int pos = 47;
  buffer[pos] = 0;
  while (u > 0) {
    buffer[--pos] = (char)('0' + (int)(u % 10));
    u /= 10;
  }
  if (negative) buffer[--pos] = '-';
  return std::string(buffer + pos);
}

std::string to_string(int128 unscaled, int scale) {
  if (scale == 0) return int128_to_string(unscaled);
  bool negative = unscaled < 0;
  std::string digits = int128_to_string(negative ? -unscaled : unscaled);
  if ((int)digits.size() <= scale) digits = std::string(scale - digits.size() + 1, '0') + digits;
  std::string out = negative ? "-" : "";
  out += digits.substr(0, digits.size() - scale);
  out += '.';
  out += digits.substr(digits.size() - scale);
  return out;
}

bool parse(std::string_view text, int scale, int128* out) {
  size_t i = 0, n = text.size();
  while (i < n && (text[i] == ' ' || text[i] == '\t')) i++;
  while (n > i && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    i++;
  }
  std::string digits;
  int fraction_digits = 0;
  bool seen_point = false, any = false;
  for (; i < n; i++) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (!(digits.empty() && c == '0')) digits += c;
      if (seen_point) fraction_digits++;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else if ((c == 'e' || c == 'E') && any) {
      i++;
      bool exponent_negative = false;
      if (i < n && (text[i] == '+' || text[i] == '-')) {
        exponent_negative = text[i] == '-';
        i++;
      }
      if (i >= n) return false;
      int exponent = 0;
      for (; i < n; i++) {
        if (text[i] < '0' || text[i] > '9') return false;
        exponent = exponent * 10 + (text[i] - '0');
        if (exponent > 100000) return false;
      }
      fraction_digits += exponent_negative ? exponent : -exponent;
      break;
    } else {
      return false;
    }
  }
  if (!any) return false;
  // value = digits * 10^-fraction_digits; want digits * 10^(scale - fraction_digits)
  int shift = scale - fraction_digits;
  int round_digit = 0;
  if (shift < 0) {
    int drop = -shift;
    if (drop > (int)digits.size()) {
      digits.clear();
    } else {
      round_digit = digits[digits.size() - drop] - '0';
      digits.resize(digits.size() - drop);
    }
    shift = 0;
  }
  if ((int)digits.size() + shift > 38) return false;
  int128 value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  value *= pow10(shift);
  if (round_digit >= 5) value += 1;
  if (value > max_unscaled(38)) return false;
  *out = negative ? -value : value;
  return true;
}

void literal_type(std::string_view text, int* precision, int* scale) {
  int integral = 0, fraction = 0;
  bool point = false, leading = true;
  for (char c : text) {
    if (c == '.') {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') continue;
    if (point) {
      fraction++;
    } else {
      if (leading && c == '0') continue;
      leading = false;
      integral++;
    }
  }
  *scale = fraction;
  *precision = std::max(1, integral + fraction);
}

int128 divide_round(int128 numerator, int128 denominator) {
  int128 q = numerator / denominator;
  int128 r = numerator % denominator;
  if (r != 0) {
    int128 twice = r < 0 ? -r * 2 : r * 2;
    int128 absd = denominator < 0 ? -denominator : denominator;
    if (twice >= absd) q += ((numerator < 0) != (denominator < 0)) ? -1 : 1;
  }
  return q;
}

int128 rescale(int128 v, int from_scale, int to_scale) {
  if (to_scale == from_scale) return v;
  if (to_scale > from_scale) return v * pow10(to_scale - from_scale);
  return divide_round(v, pow10(from_scale - to_scale));
}

double to_double(int128 v, int scale) {
  // Exact for the common case via string conversion keeps correct rounding.
  std::string s = to_string(v, scale);
  return std::strtod(s.c_str(), nullptr);
}

bool from_double(double d, int precision, int scale, int128* out) {
  if (!std::isfinite(d)) return false;
  int128 v;
  char buffer[64];
  // %.17g round-trips the double; parse() then rounds half-up at `scale`.
  std::snprintf(buffer, sizeof buffer, "%.17g", d);
  if (!parse(buffer, scale, &v)) return false;
  if (!fits(v, precision)) return false;
  *out = v;
  return true;
}

}  // namespace tributary::decimal
