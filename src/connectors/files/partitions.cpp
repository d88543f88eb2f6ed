#include "connectors/files/partitions.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <set>

#include "common/datetime.h"
#include "common/error.h"
#include "common/text.h"
#include "function/cast.h"

namespace tributary::files {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An integer exactly as BIGINT prints it: optional '-', no leading zeros, no "-0", in range.
bool canonical_bigint(const std::string& text) {
  size_t digits = text.size(), start = 0;
  if (!text.empty() && text[0] == '-') {
    start = 1;
    digits--;
  }
  if (digits == 0 || digits > 19) return false;
  for (size_t i = start; i < text.size(); i++)
    if (text[i] < '0' || text[i] > '9') return false;
  if (text[start] == '0' && (digits > 1 || start == 1)) return false;
  if (digits < 19) return true;
  // 19 digits: compare with the limits as text (same length, so lexicographic works).
  return text.compare(start, std::string::npos, start ? "9223372036854775808" : "9223372036854775807") <= 0;
}

// YYYY-MM-DD, a real calendar date (as DATE prints it, so the value reads back the same).
bool canonical_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  int64_t year = std::stoll(text.substr(0, 4));
  unsigned month = (unsigned)std::stoul(text.substr(5, 2)), day = (unsigned)std::stoul(text.substr(8, 2));
  return datetime::valid_date(year, month, day);
}

// Values of these types compare with Value::compare (varchar(2) and varchar alike).
bool comparable(const Type& a, const Type& b) {
  if (a.id != b.id) return false;
  return a.id != TypeId::DECIMAL || a.scale == b.scale;
}

// Whether a tree of kinds and columns is one evaluate_partition_expression() decides.
bool supported(const PushedExpression& e, const std::set<int>& columns) {
  using Kind = PushedExpression::Kind;
  switch (e.kind) {
    case Kind::COLUMN: return columns.count(e.column) > 0;
    case Kind::CONSTANT: return true;
    case Kind::COMPARE:
      if (e.args.size() != 2 || !comparable(e.args[0]->type, e.args[1]->type)) return false;
      if (e.op != "=" && e.op != "<>" && e.op != "<" && e.op != "<=" && e.op != ">" && e.op != ">=") return false;
      break;
    case Kind::IN:
      if (e.args.empty()) return false;
      for (const auto& a : e.args) {
        bool null_constant = a->kind == Kind::CONSTANT && a->value.is_null;
        if (!null_constant && !comparable(a->type, e.args[0]->type)) return false;
      }
      break;
    case Kind::AND:
    case Kind::OR:
    case Kind::NOT:
    case Kind::IS_NULL: break;
    case Kind::LIKE: return false;
  }
  for (const auto& a : e.args)
    if (!a || !supported(*a, columns)) return false;
  return true;
}

std::set<int> column_set(const std::map<int, Value>& values) {
  std::set<int> columns;
  for (const auto& [column, value] : values) columns.insert(column);
  return columns;
}

}  // namespace

std::string escape_path_name(std::string_view text) {
  static const std::string_view special = "\"#%'*/:=?\\{[]^";
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || special.find((char)c) != std::string_view::npos) {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    } else {
      out += (char)c;
    }
  }
  return out;
}

std::string unescape_path_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hex_digit(text[i + 1]), low = hex_digit(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += (char)(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::optional<PartitionFolder> parse_partition_folder(std::string_view name) {
  size_t equals = name.find('=');
  if (equals == std::string_view::npos || equals == 0) return std::nullopt;
  PartitionFolder folder;
  folder.key = to_lower_ascii(unescape_path_name(name.substr(0, equals)));
  folder.value = unescape_path_name(name.substr(equals + 1));
  return folder;
}

Type infer_partition_type(const std::vector<std::string>& values) {
  bool any = false, all_bigint = true, all_date = true;
  for (const auto& v : values) {
    if (v == kHiveDefaultPartition) continue;
    any = true;
    if (all_bigint && !canonical_bigint(v)) all_bigint = false;
    if (all_date && !canonical_date(v)) all_date = false;
    if (!all_bigint && !all_date) break;
  }
  if (!any) return Type::varchar();
  if (all_bigint) return Type::bigint();
  if (all_date) return Type::date();
  return Type::varchar();
}

Value partition_value(const std::string& value, const Type& type) {
  if (value == kHiveDefaultPartition) return Value::null(type);
  if (type.id == TypeId::VARCHAR) return Value::string(value, type);
  try {
    Value typed = cast_value(Value::string(value), type, /*try_cast=*/true);
    typed.type = type;
    return typed;
  } catch (const Error&) {
    return Value::null(type);
  }
}

bool partition_may_match(const std::map<int, Value>& values, const TupleDomain& constraint) {
  if (constraint.none) return false;
  for (const auto& [column, value] : values) {
    auto domain = constraint.columns.find(column);
    if (domain != constraint.columns.end() && !domain->second.contains(value)) return false;
  }
  return true;
}

bool is_partition_expression(const PushedExpression& expression, const std::map<int, Value>& values) {
  return supported(expression, column_set(values));
}

Value evaluate_partition_expression(const PushedExpression& e, const std::map<int, Value>& values) {
  using Kind = PushedExpression::Kind;
  const Value unknown = Value::null(Type::boolean());
  switch (e.kind) {
    case Kind::COLUMN: return values.at(e.column);
    case Kind::CONSTANT: return e.value;
    case Kind::COMPARE: {
      Value a = evaluate_partition_expression(*e.args[0], values);
      Value b = evaluate_partition_expression(*e.args[1], values);
      if (a.is_null || b.is_null) return unknown;
      int c = a.compare(b);
      if (e.op == "=") return Value::boolean(c == 0);
      if (e.op == "<>") return Value::boolean(c != 0);
      if (e.op == "<") return Value::boolean(c < 0);
      if (e.op == "<=") return Value::boolean(c <= 0);
      if (e.op == ">") return Value::boolean(c > 0);
      return Value::boolean(c >= 0);
    }
    case Kind::IN: {
      Value probe = evaluate_partition_expression(*e.args[0], values);
      if (probe.is_null) return unknown;
      bool saw_null = false;
      for (size_t i = 1; i < e.args.size(); i++) {
        Value candidate = evaluate_partition_expression(*e.args[i], values);
        if (candidate.is_null) {
          saw_null = true;
        } else if (probe.compare(candidate) == 0) {
          return Value::boolean(true);
        }
      }
      return saw_null ? unknown : Value::boolean(false);
    }
    case Kind::AND:
    case Kind::OR: {
      // AND: FALSE wins, then NULL; OR: TRUE wins, then NULL.
      bool decisive = e.kind == Kind::OR, saw_null = false;
      for (const auto& a : e.args) {
        Value v = evaluate_partition_expression(*a, values);
        if (v.is_null) saw_null = true;
        else if (v.b == decisive) return Value::boolean(decisive);
      }
      return saw_null ? unknown : Value::boolean(!decisive);
    }
    case Kind::NOT: {
      Value v = evaluate_partition_expression(*e.args.at(0), values);
      return v.is_null ? unknown : Value::boolean(!v.b);
    }
    case Kind::IS_NULL: return Value::boolean(evaluate_partition_expression(*e.args.at(0), values).is_null);
    case Kind::LIKE: break;
  }
  throw_error(ErrorCode::INTERNAL_ERROR, "partition pruning cannot evaluate a LIKE expression");
}

PartitionPushdown partition_pushdown(const std::vector<int>& partition_columns, const ScanRequest& request) {
  PartitionPushdown result;
  std::set<int> columns(partition_columns.begin(), partition_columns.end());
  if (!columns.empty() && !request.constraint.is_all()) {
    result.constraint_enforced = true;
    for (const auto& [column, domain] : request.constraint.columns)
      if (!columns.count(column)) result.constraint_enforced = false;
  }
  for (const auto& e : request.expressions) result.expressions_enforced.push_back(!columns.empty() && e && supported(*e, columns));
  return result;
}

bool partition_may_match(const std::map<int, Value>& values, const ScanRequest& request) {
  if (!partition_may_match(values, request.constraint)) return false;
  std::set<int> columns = column_set(values);
  for (const auto& e : request.expressions) {
    if (!e || !supported(*e, columns)) continue;
    Value v = evaluate_partition_expression(*e, values);
    if (v.is_null || !v.b) return false;
  }
  return true;
}

}  // namespace tributary::files
