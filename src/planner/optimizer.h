// Rule-based optimizer over the logical plan: constant folding happens in the
// binder; here predicates move down (through projections, into join sides and
// scans as tuple domains the connector may enforce), join conditions split into
// hash keys and a residual, unused columns are pruned, limits become top-N and
// scan hints, and inner joins put the smaller estimated input on the build side.
#pragma once
#include "planner/plan.h"

namespace tributary::planner {

// Rewrites `plan` in place (and returns the new root). Calls Connector::apply_pushdown.
PlanPtr optimize(PlanPtr plan, FunctionContext& function_context);

}  // namespace tributary::planner
