#include "common/types.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace tributary {

PhysicalType Type::physical() const {
  switch (id) {
    case TypeId::BOOLEAN: return PhysicalType::BOOL;
    case TypeId::REAL:
    case TypeId::DOUBLE: return PhysicalType::F64;
    case TypeId::DECIMAL: return PhysicalType::I128;
    case TypeId::VARCHAR:
    case TypeId::VARBINARY: return PhysicalType::STRING;
    default: return PhysicalType::I64;
  }
}

std::string Type::to_string() const {
  switch (id) {
    case TypeId::UNKNOWN: return "unknown";
    case TypeId::BOOLEAN: return "boolean";
    case TypeId::TINYINT: return "tinyint";
    case TypeId::SMALLINT: return "smallint";
    case TypeId::INTEGER: return "integer";
    case TypeId::BIGINT: return "bigint";
    case TypeId::REAL: return "real";
    case TypeId::DOUBLE: return "double";
    case TypeId::DECIMAL: return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::VARCHAR: return precision >= 0 ? "varchar(" + std::to_string(precision) + ")" : "varchar";
    case TypeId::VARBINARY: return "varbinary";
    case TypeId::DATE: return "date";
    case TypeId::TIMESTAMP: return "timestamp(" + std::to_string(precision) + ")";
    case TypeId::INTERVAL_DAY_TIME: return "interval day to second";
    case TypeId::INTERVAL_YEAR_MONTH: return "interval year to month";
  }
  return "unknown";
}

std::string Type::athena_name() const {
  switch (id) {
    case TypeId::DECIMAL: return "decimal";
    case TypeId::VARCHAR: return "varchar";
    case TypeId::TIMESTAMP: return "timestamp";
    default: return to_string();
  }
}

static std::string lower_trim(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace((unsigned char)c)) out += (char)std::tolower((unsigned char)c);
  return out;
}

Type parse_type_name(const std::string& text) {
  std::string t = lower_trim(text);
  std::string base = t, args;
  auto paren = t.find('(');
  if (paren != std::string::npos) {
    base = t.substr(0, paren);
    auto close = t.rfind(')');
    if (close == std::string::npos || close < paren) throw_error(ErrorCode::TYPE_MISMATCH, "Unknown type: " + text);
    args = t.substr(paren + 1, close - paren - 1);
  }
  std::vector<int> nums;
  if (!args.empty()) {
    size_t pos = 0;
    while (pos <= args.size()) {
      auto comma = args.find(',', pos);
      std::string part = args.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      try {
        nums.push_back(std::stoi(part));
      } catch (...) {
        throw_error(ErrorCode::TYPE_MISMATCH, "Unknown type: " + text);
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  if (base == "boolean" || base == "bool") return Type::boolean();
  if (base == "tinyint") return Type::tinyint();
  if (base == "smallint") return Type::smallint();
  if (base == "integer" || base == "int") return Type::integer();
  if (base == "bigint") return Type::bigint();
  if (base == "real" || base == "float") return Type::real();
  if (base == "double" || base == "doubleprecision") return Type::double_();
  if (base == "decimal" || base == "numeric") {
    int p = nums.size() > 0 ? nums[0] : 38;
    int s = nums.size() > 1 ? nums[1] : 0;
    if (p < 1 || p > 38) throw_error(ErrorCode::TYPE_MISMATCH, "DECIMAL precision must be in range [1, 38]: " + text);
    if (s < 0 || s > p) throw_error(ErrorCode::TYPE_MISMATCH, "DECIMAL scale must be in range [0, precision]: " + text);
    return Type::decimal(p, s);
  }
  if (base == "varchar" || base == "string" || base == "char" || base == "text") {
    return Type::varchar(nums.empty() ? -1 : nums[0]);
  }
  if (base == "varbinary" || base == "binary") return Type::varbinary();
  if (base == "date") return Type::date();
  if (base == "timestamp") {
    int p = nums.empty() ? 3 : nums[0];
    if (p < 0 || p > 12) throw_error(ErrorCode::TYPE_MISMATCH, "TIMESTAMP precision must be in range [0, 12]: " + text);
    return Type::timestamp(std::min(p, 6) == p ? p : 6);
  }
  if (base == "intervaldaytosecond") return Type::interval_day_time();
  if (base == "intervalyeartomonth") return Type::interval_year_month();
  throw_error(ErrorCode::TYPE_MISMATCH, "Unknown type: " + text);
}

int64_t integer_min(TypeId id) {
  switch (id) {
    case TypeId::TINYINT: return INT8_MIN;
    case TypeId::SMALLINT: return INT16_MIN;
    case TypeId::INTEGER: return INT32_MIN;
    default: return INT64_MIN;
  }
}

int64_t integer_max(TypeId id) {
  switch (id) {
    case TypeId::TINYINT: return INT8_MAX;
    case TypeId::SMALLINT: return INT16_MAX;
    case TypeId::INTEGER: return INT32_MAX;
    default: return INT64_MAX;
  }
}

Type integer_as_decimal(TypeId id) {
  switch (id) {
    case TypeId::TINYINT: return Type::decimal(3, 0);
    case TypeId::SMALLINT: return Type::decimal(5, 0);
    case TypeId::INTEGER: return Type::decimal(10, 0);
    default: return Type::decimal(19, 0);
  }
}

static int integer_rank(TypeId id) {
  switch (id) {
    case TypeId::TINYINT: return 1;
    case TypeId::SMALLINT: return 2;
    case TypeId::INTEGER: return 3;
    case TypeId::BIGINT: return 4;
    default: return 0;
  }
}

bool common_super_type(const Type& a, const Type& b, Type* out) {
  if (a == b) {
    *out = a;
    return true;
  }
  if (a.id == TypeId::UNKNOWN) {
    *out = b;
    return true;
  }
  if (b.id == TypeId::UNKNOWN) {
    *out = a;
    return true;
  }
  if (a.is_integer() && b.is_integer()) {
    *out = integer_rank(a.id) >= integer_rank(b.id) ? a : b;
    return true;
  }
  if (a.is_numeric() && b.is_numeric()) {
    if (a.id == TypeId::DOUBLE || b.id == TypeId::DOUBLE) {
      *out = Type::double_();
      return true;
    }
    if (a.id == TypeId::REAL || b.id == TypeId::REAL) {
      *out = Type::real();
      return true;
    }
    Type da = a.id == TypeId::DECIMAL ? a : integer_as_decimal(a.id);
    Type db = b.id == TypeId::DECIMAL ? b : integer_as_decimal(b.id);
    int scale = std::max(da.scale, db.scale);
    int integral = std::max(da.precision - da.scale, db.precision - db.scale);
    *out = Type::decimal(std::min(38, integral + scale), scale);
    return true;
  }
  if (a.id == TypeId::VARCHAR && b.id == TypeId::VARCHAR) {
    *out = Type::varchar(a.precision < 0 || b.precision < 0 ? -1 : std::max(a.precision, b.precision));
    return true;
  }
  if (a.is_temporal() && b.is_temporal()) {
    *out = Type::timestamp(std::max(a.id == TypeId::TIMESTAMP ? a.precision : 0,
                                    b.id == TypeId::TIMESTAMP ? b.precision : 0));
    return true;
  }
  return false;
}

bool can_coerce(const Type& from, const Type& to) {
  if (from == to || from.id == TypeId::UNKNOWN) return true;
  Type super;
  if (!common_super_type(from, to, &super)) return false;
  if (super.id != to.id) return false;
  if (to.id == TypeId::DECIMAL) {
    Type f = from.id == TypeId::DECIMAL ? from : (from.is_integer() ? integer_as_decimal(from.id) : from);
    return f.id == TypeId::DECIMAL && f.scale <= to.scale && f.precision - f.scale <= to.precision - to.scale;
  }
  if (to.id == TypeId::VARCHAR) return true;
  return true;
}

}  // namespace tributary
