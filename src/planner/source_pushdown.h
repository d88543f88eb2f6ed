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

// The scan that produces `symbol` below `node` (through filters, pass-through projections
// and non-null-extended join sides), with its table column in *column; nullptr if none.
PlanNode* find_source_scan(PlanNode* node, int symbol, int* column);

}  // namespace tributary::planner
