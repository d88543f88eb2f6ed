// Optimizer passes that hand whole subtrees to connectors: joins of two tables of
// one catalog (Connector::apply_join), aggregations over one table
// (Connector::apply_aggregation), and dynamic filters from hash-join build sides
// to probe-side scans. Called by optimize() after scan constraints are settled.
#pragma once
#include "planner/plan.h"

namespace tributary::planner {

PlanPtr push_joins_into_sources(PlanPtr node);
PlanPtr push_aggregations_into_sources(PlanPtr node);
void plan_dynamic_filters(const PlanPtr& node);

}  // namespace tributary::planner
