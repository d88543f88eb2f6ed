#include "connectors/mysql/mysql_sql.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "connector/like_pattern.h"
#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"

namespace tributary {

namespace {

struct ParsedColumnType {
  std::string base;       // "int", "varchar", "decimal", ...
  std::vector<int> args;  // numeric arguments in parentheses
  bool is_unsigned = false;
};

ParsedColumnType parse_column_type(const std::string& text) {
  ParsedColumnType parsed;
  std::string t;
  for (char c : text) t += (char)std::tolower((unsigned char)c);
  size_t i = 0;
  while (i < t.size() && t[i] == ' ') i++;
  while (i < t.size() && (std::isalnum((unsigned char)t[i]) || t[i] == '_')) parsed.base += t[i++];
  if (i < t.size() && t[i] == '(' && parsed.base != "enum" && parsed.base != "set") {
    i++;
    while (i < t.size() && t[i] != ')') {
      while (i < t.size() && (t[i] == ' ' || t[i] == ',')) i++;
      if (i < t.size() && std::isdigit((unsigned char)t[i])) {
        long v = 0;
        while (i < t.size() && std::isdigit((unsigned char)t[i])) v = std::min<long>(v * 10 + (t[i++] - '0'), 1 << 30);
        parsed.args.push_back((int)v);
      } else if (i < t.size() && t[i] != ')') {
        i++;
      }
    }
  }
  parsed.is_unsigned = t.find(" unsigned") != std::string::npos;
  return parsed;
}

std::string format_exact_double(double d) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17e", d);
  return buffer;
}

std::string column_ref(const std::string& alias, const MysqlColumn& column) {
  return (alias.empty() ? "" : alias + ".") + mysql_quote_identifier(column.name);
}

// The expression compared/ordered/grouped in the source for a column of class `cls`.
std::string compare_expr(const std::string& ref, const MysqlColumn& column, MysqlClass cls,
                         const MysqlDialect& dialect) {
  if (cls != MysqlClass::STRING) return ref;
  if (column.charset == "utf8mb4") return ref + " COLLATE " + dialect.exact_collation;
  return "CONVERT(" + ref + " USING utf8mb4) COLLATE " + dialect.exact_collation;
}

// Never NULL: 1 exactly when tributary reads a non-NULL value (zero dates read as NULL).
std::string valid_expr(const std::string& ref, MysqlClass cls) {
  if (cls == MysqlClass::DATE || cls == MysqlClass::TIMESTAMP)
    return "(" + ref + " IS NOT NULL AND MONTH(" + ref + ") <> 0 AND DAYOFMONTH(" + ref + ") <> 0)";
  return ref + " IS NOT NULL";
}

// The value tributary would read, as a source expression (zero dates become NULL).
std::string value_expr(const std::string& ref, const MysqlColumn& column, MysqlClass cls,
                       const MysqlDialect& dialect) {
  if (cls == MysqlClass::DATE || cls == MysqlClass::TIMESTAMP)
    return "CASE WHEN " + valid_expr(ref, cls) + " THEN " + ref + " END";
  return compare_expr(ref, column, cls, dialect);
}

bool year_in_range(int64_t days) {
  int64_t y;
  unsigned m, d;
  datetime::civil_from_days(days, &y, &m, &d);
  return y >= 1 && y <= 9999;
}

// A literal for `v` compared against a column of class `cls`, or nullopt when the
// comparison would not be exact in MySQL.
std::optional<std::string> literal(const Value& v, MysqlClass cls) {
  if (v.is_null) return std::nullopt;
  switch (cls) {
    case MysqlClass::INTEGER:
      if (v.type.is_integer()) return std::to_string(v.i);
      break;
    case MysqlClass::DECIMAL:
      if (v.type.is_integer()) return std::to_string(v.i);
      if (v.type.id == TypeId::DECIMAL) return decimal::to_string(v.dec, v.type.scale);
      break;
    case MysqlClass::REAL:
      if (v.type.is_integer() && std::llabs(v.i) <= (1LL << 24)) return std::to_string(v.i);
      if (v.type.physical() == PhysicalType::F64 && std::isfinite(v.d) && (double)(float)v.d == v.d)
        return format_exact_double(v.d);
      break;
    case MysqlClass::DOUBLE:
      if (v.type.is_integer() && std::llabs(v.i) <= (1LL << 53)) return std::to_string(v.i);
      if (v.type.physical() == PhysicalType::F64 && std::isfinite(v.d)) return format_exact_double(v.d);
      break;
    case MysqlClass::STRING:
      if (v.type.id == TypeId::VARCHAR) return mysql_quote_literal(v.s);
      break;
    case MysqlClass::DATE:
      if (v.type.id == TypeId::DATE && year_in_range(v.i)) return "'" + datetime::format_date(v.i) + "'";
      break;
    case MysqlClass::TIMESTAMP:
      if (v.type.id == TypeId::TIMESTAMP && year_in_range(datetime::floor_div(v.i, datetime::kMicrosPerDay)))
        return "'" + datetime::format_timestamp(v.i, 6) + "'";
      break;
    case MysqlClass::NONE: break;
  }
  return std::nullopt;
}

// A literal for `v` compared against `column`. YEAR columns convert a compared constant as
// they would a stored value (24 -> 2024, 0 -> 0000 or 2000): only constants that are
// 4-digit YEAR values compare as written.
std::optional<std::string> column_literal(const Value& v, const MysqlColumn& column, MysqlClass cls) {
  if (!v.is_null && parse_column_type(column.column_type).base == "year" &&
      (!v.type.is_integer() || v.i < 1901 || v.i > 2155))
    return std::nullopt;
  return literal(v, cls);
}

// One domain as a condition: "" = no restriction; nullopt = not exactly expressible.
std::optional<std::string> translate_domain(const Domain& domain, const std::string& ref, const MysqlColumn& column,
                                            MysqlClass cls, const MysqlDialect& dialect) {
  if (cls == MysqlClass::NONE) return std::nullopt;
  if (domain.is_none()) return std::string("FALSE");
  std::string valid = valid_expr(ref, cls);
  std::string cmp = compare_expr(ref, column, cls, dialect);
  std::vector<std::string> disjuncts;
  if (domain.null_allowed) disjuncts.push_back("NOT " + valid);
  if (domain.all) {
    if (domain.null_allowed) return std::string();
    disjuncts.push_back(valid);
  } else if (!domain.ranges.empty()) {
    std::vector<std::string> singles, terms;
    for (const auto& r : domain.ranges) {
      if (r.is_single_value()) {
        auto lit = column_literal(r.low, column, cls);
        if (!lit) return std::nullopt;
        singles.push_back(*lit);
        continue;
      }
      std::string term;
      if (!r.low_unbounded) {
        auto lit = column_literal(r.low, column, cls);
        if (!lit) return std::nullopt;
        term = cmp + (r.low_inclusive ? " >= " : " > ") + *lit;
      }
      if (!r.high_unbounded) {
        auto lit = column_literal(r.high, column, cls);
        if (!lit) return std::nullopt;
        if (!term.empty()) term += " AND ";
        term += cmp + (r.high_inclusive ? " <= " : " < ") + *lit;
      }
      if (term.empty()) term = "TRUE";
      terms.push_back(term);
    }
    std::string in_list;
    if (singles.size() == 1) {
      in_list = cmp + " = " + singles[0];
    } else if (singles.size() > 1) {
      in_list = cmp + " IN (";
      for (size_t i = 0; i < singles.size(); i++) in_list += (i ? ", " : "") + singles[i];
      in_list += ")";
    }
    size_t parts = terms.size() + (in_list.empty() ? 0 : 1);
    std::string ranges_sql = in_list;
    for (auto& t : terms) {
      bool wrap = parts > 1 && t.find(" AND ") != std::string::npos;
      ranges_sql += (ranges_sql.empty() ? "" : " OR ") + (wrap ? "(" + t + ")" : t);
    }
    if (parts > 1) ranges_sql = "(" + ranges_sql + ")";
    // Zero dates compare as dates in MySQL but read as NULL here: the guard excludes them.
    bool guard = cls == MysqlClass::DATE || cls == MysqlClass::TIMESTAMP;
    disjuncts.push_back(guard ? "(" + ranges_sql + " AND " + valid + ")" : ranges_sql);
  }
  if (disjuncts.empty()) return std::string("FALSE");
  if (disjuncts.size() == 1) return disjuncts[0];
  return "(" + disjuncts[0] + " OR " + disjuncts[1] + ")";
}

// Translates a whole constraint over `source` (columns referenced through `alias`);
// false when any domain is not exactly expressible.
bool translate_constraint(const TupleDomain& constraint, const MysqlTable& source, const std::string& alias,
                          const MysqlDialect& dialect, std::vector<std::string>* conditions) {
  if (constraint.none) {
    conditions->push_back("FALSE");
    return true;
  }
  bool all = true;
  for (const auto& [index, domain] : constraint.columns) {
    if (index < 0 || index >= (int)source.columns.size()) {
      all = false;
      continue;
    }
    const MysqlColumn& column = source.columns[index];
    auto sql = translate_domain(domain, column_ref(alias, column), column, mysql_class(column, dialect), dialect);
    if (!sql) {
      all = false;
      continue;
    }
    if (!sql->empty()) conditions->push_back(*sql);
  }
  return all;
}

// ---- expressions (ScanRequest::expressions) ----
// Each node is translated with Trino's semantics including three-valued logic: MySQL's
// AND/OR/NOT/IS NULL/comparisons have the same truth tables, so a faithful translation of
// every node is exact. Any node that cannot be translated exactly makes the whole
// conjunct untranslated (nullopt); the engine then keeps it.

// A column of `source` usable in an expression (its class is not NONE), or null.
const MysqlColumn* expression_column(const PushedExpression& e, const MysqlTable& source,
                                     const MysqlDialect& dialect, MysqlClass* cls) {
  if (e.kind != PushedExpression::Kind::COLUMN || e.column < 0 || e.column >= (int)source.columns.size())
    return nullptr;
  const MysqlColumn& column = source.columns[e.column];
  *cls = mysql_class(column, dialect);
  return *cls == MysqlClass::NONE ? nullptr : &column;
}

bool is_compare_op(const std::string& op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

// A constant compared with a column of class `cls`: NULL (unknown in both), or an exact literal.
std::optional<std::string> expression_literal(const PushedExpression& e, const MysqlColumn& column, MysqlClass cls) {
  if (e.kind != PushedExpression::Kind::CONSTANT) return std::nullopt;
  if (e.value.is_null) return std::string("NULL");
  return column_literal(e.value, column, cls);
}

// Zero dates compare as dates in MySQL but read as NULL in tributary: the comparison is
// NULL unless every date operand is valid.
std::string guard_dates(const std::string& comparison, const std::vector<std::string>& date_refs, MysqlClass cls) {
  if (cls != MysqlClass::DATE && cls != MysqlClass::TIMESTAMP) return "(" + comparison + ")";
  std::string valid;
  for (const auto& ref : date_refs) valid += (valid.empty() ? "" : " AND ") + valid_expr(ref, cls);
  return "(CASE WHEN " + valid + " THEN " + comparison + " END)";
}

}  // namespace

std::optional<std::string> mysql_like_pattern(const std::string& pattern, const std::optional<std::string>& escape) {
  return like_pattern_with_bang_escape(pattern, escape);
}

std::optional<std::string> mysql_expression_sql(const PushedExpression& e, const MysqlTable& source,
                                                const std::string& alias, const MysqlDialect& dialect) {
  using Kind = PushedExpression::Kind;
  auto sub = [&](const PushedExpressionPtr& a) -> std::optional<std::string> {
    if (!a) return std::nullopt;
    return mysql_expression_sql(*a, source, alias, dialect);
  };
  switch (e.kind) {
    case Kind::CONSTANT:
      if (e.type.id != TypeId::BOOLEAN) return std::nullopt;
      if (e.value.is_null) return std::string("NULL");
      if (e.value.type.id != TypeId::BOOLEAN) return std::nullopt;
      return std::string(e.value.b ? "TRUE" : "FALSE");
    case Kind::COLUMN: return std::nullopt;  // no boolean column is pushable
    case Kind::COMPARE: {
      if (e.args.size() != 2 || !is_compare_op(e.op) || !e.args[0] || !e.args[1]) return std::nullopt;
      MysqlClass left_cls = MysqlClass::NONE, right_cls = MysqlClass::NONE;
      const MysqlColumn* left = expression_column(*e.args[0], source, dialect, &left_cls);
      const MysqlColumn* right = expression_column(*e.args[1], source, dialect, &right_cls);
      if (left && right) {
        if (left_cls != right_cls) return std::nullopt;
        std::string lref = column_ref(alias, *left), rref = column_ref(alias, *right);
        return guard_dates(compare_expr(lref, *left, left_cls, dialect) + " " + e.op + " " +
                               compare_expr(rref, *right, right_cls, dialect),
                           {lref, rref}, left_cls);
      }
      if (left) {
        auto lit = expression_literal(*e.args[1], *left, left_cls);
        if (!lit) return std::nullopt;
        std::string ref = column_ref(alias, *left);
        return guard_dates(compare_expr(ref, *left, left_cls, dialect) + " " + e.op + " " + *lit, {ref}, left_cls);
      }
      if (right) {
        auto lit = expression_literal(*e.args[0], *right, right_cls);
        if (!lit) return std::nullopt;
        std::string ref = column_ref(alias, *right);
        return guard_dates(*lit + " " + e.op + " " + compare_expr(ref, *right, right_cls, dialect), {ref}, right_cls);
      }
      return std::nullopt;
    }
    case Kind::LIKE: {
      if (e.args.size() < 2 || e.args.size() > 3 || !e.args[0]) return std::nullopt;
      MysqlClass cls = MysqlClass::NONE;
      const MysqlColumn* column = expression_column(*e.args[0], source, dialect, &cls);
      if (!column || cls != MysqlClass::STRING) return std::nullopt;
      auto text_constant = [](const PushedExpressionPtr& a) -> const Value* {
        if (!a || a->kind != Kind::CONSTANT || a->value.is_null || a->value.type.id != TypeId::VARCHAR) return nullptr;
        return &a->value;
      };
      const Value* pattern = text_constant(e.args[1]);
      if (!pattern) return std::nullopt;
      std::optional<std::string> escape;
      if (e.args.size() == 3) {
        const Value* v = text_constant(e.args[2]);
        if (!v) return std::nullopt;
        escape = v->s;
      }
      auto rewritten = mysql_like_pattern(pattern->s, escape);
      if (!rewritten) return std::nullopt;
      return "(" + compare_expr(column_ref(alias, *column), *column, cls, dialect) + " LIKE " +
             mysql_quote_literal(*rewritten) + " ESCAPE '!')";
    }
    case Kind::AND:
    case Kind::OR: {
      if (e.args.empty()) return std::nullopt;
      std::string out;
      for (const auto& a : e.args) {
        auto s = sub(a);
        if (!s) return std::nullopt;
        out += (out.empty() ? "" : (e.kind == Kind::AND ? " AND " : " OR ")) + *s;
      }
      return "(" + out + ")";
    }
    case Kind::NOT: {
      if (e.args.size() != 1) return std::nullopt;
      auto s = sub(e.args[0]);
      if (!s) return std::nullopt;
      return "(NOT " + *s + ")";
    }
    case Kind::IS_NULL: {
      if (e.args.size() != 1 || !e.args[0]) return std::nullopt;
      if (e.args[0]->kind == Kind::COLUMN) {
        MysqlClass cls = MysqlClass::NONE;
        const MysqlColumn* column = expression_column(*e.args[0], source, dialect, &cls);
        if (!column) return std::nullopt;
        std::string ref = column_ref(alias, *column);
        // Zero dates read as NULL: the guard counts them as NULL (never NULL itself).
        if (cls == MysqlClass::DATE || cls == MysqlClass::TIMESTAMP) return "(NOT " + valid_expr(ref, cls) + ")";
        return "(" + ref + " IS NULL)";
      }
      auto s = sub(e.args[0]);  // a predicate: TRUE/FALSE/NULL in both engines
      if (!s) return std::nullopt;
      return "(" + *s + " IS NULL)";
    }
    case Kind::IN: {
      if (e.args.size() < 2 || !e.args[0]) return std::nullopt;
      MysqlClass cls = MysqlClass::NONE;
      const MysqlColumn* column = expression_column(*e.args[0], source, dialect, &cls);
      if (!column) return std::nullopt;
      std::string ref = column_ref(alias, *column);
      std::string list;
      for (size_t i = 1; i < e.args.size(); i++) {
        if (!e.args[i]) return std::nullopt;
        auto lit = expression_literal(*e.args[i], *column, cls);
        if (!lit) return std::nullopt;
        list += (i > 1 ? ", " : "") + *lit;
      }
      return guard_dates(compare_expr(ref, *column, cls, dialect) + " IN (" + list + ")", {ref}, cls);
    }
  }
  return std::nullopt;
}

namespace {

// Appends the translatable expressions to `conditions`; returns which were translated.
std::vector<bool> translate_expressions(const std::vector<PushedExpressionPtr>& expressions, const MysqlTable& source,
                                        const std::string& alias, const MysqlDialect& dialect,
                                        std::vector<std::string>* conditions) {
  std::vector<bool> enforced(expressions.size(), false);
  for (size_t i = 0; i < expressions.size(); i++) {
    if (!expressions[i] || expressions[i]->type.id != TypeId::BOOLEAN) continue;
    auto sql = mysql_expression_sql(*expressions[i], source, alias, dialect);
    if (!sql) continue;
    conditions->push_back(*sql);
    enforced[i] = true;
  }
  return enforced;
}

bool all_true(const std::vector<bool>& flags) {
  for (bool f : flags)
    if (!f) return false;
  return true;
}

MysqlOutput plain_output(const MysqlColumn& column, const std::string& alias) {
  MysqlOutput out;
  out.type = column.type;
  out.exprs.push_back(column_ref(alias, column));
  out.bit = column.bit;
  return out;
}

std::string join_list(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); i++) out += (i ? separator : "") + items[i];
  return out;
}

std::string table_ref(const MysqlTable& source) {
  return mysql_quote_identifier(source.schema) + "." + mysql_quote_identifier(source.name);
}

}  // namespace

std::string mysql_quote_identifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '\0') throw_error(ErrorCode::INVALID_ARGUMENT, "a MySQL identifier cannot contain a NUL byte");
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string mysql_quote_literal(const std::string& value) {
  bool control = false;
  for (char c : value)
    if (c == '\0' || c == '\x1a') control = true;
  if (control) {
    static const char* digits = "0123456789ABCDEF";
    std::string out = "_utf8mb4 X'";
    for (unsigned char c : value) {
      out += digits[c >> 4];
      out += digits[c & 15];
    }
    return out + "'";
  }
  // Valid only under sql_mode NO_BACKSLASH_ESCAPES (set on every connection).
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

Type mysql_column_type(const std::string& column_type) {
  ParsedColumnType t = parse_column_type(column_type);
  const std::string& b = t.base;
  int arg0 = t.args.empty() ? -1 : t.args[0];
  if (b == "tinyint") return t.is_unsigned ? Type::smallint() : Type::tinyint();
  if (b == "smallint") return t.is_unsigned ? Type::integer() : Type::smallint();
  if (b == "mediumint") return Type::integer();
  if (b == "int" || b == "integer") return t.is_unsigned ? Type::bigint() : Type::integer();
  if (b == "bigint") return t.is_unsigned ? Type::decimal(20, 0) : Type::bigint();
  if (b == "decimal" || b == "numeric" || b == "dec" || b == "fixed") {
    int p = arg0 < 0 ? 10 : std::max(arg0, 1);
    int s = t.args.size() > 1 ? t.args[1] : 0;
    // DECIMAL(p>38): decimal(38,s); values that need more than 38 digits read as NULL.
    p = std::min(p, 38);
    return Type::decimal(p, std::min(s, p));
  }
  if (b == "float") return Type::real();
  if (b == "double" || b == "real") return Type::double_();
  if (b == "bit") return arg0 == 1 || arg0 < 0 ? Type::boolean() : Type::bigint();
  if (b == "bool" || b == "boolean") return Type::tinyint();
  if (b == "char" || b == "varchar") return arg0 > 0 ? Type::varchar(arg0) : Type::varchar();
  if (b == "tinytext") return Type::varchar(255);
  if (b == "text") return Type::varchar(65535);
  if (b == "mediumtext") return Type::varchar(16777215);
  if (b == "longtext" || b == "json" || b == "enum" || b == "set" || b == "time") return Type::varchar();
  if (b == "binary" || b == "varbinary" || b == "tinyblob" || b == "blob" || b == "mediumblob" || b == "longblob")
    return Type::varbinary();
  if (b == "date") return Type::date();
  if (b == "datetime" || b == "timestamp") return Type::timestamp(std::max(arg0 < 0 ? 0 : std::min(arg0, 6), 3));
  if (b == "year") return Type::integer();
  if (b == "geometry" || b == "point" || b == "linestring" || b == "polygon" || b == "multipoint" ||
      b == "multilinestring" || b == "multipolygon" || b == "geometrycollection")
    return Type::varbinary();
  return Type::varchar();
}

MysqlClass mysql_class(const MysqlColumn& column, const MysqlDialect& dialect) {
  if (column.bit) return MysqlClass::NONE;
  ParsedColumnType t = parse_column_type(column.column_type);
  const Type& type = column.type;
  if (type.is_integer()) return MysqlClass::INTEGER;
  if (type.id == TypeId::DECIMAL) {
    if (t.base == "bigint") return MysqlClass::DECIMAL;  // BIGINT UNSIGNED
    int p = t.args.empty() ? 10 : t.args[0];
    return p <= 38 ? MysqlClass::DECIMAL : MysqlClass::NONE;
  }
  if (type.id == TypeId::REAL) return MysqlClass::REAL;
  if (type.id == TypeId::DOUBLE) return MysqlClass::DOUBLE;
  if (type.id == TypeId::DATE) return MysqlClass::DATE;
  if (type.id == TypeId::TIMESTAMP) return MysqlClass::TIMESTAMP;
  if (type.id == TypeId::VARCHAR) {
    bool text_family = t.base == "varchar" || t.base == "tinytext" || t.base == "text" || t.base == "mediumtext" ||
                       t.base == "longtext";
    if (text_family && !dialect.exact_collation.empty() && !column.charset.empty() && column.charset != "binary")
      return MysqlClass::STRING;
  }
  return MysqlClass::NONE;
}

std::string MysqlQuery::sql(const std::string& extra_condition) const {
  std::vector<std::string> select;
  for (const auto& output : outputs)
    for (const auto& e : output.exprs) select.push_back(e);
  std::string out = "SELECT " + (select.empty() ? std::string("1") : join_list(select, ", ")) + " FROM " + from;
  std::vector<std::string> where = conditions;
  if (!extra_condition.empty()) where.push_back(extra_condition);
  if (!where.empty()) out += " WHERE " + join_list(where, " AND ");
  if (!group_by.empty()) out += " GROUP BY " + group_by;
  if (!order_by.empty()) out += " ORDER BY " + order_by;
  if (limit) out += " LIMIT " + std::to_string(std::max<int64_t>(0, *limit));
  return out;
}

MysqlScan build_mysql_scan(const MysqlTable& source, const TableMetadata& table, const ScanRequest& request,
                           const MysqlDialect& dialect) {
  MysqlScan scan;
  if (table.handle) {
    auto handle = std::dynamic_pointer_cast<const MysqlQueryHandle>(table.handle);
    if (!handle) throw_error(ErrorCode::INTERNAL_ERROR, "mysql connector: foreign table handle");
    scan.query = handle->query();
    scan.query.outputs.clear();
    for (int c : request.columns) scan.query.outputs.push_back(handle->query().outputs.at(c));
    scan.constraint_enforced = request.constraint.is_all();
    scan.expressions_enforced.assign(request.expressions.size(), false);
    if (dialect.pushdown && scan.constraint_enforced && request.expressions.empty() && request.limit &&
        request.order.empty() && !scan.query.limit) {
      scan.query.limit = request.limit;
      scan.limit_enforced = true;
    }
    return scan;
  }
  scan.query.from = table_ref(source);
  for (int c : request.columns) scan.query.outputs.push_back(plain_output(source.columns.at(c), ""));
  if (!dialect.pushdown) {
    scan.constraint_enforced = request.constraint.is_all();
    scan.expressions_enforced.assign(request.expressions.size(), false);
    return scan;
  }
  scan.constraint_enforced = translate_constraint(request.constraint, source, "", dialect, &scan.query.conditions);
  scan.expressions_enforced = translate_expressions(request.expressions, source, "", dialect, &scan.query.conditions);
  // A limit is exact only when every row the source returns passes all filters.
  if (!scan.constraint_enforced || !all_true(scan.expressions_enforced) || !request.limit) return scan;
  std::vector<std::string> order;
  for (const auto& item : request.order) {
    if (item.column < 0 || item.column >= (int)source.columns.size()) return scan;
    const MysqlColumn& column = source.columns[item.column];
    MysqlClass cls = mysql_class(column, dialect);
    if (cls == MysqlClass::NONE) return scan;
    std::string ref = column_ref("", column);
    // MySQL sorts NULLs first ascending: order by validity first to place them as asked.
    order.push_back(valid_expr(ref, cls) + (item.nulls_first ? " ASC" : " DESC"));
    order.push_back(compare_expr(ref, column, cls, dialect) + (item.ascending ? " ASC" : " DESC"));
  }
  scan.query.order_by = join_list(order, ", ");
  scan.query.limit = request.limit;
  scan.limit_enforced = true;
  scan.order_enforced = !order.empty();
  return scan;
}

std::optional<TableMetadata> build_mysql_aggregation(const MysqlTable& source, const TableMetadata& table,
                                                     const ScanRequest& request,
                                                     const AggregationRequest& aggregation,
                                                     const MysqlDialect& dialect) {
  if (!dialect.pushdown || table.handle) return std::nullopt;
  MysqlQuery query;
  query.from = table_ref(source);
  if (!translate_constraint(request.constraint, source, "", dialect, &query.conditions)) return std::nullopt;
  if (!all_true(translate_expressions(request.expressions, source, "", dialect, &query.conditions)))
    return std::nullopt;
  TableMetadata result;
  result.schema = table.schema;
  result.name = table.name;
  result.location = table.location;
  std::vector<std::string> group;
  for (int c : aggregation.group_columns) {
    if (c < 0 || c >= (int)source.columns.size()) return std::nullopt;
    const MysqlColumn& column = source.columns[c];
    MysqlClass cls = mysql_class(column, dialect);
    if (cls == MysqlClass::NONE || cls == MysqlClass::REAL || cls == MysqlClass::DOUBLE) return std::nullopt;
    std::string expr = value_expr(column_ref("", column), column, cls, dialect);
    group.push_back(expr);
    MysqlOutput out;
    out.type = column.type;
    out.exprs.push_back(expr);
    query.outputs.push_back(out);
    result.columns.push_back({table.columns.at(c).name, column.type, true, ""});
  }
  for (const auto& item : aggregation.aggregates) {
    MysqlOutput out;
    out.type = item.result_type;
    std::string name = item.function + "(";
    if (item.column < 0) {
      if (item.function != "count" || item.distinct || item.result_type.id != TypeId::BIGINT) return std::nullopt;
      out.exprs.push_back("COUNT(*)");
      name += "*";
    } else {
      if (item.column >= (int)source.columns.size()) return std::nullopt;
      const MysqlColumn& column = source.columns[item.column];
      MysqlClass cls = mysql_class(column, dialect);
      if (cls == MysqlClass::NONE) return std::nullopt;
      std::string ref = column_ref("", column);
      std::string value = value_expr(ref, column, cls, dialect);
      bool exact_class = cls == MysqlClass::INTEGER || cls == MysqlClass::DECIMAL;
      name += table.columns.at(item.column).name;
      const TypeId want = item.result_type.id;
      if (item.function == "count") {
        bool distinct_ok = cls != MysqlClass::REAL && cls != MysqlClass::DOUBLE;
        if (want != TypeId::BIGINT || (item.distinct && !distinct_ok)) return std::nullopt;
        out.exprs.push_back("COUNT(" + std::string(item.distinct ? "DISTINCT " : "") + value + ")");
      } else if (item.function == "sum") {
        if (item.distinct || !exact_class) return std::nullopt;
        if (want != (cls == MysqlClass::INTEGER ? TypeId::BIGINT : TypeId::DECIMAL)) return std::nullopt;
        // MySQL sums exactly (DECIMAL(65)); a sum outside the result type is an error, as in Trino.
        out.exprs.push_back("SUM(" + ref + ")");
        out.strict = true;
      } else if (item.function == "min" || item.function == "max") {
        if (want != column.type.id) return std::nullopt;
        out.exprs.push_back((item.function == "min" ? "MIN(" : "MAX(") + value + ")");
      } else if (item.function == "avg") {
        if (item.distinct || !exact_class) return std::nullopt;
        // MySQL's AVG keeps only 4 extra digits: read SUM and COUNT and divide here.
        if (cls == MysqlClass::INTEGER) {
          if (want != TypeId::DOUBLE) return std::nullopt;
          out.kind = MysqlReadKind::AVG_INTEGER;
        } else {
          if (want != TypeId::DECIMAL || item.result_type.scale != column.type.scale) return std::nullopt;
          out.kind = MysqlReadKind::AVG_DECIMAL;
        }
        out.exprs.push_back("SUM(" + ref + ")");
        out.exprs.push_back("COUNT(" + ref + ")");
        out.strict = true;
      } else {
        return std::nullopt;
      }
    }
    query.outputs.push_back(out);
    result.columns.push_back({name + ")", item.result_type, true, ""});
  }
  query.group_by = join_list(group, ", ");
  if (group.empty()) result.row_count = 1;
  result.handle = std::make_shared<MysqlQueryHandle>(std::move(query));
  return result;
}

std::optional<TableMetadata> build_mysql_join(const MysqlTable& left_source, const TableMetadata& left,
                                              const ScanRequest& left_request, const MysqlTable& right_source,
                                              const TableMetadata& right, const ScanRequest& right_request,
                                              const JoinRequest& join, const MysqlDialect& dialect) {
  if (!dialect.pushdown || left.handle || right.handle || join.equi_columns.empty()) return std::nullopt;
  if (join.kind == PushedJoinKind::FULL) return std::nullopt;  // MySQL has no FULL JOIN
  std::vector<std::string> left_conditions, right_conditions, keys;
  if (!translate_constraint(left_request.constraint, left_source, "l", dialect, &left_conditions) ||
      !translate_constraint(right_request.constraint, right_source, "r", dialect, &right_conditions))
    return std::nullopt;
  // Each side's expressions filter that side, like its constraint (in ON for the outer side).
  if (!all_true(translate_expressions(left_request.expressions, left_source, "l", dialect, &left_conditions)) ||
      !all_true(translate_expressions(right_request.expressions, right_source, "r", dialect, &right_conditions)))
    return std::nullopt;
  for (const auto& [lc, rc] : join.equi_columns) {
    if (lc < 0 || lc >= (int)left_source.columns.size() || rc < 0 || rc >= (int)right_source.columns.size())
      return std::nullopt;
    const MysqlColumn& lcol = left_source.columns[lc];
    const MysqlColumn& rcol = right_source.columns[rc];
    MysqlClass lcls = mysql_class(lcol, dialect), rcls = mysql_class(rcol, dialect);
    bool ok = lcls == rcls && (lcls == MysqlClass::INTEGER || lcls == MysqlClass::DECIMAL || lcls == MysqlClass::STRING);
    if (!ok) return std::nullopt;
    keys.push_back(compare_expr(column_ref("l", lcol), lcol, lcls, dialect) + " = " +
                   compare_expr(column_ref("r", rcol), rcol, rcls, dialect));
  }
  MysqlQuery query;
  std::vector<std::string> on = keys;
  std::string kind = "INNER JOIN";
  if (join.kind == PushedJoinKind::INNER) {
    query.conditions = left_conditions;
    query.conditions.insert(query.conditions.end(), right_conditions.begin(), right_conditions.end());
  } else if (join.kind == PushedJoinKind::LEFT) {
    kind = "LEFT JOIN";
    query.conditions = left_conditions;
    on.insert(on.end(), right_conditions.begin(), right_conditions.end());
  } else {
    kind = "RIGHT JOIN";
    query.conditions = right_conditions;
    on.insert(on.end(), left_conditions.begin(), left_conditions.end());
  }
  query.from = table_ref(left_source) + " l " + kind + " " + table_ref(right_source) + " r ON " + join_list(on, " AND ");
  TableMetadata result;
  result.schema = left.schema;
  result.name = left.name + "_join_" + right.name;
  result.location = left.location;
  for (int c : left_request.columns) {
    query.outputs.push_back(plain_output(left_source.columns.at(c), "l"));
    result.columns.push_back(left.columns.at(c));
  }
  for (int c : right_request.columns) {
    query.outputs.push_back(plain_output(right_source.columns.at(c), "r"));
    result.columns.push_back(right.columns.at(c));
  }
  result.handle = std::make_shared<MysqlQueryHandle>(std::move(query));
  return result;
}

}  // namespace tributary
