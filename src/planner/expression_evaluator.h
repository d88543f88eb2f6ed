// Vectorized evaluation of bound expressions over a chunk, plus constant folding.
// Kernels run once per chunk; CASE/COALESCE evaluate branches only on the rows
// that reach them (so a guarded division by zero does not fail).
#pragma once
#include <functional>
#include <vector>

#include "planner/plan.h"
#include "vector/vector.h"

namespace tributary::planner {

struct EvalContext {
  FunctionContext* function_context = nullptr;
  // Runs a subquery plan (outer references already replaced by constants) and
  // returns its rows. Set by the executor; folding runs without it.
  std::function<std::vector<Chunk>(const PlanPtr& plan)> run_subquery;
};

// Evaluates `expr` for every row of `input` (COLUMN refs must have `index` resolved).
// Throws Error for value errors (division by zero, bad cast).
Vector evaluate(const BoundExpr& expr, const Chunk& input, EvalContext& context);

// Evaluates a predicate and returns the positions of rows where it is TRUE.
std::vector<uint32_t> evaluate_filter(const BoundExpr& predicate, const Chunk& input, EvalContext& context);

// Replaces a deterministic expression whose arguments are all constants by its value.
// Errors are not thrown: the expression is then left as is (it may never run).
BExprPtr fold_constant(const BExprPtr& expr, FunctionContext& function_context);

// Sets `index` of every COLUMN in expr from the symbol layout; throws INTERNAL_ERROR if missing.
void resolve_columns(BoundExpr& expr, const std::vector<int>& layout);

// Copy of `plan` where OUTER_REF symbols are replaced by constants.
PlanPtr bind_outer_values(const PlanPtr& plan, const std::vector<std::pair<int, Value>>& values);

}  // namespace tributary::planner
