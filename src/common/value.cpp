#include "common/value.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/datetime.h"
#include "common/decimal.h"

namespace tributary {

static std::string java_style_double(double d, int max_digits) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest representation that round-trips.
  char buffer[64];
  int precision = 1;
  for (; precision <= max_digits; precision++) {
    std::snprintf(buffer, sizeof buffer, "%.*e", precision - 1, d);
    if (max_digits == 17 ? std::strtod(buffer, nullptr) == d : (float)std::strtod(buffer, nullptr) == (float)d) break;
  }
  if (precision > max_digits) precision = max_digits;
  std::snprintf(buffer, sizeof buffer, "%.*e", precision - 1, d);
  // buffer = [-]D.DDDDe[+-]XX
  std::string s = buffer;
  bool negative = s[0] == '-';
  if (negative) s = s.substr(1);
  auto e = s.find('e');
  std::string mantissa = s.substr(0, e);
  int exponent = std::stoi(s.substr(e + 1));
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      std::string integral = digits.substr(0, std::min<size_t>(digits.size(), exponent + 1));
      while ((int)integral.size() < exponent + 1) integral += '0';
      std::string fraction = (int)digits.size() > exponent + 1 ? digits.substr(exponent + 1) : "0";
      out = integral + "." + fraction;
    } else {
      out = "0." + std::string(-exponent - 1, '0') + digits;
    }
  } else {
    std::string fraction = digits.size() > 1 ? digits.substr(1) : "0";
    out = digits.substr(0, 1) + "." + fraction + "E" + std::to_string(exponent);
  }
  return negative ? "-" + out : out;
}

std::string format_double(double d) { return java_style_double(d, 17); }
std::string format_real(float f) { return java_style_double(f, 9); }

std::string Value::to_string() const {
  if (is_null) return "NULL";
  switch (type.id) {
    case TypeId::UNKNOWN: return "NULL";
    case TypeId::BOOLEAN: return b ? "true" : "false";
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: return std::to_string(i);
    case TypeId::REAL: return format_real((float)d);
    case TypeId::DOUBLE: return format_double(d);
    case TypeId::DECIMAL: return decimal::to_string(dec, type.scale);
    case TypeId::VARCHAR: return s;
    case TypeId::VARBINARY: {
      static const char* hex = "0123456789abcdef";
      std::string out;
      for (size_t k = 0; k < s.size(); k++) {
        if (k) out += ' ';
        out += hex[(unsigned char)s[k] >> 4];
        out += hex[(unsigned char)s[k] & 15];
      }
      return out;
    }
    case TypeId::DATE: return datetime::format_date(i);
    case TypeId::TIMESTAMP: return datetime::format_timestamp(i, type.precision);
    case TypeId::INTERVAL_DAY_TIME: {
      int64_t ms = i < 0 ? -i : i;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%s%lld %02lld:%02lld:%02lld.%03lld", i < 0 ? "-" : "",
                    (long long)(ms / 86400000), (long long)(ms / 3600000 % 24), (long long)(ms / 60000 % 60),
                    (long long)(ms / 1000 % 60), (long long)(ms % 1000));
      return buffer;
    }
    case TypeId::INTERVAL_YEAR_MONTH: {
      int64_t m = i < 0 ? -i : i;
      return std::string(i < 0 ? "-" : "") + std::to_string(m / 12) + "-" + std::to_string(m % 12);
    }
  }
  return "?";
}

int Value::compare(const Value& other) const {
  if (is_null || other.is_null) return (int)other.is_null - (int)is_null;
  switch (type.physical()) {
    case PhysicalType::BOOL: return (int)b - (int)other.b;
    case PhysicalType::I64: return i < other.i ? -1 : i > other.i;
    case PhysicalType::F64: return d < other.d ? -1 : d > other.d;
    case PhysicalType::I128: return dec < other.dec ? -1 : dec > other.dec;
    case PhysicalType::STRING: return s.compare(other.s) < 0 ? -1 : s.compare(other.s) > 0;
  }
  return 0;
}

bool Value::operator==(const Value& other) const { return is_null == other.is_null && compare(other) == 0; }

}  // namespace tributary
