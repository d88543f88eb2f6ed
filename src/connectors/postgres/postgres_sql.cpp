#include "connectors/postgres/postgres_sql.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "connector/like_pattern.h"
#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"

namespace tributary::postgres {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace((unsigned char)s[b])) b++;
  while (e > b && std::isspace((unsigned char)s[e - 1])) e--;
  return s.substr(b, e - b);
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The integers inside the first "(...)" of a type string: "numeric(10,2)" -> {10, 2}.
std::vector<int> type_arguments(const std::string& s) {
  std::vector<int> args;
  size_t open = s.find('('), close = s.find(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return args;
  std::string inner = s.substr(open + 1, close - open - 1);
  size_t i = 0;
  while (i < inner.size()) {
    while (i < inner.size() && (inner[i] == ' ' || inner[i] == ',')) i++;
    bool negative = i < inner.size() && inner[i] == '-';
    if (negative) i++;
    if (i >= inner.size() || !std::isdigit((unsigned char)inner[i])) break;
    long v = 0;
    while (i < inner.size() && std::isdigit((unsigned char)inner[i])) v = std::min(v * 10 + (inner[i++] - '0'), 100000L);
    args.push_back((int)(negative ? -v : v));
  }
  return args;
}

// Timestamp precision: timestamp(p) -> timestamp(max(p,3)); no p means 6 (PostgreSQL's default).
int timestamp_precision(const std::string& s) {
  auto args = type_arguments(s);
  int p = args.empty() ? 6 : std::clamp(args[0], 0, 6);
  return std::max(p, 3);
}

bool year_in_range(int64_t days) {
  int64_t y;
  unsigned m, d;
  datetime::civil_from_days(days, &y, &m, &d);
  return y >= 1 && y <= 9999;
}

std::string format_float(double d, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, d);
  return buf;
}

// The literal for a domain bound compared with `column`, or nullopt when the value is not
// exactly representable in the column's type (then the domain stays in tributary).
std::optional<std::string> literal_for(const SourceColumn& column, const Value& v) {
  if (v.is_null) return std::nullopt;
  PhysicalType p = v.type.physical();
  switch (column.kind) {
    case ValueKind::INTEGER:
    case ValueKind::NUMERIC:
      if (v.type.id == TypeId::BOOLEAN) return std::nullopt;
      if (p == PhysicalType::I64 && v.type.is_integer()) return std::to_string(v.i);
      if (p == PhysicalType::I128) return decimal::to_string(v.dec, v.type.scale);
      return std::nullopt;
    case ValueKind::REAL: {
      double d;
      if (p == PhysicalType::F64) d = v.d;
      else if (p == PhysicalType::I64 && v.type.is_integer()) d = (double)v.i;
      else return std::nullopt;
      if (!std::isfinite(d) || (double)(float)d != d) return std::nullopt;
      if (p == PhysicalType::I64 && (int64_t)d != v.i) return std::nullopt;
      return "CAST('" + format_float(d, 9) + "' AS real)";
    }
    case ValueKind::DOUBLE: {
      double d;
      if (p == PhysicalType::F64) d = v.d;
      else if (p == PhysicalType::I64 && v.type.is_integer() && v.i >= -(1LL << 53) && v.i <= (1LL << 53)) d = (double)v.i;
      else return std::nullopt;
      if (!std::isfinite(d)) return std::nullopt;
      return "CAST('" + format_float(d, 17) + "' AS double precision)";
    }
    case ValueKind::BOOLEAN:
      if (v.type.id != TypeId::BOOLEAN) return std::nullopt;
      return v.b ? "TRUE" : "FALSE";
    case ValueKind::TEXT:
      if (v.type.id != TypeId::VARCHAR) return std::nullopt;
      return try_pg_quote_literal(v.s);
    case ValueKind::DATE:
      if (v.type.id != TypeId::DATE || !year_in_range(v.i)) return std::nullopt;
      return "DATE '" + datetime::format_date(v.i) + "'";
    case ValueKind::TIMESTAMP:
    case ValueKind::TIMESTAMPTZ: {
      if (v.type.id != TypeId::TIMESTAMP) return std::nullopt;
      if (!year_in_range(datetime::floor_div(v.i, datetime::kMicrosPerDay))) return std::nullopt;
      std::string text = datetime::format_timestamp(v.i, 6);
      if (column.kind == ValueKind::TIMESTAMP) return "TIMESTAMP '" + text + "'";
      return "CAST('" + text + "+00' AS timestamp with time zone)";
    }
    default: return std::nullopt;
  }
}

bool is_temporal(ValueKind k) { return k == ValueKind::DATE || k == ValueKind::TIMESTAMP || k == ValueKind::TIMESTAMPTZ; }

// The column as tributary reads it: NULL where tributary reads NULL ('NaN' numeric, infinite dates).
std::string value_expr(const SourceColumn& c, const std::string& q) {
  if (c.kind == ValueKind::NUMERIC) return "NULLIF(" + q + ", 'NaN')";
  if (is_temporal(c.kind)) return "CASE WHEN isfinite(" + q + ") THEN " + q + " END";
  return q;
}

// True where tributary reads NULL; never NULL itself.
std::string reads_null_expr(const SourceColumn& c, const std::string& q) {
  if (c.kind == ValueKind::NUMERIC) return "(" + q + " IS NULL OR " + q + " = 'NaN')";
  if (is_temporal(c.kind)) return "(" + q + " IS NULL OR NOT isfinite(" + q + "))";
  return q + " IS NULL";
}

std::string not_null_expr(const SourceColumn& c, const std::string& q) {
  if (c.kind == ValueKind::NUMERIC) return q + " <> 'NaN'";
  if (is_temporal(c.kind)) return "isfinite(" + q + ")";
  return q + " IS NOT NULL";
}

// Extra condition for range comparisons: PostgreSQL orders NaN above every number and
// infinity above every date; tributary reads infinity as NULL and NaN never matches a range.
std::string range_guard(const SourceColumn& c, const std::string& q) {
  if (c.kind == ValueKind::NUMERIC || c.kind == ValueKind::REAL || c.kind == ValueKind::DOUBLE) return q + " <> 'NaN'";
  if (is_temporal(c.kind)) return "isfinite(" + q + ")";
  return "";
}

bool values_pushable(ValueKind k) {
  switch (k) {
    case ValueKind::INTEGER:
    case ValueKind::REAL:
    case ValueKind::DOUBLE:
    case ValueKind::NUMERIC:
    case ValueKind::BOOLEAN:
    case ValueKind::TEXT:
    case ValueKind::DATE:
    case ValueKind::TIMESTAMP:
    case ValueKind::TIMESTAMPTZ: return true;
    default: return false;
  }
}

// Kinds whose NULLs are exactly PostgreSQL's NULLs (plus the guarded ones above).
bool nulls_pushable(ValueKind k) { return k != ValueKind::NUMERIC_UNBOUNDED; }

// Kinds whose equality and ordering in PostgreSQL (after value_expr, COLLATE "C") equal tributary's.
bool orderable(ValueKind k) {
  switch (k) {
    case ValueKind::INTEGER:
    case ValueKind::NUMERIC:
    case ValueKind::BOOLEAN:
    case ValueKind::TEXT:
    case ValueKind::DATE:
    case ValueKind::TIMESTAMP:
    case ValueKind::TIMESTAMPTZ: return true;
    default: return false;
  }
}

std::string collate(const SourceColumn& c) { return c.kind == ValueKind::TEXT ? " COLLATE \"C\"" : ""; }

std::string column_alias(size_t i) { return "\"c" + std::to_string(i) + "\""; }

// WHERE conjunction of a whole TupleDomain, or nullopt when some part cannot be pushed.
std::optional<std::string> constraint_sql(const SourceRelation& relation, const TupleDomain& constraint,
                                          const std::string& qualifier, bool* all_pushed,
                                          std::vector<std::string>* conjuncts) {
  *all_pushed = true;
  if (constraint.none) {
    conjuncts->push_back("FALSE");
    return "";
  }
  for (const auto& [index, domain] : constraint.columns) {
    if (index < 0 || index >= (int)relation.columns.size()) {
      *all_pushed = false;
      continue;
    }
    const SourceColumn& c = relation.columns[index];
    auto sql = domain_sql(c, qualifier + pg_quote_identifier(c.name), domain);
    if (!sql) {
      *all_pushed = false;
      continue;
    }
    if (!sql->empty()) conjuncts->push_back(*sql);
  }
  return "";
}

// ---- expressions (ScanRequest::expressions) ----
// Each node is translated with Trino's semantics including three-valued logic: PostgreSQL's
// AND/OR/NOT/IS NULL/comparisons have the same truth tables, so a faithful translation of
// every node is exact. Columns are compared as tributary reads them (value_expr: 'NaN'
// numerics and infinite dates are NULL), text under COLLATE "C". Any node that cannot be
// translated exactly makes the whole conjunct untranslated (nullopt).

const SourceColumn* expression_column(const PushedExpression& e, const SourceRelation& relation) {
  if (e.kind != PushedExpression::Kind::COLUMN || e.column < 0 || e.column >= (int)relation.columns.size())
    return nullptr;
  return &relation.columns[e.column];
}

// Columns whose values (not only NULLs) are compared in expressions.
bool expression_values_pushable(ValueKind k) { return values_pushable(k) && nulls_pushable(k); }

bool is_float(ValueKind k) { return k == ValueKind::REAL || k == ValueKind::DOUBLE; }

// A constant compared with `column`: NULL (unknown in both), or an exact literal.
std::optional<std::string> expression_literal(const PushedExpression& e, const SourceColumn& column) {
  if (e.kind != PushedExpression::Kind::CONSTANT) return std::nullopt;
  if (e.value.is_null) return std::string("NULL");
  return literal_for(column, e.value);
}

std::string flip(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

std::optional<std::string> expression_sql_at(const PushedExpression& e, const SourceRelation& relation,
                                             const std::string& qualifier) {
  using Kind = PushedExpression::Kind;
  auto sub = [&](const PushedExpressionPtr& a) -> std::optional<std::string> {
    if (!a) return std::nullopt;
    return expression_sql_at(*a, relation, qualifier);
  };
  auto ref = [&](const SourceColumn& c) { return qualifier + pg_quote_identifier(c.name); };
  auto value = [&](const SourceColumn& c) { return value_expr(c, ref(c)) + collate(c); };
  switch (e.kind) {
    case Kind::CONSTANT:
      if (e.type.id != TypeId::BOOLEAN) return std::nullopt;
      if (e.value.is_null) return std::string("NULL");
      if (e.value.type.id != TypeId::BOOLEAN) return std::nullopt;
      return std::string(e.value.b ? "TRUE" : "FALSE");
    case Kind::COLUMN: {
      const SourceColumn* c = expression_column(e, relation);
      if (!c || c->kind != ValueKind::BOOLEAN) return std::nullopt;
      return ref(*c);
    }
    case Kind::COMPARE: {
      if (e.args.size() != 2 || !e.args[0] || !e.args[1]) return std::nullopt;
      if (e.op != "=" && e.op != "<>" && e.op != "<" && e.op != "<=" && e.op != ">" && e.op != ">=")
        return std::nullopt;
      const SourceColumn* left = expression_column(*e.args[0], relation);
      const SourceColumn* right = expression_column(*e.args[1], relation);
      if (left && right) {
        // PostgreSQL orders NaN above every float and NaN = NaN: floats stay in tributary.
        if (left->kind != right->kind || !orderable(left->kind)) return std::nullopt;
        return "(" + value(*left) + " " + e.op + " " + value(*right) + ")";
      }
      std::string op = e.op;
      const PushedExpression* constant = e.args[1].get();
      if (!left && right) {
        left = right;
        op = flip(op);
        constant = e.args[0].get();
      }
      if (!left || !expression_values_pushable(left->kind)) return std::nullopt;
      auto lit = expression_literal(*constant, *left);
      if (!lit) return std::nullopt;
      std::string sql = value(*left) + " " + op + " " + *lit;
      // NaN is above every number in PostgreSQL; in Trino every comparison with NaN but <> is false.
      if (is_float(left->kind) && (op == ">" || op == ">=")) sql += " AND " + ref(*left) + " <> 'NaN'";
      return "(" + sql + ")";
    }
    case Kind::LIKE: {
      if (e.args.size() < 2 || e.args.size() > 3 || !e.args[0]) return std::nullopt;
      const SourceColumn* c = expression_column(*e.args[0], relation);
      if (!c || c->kind != ValueKind::TEXT) return std::nullopt;
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
      auto rewritten = pg_like_pattern(pattern->s, escape);
      if (!rewritten) return std::nullopt;
      auto quoted = try_pg_quote_literal(*rewritten);
      if (!quoted) return std::nullopt;
      return "(" + value(*c) + " LIKE " + *quoted + " ESCAPE '!')";
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
        const SourceColumn* c = expression_column(*e.args[0], relation);
        if (!c || !expression_values_pushable(c->kind)) return std::nullopt;
        return "(" + reads_null_expr(*c, ref(*c)) + ")";
      }
      auto s = sub(e.args[0]);  // a predicate: TRUE/FALSE/NULL in both engines
      if (!s) return std::nullopt;
      return "(" + *s + " IS NULL)";
    }
    case Kind::IN: {
      if (e.args.size() < 2 || !e.args[0]) return std::nullopt;
      const SourceColumn* c = expression_column(*e.args[0], relation);
      if (!c || !expression_values_pushable(c->kind)) return std::nullopt;
      std::string list;
      for (size_t i = 1; i < e.args.size(); i++) {
        if (!e.args[i]) return std::nullopt;
        auto lit = expression_literal(*e.args[i], *c);
        if (!lit) return std::nullopt;
        list += (i > 1 ? ", " : "") + *lit;
      }
      return "(" + value(*c) + " IN (" + list + "))";
    }
  }
  return std::nullopt;
}

// Appends the translatable expressions to `conjuncts`; returns which were translated.
std::vector<bool> expressions_sql(const SourceRelation& relation, const std::vector<PushedExpressionPtr>& expressions,
                                  std::vector<std::string>* conjuncts) {
  std::vector<bool> enforced(expressions.size(), false);
  for (size_t i = 0; i < expressions.size(); i++) {
    if (!expressions[i] || expressions[i]->type.id != TypeId::BOOLEAN) continue;
    auto sql = expression_sql_at(*expressions[i], relation, "");
    if (!sql) continue;
    conjuncts->push_back(*sql);
    enforced[i] = true;
  }
  return enforced;
}

bool all_true(const std::vector<bool>& flags) {
  for (bool f : flags)
    if (!f) return false;
  return true;
}

std::string where_clause(const std::vector<std::string>& conjuncts) {
  std::string out;
  for (size_t i = 0; i < conjuncts.size(); i++) out += (i ? " AND " : " WHERE ") + conjuncts[i];
  return out;
}

}  // namespace

TypeMapping map_postgres_type(const std::string& format_type) {
  std::string t = trim(format_type);
  for (char& ch : t) ch = (char)std::tolower((unsigned char)ch);
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) return {Type::varchar(), ValueKind::OTHER_TEXT};
  if (t == "smallint" || t == "int2") return {Type::smallint(), ValueKind::INTEGER};
  if (t == "integer" || t == "int" || t == "int4") return {Type::integer(), ValueKind::INTEGER};
  if (t == "bigint" || t == "int8") return {Type::bigint(), ValueKind::INTEGER};
  if (t == "real" || t == "float4") return {Type::real(), ValueKind::REAL};
  if (t == "double precision" || t == "float8") return {Type::double_(), ValueKind::DOUBLE};
  if (t == "boolean" || t == "bool") return {Type::boolean(), ValueKind::BOOLEAN};
  if (t == "bytea") return {Type::varbinary(), ValueKind::BYTEA};
  if (t == "date") return {Type::date(), ValueKind::DATE};
  if (t == "text") return {Type::varchar(), ValueKind::TEXT};
  if (starts_with(t, "numeric") || starts_with(t, "decimal")) {
    auto args = type_arguments(t);
    if (args.empty()) return {Type::decimal(38, 9), ValueKind::NUMERIC_UNBOUNDED};
    int p = args[0], s = args.size() > 1 ? args[1] : 0;
    if (s < 0) {  // numeric(5,-2): integers rounded to hundreds
      p -= s;
      s = 0;
    }
    if (p > 38 || s > p) return {Type::decimal(38, std::min(s, 38)), ValueKind::NUMERIC_UNBOUNDED};
    return {Type::decimal(std::max(p, 1), s), ValueKind::NUMERIC};
  }
  if (starts_with(t, "character varying") || starts_with(t, "varchar")) {
    auto args = type_arguments(t);
    return {args.empty() ? Type::varchar() : Type::varchar(args[0]), ValueKind::TEXT};
  }
  if (starts_with(t, "character") || starts_with(t, "bpchar") || starts_with(t, "char")) {
    auto args = type_arguments(t);
    return {args.empty() ? Type::varchar() : Type::varchar(args[0]), ValueKind::CHAR};
  }
  if (starts_with(t, "timestamp")) {
    bool tz = t.find("with time zone") != std::string::npos && t.find("without") == std::string::npos;
    if (t == "timestamptz") tz = true;
    return {Type::timestamp(timestamp_precision(t)), tz ? ValueKind::TIMESTAMPTZ : ValueKind::TIMESTAMP};
  }
  return {Type::varchar(), ValueKind::OTHER_TEXT};
}

std::string pg_quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::optional<std::string> try_pg_quote_literal(std::string_view text) {
  std::string out = "'";
  out.reserve(text.size() + 2);
  for (char c : text) {
    if (c == '\0') return std::nullopt;
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string pg_quote_literal(std::string_view text) {
  auto quoted = try_pg_quote_literal(text);
  if (!quoted) throw_error(ErrorCode::INVALID_ARGUMENT, "PostgreSQL text cannot contain NUL bytes");
  return *quoted;
}

std::optional<std::string> pg_like_pattern(const std::string& pattern, const std::optional<std::string>& escape) {
  return like_pattern_with_bang_escape(pattern, escape);
}

std::optional<std::string> expression_sql(const SourceRelation& relation, const PushedExpression& expression) {
  return expression_sql_at(expression, relation, "");
}

std::string SourceRelation::from_sql() const {
  if (!subquery.empty()) return "(" + subquery + ") AS \"q\"";
  return pg_quote_identifier(schema) + "." + pg_quote_identifier(name);
}

std::optional<std::string> domain_sql(const SourceColumn& c, const std::string& q, const Domain& domain) {
  if (domain.is_none()) return std::string("FALSE");
  if (domain.all) {
    if (domain.null_allowed) return std::string();
    if (!nulls_pushable(c.kind)) return std::nullopt;
    return not_null_expr(c, q);
  }
  if (!nulls_pushable(c.kind)) return std::nullopt;
  std::vector<std::string> disjuncts;
  if (domain.null_allowed) disjuncts.push_back(reads_null_expr(c, q));
  if (!domain.ranges.empty()) {
    if (!values_pushable(c.kind)) return std::nullopt;
    std::vector<std::string> singles, terms;
    for (const auto& r : domain.ranges) {
      if (r.is_single_value()) {
        auto lit = literal_for(c, r.low);
        if (!lit) return std::nullopt;
        if (std::find(singles.begin(), singles.end(), *lit) == singles.end()) singles.push_back(*lit);
        continue;
      }
      std::string term;
      if (!r.low_unbounded) {
        auto lit = literal_for(c, r.low);
        if (!lit) return std::nullopt;
        term = q + collate(c) + (r.low_inclusive ? " >= " : " > ") + *lit;
      }
      if (!r.high_unbounded) {
        auto lit = literal_for(c, r.high);
        if (!lit) return std::nullopt;
        if (!term.empty()) term += " AND ";
        term += q + collate(c) + (r.high_inclusive ? " <= " : " < ") + *lit;
      }
      if (term.empty()) term = q + " IS NOT NULL";
      terms.push_back(term);
    }
    std::vector<std::string> parts;
    if (singles.size() == 1) {
      parts.push_back(q + " = " + singles[0]);
    } else if (singles.size() > 1) {
      std::string in = q + " IN (";
      for (size_t i = 0; i < singles.size(); i++) in += (i ? ", " : "") + singles[i];
      parts.push_back(in + ")");
    }
    for (auto& t : terms) parts.push_back(t);
    std::string values;
    for (size_t i = 0; i < parts.size(); i++) {
      bool wrap = parts.size() > 1 && parts[i].find(" AND ") != std::string::npos;
      values += (i ? " OR " : "") + (wrap ? "(" + parts[i] + ")" : parts[i]);
    }
    if (parts.size() > 1) values = "(" + values + ")";
    std::string guard = terms.empty() ? "" : range_guard(c, q);
    if (!guard.empty()) values = "(" + values + " AND " + guard + ")";
    disjuncts.push_back(values);
  }
  if (disjuncts.empty()) return std::string("FALSE");
  if (disjuncts.size() == 1) return disjuncts[0];
  return "(" + disjuncts[0] + " OR " + disjuncts[1] + ")";
}

ScanSql build_scan_sql(const SourceRelation& relation, const ScanRequest& request, bool pushdown,
                       const std::string& extra_condition) {
  ScanSql out;
  std::string sql = "SELECT ";
  if (request.columns.empty()) {
    sql += "1";
  } else {
    for (size_t i = 0; i < request.columns.size(); i++)
      sql += (i ? ", " : "") + pg_quote_identifier(relation.columns.at(request.columns[i]).name);
  }
  sql += " FROM " + relation.from_sql();
  std::vector<std::string> conjuncts;
  bool all_pushed = false;
  if (pushdown) {
    constraint_sql(relation, request.constraint, "", &all_pushed, &conjuncts);
    out.expressions_enforced = expressions_sql(relation, request.expressions, &conjuncts);
  } else {
    all_pushed = request.constraint.is_all();
    out.expressions_enforced.assign(request.expressions.size(), false);
  }
  if (!extra_condition.empty()) conjuncts.push_back(extra_condition);
  sql += where_clause(conjuncts);
  out.constraint_enforced = all_pushed;

  // A limit is exact only when every row the source returns passes all filters.
  if (pushdown && all_pushed && all_true(out.expressions_enforced) && request.limit) {
    std::string order;
    bool order_ok = true;
    for (const auto& item : request.order) {
      if (item.column < 0 || item.column >= (int)relation.columns.size() ||
          !orderable(relation.columns[item.column].kind)) {
        order_ok = false;
        break;
      }
      const SourceColumn& c = relation.columns[item.column];
      std::string q = pg_quote_identifier(c.name);
      if (!order.empty()) order += ", ";
      order += value_expr(c, q) + collate(c) + (item.ascending ? " ASC" : " DESC") +
               (item.nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
    if (order_ok) {
      if (!order.empty()) {
        sql += " ORDER BY " + order;
        out.order_enforced = true;
      }
      sql += " LIMIT " + std::to_string(std::max<int64_t>(0, *request.limit));
      out.limit_enforced = true;
    }
  }
  out.sql = std::move(sql);
  return out;
}

std::optional<DerivedQuery> build_aggregation_sql(const SourceRelation& relation, const ScanRequest& request,
                                                  const AggregationRequest& aggregation) {
  if (request.limit || !request.order.empty()) return std::nullopt;
  bool all_pushed = false;
  std::vector<std::string> conjuncts;
  constraint_sql(relation, request.constraint, "", &all_pushed, &conjuncts);
  if (!all_pushed || !all_true(expressions_sql(relation, request.expressions, &conjuncts))) return std::nullopt;

  DerivedQuery out;
  std::vector<std::string> select;
  auto column_at = [&](int index) -> const SourceColumn* {
    return index >= 0 && index < (int)relation.columns.size() ? &relation.columns[index] : nullptr;
  };
  for (int g : aggregation.group_columns) {
    const SourceColumn* c = column_at(g);
    if (!c || !orderable(c->kind)) return std::nullopt;
    std::string q = pg_quote_identifier(c->name);
    select.push_back(value_expr(*c, q) + collate(*c));
    out.columns.push_back({"c" + std::to_string(out.columns.size()), c->source_type, c->type, c->kind});
    out.display_names.push_back(c->name);
  }
  for (const auto& agg : aggregation.aggregates) {
    const Type& rt = agg.result_type;
    std::string distinct = agg.distinct ? "DISTINCT " : "";
    std::string expr;
    ValueKind kind;
    if (agg.function == "count") {
      if (rt.id != TypeId::BIGINT) return std::nullopt;
      if (agg.column < 0) {
        if (agg.distinct) return std::nullopt;
        expr = "count(*)";
      } else {
        const SourceColumn* c = column_at(agg.column);
        if (!c || !nulls_pushable(c->kind)) return std::nullopt;
        if (agg.distinct && !orderable(c->kind)) return std::nullopt;
        std::string q = pg_quote_identifier(c->name);
        expr = "count(" + distinct + value_expr(*c, q) + (agg.distinct ? collate(*c) : "") + ")";
      }
      kind = ValueKind::INTEGER;
    } else {
      const SourceColumn* c = column_at(agg.column);
      if (!c) return std::nullopt;
      std::string q = pg_quote_identifier(c->name);
      std::string v = value_expr(*c, q);
      if (agg.function == "sum" || agg.function == "avg") {
        bool avg = agg.function == "avg";
        if (c->kind == ValueKind::INTEGER && !avg && rt.id == TypeId::BIGINT) {
          expr = "CAST(sum(" + distinct + v + ") AS bigint)";
          kind = ValueKind::INTEGER;
        } else if (c->kind == ValueKind::INTEGER && avg && rt.id == TypeId::DOUBLE) {
          expr = "CAST(avg(" + distinct + v + ") AS double precision)";
          kind = ValueKind::DOUBLE;
        } else if (c->kind == ValueKind::NUMERIC && rt.id == TypeId::DECIMAL && rt.scale == c->type.scale) {
          std::string target = "numeric(" + std::to_string(rt.precision) + "," + std::to_string(rt.scale) + ")";
          // Trino's avg(decimal(p,s)) rounds half away from zero to scale s, as round() does.
          expr = avg ? "CAST(round(avg(" + distinct + v + "), " + std::to_string(rt.scale) + ") AS " + target + ")"
                     : "CAST(sum(" + distinct + v + ") AS " + target + ")";
          kind = ValueKind::NUMERIC;
        } else {
          return std::nullopt;
        }
      } else if (agg.function == "min" || agg.function == "max") {
        if (!orderable(c->kind) || c->kind == ValueKind::BOOLEAN || rt != c->type) return std::nullopt;
        expr = agg.function + "(" + v + collate(*c) + ")";
        kind = c->kind;
      } else {
        return std::nullopt;
      }
    }
    select.push_back(expr);
    out.columns.push_back({"c" + std::to_string(out.columns.size()), "", rt, kind});
    out.display_names.push_back(agg.function + (agg.column >= 0 ? "_" + relation.columns[agg.column].name : ""));
  }
  std::string sql = "SELECT ";
  if (select.empty()) select.push_back("1");  // GROUP BY nothing and no aggregate: one row
  for (size_t i = 0; i < select.size(); i++)
    sql += (i ? ", " : "") + select[i] + (i < out.columns.size() ? " AS " + column_alias(i) : "");
  sql += " FROM " + relation.from_sql() + where_clause(conjuncts);
  if (!aggregation.group_columns.empty()) {
    sql += " GROUP BY ";
    for (size_t i = 0; i < aggregation.group_columns.size(); i++) sql += (i ? ", " : "") + std::to_string(i + 1);
  }
  out.sql = std::move(sql);
  return out;
}

std::optional<DerivedQuery> build_join_sql(const SourceRelation& left, const ScanRequest& left_request,
                                           const SourceRelation& right, const ScanRequest& right_request,
                                           const JoinRequest& join) {
  if (join.kind != PushedJoinKind::INNER && join.kind != PushedJoinKind::LEFT) return std::nullopt;
  if (join.equi_columns.empty()) return std::nullopt;
  if (left_request.limit || right_request.limit || !left_request.order.empty() || !right_request.order.empty())
    return std::nullopt;
  DerivedQuery out;
  // One side: SELECT its columns AS "cI" and its join keys AS "kJ" FROM ... WHERE ...
  auto side = [&](const SourceRelation& relation, const ScanRequest& request, bool is_left,
                  std::string* sql) -> bool {
    bool all_pushed = false;
    std::vector<std::string> conjuncts;
    constraint_sql(relation, request.constraint, "", &all_pushed, &conjuncts);
    if (!all_pushed || !all_true(expressions_sql(relation, request.expressions, &conjuncts))) return false;
    std::vector<std::string> select;
    for (int index : request.columns) {
      if (index < 0 || index >= (int)relation.columns.size()) return false;
      const SourceColumn& c = relation.columns[index];
      size_t i = out.columns.size();
      select.push_back(pg_quote_identifier(c.name) + " AS " + column_alias(i));
      out.columns.push_back({"c" + std::to_string(i), c.source_type, c.type, c.kind});
      out.display_names.push_back(c.name);
    }
    for (size_t k = 0; k < join.equi_columns.size(); k++) {
      int index = is_left ? join.equi_columns[k].first : join.equi_columns[k].second;
      if (index < 0 || index >= (int)relation.columns.size()) return false;
      const SourceColumn& c = relation.columns[index];
      select.push_back(value_expr(c, pg_quote_identifier(c.name)) + collate(c) + " AS \"k" + std::to_string(k) +
                       "\"");
    }
    *sql = "SELECT ";
    for (size_t i = 0; i < select.size(); i++) *sql += (i ? ", " : "") + select[i];
    *sql += " FROM " + relation.from_sql() + where_clause(conjuncts);
    return true;
  };
  for (const auto& [l, r] : join.equi_columns) {
    if (l < 0 || l >= (int)left.columns.size() || r < 0 || r >= (int)right.columns.size()) return std::nullopt;
    ValueKind a = left.columns[l].kind, b = right.columns[r].kind;
    if (a != b || !orderable(a)) return std::nullopt;
  }
  std::string left_sql, right_sql;
  if (!side(left, left_request, true, &left_sql)) return std::nullopt;
  size_t left_count = out.columns.size();
  if (!side(right, right_request, false, &right_sql)) return std::nullopt;
  std::string sql = "SELECT ";
  for (size_t i = 0; i < out.columns.size(); i++)
    sql += (i ? ", " : "") + std::string(i < left_count ? "\"l\"." : "\"r\".") + column_alias(i);
  if (out.columns.empty()) sql += "1";
  sql += " FROM (" + left_sql + ") AS \"l\" " + (join.kind == PushedJoinKind::LEFT ? "LEFT JOIN" : "INNER JOIN") +
         " (" + right_sql + ") AS \"r\" ON ";
  for (size_t k = 0; k < join.equi_columns.size(); k++)
    sql += (k ? " AND " : "") + std::string("\"l\".\"k") + std::to_string(k) + "\" = \"r\".\"k" + std::to_string(k) +
           "\"";
  out.sql = std::move(sql);
  return out;
}

}  // namespace tributary::postgres
