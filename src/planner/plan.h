// The logical/physical plan tree. The binder builds it, the optimizer rewrites
// it, and exec/ turns each node into an operator. A node's `columns` are its
// output layout: chunk column i carries columns[i].symbol.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "planner/bound_expr.h"

namespace tributary::planner {

struct PlanColumn {
  int symbol;
  std::string name;
  Type type;
};

enum class PlanKind { SCAN, FILTER, PROJECT, AGGREGATE, JOIN, SORT, LIMIT, SET_OPERATION, VALUES, WINDOW };

enum class JoinKind { INNER, LEFT, RIGHT, FULL, CROSS, SEMI, ANTI };

struct AggregateCall {
  std::shared_ptr<const BoundAggregate> function;
  std::vector<BExprPtr> args;  // COLUMN refs into the child
  bool distinct = false;
  BExprPtr filter;             // COLUMN ref (boolean) or null
  int output_symbol = -1;
};

struct SortKey {
  BExprPtr expr;  // COLUMN ref into the child
  bool ascending = true;
  bool nulls_first = false;
};

struct FrameSpec {
  bool rows = true;
  // Offsets: INT64_MIN = unbounded preceding, INT64_MAX = unbounded following, 0 = current row.
  int64_t start = INT64_MIN;
  int64_t end = 0;
  bool range_default = true;  // RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers included)
};

struct WindowCall {
  std::string function;  // row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead,
                         // first_value, last_value, nth_value, or "aggregate"
  std::shared_ptr<const BoundAggregate> aggregate;
  std::vector<BExprPtr> args;
  FrameSpec frame;
  int output_symbol = -1;
  Type type;
  bool ignore_nulls = false;
};

struct OperatorStats;

// A runtime filter from a hash join's build side to a scan on its probe side: once the
// build side is complete, its distinct key values (if few) narrow the scan's constraint
// so the source returns only rows that can match (DynamoDB BatchGetItem, SQL IN lists).
struct DynamicFilter {
  int id = 0;
  size_t key_index = 0;        // which equi key of the join
  int scan_column = -1;        // table column index in the target scan
  Type column_type;            // the scan column's type
  bool through_varchar_cast = false;  // probe key is CAST(column AS varchar): values are parsed back
  size_t max_values = 10000;
  // Published once by the join (guarded by mutex).
  std::mutex mutex;
  bool ready = false;
  bool usable = false;         // false: too many values (no filtering)
  std::vector<Value> values;   // distinct non-null build keys, in the scan column's type
};

struct PlanNode {
  PlanKind kind;
  std::vector<std::shared_ptr<PlanNode>> children;
  std::vector<PlanColumn> columns;
  double estimated_rows = -1;

  // SCAN
  std::string catalog;
  std::shared_ptr<Connector> connector;
  TableMetadata table;
  std::vector<int> scan_columns;  // table column index per output column
  ScanRequest request;            // filled by the optimizer (columns = scan_columns)
  PushdownResult pushdown;
  std::vector<BExprPtr> pushed_conjuncts;  // the engine conjuncts behind request.expressions

  // FILTER
  BExprPtr predicate;
  // PROJECT
  std::vector<BExprPtr> exprs;
  // AGGREGATE: columns = group keys then aggregates
  std::vector<BExprPtr> group_keys;
  std::vector<AggregateCall> aggregates;
  // JOIN: columns = left columns then right columns (SEMI/ANTI: left only)
  JoinKind join_kind = JoinKind::INNER;
  BExprPtr join_condition;  // as written (before the optimizer splits it)
  std::vector<std::pair<BExprPtr, BExprPtr>> equi_keys;  // left expr, right expr (COLUMN refs)
  BExprPtr residual;
  bool null_aware = false;  // NOT IN semantics for ANTI
  // SORT (with optional limit = top-N) and LIMIT
  std::vector<SortKey> sort_keys;
  int64_t limit = -1;
  int64_t offset = 0;
  // SET_OPERATION: children map positionally onto columns
  enum SetOp { UNION, INTERSECT, EXCEPT } set_op = UNION;
  bool set_all = false;
  // VALUES
  std::vector<std::vector<Value>> rows;
  // WINDOW: columns = child columns then one per call
  std::vector<BExprPtr> partition_keys;
  std::vector<SortKey> window_order;
  std::vector<WindowCall> window_calls;

  // Dynamic filters this JOIN publishes / this SCAN consumes.
  std::vector<std::shared_ptr<DynamicFilter>> dynamic_filters;

  // filled during execution (EXPLAIN ANALYZE)
  std::shared_ptr<OperatorStats> stats;
};

using PlanPtr = std::shared_ptr<PlanNode>;

// Index of `symbol` in node.columns, or -1.
int column_position(const PlanNode& node, int symbol);

// Text rendering (EXPLAIN); with stats when `analyze`.
std::string plan_to_string(const PlanNode& node, bool analyze);

}  // namespace tributary::planner
