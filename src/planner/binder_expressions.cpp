// Binder: expressions, literals, function and aggregate calls, window calls, subqueries.
#include "planner/binder_impl.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "function/cast.h"
#include "function/function.h"
#include "sql/parser.h"

namespace tributary::planner {

BExprPtr Binder::Impl::coerce(const BExprPtr& e, const Type& to, Location loc) {
  if (e->type == to) return e;
  if (e->type.id == TypeId::VARCHAR && to.id == TypeId::VARCHAR) {
    // varchar(n) -> varchar(m) needs no runtime work when widening.
    if (to.precision < 0 || (e->type.precision >= 0 && e->type.precision <= to.precision)) {
      if (e->kind == BoundKind::CONSTANT) {
        auto c = std::make_shared<BoundExpr>(*e);
        c->type = to;
        c->value.type = to;
        return c;
      }
    }
  }
  if (!cast_supported(e->type, to))
    fail(ErrorCode::TYPE_MISMATCH, "Cannot cast " + e->type.to_string() + " to " + to.to_string(), loc);
  auto c = std::make_shared<BoundExpr>();
  c->kind = BoundKind::CAST;
  c->type = to;
  c->args = {e};
  return fold(c);
}

BExprPtr Binder::Impl::fold(const BExprPtr& e) { return fold_constant(e, session.function_context); }

Type Binder::Impl::common_type(const std::vector<BExprPtr>& exprs, Location loc, const std::string& what) {
  Type result = Type::unknown();
  for (const auto& e : exprs) {
    Type next;
    if (!common_super_type(result, e->type, &next)) {
      fail(ErrorCode::TYPE_MISMATCH,
           what + " must be the same type or coercible to a common type. Cannot find common type between " +
               result.to_string() + " and " + e->type.to_string(),
           loc);
    }
    result = next;
  }
  return result;
}

BExprPtr Binder::Impl::call_function(const std::string& name, std::vector<BExprPtr> args, Location loc, const std::string& operator_text) {
  std::vector<Type> types;
  std::vector<const Value*> constants;
  for (const auto& a : args) {
    types.push_back(a->type);
    constants.push_back(a->is_constant() ? &a->value : nullptr);
  }
  BoundFunction bound;
  try {
    bound = global_registry().bind_scalar(name, types, constants);
  } catch (const Error& error) {
    if (!operator_text.empty() && error.code() == ErrorCode::TYPE_MISMATCH) {
      std::string message = "Cannot apply operator: ";
      if (types.size() == 1) {
        message += operator_text + types[0].to_string();
      } else {
        message += types[0].to_string() + " " + operator_text + " " + types[1].to_string();
      }
      fail(ErrorCode::TYPE_MISMATCH, message, loc);
    }
    fail(error.code(), error.message(), loc);
  }
  for (size_t i = 0; i < args.size(); i++) {
    if (i < bound.arg_types.size()) args[i] = coerce(args[i], bound.arg_types[i], loc);
  }
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundKind::CALL;
  e->type = bound.return_type;
  e->name = name;
  e->args = std::move(args);
  e->function = std::make_shared<BoundFunction>(std::move(bound));
  try {
    return fold(e);
  } catch (const Error& error) {
    fail(error.code(), error.message(), loc);
  }
}

BExprPtr Binder::Impl::compare(const std::string& op, BExprPtr left, BExprPtr right, Location loc) {
  static const std::map<std::string, std::string> names = {{"=", "$eq"}, {"<>", "$ne"}, {"<", "$lt"},
                                                            {"<=", "$le"}, {">", "$gt"}, {">=", "$ge"}};
  Type common;
  if (!common_super_type(left->type, right->type, &common)) {
    // Trino allows comparing varchar to date/timestamp literals? No: it requires a cast.
    fail(ErrorCode::TYPE_MISMATCH,
         "Cannot apply operator: " + left->type.to_string() + " " + op + " " + right->type.to_string(), loc);
  }
  if (common.id == TypeId::UNKNOWN) common = Type::boolean();
  // Compare a column with a constant in the column's own type when the constant converts
  // losslessly (tinyint_col = 1, price > 100): no CAST wraps the column, so the predicate
  // can be pushed into the source and no per-row cast runs.
  if (unwrap_cast(left, right, common) || unwrap_cast(right, left, common))
    return call_function(names.at(op), {left, right}, loc, op);
  left = coerce(left, common, loc);
  right = coerce(right, common, loc);
  return call_function(names.at(op), {left, right}, loc, op);
}

bool Binder::Impl::unwrap_cast(const BExprPtr& column_side, BExprPtr& constant_side, const Type& common) {
  if (!constant_side->is_constant() || constant_side->value.is_null || column_side->is_constant()) return false;
  const Type& type = column_side->type;
  if (type == common || type.id == TypeId::UNKNOWN) return false;
  if (type.id == TypeId::VARCHAR && constant_side->type.id == TypeId::VARCHAR) {
    Value v = constant_side->value;
    v.type = type;
    constant_side = make_constant(v);
    return true;
  }
  if (!type.is_numeric() || !constant_side->type.is_numeric()) return false;
  try {
    Value narrowed = cast_value(constant_side->value, type);
    Value back = cast_value(narrowed, common);
    Value original = cast_value(constant_side->value, common);
    if (back.is_null || back.compare(original) != 0) return false;
    constant_side = make_constant(narrowed);
    return true;
  } catch (const Error&) {
    return false;
  }
}

BExprPtr Binder::Impl::boolean_operand(const BExprPtr& e, Location loc, const std::string& context) {
  if (e->type.id == TypeId::BOOLEAN) return e;
  if (e->type.id == TypeId::UNKNOWN) return coerce(e, Type::boolean(), loc);
  fail(ErrorCode::TYPE_MISMATCH, context + " must evaluate to a boolean: actual type " + e->type.to_string(), loc);
}

BExprPtr Binder::Impl::make_logical(BoundKind kind, std::vector<BExprPtr> args) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->type = Type::boolean();
  e->args = std::move(args);
  return fold(e);
}

std::vector<std::string> Binder::Impl::scope_names(const Scope& scope) {
  std::vector<std::string> names;
  for (const auto& c : scope.columns)
    if (!c.hidden) names.push_back(c.name);
  return names;
}

bool Binder::Impl::qualifier_matches(const ScopeColumn& column, const std::vector<std::string>& qualifier) {
  if (qualifier.empty()) return true;
  if (qualifier.size() > column.qualifier.size()) return false;
  // Match the suffix: t / s.t / c.s.t
  size_t offset = column.qualifier.size() - qualifier.size();
  for (size_t i = 0; i < qualifier.size(); i++)
    if (!iequals(column.qualifier[offset + i], qualifier[i])) return false;
  return true;
}

// Finds a column in one scope; nullptr if absent. Throws on ambiguity.
const ScopeColumn* Binder::Impl::find_in_scope(const Scope& scope, const std::vector<std::string>& parts, Location loc) {
  std::vector<std::string> qualifier(parts.begin(), parts.end() - 1);
  const std::string& name = parts.back();
  const ScopeColumn* found = nullptr;
  for (const auto& c : scope.columns) {
    if (!iequals(c.name, name)) continue;
    if (c.hidden && qualifier.empty()) continue;
    if (!qualifier_matches(c, qualifier)) continue;
    if (found && found->symbol != c.symbol)
      fail(ErrorCode::TYPE_MISMATCH, "Column '" + sql_join(parts) + "' is ambiguous", loc);
    found = &c;
  }
  return found;
}

std::string Binder::Impl::sql_join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); i++) out += (i ? "." : "") + parts[i];
  return out;
}

BExprPtr Binder::Impl::resolve_column(const std::vector<std::string>& parts, Scope& scope, Location loc) {
  if (const ScopeColumn* c = find_in_scope(scope, parts, loc)) return make_column(c->symbol, c->type, c->name);
  // Correlated reference into an enclosing query.
  for (Scope* outer = scope.outer; outer; outer = outer->outer) {
    if (const ScopeColumn* c = find_in_scope(*outer, parts, loc)) {
      auto e = std::make_shared<BoundExpr>();
      e->kind = BoundKind::OUTER_REF;
      e->symbol = c->symbol;
      e->type = c->type;
      e->name = c->name;
      for (Scope* s = &scope; s && s != outer; s = s->outer)
        if (s->outer_refs) s->outer_refs->push_back(c->symbol);
      return e;
    }
  }
  std::vector<std::string> candidates = scope_names(scope);
  if (parts.size() > 1) {
    std::vector<std::string> qualifier(parts.begin(), parts.end() - 1);
    bool qualifier_known = false;
    for (const auto& c : scope.columns)
      if (qualifier_matches(c, qualifier)) qualifier_known = true;
    if (!qualifier_known && parts.size() == 2) {
      // `x.y` where x is not a relation: maybe a field access; report the relation.
      std::vector<std::string> relations;
      for (const auto& c : scope.columns)
        if (!c.qualifier.empty()) relations.push_back(c.qualifier.back());
      fail(ErrorCode::NOT_FOUND,
           "Column '" + sql_join(parts) + "' cannot be resolved: relation '" + parts[0] + "' is not in scope." +
               did_you_mean(parts[0], relations),
           loc);
    }
  }
  fail(ErrorCode::NOT_FOUND,
       "Column '" + sql_join(parts) + "' cannot be resolved." + did_you_mean(parts.back(), candidates), loc);
}

BExprPtr Binder::Impl::literal(const Expr& e) {
  switch (e.literal_kind) {
    case sql::LiteralKind::NULL_: return make_constant(Value::null(Type::unknown()));
    case sql::LiteralKind::BOOLEAN: return make_constant(Value::boolean(e.text == "true"));
    case sql::LiteralKind::INTEGER: {
      int128 v;
      if (!decimal::parse(e.text, 0, &v) || v > INT64_MAX || v < INT64_MIN) {
        int p, s;
        decimal::literal_type(e.text, &p, &s);
        if (p > 38) fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Invalid numeric literal: " + e.text, e.location);
        return make_constant(Value::decimal(v, Type::decimal(p, 0)));
      }
      int64_t x = (int64_t)v;
      if (x >= INT32_MIN && x <= INT32_MAX) return make_constant(Value::integer(x, Type::integer()));
      return make_constant(Value::integer(x, Type::bigint()));
    }
    case sql::LiteralKind::DECIMAL: {
      int p, s;
      decimal::literal_type(e.text, &p, &s);
      int128 v;
      if (p > 38 || !decimal::parse(e.text, s, &v))
        fail(ErrorCode::NUMERIC_OUT_OF_RANGE, "Invalid numeric literal: " + e.text, e.location);
      return make_constant(Value::decimal(v, Type::decimal(p, s)));
    }
    case sql::LiteralKind::DOUBLE: return make_constant(Value::floating(std::strtod(e.text.c_str(), nullptr)));
    case sql::LiteralKind::STRING: {
      int length = 0;
      for (unsigned char c : e.text)
        if ((c & 0xC0) != 0x80) length++;
      return make_constant(Value::string(e.text, Type::varchar(length)));
    }
    case sql::LiteralKind::TYPED: {
      std::string type = lower(e.type_name);
      if (type == "date") {
        int64_t days;
        if (!datetime::parse_date(e.text, &days))
          fail(ErrorCode::INVALID_CAST, "'" + e.text + "' is not a valid DATE literal", e.location);
        return make_constant(Value::integer(days, Type::date()));
      }
      if (type == "timestamp") {
        int64_t micros;
        if (!datetime::parse_timestamp(e.text, &micros))
          fail(ErrorCode::INVALID_CAST, "'" + e.text + "' is not a valid TIMESTAMP literal", e.location);
        int precision = 0;
        auto dot = e.text.find('.');
        if (dot != std::string::npos) {
          for (size_t i = dot + 1; i < e.text.size() && std::isdigit((unsigned char)e.text[i]); i++) precision++;
        }
        return make_constant(Value::integer(micros, Type::timestamp(std::min(precision, 6))));
      }
      if (type == "decimal") {
        int p, s;
        decimal::literal_type(e.text, &p, &s);
        int128 v;
        if (p > 38 || !decimal::parse(e.text, s, &v))
          fail(ErrorCode::INVALID_CAST, "Value cannot be cast to decimal: " + e.text, e.location);
        return make_constant(Value::decimal(v, Type::decimal(p, s)));
      }
      Type target = parse_type_name(type);
      try {
        return make_constant(cast_value(Value::string(e.text), target));
      } catch (const Error& error) {
        fail(error.code(), error.message(), e.location);
      }
    }
    case sql::LiteralKind::INTERVAL: return interval_literal(e);
  }
  fail(ErrorCode::INTERNAL_ERROR, "unknown literal", e.location);
}

BExprPtr Binder::Impl::interval_literal(const Expr& e) {
  std::string unit = lower(e.type_name);
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  std::string end_unit = lower(e.interval_end_unit);
  std::string text = e.text;
  bool negative = e.interval_negative;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    if (text[0] == '-') negative = !negative;
    text = text.substr(1);
  }
  auto bad = [&]() -> BExprPtr {
    fail(ErrorCode::INVALID_ARGUMENT, "Invalid INTERVAL " + unit + " value: " + e.text, e.location);
  };
  if (unit == "year" || unit == "month") {
    int64_t months = 0;
    if (unit == "year" && end_unit == "month") {
      auto dash = text.find('-');
      if (dash == std::string::npos) return bad();
      try {
        months = std::stoll(text.substr(0, dash)) * 12 + std::stoll(text.substr(dash + 1));
      } catch (...) {
        return bad();
      }
    } else {
      try {
        size_t used;
        months = std::stoll(text, &used);
        if (used != text.size()) return bad();
      } catch (...) {
        return bad();
      }
      if (unit == "year") months *= 12;
    }
    return make_constant(Value::integer(negative ? -months : months, Type::interval_year_month()));
  }
  static const std::map<std::string, int64_t> unit_ms = {
      {"week", 7LL * 86400000}, {"day", 86400000}, {"hour", 3600000}, {"minute", 60000}, {"second", 1000}};
  auto it = unit_ms.find(unit);
  if (it == unit_ms.end()) return bad();
  int64_t ms = 0;
  if (!end_unit.empty()) {
    // 'D HH:MM:SS' style
    int64_t d = 0, h = 0, m = 0;
    double s = 0;
    if (std::sscanf(text.c_str(), "%lld %lld:%lld:%lf", (long long*)&d, (long long*)&h, (long long*)&m, &s) >= 1) {
      ms = d * 86400000 + h * 3600000 + m * 60000 + (int64_t)std::llround(s * 1000);
    } else {
      return bad();
    }
  } else {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end) return bad();
    ms = (int64_t)std::llround(v * (double)it->second);
  }
  return make_constant(Value::integer(negative ? -ms : ms, Type::interval_day_time()));
}

BExprPtr Binder::Impl::bind_expr(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
  switch (e.kind) {
    case ExprKind::LITERAL: return literal(e);
    case ExprKind::IDENTIFIER: return resolve_column(e.name, scope, e.location);
    case ExprKind::STAR: fail(ErrorCode::SYNTAX_ERROR, "'*' is not allowed here", e.location);
    case ExprKind::PARAMETER: {
      if (e.parameter_index >= (int)session.parameters.size())
        fail(ErrorCode::INVALID_ARGUMENT,
             "Incorrect number of parameters: expected at least " + std::to_string(e.parameter_index + 1) +
                 " but found " + std::to_string(session.parameters.size()),
             e.location);
      return make_constant(session.parameters[e.parameter_index]);
    }
    case ExprKind::BINARY: {
      auto left = bind_expr(*e.args[0], scope, agg, win);
      auto right = bind_expr(*e.args[1], scope, agg, win);
      static const std::map<std::string, std::string> arithmetic = {
          {"+", "$add"}, {"-", "$subtract"}, {"*", "$multiply"}, {"/", "$divide"}, {"%", "$modulus"}};
      if (e.op == "||") {
        if (left->type.id == TypeId::UNKNOWN) left = coerce(left, Type::varchar(), e.location);
        if (right->type.id == TypeId::UNKNOWN) right = coerce(right, Type::varchar(), e.location);
        return call_function("$concat", {left, right}, e.location, "||");
      }
      auto it = arithmetic.find(e.op);
      if (it != arithmetic.end()) {
        if (left->type.id == TypeId::UNKNOWN && right->type.id == TypeId::UNKNOWN) {
          left = coerce(left, Type::integer(), e.location);
          right = coerce(right, Type::integer(), e.location);
        } else if (left->type.id == TypeId::UNKNOWN) {
          left = coerce(left, right->type.is_interval() ? Type::date() : right->type, e.location);
        } else if (right->type.id == TypeId::UNKNOWN) {
          right = coerce(right, left->type.is_interval() ? Type::date() : left->type, e.location);
        }
        return call_function(it->second, {left, right}, e.location, e.op);
      }
      return compare(e.op, left, right, e.location);
    }
    case ExprKind::UNARY_MINUS: {
      auto operand = bind_expr(*e.args[0], scope, agg, win);
      return call_function("$negate", {operand}, e.location, "-");
    }
    case ExprKind::AND:
    case ExprKind::OR: {
      auto left = boolean_operand(bind_expr(*e.args[0], scope, agg, win), e.args[0]->location,
                                  e.kind == ExprKind::AND ? "AND operand" : "OR operand");
      auto right = boolean_operand(bind_expr(*e.args[1], scope, agg, win), e.args[1]->location,
                                   e.kind == ExprKind::AND ? "AND operand" : "OR operand");
      return make_logical(e.kind == ExprKind::AND ? BoundKind::AND : BoundKind::OR, {left, right});
    }
    case ExprKind::NOT: {
      auto operand = boolean_operand(bind_expr(*e.args[0], scope, agg, win), e.args[0]->location, "NOT operand");
      return make_logical(BoundKind::NOT, {operand});
    }
    case ExprKind::IS_NULL: {
      auto operand = bind_expr(*e.args[0], scope, agg, win);
      auto r = std::make_shared<BoundExpr>();
      r->kind = BoundKind::IS_NULL;
      r->type = Type::boolean();
      r->negated = e.negated;
      r->args = {operand};
      return fold(r);
    }
    case ExprKind::IS_DISTINCT_FROM: {
      auto left = bind_expr(*e.args[0], scope, agg, win);
      auto right = bind_expr(*e.args[1], scope, agg, win);
      Type common = common_type({left, right}, e.location, "IS DISTINCT FROM operands");
      if (common.id == TypeId::UNKNOWN) common = Type::boolean();
      auto r = std::make_shared<BoundExpr>();
      r->kind = BoundKind::IS_DISTINCT;
      r->type = Type::boolean();
      r->negated = e.negated;
      r->args = {coerce(left, common, e.location), coerce(right, common, e.location)};
      return fold(r);
    }
    case ExprKind::BETWEEN: {
      auto value = bind_expr(*e.args[0], scope, agg, win);
      auto low = bind_expr(*e.args[1], scope, agg, win);
      auto high = bind_expr(*e.args[2], scope, agg, win);
      Type common = common_type({value, low, high}, e.location, "BETWEEN operands");
      value = coerce(value, common, e.location);
      low = coerce(low, common, e.location);
      high = coerce(high, common, e.location);
      auto r = make_logical(BoundKind::AND,
                            {call_function("$ge", {value, low}, e.location), call_function("$le", {value, high}, e.location)});
      return e.negated ? make_logical(BoundKind::NOT, {r}) : r;
    }
    case ExprKind::IN_LIST: {
      std::vector<BExprPtr> items;
      for (const auto& a : e.args) items.push_back(bind_expr(*a, scope, agg, win));
      Type common = common_type(items, e.location, "IN value and list items");
      if (common.id == TypeId::UNKNOWN) common = Type::boolean();
      bool all_constant = true;
      for (auto& item : items) {
        item = coerce(item, common, e.location);
        if (&item != &items[0] && !item->is_constant()) all_constant = false;
      }
      BExprPtr r;
      if (all_constant) {
        r = std::make_shared<BoundExpr>();
        r->kind = BoundKind::IN_LIST;
        r->type = Type::boolean();
        r->args = items;
        r = fold(r);
      } else {
        std::vector<BExprPtr> disjuncts;
        for (size_t i = 1; i < items.size(); i++)
          disjuncts.push_back(call_function("$eq", {items[0], items[i]}, e.location));
        r = disjuncts[0];
        for (size_t i = 1; i < disjuncts.size(); i++) r = make_logical(BoundKind::OR, {r, disjuncts[i]});
      }
      return e.negated ? make_logical(BoundKind::NOT, {r}) : r;
    }
    case ExprKind::LIKE: {
      auto value = bind_expr(*e.args[0], scope, agg, win);
      auto pattern = bind_expr(*e.args[1], scope, agg, win);
      std::vector<BExprPtr> args = {value, pattern};
      if (e.args.size() > 2) args.push_back(bind_expr(*e.args[2], scope, agg, win));
      static const char* roles[] = {"Left side of LIKE expression", "Pattern for LIKE expression",
                                    "Escape for LIKE expression"};
      for (size_t k = 0; k < args.size(); k++) {
        auto& a = args[k];
        if (a->type.id == TypeId::UNKNOWN) a = coerce(a, Type::varchar(), e.location);
        if (a->type.id != TypeId::VARCHAR)
          fail(ErrorCode::TYPE_MISMATCH,
               std::string(roles[k]) + " must evaluate to a varchar (actual: " + a->type.to_string() + ")",
               e.args[k]->location);
      }
      auto r = call_function("$like", args, e.location);
      return e.negated ? make_logical(BoundKind::NOT, {r}) : r;
    }
    case ExprKind::CASE: return bind_case(e, scope, agg, win);
    case ExprKind::CAST: {
      auto operand = bind_expr(*e.args[0], scope, agg, win);
      Type target;
      try {
        target = parse_type_name(e.type_name);
      } catch (const Error& error) {
        fail(ErrorCode::TYPE_MISMATCH, error.message(), e.location);
      }
      if (!cast_supported(operand->type, target))
        fail(ErrorCode::TYPE_MISMATCH, "Cannot cast " + operand->type.to_string() + " to " + target.to_string(),
             e.location);
      auto r = std::make_shared<BoundExpr>();
      r->kind = BoundKind::CAST;
      r->type = target;
      r->try_cast = e.try_cast;
      r->args = {operand};
      try {
        return fold(r);
      } catch (const Error& error) {
        fail(error.code(), error.message(), e.location);
      }
    }
    case ExprKind::EXTRACT: {
      auto operand = bind_expr(*e.args[0], scope, agg, win);
      std::string field = lower(e.text);
      static const std::map<std::string, std::string> fields = {
          {"year", "year"}, {"quarter", "quarter"}, {"month", "month"}, {"week", "week"}, {"day", "day"},
          {"day_of_month", "day"}, {"day_of_week", "day_of_week"}, {"dow", "day_of_week"},
          {"day_of_year", "day_of_year"}, {"doy", "day_of_year"}, {"year_of_week", "year_of_week"},
          {"yow", "year_of_week"}, {"hour", "hour"}, {"minute", "minute"}, {"second", "second"}};
      auto it = fields.find(field);
      if (it == fields.end()) fail(ErrorCode::SYNTAX_ERROR, "Invalid EXTRACT field: " + e.text, e.location);
      return call_function(it->second, {operand}, e.location);
    }
    case ExprKind::FUNCTION_CALL: return bind_function(e, scope, agg, win);
    case ExprKind::IN_SUBQUERY:
    case ExprKind::EXISTS:
    case ExprKind::SCALAR_SUBQUERY: return bind_subquery(e, scope, agg, win);
    case ExprKind::ROW: fail(ErrorCode::NOT_SUPPORTED, "ROW values are only supported in VALUES", e.location);
    case ExprKind::ARRAY: fail(ErrorCode::NOT_SUPPORTED, "ARRAY values are not supported yet", e.location);
  }
  fail(ErrorCode::INTERNAL_ERROR, "unhandled expression", e.location);
}

BExprPtr Binder::Impl::bind_case(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
  std::vector<BExprPtr> conditions, results;
  BExprPtr operand;
  if (e.operand) operand = bind_expr(*e.operand, scope, agg, win);
  for (const auto& [when, then] : e.whens) {
    auto w = bind_expr(*when, scope, agg, win);
    if (operand) {
      w = compare("=", operand, w, when->location);
    } else {
      w = boolean_operand(w, when->location, "CASE WHEN clause");
    }
    conditions.push_back(w);
    results.push_back(bind_expr(*then, scope, agg, win));
  }
  BExprPtr else_result;
  if (e.else_result) else_result = bind_expr(*e.else_result, scope, agg, win);
  std::vector<BExprPtr> all = results;
  if (else_result) all.push_back(else_result);
  Type common = common_type(all, e.location, "All CASE results");
  auto r = std::make_shared<BoundExpr>();
  r->kind = BoundKind::CASE;
  r->type = common;
  for (size_t i = 0; i < conditions.size(); i++) {
    r->args.push_back(conditions[i]);
    r->args.push_back(coerce(results[i], common, e.location));
  }
  if (else_result) {
    r->has_else = true;
    r->args.push_back(coerce(else_result, common, e.location));
  }
  return fold(r);
}

FrameSpec Binder::Impl::bind_frame(const sql::WindowSpec& w, Location loc) {
  FrameSpec frame;
  if (!w.has_frame) {
    frame.range_default = true;
    if (w.order_by.empty()) {
      frame.start = INT64_MIN;
      frame.end = INT64_MAX;
      frame.range_default = false;
    }
    return frame;
  }
  frame.rows = w.rows;
  frame.range_default = false;
  auto bound_value = [&](const sql::WindowFrameBound& b, bool is_start) -> int64_t {
    switch (b.kind) {
      case sql::WindowFrameBound::UNBOUNDED_PRECEDING: return INT64_MIN;
      case sql::WindowFrameBound::UNBOUNDED_FOLLOWING: return INT64_MAX;
      case sql::WindowFrameBound::CURRENT_ROW: return 0;
      case sql::WindowFrameBound::PRECEDING:
      case sql::WindowFrameBound::FOLLOWING: {
        if (!w.rows) fail(ErrorCode::NOT_SUPPORTED, "RANGE frames with offsets are not supported; use ROWS", loc);
        if (!b.offset || b.offset->kind != ExprKind::LITERAL || b.offset->literal_kind != sql::LiteralKind::INTEGER)
          fail(ErrorCode::INVALID_ARGUMENT, "Window frame offset must be a non-negative integer literal", loc);
        int64_t v = std::stoll(b.offset->text);
        if (v < 0) fail(ErrorCode::INVALID_ARGUMENT, "Window frame offset value must not be negative", loc);
        return b.kind == sql::WindowFrameBound::PRECEDING ? -v : v;
      }
    }
    (void)is_start;
    return 0;
  };
  frame.start = bound_value(w.start, true);
  frame.end = bound_value(w.end, false);
  if (w.start.kind == sql::WindowFrameBound::UNBOUNDED_FOLLOWING)
    fail(ErrorCode::INVALID_ARGUMENT, "Window frame start cannot be UNBOUNDED FOLLOWING", loc);
  if (w.end.kind == sql::WindowFrameBound::UNBOUNDED_PRECEDING)
    fail(ErrorCode::INVALID_ARGUMENT, "Window frame end cannot be UNBOUNDED PRECEDING", loc);
  if (!w.rows) {
    // RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers) or .. UNBOUNDED FOLLOWING
    if (frame.start == INT64_MIN && frame.end == 0) frame.range_default = true;
  }
  return frame;
}

BExprPtr Binder::Impl::bind_function(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
  std::string name = lower(e.name.back());
  if (e.name.size() > 1) {
    // system.builtin.f style qualified names resolve to the builtin
  }
  const auto& registry = global_registry();
  bool is_aggregate = registry.has_aggregate(name) || (name == "count");
  if (e.window) return bind_window_function(e, name, scope, agg, win);
  if (window_only_functions().count(name))
    fail(ErrorCode::SYNTAX_ERROR, "Window function " + name + " requires an OVER clause", e.location);
  if (is_aggregate && !registry.has_scalar(name)) {
    if (!agg || !agg->allowed) {
      std::string text = sql::expr_to_string(e);
      if (agg && !agg->nested_in.empty())
        fail(ErrorCode::SYNTAX_ERROR, "Cannot nest aggregations inside aggregation '" + agg->nested_in + "': [" + text + "]",
             e.location);
      fail(ErrorCode::SYNTAX_ERROR,
           (agg ? agg->clause : std::string("WHERE clause")) +
               " cannot contain aggregations, window functions or grouping operations: [" + text + "]",
           e.location);
    }
    return bind_aggregate_call(e, name, *agg, win);
  }
  if (e.filter) fail(ErrorCode::SYNTAX_ERROR, "FILTER is only valid for aggregation functions", e.location);
  if (e.distinct) fail(ErrorCode::SYNTAX_ERROR, "DISTINCT is only valid for aggregation functions", e.location);
  std::vector<BExprPtr> args;
  for (const auto& a : e.args) args.push_back(bind_expr(*a, scope, agg, win));
  if (name == "coalesce") {
    if (args.empty()) fail(ErrorCode::TYPE_MISMATCH, "coalesce requires at least one argument", e.location);
    Type common = common_type(args, e.location, "All COALESCE operands");
    auto r = std::make_shared<BoundExpr>();
    r->kind = BoundKind::COALESCE;
    r->type = common;
    for (auto& a : args) r->args.push_back(coerce(a, common, e.location));
    return fold(r);
  }
  if (name == "if") {
    if (args.size() < 2 || args.size() > 3)
      fail(ErrorCode::TYPE_MISMATCH, "if() takes 2 or 3 arguments", e.location);
    auto cond = boolean_operand(args[0], e.location, "IF condition");
    std::vector<BExprPtr> results(args.begin() + 1, args.end());
    Type common = common_type(results, e.location, "IF results");
    auto r = std::make_shared<BoundExpr>();
    r->kind = BoundKind::CASE;
    r->type = common;
    r->args = {cond, coerce(args[1], common, e.location)};
    if (args.size() == 3) {
      r->has_else = true;
      r->args.push_back(coerce(args[2], common, e.location));
    }
    return fold(r);
  }
  if (name == "nullif") {
    if (args.size() != 2) fail(ErrorCode::TYPE_MISMATCH, "nullif() takes 2 arguments", e.location);
    auto cond = compare("=", args[0], args[1], e.location);
    auto r = std::make_shared<BoundExpr>();
    r->kind = BoundKind::CASE;
    r->type = args[0]->type.id == TypeId::UNKNOWN ? Type::unknown() : args[0]->type;
    r->args = {cond, coerce(make_constant(Value::null()), r->type, e.location)};
    r->has_else = true;
    r->args.push_back(args[0]);
    return fold(r);
  }
  if (name == "try") {
    if (args.size() != 1) fail(ErrorCode::TYPE_MISMATCH, "try() takes 1 argument", e.location);
    auto r = std::make_shared<BoundExpr>();
    r->kind = BoundKind::TRY;
    r->type = args[0]->type;
    r->args = {args[0]};
    return r;
  }
  if (!registry.has_scalar(name)) {
    std::vector<std::string> names = registry.scalar_names();
    auto aggs = registry.aggregate_names();
    names.insert(names.end(), aggs.begin(), aggs.end());
    for (const auto& w : window_only_functions()) names.push_back(w);
    names.push_back("coalesce");
    names.push_back("if");
    names.push_back("nullif");
    fail(ErrorCode::NOT_FOUND, "Function '" + name + "' not registered." + did_you_mean(name, names), e.location);
  }
  for (auto& a : args)
    if (a->type.id == TypeId::UNKNOWN && name != "greatest" && name != "least") {
      // NULL arguments: keep unknown, the registry matches them to any parameter type.
    }
  return call_function(name, args, e.location);
}

BExprPtr Binder::Impl::bind_aggregate_call(const Expr& e, const std::string& name, AggregationContext& agg, WindowContext* win) {
  Scope& input = *agg.input_scope;
  AggregationContext::Call call;
  call.name = name;
  call.distinct = e.distinct;
  // Arguments are bound over the input scope; nested aggregates are not allowed.
  AggregationContext nested;
  nested.allowed = false;
  nested.nested_in = name;
  if (!e.count_star) {
    for (const auto& a : e.args) call.args.push_back(bind_expr(*a, input, &nested, nullptr));
  }
  if (e.filter) {
    call.filter = boolean_operand(bind_expr(*e.filter, input, &nested, nullptr), e.filter->location, "FILTER");
  }
  std::vector<Type> types;
  for (const auto& a : call.args) types.push_back(a->type.id == TypeId::UNKNOWN ? Type::boolean() : a->type);
  BoundAggregate bound;
  try {
    bound = global_registry().bind_aggregate(name, types);
  } catch (const Error& error) {
    fail(error.code(), error.message(), e.location);
  }
  for (size_t i = 0; i < call.args.size() && i < bound.arg_types.size(); i++)
    call.args[i] = coerce(call.args[i], bound.arg_types[i], e.location);
  call.type = bound.return_type;
  call.function = std::make_shared<BoundAggregate>(std::move(bound));
  // Deduplicate identical calls (SELECT sum(x), sum(x) / 2).
  for (const auto& existing : agg.calls) {
    if (existing.name != call.name || existing.distinct != call.distinct || existing.args.size() != call.args.size())
      continue;
    bool same = true;
    for (size_t i = 0; i < call.args.size(); i++)
      if (!expr_equals(*existing.args[i], *call.args[i])) same = false;
    if ((existing.filter == nullptr) != (call.filter == nullptr)) same = false;
    if (same && existing.filter && !expr_equals(*existing.filter, *call.filter)) same = false;
    if (same) return make_column(existing.symbol, existing.type, name);
  }
  call.symbol = new_symbol();
  agg.calls.push_back(call);
  return make_column(call.symbol, call.type, name);
}

BExprPtr Binder::Impl::bind_window_function(const Expr& e, const std::string& name, Scope& scope, AggregationContext* agg, WindowContext* win) {
  if (!win || !win->allowed)
    fail(ErrorCode::SYNTAX_ERROR,
         (agg && !agg->nested_in.empty() ? "Cannot nest window functions inside aggregation '" + agg->nested_in + "'"
                                         : (agg ? agg->clause : std::string("WHERE clause")) +
                                               " cannot contain aggregations, window functions or grouping operations") +
             ": [" + sql::expr_to_string(e) + "]",
         e.location);
  WindowContext::Call call;
  call.name = name;
  call.ignore_nulls = e.ignore_nulls;
  for (const auto& a : e.args) call.args.push_back(bind_expr(*a, scope, agg, nullptr));
  for (const auto& p : e.window->partition_by) call.partition.push_back(bind_expr(*p, scope, agg, nullptr));
  for (const auto& o : e.window->order_by) {
    bool nulls_first = o.nulls_first.value_or(false);
    call.order.push_back({bind_expr(*o.expr, scope, agg, nullptr), {o.ascending, nulls_first}});
  }
  call.frame = bind_frame(*e.window, e.location);
  if (window_only_functions().count(name)) {
    if (name == "row_number" || name == "rank" || name == "dense_rank" || name == "ntile") {
      call.type = Type::bigint();
      if (name == "ntile") {
        if (call.args.size() != 1) fail(ErrorCode::TYPE_MISMATCH, "ntile() takes 1 argument", e.location);
        call.args[0] = coerce(call.args[0], Type::bigint(), e.location);
      } else if (!call.args.empty()) {
        fail(ErrorCode::TYPE_MISMATCH, name + "() takes no arguments", e.location);
      }
    } else if (name == "percent_rank" || name == "cume_dist") {
      call.type = Type::double_();
    } else {
      if (call.args.empty()) fail(ErrorCode::TYPE_MISMATCH, name + "() requires an argument", e.location);
      call.type = call.args[0]->type;
      if (call.args.size() >= 2) call.args[1] = coerce(call.args[1], Type::bigint(), e.location);
      if (call.args.size() >= 3) call.args[2] = coerce(call.args[2], call.type, e.location);
    }
  } else {
    if (!global_registry().has_aggregate(name))
      fail(ErrorCode::NOT_FOUND, "Function '" + name + "' is not a window or aggregate function", e.location);
    if (e.distinct) fail(ErrorCode::NOT_SUPPORTED, "DISTINCT in window aggregates is not supported", e.location);
    if (e.count_star) call.args.clear();
    std::vector<Type> types;
    for (const auto& a : call.args) types.push_back(a->type.id == TypeId::UNKNOWN ? Type::boolean() : a->type);
    BoundAggregate bound;
    try {
      bound = global_registry().bind_aggregate(name, types);
    } catch (const Error& error) {
      fail(error.code(), error.message(), e.location);
    }
    for (size_t i = 0; i < call.args.size() && i < bound.arg_types.size(); i++)
      call.args[i] = coerce(call.args[i], bound.arg_types[i], e.location);
    call.type = bound.return_type;
    call.aggregate = std::make_shared<BoundAggregate>(std::move(bound));
  }
  call.symbol = new_symbol();
  win->calls.push_back(call);
  return make_column(call.symbol, call.type, name);
}

// A reference to `symbol` as seen from `scope`: a COLUMN when it is local, an OUTER_REF otherwise.
BExprPtr Binder::Impl::column_by_symbol(int symbol, Scope& scope, Location loc) {
  for (const auto& c : scope.columns)
    if (c.symbol == symbol) return make_column(c.symbol, c.type, c.name);
  for (Scope* outer = scope.outer; outer; outer = outer->outer) {
    for (const auto& c : outer->columns) {
      if (c.symbol != symbol) continue;
      auto e = std::make_shared<BoundExpr>();
      e->kind = BoundKind::OUTER_REF;
      e->symbol = c.symbol;
      e->type = c.type;
      e->name = c.name;
      for (Scope* s = &scope; s && s != outer; s = s->outer)
        if (s->outer_refs) s->outer_refs->push_back(c.symbol);
      return e;
    }
  }
  fail(ErrorCode::INTERNAL_ERROR, "correlated column not found", loc);
}

BExprPtr Binder::Impl::bind_subquery(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
  auto info = std::make_shared<SubqueryInfo>();
  std::vector<int> refs;
  BoundQuery bound = bind_query_with_outer(*e.subquery, &scope, &refs);
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  info->outer_symbols = refs;
  auto r = std::make_shared<BoundExpr>();
  r->kind = BoundKind::SUBQUERY;
  r->subquery = info;
  // Outer values the subquery needs, evaluated per row of this query.
  std::vector<BExprPtr> outer_args;
  for (int symbol : refs) outer_args.push_back(column_by_symbol(symbol, scope, e.location));
  if (e.kind == ExprKind::EXISTS) {
    r->args = outer_args;
    info->kind = SubqueryInfo::EXISTS;
    info->plan = bound.plan;
    r->type = Type::boolean();
    return r;
  }
  if (bound.plan->columns.size() != 1 && e.kind == ExprKind::SCALAR_SUBQUERY)
    fail(ErrorCode::NOT_SUPPORTED, "Multiple columns returned by subquery are not yet supported", e.location);
  if (bound.plan->columns.size() != 1)
    fail(ErrorCode::TYPE_MISMATCH,
         std::string(e.kind == ExprKind::IN_SUBQUERY ? "IN subquery" : "Scalar subquery") +
             " must return exactly one column, got " + std::to_string(bound.plan->columns.size()),
         e.location);
  if (e.kind == ExprKind::SCALAR_SUBQUERY) {
    info->kind = SubqueryInfo::SCALAR;
    info->plan = bound.plan;
    r->type = bound.plan->columns[0].type;
    r->args = outer_args;
    return r;
  }
  info->kind = SubqueryInfo::IN;
  auto value = bind_expr(*e.args[0], scope, agg, win);
  Type column_type = bound.plan->columns[0].type;
  Type common;
  if (!common_super_type(value->type, column_type, &common))
    fail(ErrorCode::TYPE_MISMATCH,
         "Value expression and result of subquery must be of the same type: " + value->type.to_string() + " vs " +
             column_type.to_string(),
         e.location);
  if (common.id == TypeId::UNKNOWN) common = Type::boolean();
  value = coerce(value, common, e.location);
  PlanPtr plan = bound.plan;
  if (column_type != common) {
    auto project = std::make_shared<PlanNode>();
    project->kind = PlanKind::PROJECT;
    project->children = {plan};
    int symbol = new_symbol();
    project->exprs = {coerce(make_column(plan->columns[0].symbol, column_type, plan->columns[0].name), common,
                             e.location)};
    project->columns = {{symbol, plan->columns[0].name, common}};
    plan = project;
  }
  info->plan = plan;
  r->type = Type::boolean();
  r->args = {value};
  r->args.insert(r->args.end(), outer_args.begin(), outer_args.end());
  r->negated = false;
  auto result = std::static_pointer_cast<BoundExpr>(r);
  return e.negated ? make_logical(BoundKind::NOT, {result}) : result;
}

}  // namespace tributary::planner
