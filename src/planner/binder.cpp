#include "planner/binder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "function/cast.h"
#include "function/function.h"
#include "planner/expression_evaluator.h"
#include "sql/parser.h"

namespace tributary::planner {

using sql::Expr;
using sql::ExprKind;
using sql::Location;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = (char)std::tolower((unsigned char)c);
  return s;
}

bool iequals(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

[[noreturn]] void fail(ErrorCode code, const std::string& message, Location loc) {
  throw_error(code, message, loc.line, loc.column);
}

struct ScopeColumn {
  std::vector<std::string> qualifier;  // e.g. {catalog, schema, table} or {alias}
  std::string name;
  int symbol;
  Type type;
  bool hidden = false;  // USING duplicates: reachable qualified only
};

struct Scope {
  std::vector<ScopeColumn> columns;
  Scope* outer = nullptr;
  std::vector<int>* outer_refs = nullptr;  // where correlated references are recorded
};

struct CteDefinition {
  const sql::WithItem* item;
  std::map<std::string, CteDefinition> visible_before;  // unused: CTEs may reference earlier ones by lookup chain
};

// Aggregation being built for one query specification.
struct AggregationContext {
  Scope* input_scope = nullptr;
  struct Call {
    std::string name;
    bool distinct;
    std::vector<BExprPtr> args;  // bound over input scope
    BExprPtr filter;
    std::shared_ptr<const BoundAggregate> function;
    int symbol;
    Type type;
  };
  std::vector<Call> calls;
  bool allowed = false;
  std::string clause = "This clause";  // for the error when aggregates are not allowed
  std::string nested_in;               // set while binding the arguments of an aggregate
};

struct WindowContext {
  struct Call {
    std::string name;
    std::vector<BExprPtr> args;
    std::vector<BExprPtr> partition;
    std::vector<std::pair<BExprPtr, std::pair<bool, bool>>> order;  // expr, (asc, nulls_first)
    FrameSpec frame;
    std::shared_ptr<const BoundAggregate> aggregate;
    int symbol;
    Type type;
    bool ignore_nulls = false;
  };
  std::vector<Call> calls;
  bool allowed = false;
};

const std::set<std::string>& window_only_functions() {
  static const std::set<std::string> names = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
                                              "ntile", "lag", "lead", "first_value", "last_value", "nth_value"};
  return names;
}

}  // namespace

struct Binder::Impl {
  CatalogResolver& catalogs;
  Session session;
  int next_symbol = 0;
  std::vector<std::map<std::string, const sql::WithItem*>> cte_stack;
  int view_depth = 0;

  Impl(CatalogResolver& c, const Session& s) : catalogs(c), session(s) {}

  int new_symbol() { return next_symbol++; }

  // ---------------------------------------------------------------- helpers

  BExprPtr coerce(const BExprPtr& e, const Type& to, Location loc) {
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

  BExprPtr fold(const BExprPtr& e) { return fold_constant(e, session.function_context); }

  Type common_type(const std::vector<BExprPtr>& exprs, Location loc, const std::string& what) {
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

  BExprPtr call_function(const std::string& name, std::vector<BExprPtr> args, Location loc,
                         const std::string& operator_text = "") {
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

  BExprPtr compare(const std::string& op, BExprPtr left, BExprPtr right, Location loc) {
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

  bool unwrap_cast(const BExprPtr& column_side, BExprPtr& constant_side, const Type& common) {
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

  BExprPtr boolean_operand(const BExprPtr& e, Location loc, const std::string& context) {
    if (e->type.id == TypeId::BOOLEAN) return e;
    if (e->type.id == TypeId::UNKNOWN) return coerce(e, Type::boolean(), loc);
    fail(ErrorCode::TYPE_MISMATCH, context + " must evaluate to a boolean: actual type " + e->type.to_string(), loc);
  }

  BExprPtr make_logical(BoundKind kind, std::vector<BExprPtr> args) {
    auto e = std::make_shared<BoundExpr>();
    e->kind = kind;
    e->type = Type::boolean();
    e->args = std::move(args);
    return fold(e);
  }

  // ---------------------------------------------------------------- names

  std::vector<std::string> scope_names(const Scope& scope) {
    std::vector<std::string> names;
    for (const auto& c : scope.columns)
      if (!c.hidden) names.push_back(c.name);
    return names;
  }

  static bool qualifier_matches(const ScopeColumn& column, const std::vector<std::string>& qualifier) {
    if (qualifier.empty()) return true;
    if (qualifier.size() > column.qualifier.size()) return false;
    // Match the suffix: t / s.t / c.s.t
    size_t offset = column.qualifier.size() - qualifier.size();
    for (size_t i = 0; i < qualifier.size(); i++)
      if (!iequals(column.qualifier[offset + i], qualifier[i])) return false;
    return true;
  }

  // Finds a column in one scope; nullptr if absent. Throws on ambiguity.
  const ScopeColumn* find_in_scope(const Scope& scope, const std::vector<std::string>& parts, Location loc) {
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

  static std::string sql_join(const std::vector<std::string>& parts) {
    std::string out;
    for (size_t i = 0; i < parts.size(); i++) out += (i ? "." : "") + parts[i];
    return out;
  }

  BExprPtr resolve_column(const std::vector<std::string>& parts, Scope& scope, Location loc) {
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

  // ---------------------------------------------------------------- expressions

  BExprPtr literal(const Expr& e) {
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

  BExprPtr interval_literal(const Expr& e) {
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

  BExprPtr bind_expr(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
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

  BExprPtr bind_case(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
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

  FrameSpec bind_frame(const sql::WindowSpec& w, Location loc) {
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

  BExprPtr bind_function(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
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

  BExprPtr bind_aggregate_call(const Expr& e, const std::string& name, AggregationContext& agg, WindowContext* win) {
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

  BExprPtr bind_window_function(const Expr& e, const std::string& name, Scope& scope, AggregationContext* agg,
                                WindowContext* win) {
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
  BExprPtr column_by_symbol(int symbol, Scope& scope, Location loc) {
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

  BExprPtr bind_subquery(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win) {
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

  // ---------------------------------------------------------------- relations

  struct RelationPlan {
    PlanPtr plan;
    Scope scope;
  };

  PlanPtr make_project(PlanPtr child, std::vector<BExprPtr> exprs, std::vector<PlanColumn> columns) {
    auto p = std::make_shared<PlanNode>();
    p->kind = PlanKind::PROJECT;
    p->children = {child};
    p->exprs = std::move(exprs);
    p->columns = std::move(columns);
    p->estimated_rows = child->estimated_rows;
    return p;
  }

  void resolve_name(const std::vector<std::string>& parts, Location loc, std::string* catalog, std::string* schema,
                    std::string* table) {
    if (parts.size() == 1) {
      *catalog = session.catalog;
      *schema = session.schema;
      *table = parts[0];
    } else if (parts.size() == 2) {
      *catalog = session.catalog;
      *schema = parts[0];
      *table = parts[1];
    } else if (parts.size() == 3) {
      *catalog = parts[0];
      *schema = parts[1];
      *table = parts[2];
    } else {
      fail(ErrorCode::SYNTAX_ERROR, "Too many dots in table name: " + sql_join(parts), loc);
    }
    if (catalog->empty())
      fail(ErrorCode::NOT_FOUND, "Catalog must be specified when session catalog is not set", loc);
    if (schema->empty())
      fail(ErrorCode::NOT_FOUND, "Schema must be specified when session schema is not set", loc);
  }

  std::shared_ptr<Connector> connector_for(const std::string& catalog, Location loc) {
    auto connector = catalogs.find_catalog(lower(catalog));
    if (!connector)
      fail(ErrorCode::NOT_FOUND, "Catalog '" + catalog + "' does not exist." + did_you_mean(catalog, catalogs.catalog_names()),
           loc);
    return connector;
  }

  RelationPlan bind_table(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
    // CTE?
    if (rel.name.size() == 1) {
      for (auto it = cte_stack.rbegin(); it != cte_stack.rend(); ++it) {
        auto found = it->find(lower(rel.name[0]));
        if (found == it->end()) continue;
        const sql::WithItem& item = *found->second;
        // Bind the CTE body with only the CTEs defined before it visible (no self-reference).
        auto saved = cte_stack;
        size_t level = (size_t)(cte_stack.rend() - it) - 1;
        cte_stack.resize(level + 1);
        auto& visible = cte_stack[level];
        for (auto entry = visible.begin(); entry != visible.end();) {
          if (entry->second == &item || entry->second->location.line > item.location.line ||
              (entry->second->location.line == item.location.line &&
               entry->second->location.column >= item.location.column))
            entry = visible.erase(entry);
          else
            ++entry;
        }
        BoundQuery bound;
        try {
          bound = bind_query_with_outer(*item.query, outer, outer_refs);
        } catch (...) {
          cte_stack = saved;
          throw;
        }
        cte_stack = saved;
        RelationPlan out;
        out.plan = bound.plan;
        std::string alias = rel.alias.empty() ? item.name : rel.alias;
        if (!item.column_aliases.empty() && item.column_aliases.size() != bound.names.size())
          fail(ErrorCode::TYPE_MISMATCH, "WITH column alias list has " + std::to_string(item.column_aliases.size()) +
                                             " entries but WITH query has " + std::to_string(bound.names.size()) + " columns",
               item.location);
        for (size_t i = 0; i < bound.plan->columns.size(); i++) {
          std::string name = item.column_aliases.empty() ? bound.names[i] : item.column_aliases[i];
          out.scope.columns.push_back({{alias}, name, bound.plan->columns[i].symbol, bound.plan->columns[i].type});
        }
        apply_column_aliases(rel, out);
        return out;
      }
    }
    std::string catalog, schema, table;
    resolve_name(rel.name, rel.location, &catalog, &schema, &table);
    auto connector = connector_for(catalog, rel.location);
    // Every catalog has an information_schema: the system catalog's, narrowed to this catalog.
    std::string catalog_filter;
    if (lower(schema) == "information_schema" && lower(catalog) != "system") {
      catalog_filter = lower(catalog);
      connector = connector_for("system", rel.location);
    }
    // View?
    if (auto view_sql = catalogs.find_view(lower(catalog), lower(schema), lower(table))) {
      if (view_depth > 16) fail(ErrorCode::INVALID_ARGUMENT, "View nesting is too deep (cycle?)", rel.location);
      view_depth++;
      auto stmt = sql::parse_statement(*view_sql);
      auto saved = cte_stack;
      cte_stack.clear();
      BoundQuery bound = bind_query_with_outer(*stmt->query, nullptr, nullptr);
      cte_stack = saved;
      view_depth--;
      RelationPlan out;
      out.plan = bound.plan;
      std::vector<std::string> qualifier = {lower(catalog), lower(schema), rel.alias.empty() ? lower(table) : rel.alias};
      if (!rel.alias.empty()) qualifier = {rel.alias};
      for (size_t i = 0; i < bound.plan->columns.size(); i++)
        out.scope.columns.push_back({qualifier, bound.names[i], bound.plan->columns[i].symbol, bound.plan->columns[i].type});
      apply_column_aliases(rel, out);
      return out;
    }
    std::optional<TableMetadata> metadata;
    try {
      metadata = connector->get_table(schema, table);
    } catch (const Error& error) {
      fail(error.code(), error.message(), rel.location);
    }
    if (!metadata) {
      std::vector<std::string> schemas;
      try {
        schemas = connector->list_schemas();
      } catch (const Error&) {
      }
      bool schema_exists = false;
      for (const auto& s : schemas)
        if (iequals(s, schema)) schema_exists = true;
      if (!schema_exists)
        fail(ErrorCode::NOT_FOUND, "Schema '" + schema + "' does not exist in catalog '" + catalog + "'." +
                                       did_you_mean(schema, schemas),
             rel.location);
      std::vector<std::string> tables;
      try {
        tables = connector->list_tables(schema);
      } catch (const Error&) {
      }
      fail(ErrorCode::NOT_FOUND,
           "Table '" + catalog + "." + schema + "." + table + "' does not exist." + did_you_mean(table, tables),
           rel.location);
    }
    auto scan = std::make_shared<PlanNode>();
    scan->kind = PlanKind::SCAN;
    scan->catalog = catalog_filter.empty() ? lower(catalog) : "system";
    scan->connector = connector;
    scan->table = *metadata;
    scan->estimated_rows = metadata->row_count.value_or(-1);
    RelationPlan out;
    std::vector<std::string> qualifier = {lower(catalog), lower(metadata->schema), lower(metadata->name)};
    if (!rel.alias.empty()) qualifier = {rel.alias};
    for (size_t i = 0; i < metadata->columns.size(); i++) {
      int symbol = new_symbol();
      scan->scan_columns.push_back((int)i);
      scan->columns.push_back({symbol, metadata->columns[i].name, metadata->columns[i].type});
      out.scope.columns.push_back({qualifier, lower(metadata->columns[i].name), symbol, metadata->columns[i].type});
    }
    out.plan = scan;
    if (!catalog_filter.empty()) {
      // The first column of every information_schema table is the catalog name.
      auto filter = std::make_shared<PlanNode>();
      filter->kind = PlanKind::FILTER;
      filter->children = {scan};
      filter->columns = scan->columns;
      filter->predicate = compare("=", make_column(scan->columns[0].symbol, scan->columns[0].type, scan->columns[0].name),
                                  make_constant(Value::string(catalog_filter)), rel.location);
      out.plan = filter;
    }
    apply_column_aliases(rel, out);
    return out;
  }

  void apply_column_aliases(const sql::Relation& rel, RelationPlan& out) {
    if (rel.column_aliases.empty()) return;
    size_t visible = 0;
    for (const auto& c : out.scope.columns)
      if (!c.hidden) visible++;
    if (rel.column_aliases.size() != visible)
      fail(ErrorCode::TYPE_MISMATCH,
           "Column alias list has " + std::to_string(rel.column_aliases.size()) + " entries but '" + rel.alias +
               "' has " + std::to_string(visible) + " columns available",
           rel.location);
    size_t k = 0;
    for (auto& c : out.scope.columns)
      if (!c.hidden) c.name = rel.column_aliases[k++];
  }

  RelationPlan bind_relation(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
    switch (rel.kind) {
      case sql::Relation::TABLE: return bind_table(rel, outer, outer_refs);
      case sql::Relation::SUBQUERY: {
        BoundQuery bound = bind_query_with_outer(*rel.subquery, outer, outer_refs);
        RelationPlan out;
        out.plan = bound.plan;
        std::vector<std::string> qualifier;
        if (!rel.alias.empty()) qualifier = {rel.alias};
        for (size_t i = 0; i < bound.plan->columns.size(); i++)
          out.scope.columns.push_back({qualifier, bound.names[i], bound.plan->columns[i].symbol, bound.plan->columns[i].type});
        apply_column_aliases(rel, out);
        return out;
      }
      case sql::Relation::JOIN: return bind_join(rel, outer, outer_refs);
      case sql::Relation::TABLE_FUNCTION:
        fail(ErrorCode::NOT_SUPPORTED, "Table function '" + sql_join(rel.name) + "' is not supported", rel.location);
      case sql::Relation::VALUES: break;
    }
    fail(ErrorCode::INTERNAL_ERROR, "unhandled relation", rel.location);
  }

  RelationPlan bind_join(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
    RelationPlan left = bind_relation(*rel.left, outer, outer_refs);
    RelationPlan right = bind_relation(*rel.right, outer, outer_refs);
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanKind::JOIN;
    join->children = {left.plan, right.plan};
    join->columns = left.plan->columns;
    join->columns.insert(join->columns.end(), right.plan->columns.begin(), right.plan->columns.end());
    switch (rel.join_type) {
      case sql::JoinType::INNER: join->join_kind = JoinKind::INNER; break;
      case sql::JoinType::LEFT: join->join_kind = JoinKind::LEFT; break;
      case sql::JoinType::RIGHT: join->join_kind = JoinKind::RIGHT; break;
      case sql::JoinType::FULL: join->join_kind = JoinKind::FULL; break;
      case sql::JoinType::CROSS: join->join_kind = JoinKind::CROSS; break;
    }
    RelationPlan out;
    out.scope.columns = left.scope.columns;
    out.scope.columns.insert(out.scope.columns.end(), right.scope.columns.begin(), right.scope.columns.end());
    out.scope.outer = outer;
    out.scope.outer_refs = outer_refs;
    std::vector<std::string> using_columns = rel.using_columns;
    if (rel.natural) {
      for (const auto& l : left.scope.columns)
        for (const auto& r : right.scope.columns)
          if (!l.hidden && !r.hidden && iequals(l.name, r.name)) using_columns.push_back(l.name);
      if (using_columns.empty()) join->join_kind = JoinKind::CROSS;
    }
    if (rel.on) {
      AggregationContext no_agg;
      no_agg.clause = "JOIN clause";
      BExprPtr condition = boolean_operand(bind_expr(*rel.on, out.scope, &no_agg, nullptr), rel.on->location,
                                           "JOIN ON clause");
      join->join_condition = condition;
      out.plan = join;
      return out;
    }
    if (!using_columns.empty()) {
      std::vector<BExprPtr> conjuncts;
      std::vector<ScopeColumn> merged;
      std::vector<BExprPtr> coalesced_exprs;
      std::vector<PlanColumn> coalesced_columns;
      std::set<int> hidden_symbols;
      for (const auto& name : using_columns) {
        const ScopeColumn* l = find_in_scope(left.scope, {name}, rel.location);
        const ScopeColumn* r = find_in_scope(right.scope, {name}, rel.location);
        if (!l || !r)
          fail(ErrorCode::NOT_FOUND, "Column '" + name + "' is missing from " + (l ? "right" : "left") + " side of join",
               rel.location);
        auto le = make_column(l->symbol, l->type, l->name);
        auto re = make_column(r->symbol, r->type, r->name);
        conjuncts.push_back(compare("=", le, re, rel.location));
        ScopeColumn m = *l;
        m.qualifier.clear();
        if (join->join_kind == JoinKind::RIGHT) {
          m = *r;
          m.qualifier.clear();
        } else if (join->join_kind == JoinKind::FULL) {
          Type common = common_type({le, re}, rel.location, "USING columns");
          auto c = std::make_shared<BoundExpr>();
          c->kind = BoundKind::COALESCE;
          c->type = common;
          c->args = {coerce(le, common, rel.location), coerce(re, common, rel.location)};
          int symbol = new_symbol();
          coalesced_exprs.push_back(c);
          coalesced_columns.push_back({symbol, name, common});
          m.symbol = symbol;
          m.type = common;
        }
        merged.push_back(m);
        hidden_symbols.insert(l->symbol);
        hidden_symbols.insert(r->symbol);
      }
      join->join_condition = make_and(conjuncts);
      PlanPtr plan = join;
      if (!coalesced_exprs.empty()) {
        std::vector<BExprPtr> exprs;
        std::vector<PlanColumn> columns;
        for (const auto& c : join->columns) {
          exprs.push_back(make_column(c.symbol, c.type, c.name));
          columns.push_back(c);
        }
        exprs.insert(exprs.end(), coalesced_exprs.begin(), coalesced_exprs.end());
        columns.insert(columns.end(), coalesced_columns.begin(), coalesced_columns.end());
        plan = make_project(join, exprs, columns);
      }
      // Scope: USING columns first (unqualified), then the rest; originals stay reachable qualified.
      Scope scope;
      scope.outer = outer;
      scope.outer_refs = outer_refs;
      scope.columns = merged;
      for (auto c : left.scope.columns) {
        if (hidden_symbols.count(c.symbol)) c.hidden = true;
        scope.columns.push_back(c);
      }
      for (auto c : right.scope.columns) {
        if (hidden_symbols.count(c.symbol)) c.hidden = true;
        scope.columns.push_back(c);
      }
      out.plan = plan;
      out.scope = scope;
      return out;
    }
    out.plan = join;
    return out;
  }

  // ---------------------------------------------------------------- queries

  BoundQuery bind_query_with_outer(const sql::Query& query, Scope* outer, std::vector<int>* outer_refs) {
    if (query.recursive)
      fail(ErrorCode::NOT_SUPPORTED, "WITH RECURSIVE is not supported yet", query.location);
    cte_stack.push_back({});
    for (const auto& item : query.with) {
      if (cte_stack.back().count(lower(item.name)))
        fail(ErrorCode::ALREADY_EXISTS, "WITH query name '" + item.name + "' specified more than once", item.location);
      cte_stack.back()[lower(item.name)] = &item;
    }
    BoundQuery result;
    try {
      result = bind_query_body(*query.body, outer, outer_refs, &query);
    } catch (...) {
      cte_stack.pop_back();
      throw;
    }
    cte_stack.pop_back();
    return result;
  }

  int64_t constant_count(const sql::ExprPtr& e, const char* what) {
    BExprPtr bound;
    Scope empty;
    bound = bind_expr(*e, empty, nullptr, nullptr);
    if (!bound->is_constant() || !bound->type.is_integer() || bound->value.is_null)
      fail(ErrorCode::TYPE_MISMATCH, std::string(what) + " must be an integer constant", e->location);
    if (bound->value.i < 0)
      fail(ErrorCode::INVALID_ARGUMENT, std::string(what) + " must be a non-negative integer", e->location);
    return bound->value.i;
  }

  // ORDER BY / LIMIT / OFFSET apply on top of `plan` whose columns are the visible output.
  // For query specifications the order-by is handled inside bind_spec (it may see input columns).
  BoundQuery bind_query_body(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs,
                             const sql::Query* query) {
    if (body.kind == sql::QueryBody::SPEC) return bind_spec(body, outer, outer_refs, query);
    BoundQuery inner;
    if (body.kind == sql::QueryBody::NESTED) {
      inner = bind_query_with_outer(*body.nested, outer, outer_refs);
    } else if (body.kind == sql::QueryBody::VALUES) {
      inner = bind_values(body);
    } else {
      inner = bind_set_operation(body, outer, outer_refs);
    }
    if (query) return apply_order_limit(inner, *query, outer, outer_refs);
    return inner;
  }

  BoundQuery apply_order_limit(BoundQuery inner, const sql::Query& query, Scope* outer, std::vector<int>* outer_refs) {
    PlanPtr plan = inner.plan;
    if (!query.order_by.empty()) {
      Scope scope;
      scope.outer = outer;
      scope.outer_refs = outer_refs;
      for (size_t i = 0; i < plan->columns.size(); i++)
        scope.columns.push_back({{}, inner.names[i], plan->columns[i].symbol, plan->columns[i].type});
      auto sort = std::make_shared<PlanNode>();
      sort->kind = PlanKind::SORT;
      sort->children = {plan};
      sort->columns = plan->columns;
      for (const auto& item : query.order_by) {
        BExprPtr key;
        if (item.expr->kind == ExprKind::LITERAL && item.expr->literal_kind == sql::LiteralKind::INTEGER) {
          int64_t ordinal = std::stoll(item.expr->text);
          if (ordinal < 1 || ordinal > (int64_t)plan->columns.size())
            fail(ErrorCode::INVALID_ARGUMENT, "ORDER BY position " + item.expr->text + " is not in select list",
                 item.expr->location);
          const auto& c = plan->columns[ordinal - 1];
          key = make_column(c.symbol, c.type, c.name);
        } else {
          key = bind_expr(*item.expr, scope, nullptr, nullptr);
          if (key->kind != BoundKind::COLUMN)
            fail(ErrorCode::NOT_SUPPORTED, "ORDER BY of a set operation must name an output column",
                 item.expr->location);
        }
        sort->sort_keys.push_back({key, item.ascending, item.nulls_first.value_or(false)});
      }
      plan = sort;
    }
    plan = apply_limit(plan, query);
    inner.plan = plan;
    return inner;
  }

  PlanPtr apply_limit(PlanPtr plan, const sql::Query& query) {
    int64_t limit = query.limit ? constant_count(query.limit, "LIMIT") : -1;
    int64_t offset = query.offset ? constant_count(query.offset, "OFFSET") : 0;
    if (limit < 0 && offset == 0) return plan;
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::LIMIT;
    node->children = {plan};
    node->columns = plan->columns;
    node->limit = limit;
    node->offset = offset;
    node->estimated_rows = limit >= 0 ? (double)limit : plan->estimated_rows;
    return node;
  }

  BoundQuery bind_values(const sql::QueryBody& body) {
    Scope empty;
    std::vector<std::vector<BExprPtr>> rows;
    size_t width = body.rows.empty() ? 0 : body.rows[0].size();
    for (const auto& row : body.rows) {
      if (row.size() != width)
        fail(ErrorCode::TYPE_MISMATCH, "Values rows have mismatched sizes: " + std::to_string(width) + " vs " +
                                           std::to_string(row.size()),
             body.location);
      std::vector<BExprPtr> bound;
      for (const auto& e : row) bound.push_back(bind_expr(*e, empty, nullptr, nullptr));
      rows.push_back(bound);
    }
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::VALUES;
    BoundQuery out;
    for (size_t c = 0; c < width; c++) {
      std::vector<BExprPtr> column;
      for (auto& row : rows) column.push_back(row[c]);
      Type common = common_type(column, body.location, "VALUES column " + std::to_string(c + 1));
      if (common.id == TypeId::UNKNOWN) common = Type::unknown();
      for (auto& row : rows) {
        row[c] = coerce(row[c], common, body.location);
        if (!row[c]->is_constant())
          fail(ErrorCode::NOT_SUPPORTED, "VALUES rows must be constant expressions", body.location);
      }
      node->columns.push_back({new_symbol(), "_col" + std::to_string(c), common});
      out.names.push_back("_col" + std::to_string(c));
    }
    for (auto& row : rows) {
      std::vector<Value> values;
      for (auto& e : row) values.push_back(e->value);
      node->rows.push_back(values);
    }
    node->estimated_rows = (double)node->rows.size();
    out.plan = node;
    return out;
  }

  BoundQuery bind_set_operation(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs) {
    BoundQuery left = bind_query_body(*body.left, outer, outer_refs, nullptr);
    BoundQuery right = bind_query_body(*body.right, outer, outer_refs, nullptr);
    static const char* op_names[] = {"UNION", "INTERSECT", "EXCEPT"};
    if (left.plan->columns.size() != right.plan->columns.size())
      fail(ErrorCode::TYPE_MISMATCH,
           std::string(op_names[body.set_op]) + " query has different number of fields: " +
               std::to_string(left.plan->columns.size()) + ", " + std::to_string(right.plan->columns.size()),
           body.location);
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::SET_OPERATION;
    node->set_op = body.set_op == sql::QueryBody::UNION ? PlanNode::UNION
                   : body.set_op == sql::QueryBody::INTERSECT ? PlanNode::INTERSECT
                                                              : PlanNode::EXCEPT;
    node->set_all = body.all;
    std::vector<Type> types;
    for (size_t i = 0; i < left.plan->columns.size(); i++) {
      Type common;
      if (!common_super_type(left.plan->columns[i].type, right.plan->columns[i].type, &common))
        fail(ErrorCode::TYPE_MISMATCH,
             "column " + std::to_string(i + 1) + " in " + op_names[body.set_op] + " query has incompatible types: " +
                 left.plan->columns[i].type.to_string() + ", " + right.plan->columns[i].type.to_string(),
             body.location);
      types.push_back(common);
    }
    auto conform = [&](BoundQuery& q) {
      bool needs = false;
      for (size_t i = 0; i < types.size(); i++)
        if (q.plan->columns[i].type != types[i]) needs = true;
      if (!needs) return q.plan;
      std::vector<BExprPtr> exprs;
      std::vector<PlanColumn> columns;
      for (size_t i = 0; i < types.size(); i++) {
        const auto& c = q.plan->columns[i];
        exprs.push_back(coerce(make_column(c.symbol, c.type, c.name), types[i], body.location));
        columns.push_back({new_symbol(), c.name, types[i]});
      }
      return make_project(q.plan, exprs, columns);
    };
    node->children = {conform(left), conform(right)};
    for (size_t i = 0; i < types.size(); i++) node->columns.push_back({new_symbol(), left.names[i], types[i]});
    double l = node->children[0]->estimated_rows, r = node->children[1]->estimated_rows;
    node->estimated_rows = (l < 0 || r < 0) ? -1 : l + r;
    BoundQuery out;
    out.plan = node;
    out.names = left.names;
    return out;
  }

  // Copy of an ORDER BY expression with select-list aliases replaced by their expressions.
  sql::ExprPtr substitute_aliases(const sql::ExprPtr& e, const std::map<std::string, const sql::Expr*>& aliases) {
    if (!e || aliases.empty()) return e;
    if (e->kind == ExprKind::IDENTIFIER && e->name.size() == 1) {
      auto it = aliases.find(lower(e->name[0]));
      if (it != aliases.end()) return std::make_shared<Expr>(*it->second);
      return e;
    }
    if (e->kind == ExprKind::IN_SUBQUERY || e->kind == ExprKind::EXISTS || e->kind == ExprKind::SCALAR_SUBQUERY ||
        e->window)
      return e;
    auto copy = std::make_shared<Expr>(*e);
    for (auto& a : copy->args) a = substitute_aliases(a, aliases);
    copy->operand = substitute_aliases(copy->operand, aliases);
    for (auto& [w, t] : copy->whens) {
      w = substitute_aliases(w, aliases);
      t = substitute_aliases(t, aliases);
    }
    copy->else_result = substitute_aliases(copy->else_result, aliases);
    return copy;
  }

  // Rewrites a post-aggregation expression: group-key subtrees -> key columns; checks
  // that no other input column survives.
  BExprPtr rewrite_after_aggregation(const BExprPtr& e, const std::vector<std::pair<BExprPtr, BExprPtr>>& keys,
                                     const std::set<int>& input_symbols, const std::set<int>& agg_symbols,
                                     Location loc) {
    for (const auto& [key, replacement] : keys)
      if (expr_equals(*e, *key)) return replacement;
    if (e->kind == BoundKind::COLUMN) {
      if (agg_symbols.count(e->symbol)) return e;
      if (input_symbols.count(e->symbol))
        fail(ErrorCode::TYPE_MISMATCH,
             "'" + e->name + "' must be an aggregate expression or appear in GROUP BY clause", loc);
      return e;
    }
    if (e->args.empty()) return e;
    auto copy = std::make_shared<BoundExpr>(*e);
    for (auto& a : copy->args) a = rewrite_after_aggregation(a, keys, input_symbols, agg_symbols, loc);
    return copy;
  }

  // Adds a projection over `plan` that passes its columns through and computes `exprs`;
  // returns column refs for each expr (reusing existing columns when an expr is one).
  std::vector<BExprPtr> materialize(PlanPtr& plan, const std::vector<BExprPtr>& exprs) {
    std::vector<BExprPtr> refs;
    std::vector<BExprPtr> extra_exprs;
    std::vector<PlanColumn> extra_columns;
    for (const auto& e : exprs) {
      if (e->kind == BoundKind::COLUMN && column_position(*plan, e->symbol) >= 0) {
        refs.push_back(e);
        continue;
      }
      bool reused = false;
      for (size_t i = 0; i < extra_exprs.size(); i++) {
        if (expr_equals(*extra_exprs[i], *e)) {
          refs.push_back(make_column(extra_columns[i].symbol, e->type, extra_columns[i].name));
          reused = true;
          break;
        }
      }
      if (reused) continue;
      int symbol = new_symbol();
      extra_exprs.push_back(e);
      extra_columns.push_back({symbol, "expr", e->type});
      refs.push_back(make_column(symbol, e->type, "expr"));
    }
    if (!extra_exprs.empty()) {
      std::vector<BExprPtr> all;
      std::vector<PlanColumn> columns;
      for (const auto& c : plan->columns) {
        all.push_back(make_column(c.symbol, c.type, c.name));
        columns.push_back(c);
      }
      all.insert(all.end(), extra_exprs.begin(), extra_exprs.end());
      columns.insert(columns.end(), extra_columns.begin(), extra_columns.end());
      plan = make_project(plan, all, columns);
    }
    return refs;
  }

  std::string output_name(const sql::SelectItem& item, size_t index) {
    if (!item.alias.empty()) return item.alias;
    if (item.expr->kind == ExprKind::IDENTIFIER) return item.expr->name.back();
    return "_col" + std::to_string(index);
  }

  BoundQuery bind_spec(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs,
                       const sql::Query* query) {
    const sql::QuerySpec& spec = body.spec;
    RelationPlan source;
    if (spec.from) {
      source = bind_relation(*spec.from, outer, outer_refs);
    } else {
      auto values = std::make_shared<PlanNode>();
      values->kind = PlanKind::VALUES;
      values->rows = {{}};
      values->estimated_rows = 1;
      source.plan = values;
    }
    source.scope.outer = outer;
    source.scope.outer_refs = outer_refs;
    Scope& scope = source.scope;
    PlanPtr plan = source.plan;

    if (spec.where) {
      AggregationContext where_context;
      where_context.clause = "WHERE clause";
      BExprPtr predicate = boolean_operand(bind_expr(*spec.where, scope, &where_context, nullptr),
                                           spec.where->location, "WHERE clause");
      auto filter = std::make_shared<PlanNode>();
      filter->kind = PlanKind::FILTER;
      filter->children = {plan};
      filter->columns = plan->columns;
      filter->predicate = predicate;
      filter->estimated_rows = plan->estimated_rows < 0 ? -1 : plan->estimated_rows * 0.25;
      plan = filter;
    }

    // Expand the select list.
    struct Item {
      const sql::Expr* expr = nullptr;  // null for star-expanded columns
      BExprPtr bound;
      std::string name;
      Location location;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < spec.select.size(); i++) {
      const auto& s = spec.select[i];
      if (s.expr->kind == ExprKind::STAR) {
        bool any = false;
        for (const auto& c : scope.columns) {
          if (c.hidden) continue;
          if (!s.expr->name.empty() && !qualifier_matches(c, s.expr->name)) continue;
          Item item;
          item.bound = make_column(c.symbol, c.type, c.name);
          item.name = c.name;
          item.location = s.location;
          items.push_back(item);
          any = true;
        }
        if (!any) {
          if (!s.expr->name.empty())
            fail(ErrorCode::NOT_FOUND, "Table '" + sql_join(s.expr->name) + "' not found in FROM clause", s.location);
          if (!spec.from) fail(ErrorCode::SYNTAX_ERROR, "SELECT * not allowed in queries without FROM clause", s.location);
        }
        continue;
      }
      Item item;
      item.expr = s.expr.get();
      item.name = output_name(s, items.size());
      item.location = s.location;
      items.push_back(item);
    }

    // Aggregation analysis.
    AggregationContext agg;
    agg.input_scope = &scope;
    agg.allowed = true;
    WindowContext win;
    win.allowed = true;
    std::vector<BExprPtr> group_exprs;
    for (const auto& g : spec.group_by) {
      if (g->kind == ExprKind::LITERAL && g->literal_kind == sql::LiteralKind::INTEGER) {
        int64_t ordinal = std::stoll(g->text);
        if (ordinal < 1 || ordinal > (int64_t)items.size())
          fail(ErrorCode::INVALID_ARGUMENT, "GROUP BY position " + g->text + " is not in select list", g->location);
        const Item& item = items[ordinal - 1];
        if (!item.expr) {
          group_exprs.push_back(item.bound);
        } else {
          AggregationContext none;
          none.clause = "GROUP BY clause";
          group_exprs.push_back(bind_expr(*item.expr, scope, &none, nullptr));
        }
        continue;
      }
      AggregationContext none;
      none.clause = "GROUP BY clause";
      try {
        group_exprs.push_back(bind_expr(*g, scope, &none, nullptr));
      } catch (const Error& error) {
        // Lenient: allow grouping by a select alias (Trino does not, but other engines do).
        if (error.code() == ErrorCode::NOT_FOUND && g->kind == ExprKind::IDENTIFIER && g->name.size() == 1) {
          bool found = false;
          for (const auto& item : items) {
            if (item.expr && iequals(item.name, g->name[0])) {
              group_exprs.push_back(bind_expr(*item.expr, scope, &none, nullptr));
              found = true;
              break;
            }
          }
          if (!found) throw;
        } else {
          throw;
        }
      }
    }

    for (auto& item : items)
      if (item.expr) item.bound = bind_expr(*item.expr, scope, &agg, &win);
    BExprPtr having;
    if (spec.having) having = boolean_operand(bind_expr(*spec.having, scope, &agg, nullptr), spec.having->location,
                                              "HAVING clause");

    // ORDER BY items of this query spec (bound now: they may add aggregates).
    struct OrderKey {
      BExprPtr expr;
      int output_index = -1;
      bool ascending;
      bool nulls_first;
    };
    std::vector<OrderKey> order_keys;
    // ORDER BY sees the select list's aliases first (Trino): `ORDER BY -total` with `... AS total`.
    std::map<std::string, const sql::Expr*> aliases;
    for (const auto& s : spec.select)
      if (!s.alias.empty() && s.expr->kind != ExprKind::STAR) aliases[lower(s.alias)] = s.expr.get();
    if (query) {
      for (const auto& o : query->order_by) {
        OrderKey key;
        key.ascending = o.ascending;
        key.nulls_first = o.nulls_first.value_or(false);
        if (o.expr->kind == ExprKind::LITERAL && o.expr->literal_kind == sql::LiteralKind::INTEGER) {
          int64_t ordinal = std::stoll(o.expr->text);
          if (ordinal < 1 || ordinal > (int64_t)items.size())
            fail(ErrorCode::INVALID_ARGUMENT, "ORDER BY position " + o.expr->text + " is not in select list",
                 o.expr->location);
          key.output_index = (int)ordinal - 1;
        } else if (o.expr->kind == ExprKind::IDENTIFIER && o.expr->name.size() == 1) {
          int match = -1;
          for (size_t i = 0; i < items.size(); i++) {
            if (iequals(items[i].name, o.expr->name[0]) && (items[i].expr == nullptr || spec.select.size() > 0)) {
              // An output alias wins over an input column (Trino semantics).
              bool is_alias = false;
              for (const auto& s : spec.select)
                if (!s.alias.empty() && iequals(s.alias, o.expr->name[0])) is_alias = true;
              if (is_alias || match < 0) {
                if (match >= 0 && is_alias)
                  fail(ErrorCode::TYPE_MISMATCH, "Column '" + o.expr->name[0] + "' is ambiguous", o.expr->location);
                match = (int)i;
              }
            }
          }
          if (match >= 0) {
            key.output_index = match;
          } else {
            key.expr = bind_expr(*substitute_aliases(o.expr, aliases), scope, &agg, &win);
          }
        } else {
          key.expr = bind_expr(*substitute_aliases(o.expr, aliases), scope, &agg, &win);
        }
        order_keys.push_back(key);
      }
    }

    bool aggregated = !agg.calls.empty() || !spec.group_by.empty() || having;
    if (aggregated) {
      // Pre-projection: group keys, aggregate arguments and filters.
      std::vector<BExprPtr> needed = group_exprs;
      for (const auto& call : agg.calls) {
        needed.insert(needed.end(), call.args.begin(), call.args.end());
        if (call.filter) needed.push_back(call.filter);
      }
      for (const auto& e : needed)
        if (contains_subquery(*e)) {
          // Subqueries inside aggregate arguments are evaluated by the pre-projection.
        }
      std::vector<BExprPtr> refs = materialize(plan, needed);
      auto node = std::make_shared<PlanNode>();
      node->kind = PlanKind::AGGREGATE;
      node->children = {plan};
      size_t k = 0;
      std::vector<std::pair<BExprPtr, BExprPtr>> key_map;
      std::set<int> seen_keys;
      for (size_t i = 0; i < group_exprs.size(); i++, k++) {
        const auto& ref = refs[k];
        if (seen_keys.count(ref->symbol)) continue;
        seen_keys.insert(ref->symbol);
        node->group_keys.push_back(ref);
        std::string name = group_exprs[i]->kind == BoundKind::COLUMN ? group_exprs[i]->name : ref->name;
        node->columns.push_back({ref->symbol, name, ref->type});
        key_map.push_back({group_exprs[i], make_column(ref->symbol, ref->type, name)});
      }
      std::set<int> agg_symbols;
      for (const auto& call : agg.calls) {
        AggregateCall a;
        a.function = call.function;
        a.distinct = call.distinct;
        for (size_t j = 0; j < call.args.size(); j++) a.args.push_back(refs[k++]);
        if (call.filter) a.filter = refs[k++];
        a.output_symbol = call.symbol;
        node->aggregates.push_back(a);
        node->columns.push_back({call.symbol, call.name, call.type});
        agg_symbols.insert(call.symbol);
      }
      double in_rows = plan->estimated_rows;
      node->estimated_rows = group_exprs.empty() ? 1 : (in_rows < 0 ? -1 : std::max(1.0, in_rows * 0.1));
      plan = node;
      std::set<int> input_symbols;
      for (const auto& c : scope.columns) input_symbols.insert(c.symbol);
      for (const auto& c : node->children[0]->columns) input_symbols.insert(c.symbol);
      for (const auto& [key, replacement] : key_map) agg_symbols.insert(replacement->symbol);
      for (auto& item : items)
        item.bound = rewrite_after_aggregation(item.bound, key_map, input_symbols, agg_symbols, item.location);
      for (auto& key : order_keys)
        if (key.expr) key.expr = rewrite_after_aggregation(key.expr, key_map, input_symbols, agg_symbols, body.location);
      if (having) {
        having = rewrite_after_aggregation(having, key_map, input_symbols, agg_symbols, spec.having->location);
        auto filter = std::make_shared<PlanNode>();
        filter->kind = PlanKind::FILTER;
        filter->children = {plan};
        filter->columns = plan->columns;
        filter->predicate = having;
        filter->estimated_rows = plan->estimated_rows;
        plan = filter;
      }
      // Window calls bound before aggregation was known reference input columns: rewrite them too.
      for (auto& call : win.calls) {
        for (auto& a : call.args) a = rewrite_after_aggregation(a, key_map, input_symbols, agg_symbols, body.location);
        for (auto& p : call.partition)
          p = rewrite_after_aggregation(p, key_map, input_symbols, agg_symbols, body.location);
        for (auto& o : call.order)
          o.first = rewrite_after_aggregation(o.first, key_map, input_symbols, agg_symbols, body.location);
      }
    }

    // Window functions.
    if (!win.calls.empty()) plan = plan_windows(plan, win);

    // Projection (with hidden ORDER BY expressions appended).
    std::vector<BExprPtr> exprs;
    std::vector<PlanColumn> columns;
    BoundQuery out;
    for (const auto& item : items) {
      exprs.push_back(item.bound);
      int symbol = item.bound->kind == BoundKind::COLUMN ? item.bound->symbol : new_symbol();
      columns.push_back({symbol, item.name, item.bound->type});
      out.names.push_back(item.name);
    }
    size_t visible = exprs.size();
    std::vector<SortKey> sort_keys;
    for (auto& key : order_keys) {
      if (key.output_index >= 0) {
        const auto& c = columns[key.output_index];
        sort_keys.push_back({make_column(c.symbol, c.type, c.name), key.ascending, key.nulls_first});
        continue;
      }
      int found = -1;
      for (size_t i = 0; i < exprs.size(); i++)
        if (expr_equals(*exprs[i], *key.expr)) found = (int)i;
      if (found < 0) {
        if (spec.distinct)
          fail(ErrorCode::TYPE_MISMATCH, "For SELECT DISTINCT, ORDER BY expressions must appear in select list",
               body.location);
        exprs.push_back(key.expr);
        int symbol = key.expr->kind == BoundKind::COLUMN ? key.expr->symbol : new_symbol();
        columns.push_back({symbol, "$order", key.expr->type});
        found = (int)exprs.size() - 1;
      }
      const auto& c = columns[found];
      sort_keys.push_back({make_column(c.symbol, c.type, c.name), key.ascending, key.nulls_first});
    }
    // Give duplicate symbols distinct ids so every output column is addressable.
    std::set<int> used;
    for (size_t i = 0; i < columns.size(); i++) {
      if (used.count(columns[i].symbol)) {
        columns[i].symbol = new_symbol();
      }
      used.insert(columns[i].symbol);
    }
    plan = make_project(plan, exprs, columns);

    if (spec.distinct) {
      auto node = std::make_shared<PlanNode>();
      node->kind = PlanKind::AGGREGATE;
      node->children = {plan};
      for (size_t i = 0; i < visible; i++) {
        node->group_keys.push_back(make_column(columns[i].symbol, columns[i].type, columns[i].name));
        node->columns.push_back(columns[i]);
      }
      node->estimated_rows = plan->estimated_rows;
      plan = node;
    }
    if (!sort_keys.empty()) {
      auto sort = std::make_shared<PlanNode>();
      sort->kind = PlanKind::SORT;
      sort->children = {plan};
      sort->columns = plan->columns;
      sort->sort_keys = sort_keys;
      sort->estimated_rows = plan->estimated_rows;
      plan = sort;
    }
    if (query) plan = apply_limit(plan, *query);
    if (plan->columns.size() > visible) {
      std::vector<BExprPtr> final_exprs;
      std::vector<PlanColumn> final_columns;
      for (size_t i = 0; i < visible; i++) {
        final_exprs.push_back(make_column(plan->columns[i].symbol, plan->columns[i].type, plan->columns[i].name));
        final_columns.push_back(plan->columns[i]);
      }
      plan = make_project(plan, final_exprs, final_columns);
    }
    out.plan = plan;
    return out;
  }

  PlanPtr plan_windows(PlanPtr plan, WindowContext& win) {
    // One WINDOW node per distinct (partition, order) specification.
    size_t i = 0;
    while (i < win.calls.size()) {
      auto& first = win.calls[i];
      std::vector<size_t> group = {i};
      for (size_t j = i + 1; j < win.calls.size(); j++) {
        auto& other = win.calls[j];
        bool same = other.partition.size() == first.partition.size() && other.order.size() == first.order.size();
        for (size_t k = 0; same && k < first.partition.size(); k++)
          same = expr_equals(*first.partition[k], *other.partition[k]);
        for (size_t k = 0; same && k < first.order.size(); k++)
          same = expr_equals(*first.order[k].first, *other.order[k].first) &&
                 first.order[k].second == other.order[k].second;
        if (same) group.push_back(j);
      }
      std::vector<BExprPtr> needed = first.partition;
      for (const auto& o : first.order) needed.push_back(o.first);
      for (size_t g : group) needed.insert(needed.end(), win.calls[g].args.begin(), win.calls[g].args.end());
      auto refs = materialize(plan, needed);
      auto node = std::make_shared<PlanNode>();
      node->kind = PlanKind::WINDOW;
      node->children = {plan};
      node->columns = plan->columns;
      size_t k = 0;
      for (size_t p = 0; p < first.partition.size(); p++) node->partition_keys.push_back(refs[k++]);
      for (const auto& o : first.order) node->window_order.push_back({refs[k++], o.second.first, o.second.second});
      for (size_t g : group) {
        auto& call = win.calls[g];
        WindowCall wc;
        wc.function = call.aggregate ? "aggregate" : call.name;
        wc.aggregate = call.aggregate;
        for (size_t a = 0; a < call.args.size(); a++) wc.args.push_back(refs[k++]);
        wc.frame = call.frame;
        wc.output_symbol = call.symbol;
        wc.type = call.type;
        wc.ignore_nulls = call.ignore_nulls;
        node->window_calls.push_back(wc);
        node->columns.push_back({call.symbol, call.name, call.type});
      }
      node->estimated_rows = plan->estimated_rows;
      plan = node;
      // Remove the grouped calls.
      std::vector<WindowContext::Call> rest;
      for (size_t j = 0; j < win.calls.size(); j++)
        if (std::find(group.begin(), group.end(), j) == group.end()) rest.push_back(win.calls[j]);
      win.calls = rest;
      i = 0;
    }
    return plan;
  }
};

Binder::Binder(CatalogResolver& catalogs, const Session& session)
    : impl_(std::make_unique<Impl>(catalogs, session)) {}
Binder::~Binder() = default;

BoundQuery Binder::bind_query(const sql::Query& query) {
  return impl_->bind_query_with_outer(query, nullptr, nullptr);
}

void Binder::resolve_table_name(const std::vector<std::string>& parts, sql::Location location, std::string* catalog,
                                std::string* schema, std::string* table) {
  impl_->resolve_name(parts, location, catalog, schema, table);
}

}  // namespace tributary::planner
