#include "planner/bound_expr.h"

#include <algorithm>

#include "planner/plan.h"

namespace tributary::planner {

bool BoundExpr::deterministic() const {
  if (kind == BoundKind::CALL && function && !function->deterministic) return false;
  if (kind == BoundKind::SUBQUERY || kind == BoundKind::OUTER_REF) return false;
  for (const auto& a : args)
    if (!a->deterministic()) return false;
  return true;
}

BExprPtr make_constant(const Value& value) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundKind::CONSTANT;
  e->type = value.type;
  e->value = value;
  return e;
}

BExprPtr make_column(int symbol, const Type& type, const std::string& name) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundKind::COLUMN;
  e->type = type;
  e->symbol = symbol;
  e->name = name;
  return e;
}

BExprPtr make_and(std::vector<BExprPtr> conjuncts) {
  if (conjuncts.empty()) return make_constant(Value::boolean(true));
  BExprPtr result = conjuncts[0];
  for (size_t i = 1; i < conjuncts.size(); i++) {
    auto e = std::make_shared<BoundExpr>();
    e->kind = BoundKind::AND;
    e->type = Type::boolean();
    e->args = {result, conjuncts[i]};
    result = e;
  }
  return result;
}

std::vector<BExprPtr> split_conjuncts(const BExprPtr& expr) {
  std::vector<BExprPtr> out;
  if (!expr) return out;
  if (expr->kind == BoundKind::AND) {
    for (const auto& a : expr->args) {
      auto inner = split_conjuncts(a);
      out.insert(out.end(), inner.begin(), inner.end());
    }
    return out;
  }
  if (expr->kind == BoundKind::CONSTANT && !expr->value.is_null && expr->value.b) return out;
  out.push_back(expr);
  return out;
}

bool expr_equals(const BoundExpr& a, const BoundExpr& b) {
  if (a.kind != b.kind || a.type != b.type || a.args.size() != b.args.size()) return false;
  switch (a.kind) {
    case BoundKind::CONSTANT:
      if (a.value.is_null != b.value.is_null) return false;
      if (!a.value.is_null && a.value.compare(b.value) != 0) return false;
      break;
    case BoundKind::COLUMN:
    case BoundKind::OUTER_REF:
      if (a.symbol != b.symbol) return false;
      break;
    case BoundKind::CALL:
      if (a.name != b.name) return false;
      if (a.function && !a.function->deterministic) return false;
      break;
    case BoundKind::SUBQUERY:
      if (a.subquery != b.subquery) return false;
      break;
    default:
      break;
  }
  if (a.try_cast != b.try_cast || a.negated != b.negated || a.has_else != b.has_else) return false;
  for (size_t i = 0; i < a.args.size(); i++)
    if (!expr_equals(*a.args[i], *b.args[i])) return false;
  return true;
}

void collect_symbols(const BoundExpr& expr, std::vector<int>& out) {
  if (expr.kind == BoundKind::COLUMN) out.push_back(expr.symbol);
  for (const auto& a : expr.args) collect_symbols(*a, out);
}

bool references_only(const BoundExpr& expr, const std::vector<int>& symbols) {
  std::vector<int> used;
  collect_symbols(expr, used);
  for (int s : used)
    if (std::find(symbols.begin(), symbols.end(), s) == symbols.end()) return false;
  return true;
}

bool contains_subquery(const BoundExpr& expr) {
  if (expr.kind == BoundKind::SUBQUERY) return true;
  for (const auto& a : expr.args)
    if (contains_subquery(*a)) return true;
  return false;
}

BExprPtr substitute(const BExprPtr& expr, const std::vector<std::pair<int, BExprPtr>>& mapping) {
  if (expr->kind == BoundKind::COLUMN) {
    for (const auto& [symbol, replacement] : mapping)
      if (symbol == expr->symbol) return replacement;
    return expr;
  }
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<BoundExpr>(*expr);
  for (auto& a : copy->args) a = substitute(a, mapping);
  return copy;
}

std::string expr_display(const BoundExpr& e) {
  auto arg = [&](size_t i) { return expr_display(*e.args[i]); };
  switch (e.kind) {
    case BoundKind::CONSTANT:
      if (e.value.is_null) return "NULL";
      if (e.type.id == TypeId::VARCHAR) return "'" + e.value.to_string() + "'";
      if (e.type.id == TypeId::DATE) return "DATE '" + e.value.to_string() + "'";
      return e.value.to_string();
    case BoundKind::COLUMN: return e.name.empty() ? "$" + std::to_string(e.symbol) : e.name;
    case BoundKind::OUTER_REF: return "outer(" + e.name + ")";
    case BoundKind::CALL: {
      static const std::vector<std::pair<std::string, std::string>> ops = {
          {"$add", "+"}, {"$subtract", "-"}, {"$multiply", "*"}, {"$divide", "/"}, {"$modulus", "%"},
          {"$eq", "="},  {"$ne", "<>"},      {"$lt", "<"},        {"$le", "<="},     {"$gt", ">"},
          {"$ge", ">="}, {"$concat", "||"},  {"$like", "LIKE"}};
      for (const auto& [name, op] : ops)
        if (e.name == name && e.args.size() >= 2) return "(" + arg(0) + " " + op + " " + arg(1) + ")";
      if (e.name == "$negate") return "-" + arg(0);
      std::string out = e.name + "(";
      for (size_t i = 0; i < e.args.size(); i++) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case BoundKind::CAST:
      return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + arg(0) + " AS " + e.type.to_string() + ")";
    case BoundKind::AND: return "(" + arg(0) + " AND " + arg(1) + ")";
    case BoundKind::OR: return "(" + arg(0) + " OR " + arg(1) + ")";
    case BoundKind::NOT: return "(NOT " + arg(0) + ")";
    case BoundKind::IS_NULL: return "(" + arg(0) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundKind::IS_DISTINCT:
      return "(" + arg(0) + (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") + arg(1) + ")";
    case BoundKind::CASE: {
      std::string out = "CASE";
      size_t pairs = (e.args.size() - (e.has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; i++) out += " WHEN " + arg(2 * i) + " THEN " + arg(2 * i + 1);
      if (e.has_else) out += " ELSE " + arg(e.args.size() - 1);
      return out + " END";
    }
    case BoundKind::COALESCE: {
      std::string out = "coalesce(";
      for (size_t i = 0; i < e.args.size(); i++) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case BoundKind::IN_LIST: {
      std::string out = "(" + arg(0) + " IN (";
      for (size_t i = 1; i < e.args.size(); i++) out += (i > 1 ? ", " : "") + arg(i);
      return out + "))";
    }
    case BoundKind::TRY: return "try(" + arg(0) + ")";
    case BoundKind::SUBQUERY: {
      const char* kinds[] = {"scalar", "exists", "in"};
      std::string out = std::string(kinds[e.subquery->kind]) + "(subquery";
      if (!e.subquery->outer_symbols.empty()) out += ", correlated";
      return out + ")";
    }
  }
  return "?";
}

}  // namespace tributary::planner
