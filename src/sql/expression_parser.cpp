// Expressions of the recursive-descent Parser (parser_impl.h): operators by precedence,
// predicates, literals, type names, function calls and window specifications.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "sql/parser_impl.h"

namespace tributary::sql {


ExprPtr Parser::make(ExprKind kind, Location loc) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->location = loc;
  return e;
}

ExprPtr Parser::expression() { return or_expression(); }

ExprPtr Parser::or_expression() {
  auto left = and_expression();
  while (is("or")) {
    auto e = make(ExprKind::OR, next().location);
    e->args = {left, and_expression()};
    left = e;
  }
  return left;
}

ExprPtr Parser::and_expression() {
  auto left = not_expression();
  while (is("and")) {
    auto e = make(ExprKind::AND, next().location);
    e->args = {left, not_expression()};
    left = e;
  }
  return left;
}

ExprPtr Parser::not_expression() {
  if (is("not")) {
    auto e = make(ExprKind::NOT, next().location);
    e->args = {not_expression()};
    return e;
  }
  return predicate();
}

ExprPtr Parser::predicate() {
  auto value = value_expression();
  while (true) {
    Location loc = peek().location;
    static const std::set<std::string> comparisons = {"=", "<>", "!=", "<", "<=", ">", ">="};
    if (peek().type == TokenType::OPERATOR && comparisons.count(peek().text)) {
      std::string op = next().text;
      if (op == "!=") op = "<>";
      auto e = make(ExprKind::BINARY, loc);
      e->op = op;
      e->args = {value, value_expression()};
      value = e;
      continue;
    }
    if (accept("is")) {
      bool negated = accept("not");
      if (accept("null")) {
        auto e = make(ExprKind::IS_NULL, loc);
        e->negated = negated;
        e->args = {value};
        value = e;
        continue;
      }
      if (accept("distinct")) {
        expect("from");
        auto e = make(ExprKind::IS_DISTINCT_FROM, loc);
        e->negated = negated;
        e->args = {value, value_expression()};
        value = e;
        continue;
      }
      if (is("true") || is("false")) {
        // x IS [NOT] TRUE/FALSE -> (x IS NOT DISTINCT FROM true)
        auto lit = make(ExprKind::LITERAL, peek().location);
        lit->literal_kind = LiteralKind::BOOLEAN;
        lit->text = next().text;
        auto e = make(ExprKind::IS_DISTINCT_FROM, loc);
        e->negated = !negated;
        e->args = {value, lit};
        value = e;
        continue;
      }
      fail_expecting("NULL, DISTINCT, TRUE, FALSE");
    }
    bool negated = false;
    if (is("not") && (is("between", 1) || is("in", 1) || is("like", 1))) {
      next();
      negated = true;
    }
    if (accept("between")) {
      auto e = make(ExprKind::BETWEEN, loc);
      e->negated = negated;
      auto low = value_expression();
      expect("and");
      auto high = value_expression();
      e->args = {value, low, high};
      value = e;
      continue;
    }
    if (accept("in")) {
      expect("(");
      if (is("select") || is("with") || is("values")) {
        auto e = make(ExprKind::IN_SUBQUERY, loc);
        e->negated = negated;
        e->args = {value};
        e->subquery = query();
        expect(")");
        value = e;
        continue;
      }
      auto e = make(ExprKind::IN_LIST, loc);
      e->negated = negated;
      e->args.push_back(value);
      do e->args.push_back(expression()); while (accept(","));
      expect(")");
      value = e;
      continue;
    }
    if (accept("like")) {
      auto e = make(ExprKind::LIKE, loc);
      e->negated = negated;
      e->args = {value, value_expression()};
      if (accept("escape")) e->args.push_back(value_expression());
      value = e;
      continue;
    }
    if (negated) fail_expecting("BETWEEN, IN, LIKE");
    return value;
  }
}

ExprPtr Parser::value_expression() {
  auto left = additive();
  while (is("||")) {
    auto e = make(ExprKind::BINARY, next().location);
    e->op = "||";
    e->args = {left, additive()};
    left = e;
  }
  return left;
}

ExprPtr Parser::additive() {
  auto left = multiplicative();
  while (is("+") || is("-")) {
    auto e = make(ExprKind::BINARY, peek().location);
    e->op = next().text;
    e->args = {left, multiplicative()};
    left = e;
  }
  return left;
}

ExprPtr Parser::multiplicative() {
  auto left = unary();
  while (is("*") || is("/") || is("%")) {
    auto e = make(ExprKind::BINARY, peek().location);
    e->op = next().text;
    e->args = {left, unary()};
    left = e;
  }
  return left;
}

ExprPtr Parser::unary() {
  if (is("-")) {
    Location loc = next().location;
    auto operand = unary();
    if (operand->kind == ExprKind::LITERAL &&
        (operand->literal_kind == LiteralKind::INTEGER || operand->literal_kind == LiteralKind::DECIMAL ||
         operand->literal_kind == LiteralKind::DOUBLE) &&
        operand->text[0] != '-') {
      operand->text = "-" + operand->text;
      operand->location = loc;
      return operand;
    }
    if (operand->kind == ExprKind::LITERAL && operand->literal_kind == LiteralKind::INTERVAL) {
      operand->interval_negative = !operand->interval_negative;
      return operand;
    }
    auto e = make(ExprKind::UNARY_MINUS, loc);
    e->args = {operand};
    return e;
  }
  if (accept("+")) return unary();
  return postfix(primary());
}

ExprPtr Parser::postfix(ExprPtr e) {
  while (is("at") && is("time", 1)) {
    // AT TIME ZONE 'UTC': timestamps carry no zone here; accepted for UTC only.
    next();
    next();
    expect("zone");
    value_expression();
  }
  return e;
}

ExprPtr Parser::literal(LiteralKind kind, const Token& t) {
  auto e = make(ExprKind::LITERAL, t.location);
  e->literal_kind = kind;
  e->text = t.text;
  return e;
}

bool Parser::is_interval_unit(const std::string& w) {
  static const std::set<std::string> units = {"year", "month", "day", "hour", "minute", "second",
                                              "years", "months", "days", "hours", "minutes", "seconds", "week", "weeks"};
  return units.count(w) > 0;
}

ExprPtr Parser::primary() {
  const Token& t = peek();
  Location loc = t.location;
  switch (t.type) {
    case TokenType::INTEGER: return literal(LiteralKind::INTEGER, next());
    case TokenType::DECIMAL: return literal(LiteralKind::DECIMAL, next());
    case TokenType::DOUBLE: return literal(LiteralKind::DOUBLE, next());
    case TokenType::STRING: return literal(LiteralKind::STRING, next());
    case TokenType::PARAMETER: {
      next();
      auto e = make(ExprKind::PARAMETER, loc);
      e->parameter_index = parameter_count_++;
      return e;
    }
    case TokenType::OPERATOR:
      if (t.text == "(") {
        next();
        if (is("select") || is("with") || is("values")) {
          auto e = make(ExprKind::SCALAR_SUBQUERY, loc);
          e->subquery = query();
          expect(")");
          return e;
        }
        auto first = expression();
        if (accept(",")) {
          auto row = make(ExprKind::ROW, loc);
          row->args.push_back(first);
          do row->args.push_back(expression()); while (accept(","));
          expect(")");
          return row;
        }
        expect(")");
        return first;
      }
      fail_expecting("expression");
    case TokenType::QUOTED_IDENTIFIER: return identifier_or_call();
    case TokenType::END: fail_expecting("expression");
    case TokenType::IDENTIFIER: break;
  }
  const std::string& w = t.text;
  if (w == "null") {
    next();
    return make(ExprKind::LITERAL, loc);
  }
  if (w == "true" || w == "false") return literal(LiteralKind::BOOLEAN, next());
  if ((w == "date" || w == "timestamp" || w == "decimal" || w == "time" || w == "real" || w == "double" ||
       w == "bigint" || w == "integer" || w == "varchar" || w == "boolean" || w == "char" || w == "tinyint" ||
       w == "smallint") &&
      peek(1).type == TokenType::STRING) {
    std::string type = next().text;
    auto e = literal(LiteralKind::TYPED, next());
    e->type_name = type;
    e->location = loc;
    return e;
  }
  if (w == "interval" && (peek(1).type == TokenType::STRING || is("-", 1) || is("+", 1))) {
    next();
    bool negative = false;
    if (accept("-")) negative = true;
    else accept("+");
    if (peek().type != TokenType::STRING) fail_expecting("string");
    auto e = literal(LiteralKind::INTERVAL, next());
    e->location = loc;
    e->interval_negative = negative;
    if (!is_interval_unit(peek().text)) fail_expecting("YEAR, MONTH, DAY, HOUR, MINUTE, SECOND");
    e->type_name = next().text;
    if (accept("to")) {
      if (!is_interval_unit(peek().text)) fail_expecting("YEAR, MONTH, DAY, HOUR, MINUTE, SECOND");
      e->interval_end_unit = next().text;
    }
    return e;
  }
  if (w == "case") {
    next();
    auto e = make(ExprKind::CASE, loc);
    if (!is("when")) e->operand = expression();
    if (!is("when")) fail_expecting("WHEN");
    while (accept("when")) {
      auto cond = expression();
      expect("then");
      e->whens.push_back({cond, expression()});
    }
    if (accept("else")) e->else_result = expression();
    expect("end");
    return e;
  }
  if (w == "cast" || (w == "try_cast" && is("(", 1))) {
    bool try_cast = next().text == "try_cast";
    expect("(");
    auto e = make(ExprKind::CAST, loc);
    e->try_cast = try_cast;
    e->args = {expression()};
    expect("as");
    e->type_name = type_name();
    expect(")");
    return e;
  }
  if (w == "extract" && is("(", 1)) {
    next();
    expect("(");
    auto e = make(ExprKind::EXTRACT, loc);
    e->text = identifier("field");
    expect("from");
    e->args = {expression()};
    expect(")");
    return e;
  }
  if (w == "exists" && is("(", 1)) {
    next();
    expect("(");
    auto e = make(ExprKind::EXISTS, loc);
    e->subquery = query();
    expect(")");
    return e;
  }
  if (w == "array" && is("[", 1)) {
    next();
    next();
    auto e = make(ExprKind::ARRAY, loc);
    if (!is("]")) {
      do e->args.push_back(expression()); while (accept(","));
    }
    expect("]");
    return e;
  }
  if ((w == "current_date" || w == "current_timestamp" || w == "localtimestamp" || w == "current_time" ||
       w == "localtime") &&
      !is("(", 1)) {
    next();
    auto e = make(ExprKind::FUNCTION_CALL, loc);
    e->name = {w};
    return e;
  }
  if (w == "row" && is("(", 1)) {
    next();
    next();
    auto row = make(ExprKind::ROW, loc);
    do row->args.push_back(expression()); while (accept(","));
    expect(")");
    return row;
  }
  if (w == "position" && is("(", 1)) {
    // position(needle IN haystack) -> strpos(haystack, needle)
    size_t save = pos_;
    next();
    next();
    auto needle = value_expression();
    if (accept("in")) {
      auto haystack = value_expression();
      expect(")");
      auto e = make(ExprKind::FUNCTION_CALL, loc);
      e->name = {"strpos"};
      e->args = {haystack, needle};
      return e;
    }
    pos_ = save;
  }
  if ((w == "substring" || w == "substr") && is("(", 1)) {
    size_t save = pos_;
    next();
    next();
    auto value = expression();
    if (accept("from")) {
      auto e = make(ExprKind::FUNCTION_CALL, loc);
      e->name = {"substr"};
      e->args = {value, expression()};
      if (accept("for")) e->args.push_back(expression());
      expect(")");
      return e;
    }
    pos_ = save;
  }
  if (w == "trim" && is("(", 1) && (is("both", 2) || is("leading", 2) || is("trailing", 2))) {
    next();
    next();
    std::string mode = next().text;
    ExprPtr chars;
    if (!is("from")) chars = value_expression();
    expect("from");
    auto value = expression();
    expect(")");
    auto e = make(ExprKind::FUNCTION_CALL, loc);
    e->name = {mode == "both" ? "trim" : mode == "leading" ? "ltrim" : "rtrim"};
    e->args = {value};
    if (chars) e->args.push_back(chars);
    return e;
  }
  if (reserved_words().count(w) && !(w == "left" || w == "right") ) fail_expecting("expression");
  return identifier_or_call();
}

std::string Parser::type_name() {
  std::string name = identifier("type");
  if (name == "double" && accept("precision")) return "double";
  if (name == "interval") {
    std::string from = next().text;
    expect("to");
    std::string to = next().text;
    return "interval" + from + "to" + to;
  }
  if (name == "timestamp" || name == "time") {
    std::string out = name;
    if (accept("(")) {
      out += "(" + next().text + ")";
      expect(")");
    }
    if (accept("with")) {
      expect("time");
      expect("zone");
    } else if (is("without")) {
      next();
      expect("time");
      expect("zone");
    }
    return out;
  }
  if (accept("(")) {
    name += "(";
    bool first = true;
    do {
      if (!first) name += ",";
      first = false;
      if (peek().type != TokenType::INTEGER) fail_expecting("integer");
      name += next().text;
    } while (accept(","));
    expect(")");
    name += ")";
  }
  return name;
}

ExprPtr Parser::identifier_or_call() {
  Location loc = peek().location;
  std::vector<std::string> parts;
  parts.push_back(next().text);
  while (is(".") && (peek(1).type == TokenType::IDENTIFIER || peek(1).type == TokenType::QUOTED_IDENTIFIER)) {
    next();
    parts.push_back(next().text);
  }
  if (is("(")) {
    next();
    auto e = make(ExprKind::FUNCTION_CALL, loc);
    e->name = parts;
    if (accept("*")) {
      e->count_star = true;
    } else if (!is(")")) {
      if (accept("distinct")) {
        e->distinct = true;
      } else {
        accept("all");
      }
      do e->args.push_back(expression()); while (accept(","));
      if (is("order")) {  // ordered aggregate arguments: accepted, ignored ordering
        next();
        expect("by");
        order_items();
      }
    }
    expect(")");
    if (is("ignore") && is("nulls", 1)) {
      next();
      next();
      e->ignore_nulls = true;
    } else if (is("respect") && is("nulls", 1)) {
      next();
      next();
    }
    if (accept("filter")) {
      expect("(");
      expect("where");
      e->filter = expression();
      expect(")");
    }
    if (accept("over")) {
      e->window = window_spec();
    }
    return e;
  }
  auto e = make(ExprKind::IDENTIFIER, loc);
  e->name = parts;
  return e;
}

WindowFrameBound Parser::frame_bound() {
  WindowFrameBound bound;
  if (accept("unbounded")) {
    if (accept("preceding")) {
      bound.kind = WindowFrameBound::UNBOUNDED_PRECEDING;
    } else {
      expect("following");
      bound.kind = WindowFrameBound::UNBOUNDED_FOLLOWING;
    }
    return bound;
  }
  if (accept("current")) {
    expect("row");
    bound.kind = WindowFrameBound::CURRENT_ROW;
    return bound;
  }
  bound.offset = value_expression();
  if (accept("preceding")) {
    bound.kind = WindowFrameBound::PRECEDING;
  } else {
    expect("following");
    bound.kind = WindowFrameBound::FOLLOWING;
  }
  return bound;
}

std::shared_ptr<WindowSpec> Parser::window_spec() {
  auto w = std::make_shared<WindowSpec>();
  expect("(");
  if (accept("partition")) {
    expect("by");
    do w->partition_by.push_back(expression()); while (accept(","));
  }
  if (accept("order")) {
    expect("by");
    w->order_by = order_items();
  }
  if (is("rows") || is("range") || is("groups")) {
    std::string unit = next().text;
    if (unit == "groups") fail_expecting("ROWS, RANGE");
    w->has_frame = true;
    w->rows = unit == "rows";
    if (accept("between")) {
      w->start = frame_bound();
      expect("and");
      w->end = frame_bound();
    } else {
      w->start = frame_bound();
      w->end.kind = WindowFrameBound::CURRENT_ROW;
    }
  }
  expect(")");
  return w;
}

}  // namespace tributary::sql
