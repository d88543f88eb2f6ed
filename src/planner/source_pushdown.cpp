#include "planner/source_pushdown.h"

#include <algorithm>
#include <atomic>

#include "common/error.h"

namespace tributary::planner {

namespace {

bool is_plain_scan_input(const PlanNode& scan) {
  // Nothing left for the engine to re-check: the constraint is absent or enforced.
  if (scan.kind != PlanKind::SCAN) return false;
  for (size_t i = 0; i < scan.request.expressions.size(); i++)
    if (i >= scan.pushdown.expressions_enforced.size() || !scan.pushdown.expressions_enforced[i]) return false;
  return (scan.request.constraint.is_all() || scan.pushdown.constraint_enforced) && !scan.request.limit &&
         scan.request.order.empty();
}

// The scan column index behind `expr` (a COLUMN of `scan`), or -1.
int scan_column_of(const PlanNode& scan, const BExprPtr& expr) {
  if (!expr || expr->kind != BoundKind::COLUMN) return -1;
  int position = column_position(scan, expr->symbol);
  return position < 0 ? -1 : scan.scan_columns[position];
}

PlanPtr make_pushed_scan(const PlanNode& like, const TableMetadata& table, const std::vector<PlanColumn>& columns,
                         double estimated_rows, const std::string& what) {
  auto scan = std::make_shared<PlanNode>();
  scan->kind = PlanKind::SCAN;
  scan->catalog = like.catalog;
  scan->connector = like.connector;
  scan->table = table;
  scan->columns = columns;
  for (size_t i = 0; i < columns.size(); i++) scan->scan_columns.push_back((int)i);
  scan->request.columns = scan->scan_columns;
  scan->pushdown = scan->connector->apply_pushdown(scan->table, scan->request);
  scan->pushdown.constraint_enforced = true;
  scan->pushdown.details.insert(scan->pushdown.details.begin(), what);
  scan->estimated_rows = estimated_rows;
  return scan;
}

}  // namespace

PlanPtr push_joins_into_sources(PlanPtr node) {
  for (auto& child : node->children) child = push_joins_into_sources(child);
  if (node->kind != PlanKind::JOIN || node->residual || node->equi_keys.empty()) return node;
  const PlanNode& left = *node->children[0];
  const PlanNode& right = *node->children[1];
  if (!is_plain_scan_input(left) || !is_plain_scan_input(right)) return node;
  if (left.connector != right.connector) return node;
  JoinRequest request;
  switch (node->join_kind) {
    case JoinKind::INNER: request.kind = PushedJoinKind::INNER; break;
    case JoinKind::LEFT: request.kind = PushedJoinKind::LEFT; break;
    case JoinKind::RIGHT: request.kind = PushedJoinKind::RIGHT; break;
    case JoinKind::FULL: request.kind = PushedJoinKind::FULL; break;
    default: return node;
  }
  for (const auto& [l, r] : node->equi_keys) {
    int lc = scan_column_of(left, l), rc = scan_column_of(right, r);
    if (lc < 0 || rc < 0) return node;
    request.equi_columns.push_back({lc, rc});
  }
  std::optional<TableMetadata> joined;
  try {
    joined = left.connector->apply_join(left.table, left.request, right.table, right.request, request);
  } catch (const Error&) {
    return node;  // the source can't: the engine joins
  }
  if (!joined) return node;
  return make_pushed_scan(left, *joined, node->columns, node->estimated_rows, "join pushed into the source");
}

PlanPtr push_aggregations_into_sources(PlanPtr node) {
  for (auto& child : node->children) child = push_aggregations_into_sources(child);
  if (node->kind != PlanKind::AGGREGATE) return node;
  PlanPtr input = node->children[0];
  // A projection that only passes scan columns through is transparent.
  std::vector<std::pair<int, BExprPtr>> renames;
  if (input->kind == PlanKind::PROJECT) {
    for (size_t i = 0; i < input->exprs.size(); i++) {
      if (input->exprs[i]->kind != BoundKind::COLUMN) return node;
      renames.push_back({input->columns[i].symbol, input->exprs[i]});
    }
    input = input->children[0];
  }
  if (!is_plain_scan_input(*input)) return node;
  const PlanNode& scan = *input;
  auto column_of = [&](const BExprPtr& e) {
    return scan_column_of(scan, e ? substitute(e, renames) : e);
  };
  AggregationRequest request;
  for (const auto& key : node->group_keys) {
    int c = column_of(key);
    if (c < 0) return node;
    request.group_columns.push_back(c);
  }
  static const std::vector<std::string> supported = {"count", "sum", "min", "max", "avg"};
  for (const auto& a : node->aggregates) {
    if (a.filter || a.args.size() > 1) return node;
    if (std::find(supported.begin(), supported.end(), a.function->name) == supported.end()) return node;
    if (a.distinct && a.function->name != "count") return node;
    AggregateItem item;
    item.function = a.function->name;
    item.distinct = a.distinct;
    item.result_type = a.function->return_type;
    if (!a.args.empty()) {
      item.column = column_of(a.args[0]);
      if (item.column < 0) return node;
    }
    request.aggregates.push_back(item);
  }
  std::optional<TableMetadata> aggregated;
  try {
    aggregated = scan.connector->apply_aggregation(scan.table, scan.request, request);
  } catch (const Error&) {
    return node;
  }
  if (!aggregated) return node;
  return make_pushed_scan(scan, *aggregated, node->columns, node->estimated_rows, "aggregation pushed into the source");
}

// Finds the scan producing `symbol` below `node`, through filters, pass-through projections
// and the non-null-extended sides of joins. Returns the scan and its column, or nullptr.
PlanNode* find_source_scan(PlanNode* node, int symbol, int* column) {
  while (true) {
    switch (node->kind) {
      case PlanKind::SCAN: {
        int position = column_position(*node, symbol);
        if (position < 0) return nullptr;
        *column = node->scan_columns[position];
        return node;
      }
      case PlanKind::FILTER: node = node->children[0].get(); continue;
      case PlanKind::PROJECT: {
        int position = column_position(*node, symbol);
        if (position < 0 || node->exprs[position]->kind != BoundKind::COLUMN) return nullptr;
        symbol = node->exprs[position]->symbol;
        node = node->children[0].get();
        continue;
      }
      case PlanKind::JOIN: {
        bool in_left = column_position(*node->children[0], symbol) >= 0;
        if (in_left && node->join_kind != JoinKind::RIGHT && node->join_kind != JoinKind::FULL) {
          node = node->children[0].get();
          continue;
        }
        if (!in_left && (node->join_kind == JoinKind::INNER || node->join_kind == JoinKind::CROSS)) {
          node = node->children[1].get();
          continue;
        }
        return nullptr;
      }
      default: return nullptr;
    }
  }
}

namespace {
std::atomic<int> next_filter_id{0};
}  // namespace

void plan_dynamic_filters(const PlanPtr& node) {
  for (const auto& child : node->children) plan_dynamic_filters(child);
  if (node->kind != PlanKind::JOIN) return;
  // Probe rows without a match are dropped only for these kinds.
  if (node->join_kind != JoinKind::INNER && node->join_kind != JoinKind::SEMI && node->join_kind != JoinKind::RIGHT)
    return;
  for (size_t k = 0; k < node->equi_keys.size(); k++) {
    BExprPtr probe_key = node->equi_keys[k].first;
    bool through_cast = false;
    if (probe_key->kind == BoundKind::CAST && probe_key->type.id == TypeId::VARCHAR && !probe_key->try_cast &&
        probe_key->args[0]->kind == BoundKind::COLUMN && probe_key->args[0]->type.is_integer()) {
      probe_key = probe_key->args[0];
      through_cast = true;
    } else if (probe_key->kind == BoundKind::CAST && probe_key->type.is_integer() &&
               probe_key->args[0]->kind == BoundKind::COLUMN && probe_key->args[0]->type.is_integer()) {
      // Integer widening (int column joined to a bigint key): values are narrowed back,
      // out-of-range ones dropped (they cannot match).
      probe_key = probe_key->args[0];
    }
    if (probe_key->kind != BoundKind::COLUMN) continue;
    int column = -1;
    PlanNode* scan = find_source_scan(node->children[0].get(), probe_key->symbol, &column);
    if (!scan) continue;
    auto filter = std::make_shared<DynamicFilter>();
    filter->id = ++next_filter_id;
    filter->key_index = k;
    filter->scan_column = column;
    filter->column_type = scan->table.columns[column].type;
    filter->through_varchar_cast = through_cast;
    node->dynamic_filters.push_back(filter);
    scan->dynamic_filters.push_back(filter);
  }
}

}  // namespace tributary::planner
