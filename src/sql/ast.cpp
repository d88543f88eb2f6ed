#include "sql/ast.h"

namespace tributary::sql {

static std::string join_name(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); i++) {
    if (i) out += ".";
    out += parts[i];
  }
  return out;
}

std::string expr_to_string(const Expr& e) {
  auto arg = [&](size_t i) { return i < e.args.size() && e.args[i] ? expr_to_string(*e.args[i]) : std::string("?"); };
  switch (e.kind) {
    case ExprKind::LITERAL:
      switch (e.literal_kind) {
        case LiteralKind::NULL_: return "null";
        case LiteralKind::STRING: return "'" + e.text + "'";
        case LiteralKind::TYPED: return e.type_name + " '" + e.text + "'";
        case LiteralKind::INTERVAL:
          return std::string("INTERVAL ") + (e.interval_negative ? "-" : "") + "'" + e.text + "' " + e.type_name;
        default: return e.text;
      }
    case ExprKind::IDENTIFIER: return join_name(e.name);
    case ExprKind::STAR: return e.name.empty() ? "*" : join_name(e.name) + ".*";
    case ExprKind::FUNCTION_CALL: {
      std::string out = join_name(e.name) + "(";
      if (e.count_star) out += "*";
      if (e.distinct) out += "DISTINCT ";
      for (size_t i = 0; i < e.args.size(); i++) {
        if (i) out += ", ";
        out += arg(i);
      }
      out += ")";
      return out;
    }
    case ExprKind::BINARY: return "(" + arg(0) + " " + e.op + " " + arg(1) + ")";
    case ExprKind::UNARY_MINUS: return "-" + arg(0);
    case ExprKind::AND: return "(" + arg(0) + " AND " + arg(1) + ")";
    case ExprKind::OR: return "(" + arg(0) + " OR " + arg(1) + ")";
    case ExprKind::NOT: return "(NOT " + arg(0) + ")";
    case ExprKind::IS_NULL: return "(" + arg(0) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::IS_DISTINCT_FROM:
      return "(" + arg(0) + (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") + arg(1) + ")";
    case ExprKind::BETWEEN:
      return "(" + arg(0) + (e.negated ? " NOT BETWEEN " : " BETWEEN ") + arg(1) + " AND " + arg(2) + ")";
    case ExprKind::IN_LIST: {
      std::string out = "(" + arg(0) + (e.negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < e.args.size(); i++) {
        if (i > 1) out += ", ";
        out += arg(i);
      }
      return out + "))";
    }
    case ExprKind::IN_SUBQUERY: return "(" + arg(0) + (e.negated ? " NOT IN (<subquery>))" : " IN (<subquery>))");
    case ExprKind::EXISTS: return "EXISTS (<subquery>)";
    case ExprKind::SCALAR_SUBQUERY: return "(<subquery>)";
    case ExprKind::LIKE: return "(" + arg(0) + (e.negated ? " NOT LIKE " : " LIKE ") + arg(1) + ")";
    case ExprKind::CASE: return "CASE ... END";
    case ExprKind::CAST: return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + arg(0) + " AS " + e.type_name + ")";
    case ExprKind::EXTRACT: return "EXTRACT(" + e.text + " FROM " + arg(0) + ")";
    case ExprKind::PARAMETER: return "?";
    case ExprKind::ROW:
    case ExprKind::ARRAY: {
      std::string out = e.kind == ExprKind::ROW ? "ROW(" : "ARRAY[";
      for (size_t i = 0; i < e.args.size(); i++) {
        if (i) out += ", ";
        out += arg(i);
      }
      return out + (e.kind == ExprKind::ROW ? ")" : "]");
    }
  }
  return "?";
}

}  // namespace tributary::sql
