// Bound (resolved, typed) expressions: the planner's output and the executor's input.
// Columns are referenced by symbol (a query-wide unique id); before execution
// each operator resolves symbols to positions in its input chunk (`index`).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "function/function.h"

namespace tributary::planner {

struct PlanNode;
struct BoundExpr;
using BExprPtr = std::shared_ptr<BoundExpr>;

enum class BoundKind {
  CONSTANT,
  COLUMN,
  OUTER_REF,   // a column of an enclosing query (correlated subquery); replaced by a constant per outer row
  CALL,
  CAST,
  AND,
  OR,
  NOT,
  IS_NULL,     // negated: IS NOT NULL
  IS_DISTINCT, // negated: IS NOT DISTINCT FROM
  CASE,        // args: cond1, result1, cond2, result2, ..., [else]; has_else
  COALESCE,
  IN_LIST,     // args[0] value, args[1..] list (same type)
  SUBQUERY,
  TRY,         // try(x): value errors in x become NULL
};

struct SubqueryInfo {
  enum Kind { SCALAR, EXISTS, IN } kind = SCALAR;
  std::shared_ptr<PlanNode> plan;
  std::vector<int> outer_symbols;  // OUTER_REF symbols inside `plan`, bound per outer row
  // Runtime cache (uncorrelated: computed once; correlated: per outer key), guarded by mutex.
  std::mutex mutex;
  bool computed = false;
  Value scalar;                 // SCALAR result
  bool exists = false;          // EXISTS result
  std::vector<Value> in_values; // IN: distinct non-null values
  bool in_has_null = false;
  std::vector<std::pair<std::vector<Value>, std::shared_ptr<SubqueryInfo>>> correlated_cache;
};

struct BoundExpr {
  BoundKind kind = BoundKind::CONSTANT;
  Type type;
  Value value;                          // CONSTANT
  int symbol = -1;                      // COLUMN / OUTER_REF
  int index = -1;                       // COLUMN: position in the input chunk (resolved late)
  std::string name;                     // COLUMN: display name; CALL: function name
  std::shared_ptr<const BoundFunction> function;  // CALL
  std::vector<BExprPtr> args;
  bool try_cast = false;
  bool negated = false;
  bool has_else = false;
  std::shared_ptr<SubqueryInfo> subquery;  // SUBQUERY (args[0] = IN's value)

  bool is_constant() const { return kind == BoundKind::CONSTANT; }
  bool deterministic() const;
};

BExprPtr make_constant(const Value& value);
BExprPtr make_column(int symbol, const Type& type, const std::string& name);
BExprPtr make_and(std::vector<BExprPtr> conjuncts);  // TRUE constant if empty
std::vector<BExprPtr> split_conjuncts(const BExprPtr& expr);

// Structural equality (same symbols, functions, constants).
bool expr_equals(const BoundExpr& a, const BoundExpr& b);
// All COLUMN symbols referenced (not descending into subquery plans).
void collect_symbols(const BoundExpr& expr, std::vector<int>& out);
bool references_only(const BoundExpr& expr, const std::vector<int>& symbols);
bool contains_subquery(const BoundExpr& expr);
// Copy of `expr` with COLUMN symbols replaced by the mapped expressions.
BExprPtr substitute(const BExprPtr& expr, const std::vector<std::pair<int, BExprPtr>>& mapping);
// Human-readable text for EXPLAIN.
std::string expr_display(const BoundExpr& expr);

}  // namespace tributary::planner
