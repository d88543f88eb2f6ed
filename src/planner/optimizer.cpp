#include "planner/optimizer.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "planner/expression_evaluator.h"
#include "planner/source_pushdown.h"

namespace tributary::planner {

namespace {

std::vector<int> symbols_of(const PlanNode& node) {
  std::vector<int> out;
  for (const auto& c : node.columns) out.push_back(c.symbol);
  return out;
}

PlanPtr make_filter(PlanPtr child, std::vector<BExprPtr> conjuncts) {
  if (conjuncts.empty()) return child;
  auto filter = std::make_shared<PlanNode>();
  filter->kind = PlanKind::FILTER;
  filter->children = {child};
  filter->columns = child->columns;
  filter->predicate = make_and(std::move(conjuncts));
  filter->estimated_rows = child->estimated_rows < 0 ? -1 : child->estimated_rows * 0.25;
  return filter;
}

bool pushable(const BExprPtr& e) { return e->deterministic() && !contains_subquery(*e); }

// ---- tuple domain extraction ----

bool comparison_parts(const BExprPtr& e, const PlanNode& scan, int* column, std::string* op, Value* value) {
  if (e->kind != BoundKind::CALL || e->args.size() != 2) return false;
  static const std::set<std::string> ops = {"$eq", "$lt", "$le", "$gt", "$ge"};
  if (!ops.count(e->name)) return false;
  BExprPtr a = e->args[0], b = e->args[1];
  std::string o = e->name;
  if (a->is_constant() && b->kind == BoundKind::COLUMN) {
    std::swap(a, b);
    if (o == "$lt") o = "$gt";
    else if (o == "$gt") o = "$lt";
    else if (o == "$le") o = "$ge";
    else if (o == "$ge") o = "$le";
  }
  if (a->kind != BoundKind::COLUMN || !b->is_constant() || b->value.is_null) return false;
  int position = column_position(scan, a->symbol);
  if (position < 0) return false;
  if (scan.columns[position].type != b->type) return false;
  *column = scan.scan_columns[position];
  *op = o;
  *value = b->value;
  return true;
}

Domain intersect(const Domain& a, const Domain& b) {
  if (a.all && b.all) {
    Domain d = Domain::all_values(a.null_allowed && b.null_allowed);
    return d;
  }
  if (a.all) {
    Domain d = b;
    d.null_allowed = a.null_allowed && b.null_allowed;
    return d;
  }
  if (b.all) {
    Domain d = a;
    d.null_allowed = a.null_allowed && b.null_allowed;
    return d;
  }
  Domain out;
  out.null_allowed = a.null_allowed && b.null_allowed;
  for (const auto& x : a.ranges) {
    for (const auto& y : b.ranges) {
      Range r;
      // low = max(lows)
      if (x.low_unbounded) {
        r.low = y.low, r.low_unbounded = y.low_unbounded, r.low_inclusive = y.low_inclusive;
      } else if (y.low_unbounded) {
        r.low = x.low, r.low_unbounded = false, r.low_inclusive = x.low_inclusive;
      } else {
        int c = x.low.compare(y.low);
        const Range& pick = c > 0 ? x : y;
        r.low = pick.low;
        r.low_unbounded = false;
        r.low_inclusive = c == 0 ? (x.low_inclusive && y.low_inclusive) : pick.low_inclusive;
      }
      if (x.high_unbounded) {
        r.high = y.high, r.high_unbounded = y.high_unbounded, r.high_inclusive = y.high_inclusive;
      } else if (y.high_unbounded) {
        r.high = x.high, r.high_unbounded = false, r.high_inclusive = x.high_inclusive;
      } else {
        int c = x.high.compare(y.high);
        const Range& pick = c < 0 ? x : y;
        r.high = pick.high;
        r.high_unbounded = false;
        r.high_inclusive = c == 0 ? (x.high_inclusive && y.high_inclusive) : pick.high_inclusive;
      }
      if (!r.low_unbounded && !r.high_unbounded) {
        int c = r.low.compare(r.high);
        if (c > 0 || (c == 0 && !(r.low_inclusive && r.high_inclusive))) continue;
      }
      out.ranges.push_back(r);
    }
  }
  return out;
}

// Converts a conjunct into a single-column domain, if it has that shape.
bool conjunct_domain(const BExprPtr& e, const PlanNode& scan, int* column, Domain* domain) {
  int col;
  std::string op;
  Value value;
  if (comparison_parts(e, scan, &col, &op, &value)) {
    Range r;
    if (op == "$eq") r = Range::equal(value);
    if (op == "$lt" || op == "$le") {
      r.high = value;
      r.high_unbounded = false;
      r.high_inclusive = op == "$le";
    }
    if (op == "$gt" || op == "$ge") {
      r.low = value;
      r.low_unbounded = false;
      r.low_inclusive = op == "$ge";
    }
    domain->ranges = {r};
    domain->null_allowed = false;
    domain->all = false;
    *column = col;
    return true;
  }
  if (e->kind == BoundKind::CALL && e->name == "$ne" && e->args.size() == 2) {
    const BExprPtr& a = e->args[0]->kind == BoundKind::COLUMN ? e->args[0] : e->args[1];
    const BExprPtr& b = e->args[0]->kind == BoundKind::COLUMN ? e->args[1] : e->args[0];
    if (a->kind != BoundKind::COLUMN || !b->is_constant() || b->value.is_null) return false;
    int position = column_position(scan, a->symbol);
    if (position < 0 || scan.columns[position].type != b->type) return false;
    Range below, above;
    below.high = b->value;
    below.high_unbounded = false;
    below.high_inclusive = false;
    above.low = b->value;
    above.low_unbounded = false;
    above.low_inclusive = false;
    domain->ranges = {below, above};
    domain->null_allowed = false;
    domain->all = false;
    *column = scan.scan_columns[position];
    return true;
  }
  if (e->kind == BoundKind::OR) {
    int left_column, right_column;
    Domain left, right;
    if (!conjunct_domain(e->args[0], scan, &left_column, &left) ||
        !conjunct_domain(e->args[1], scan, &right_column, &right) || left_column != right_column)
      return false;
    if (left.all || right.all) {
      *domain = Domain::all_values(left.null_allowed || right.null_allowed);
    } else {
      domain->all = false;
      domain->ranges = left.ranges;
      domain->ranges.insert(domain->ranges.end(), right.ranges.begin(), right.ranges.end());
      domain->null_allowed = left.null_allowed || right.null_allowed;
    }
    *column = left_column;
    return true;
  }
  if (e->kind == BoundKind::IS_NULL && e->args[0]->kind == BoundKind::COLUMN) {
    int position = column_position(scan, e->args[0]->symbol);
    if (position < 0) return false;
    *column = scan.scan_columns[position];
    *domain = e->negated ? Domain::all_values(false) : Domain::only_null();
    return true;
  }
  if (e->kind == BoundKind::IN_LIST && e->args[0]->kind == BoundKind::COLUMN) {
    int position = column_position(scan, e->args[0]->symbol);
    if (position < 0) return false;
    Domain d;
    for (size_t i = 1; i < e->args.size(); i++) {
      if (e->args[i]->value.is_null) continue;  // x IN (1, NULL): NULL never makes a row pass
      if (e->args[i]->type != scan.columns[position].type) return false;
      d.ranges.push_back(Range::equal(e->args[i]->value));
    }
    *column = scan.scan_columns[position];
    *domain = d;
    return true;
  }
  return false;
}

// A conjunct as a connector-neutral expression over the scan's table columns, or null.
PushedExpressionPtr to_pushed(const BExprPtr& e, const PlanNode& scan) {
  auto out = std::make_shared<PushedExpression>();
  out->type = e->type;
  auto convert_args = [&](size_t from) {
    for (size_t i = from; i < e->args.size(); i++) {
      auto a = to_pushed(e->args[i], scan);
      if (!a) return false;
      out->args.push_back(a);
    }
    return true;
  };
  switch (e->kind) {
    case BoundKind::COLUMN: {
      int position = column_position(scan, e->symbol);
      if (position < 0) return nullptr;
      out->kind = PushedExpression::Kind::COLUMN;
      out->column = scan.scan_columns[position];
      return out;
    }
    case BoundKind::CONSTANT:
      out->kind = PushedExpression::Kind::CONSTANT;
      out->value = e->value;
      out->value.type = e->type;
      return out;
    case BoundKind::CALL: {
      static const std::map<std::string, std::string> ops = {{"$eq", "="}, {"$ne", "<>"}, {"$lt", "<"},
                                                              {"$le", "<="}, {"$gt", ">"},  {"$ge", ">="}};
      auto it = ops.find(e->name);
      if (it != ops.end() && e->args.size() == 2) {
        out->kind = PushedExpression::Kind::COMPARE;
        out->op = it->second;
        return convert_args(0) ? out : nullptr;
      }
      if (e->name == "$like") {
        out->kind = PushedExpression::Kind::LIKE;
        return convert_args(0) ? out : nullptr;
      }
      return nullptr;
    }
    case BoundKind::AND:
    case BoundKind::OR:
    case BoundKind::NOT:
      out->kind = e->kind == BoundKind::AND  ? PushedExpression::Kind::AND
                  : e->kind == BoundKind::OR ? PushedExpression::Kind::OR
                                             : PushedExpression::Kind::NOT;
      return convert_args(0) ? out : nullptr;
    case BoundKind::IS_NULL: {
      out->kind = PushedExpression::Kind::IS_NULL;
      if (!convert_args(0)) return nullptr;
      if (!e->negated) return out;
      auto negation = std::make_shared<PushedExpression>();
      negation->kind = PushedExpression::Kind::NOT;
      negation->type = Type::boolean();
      negation->args = {out};
      return negation;
    }
    case BoundKind::IN_LIST:
      out->kind = PushedExpression::Kind::IN;
      return convert_args(0) ? out : nullptr;
    default: return nullptr;
  }
}

void push_into_scan(PlanNode& scan, std::vector<BExprPtr>& conjuncts, std::vector<BExprPtr>& remaining) {
  TupleDomain domain = scan.request.constraint;
  std::vector<BExprPtr> translated;
  for (const auto& c : conjuncts) {
    int column;
    Domain d;
    if (pushable(c) && conjunct_domain(c, scan, &column, &d)) {
      auto it = domain.columns.find(column);
      if (it == domain.columns.end()) {
        domain.columns[column] = d;
      } else {
        it->second = intersect(it->second, d);
      }
      if (domain.columns[column].is_none()) domain.none = true;
      translated.push_back(c);
    } else {
      // Not a domain: offer it as an expression; the engine keeps it until the connector
      // says it enforces it (drop_enforced_filters).
      if (pushable(c)) {
        if (auto pushed = to_pushed(c, scan)) {
          scan.request.expressions.push_back(pushed);
          scan.pushed_conjuncts.push_back(c);
        }
      }
      remaining.push_back(c);
    }
  }
  scan.request.constraint = domain;
  if (!translated.empty()) {
    // The connector decides below (apply_pushdown) whether it enforces the domain;
    // until then the translated conjuncts are kept and dropped only when enforced.
    scan.predicate = make_and(translated);
  }
}

// ---- predicate pushdown ----

PlanPtr push_down(PlanPtr node, std::vector<BExprPtr> conjuncts);

PlanPtr push_into_children_only(PlanPtr node) {
  for (auto& child : node->children) child = push_down(child, {});
  return node;
}

// Splits a join condition into hash keys and residual; pushes single-side conjuncts.
void analyze_join(PlanNode& join, std::vector<BExprPtr>& left_push, std::vector<BExprPtr>& right_push) {
  auto left_symbols = symbols_of(*join.children[0]);
  auto right_symbols = symbols_of(*join.children[1]);
  std::vector<BExprPtr> residual;
  for (const auto& c : split_conjuncts(join.join_condition)) {
    bool only_left = references_only(*c, left_symbols);
    bool only_right = references_only(*c, right_symbols);
    if (c->kind == BoundKind::CALL && c->name == "$eq" && pushable(c)) {
      const auto& a = c->args[0];
      const auto& b = c->args[1];
      std::vector<int> sa, sb;
      collect_symbols(*a, sa);
      collect_symbols(*b, sb);
      if (!sa.empty() && !sb.empty()) {
        if (references_only(*a, left_symbols) && references_only(*b, right_symbols)) {
          join.equi_keys.push_back({a, b});
          continue;
        }
        if (references_only(*a, right_symbols) && references_only(*b, left_symbols)) {
          join.equi_keys.push_back({b, a});
          continue;
        }
      }
    }
    bool can_push_left = join.join_kind == JoinKind::INNER || join.join_kind == JoinKind::CROSS ||
                         join.join_kind == JoinKind::RIGHT || join.join_kind == JoinKind::SEMI ||
                         join.join_kind == JoinKind::ANTI;
    bool can_push_right = join.join_kind == JoinKind::INNER || join.join_kind == JoinKind::CROSS ||
                          join.join_kind == JoinKind::LEFT || join.join_kind == JoinKind::SEMI ||
                          join.join_kind == JoinKind::ANTI;
    if (only_left && can_push_left && pushable(c) && join.join_kind != JoinKind::ANTI) {
      left_push.push_back(c);
    } else if (only_right && can_push_right && pushable(c)) {
      right_push.push_back(c);
    } else {
      residual.push_back(c);
    }
  }
  join.join_condition = nullptr;
  join.residual = residual.empty() ? nullptr : make_and(residual);
  if (join.join_kind == JoinKind::CROSS && !join.equi_keys.empty()) join.join_kind = JoinKind::INNER;
}

PlanPtr push_down(PlanPtr node, std::vector<BExprPtr> conjuncts) {
  switch (node->kind) {
    case PlanKind::FILTER: {
      auto inner = split_conjuncts(node->predicate);
      conjuncts.insert(conjuncts.end(), inner.begin(), inner.end());
      // Constant FALSE/NULL predicate: keep as a filter (the scan still runs but yields nothing).
      return push_down(node->children[0], conjuncts);
    }
    case PlanKind::PROJECT: {
      std::vector<std::pair<int, BExprPtr>> mapping;
      for (size_t i = 0; i < node->exprs.size(); i++) mapping.push_back({node->columns[i].symbol, node->exprs[i]});
      std::vector<BExprPtr> below, above;
      for (const auto& c : conjuncts) {
        auto rewritten = substitute(c, mapping);
        if (pushable(c) && pushable(rewritten))
          below.push_back(rewritten);
        else
          above.push_back(c);
      }
      node->children[0] = push_down(node->children[0], below);
      return make_filter(node, above);
    }
    case PlanKind::SCAN: {
      std::vector<BExprPtr> remaining;
      push_into_scan(*node, conjuncts, remaining);
      if (node->predicate) {
        remaining.push_back(node->predicate);  // until the connector says it enforces it
        node->predicate = nullptr;
      }
      if (!conjuncts.empty() && node->estimated_rows >= 0) node->estimated_rows *= 0.25;
      return make_filter(node, remaining);
    }
    case PlanKind::JOIN: {
      auto left_symbols = symbols_of(*node->children[0]);
      auto right_symbols = symbols_of(*node->children[1]);
      std::vector<BExprPtr> left_push, right_push, above;
      for (const auto& c : conjuncts) {
        bool only_left = references_only(*c, left_symbols);
        bool only_right = references_only(*c, right_symbols);
        if (!pushable(c)) {
          above.push_back(c);
        } else if (only_left && (node->join_kind == JoinKind::INNER || node->join_kind == JoinKind::CROSS ||
                                 node->join_kind == JoinKind::LEFT || node->join_kind == JoinKind::SEMI ||
                                 node->join_kind == JoinKind::ANTI)) {
          left_push.push_back(c);
        } else if (only_right && (node->join_kind == JoinKind::INNER || node->join_kind == JoinKind::CROSS ||
                                  node->join_kind == JoinKind::RIGHT)) {
          right_push.push_back(c);
        } else if (node->join_kind == JoinKind::INNER || node->join_kind == JoinKind::CROSS) {
          node->join_condition = node->join_condition ? make_and({node->join_condition, c}) : c;
        } else {
          above.push_back(c);
        }
      }
      if (node->join_condition) analyze_join(*node, left_push, right_push);
      node->children[0] = push_down(node->children[0], left_push);
      node->children[1] = push_down(node->children[1], right_push);
      double l = node->children[0]->estimated_rows, r = node->children[1]->estimated_rows;
      node->estimated_rows = (l < 0 || r < 0) ? -1 : (node->equi_keys.empty() ? l * r : std::max(l, r));
      return make_filter(node, above);
    }
    case PlanKind::AGGREGATE: {
      std::vector<int> keys;
      for (const auto& k : node->group_keys) keys.push_back(k->symbol);
      std::vector<BExprPtr> below, above;
      for (const auto& c : conjuncts) {
        if (!node->group_keys.empty() && pushable(c) && references_only(*c, keys))
          below.push_back(c);
        else
          above.push_back(c);
      }
      node->children[0] = push_down(node->children[0], below);
      return make_filter(node, above);
    }
    default: {
      for (auto& child : node->children) child = push_down(child, {});
      return make_filter(node, conjuncts);
    }
  }
}

// ---- column pruning ----

void add_symbols(const BExprPtr& e, std::set<int>& out) {
  if (!e) return;
  std::vector<int> s;
  collect_symbols(*e, s);
  out.insert(s.begin(), s.end());
}

void prune(PlanPtr& node, const std::set<int>& required) {
  switch (node->kind) {
    case PlanKind::SCAN: {
      std::vector<PlanColumn> columns;
      std::vector<int> scan_columns;
      for (size_t i = 0; i < node->columns.size(); i++) {
        if (required.count(node->columns[i].symbol)) {
          columns.push_back(node->columns[i]);
          scan_columns.push_back(node->scan_columns[i]);
        }
      }
      node->columns = columns;
      node->scan_columns = scan_columns;
      return;
    }
    case PlanKind::PROJECT: {
      std::vector<PlanColumn> columns;
      std::vector<BExprPtr> exprs;
      std::set<int> child_required;
      for (size_t i = 0; i < node->columns.size(); i++) {
        if (required.count(node->columns[i].symbol)) {
          columns.push_back(node->columns[i]);
          exprs.push_back(node->exprs[i]);
          add_symbols(node->exprs[i], child_required);
        }
      }
      node->columns = columns;
      node->exprs = exprs;
      prune(node->children[0], child_required);
      return;
    }
    case PlanKind::FILTER: {
      std::set<int> child_required = required;
      add_symbols(node->predicate, child_required);
      prune(node->children[0], child_required);
      node->columns = node->children[0]->columns;
      return;
    }
    case PlanKind::AGGREGATE: {
      std::set<int> child_required;
      for (const auto& k : node->group_keys) add_symbols(k, child_required);
      std::vector<AggregateCall> aggregates;
      std::vector<PlanColumn> columns(node->columns.begin(), node->columns.begin() + node->group_keys.size());
      for (size_t i = 0; i < node->aggregates.size(); i++) {
        const auto& a = node->aggregates[i];
        if (!required.count(a.output_symbol) && !node->group_keys.empty()) continue;
        if (!required.count(a.output_symbol) && node->aggregates.size() > 1) continue;
        aggregates.push_back(a);
        columns.push_back(node->columns[node->group_keys.size() + i]);
        for (const auto& arg : a.args) add_symbols(arg, child_required);
        add_symbols(a.filter, child_required);
      }
      node->aggregates = aggregates;
      node->columns = columns;
      prune(node->children[0], child_required);
      return;
    }
    case PlanKind::JOIN: {
      std::set<int> child_required = required;
      for (const auto& [l, r] : node->equi_keys) {
        add_symbols(l, child_required);
        add_symbols(r, child_required);
      }
      add_symbols(node->residual, child_required);
      add_symbols(node->join_condition, child_required);
      prune(node->children[0], child_required);
      prune(node->children[1], child_required);
      node->columns = node->children[0]->columns;
      if (node->join_kind != JoinKind::SEMI && node->join_kind != JoinKind::ANTI)
        node->columns.insert(node->columns.end(), node->children[1]->columns.begin(),
                             node->children[1]->columns.end());
      return;
    }
    case PlanKind::SORT:
    case PlanKind::LIMIT: {
      std::set<int> child_required = required;
      for (const auto& k : node->sort_keys) add_symbols(k.expr, child_required);
      prune(node->children[0], child_required);
      node->columns = node->children[0]->columns;
      return;
    }
    case PlanKind::WINDOW: {
      std::set<int> child_required = required;
      for (const auto& k : node->partition_keys) add_symbols(k, child_required);
      for (const auto& k : node->window_order) add_symbols(k.expr, child_required);
      for (const auto& c : node->window_calls)
        for (const auto& a : c.args) add_symbols(a, child_required);
      prune(node->children[0], child_required);
      std::vector<PlanColumn> columns = node->children[0]->columns;
      for (const auto& c : node->window_calls) {
        for (const auto& col : node->columns)
          if (col.symbol == c.output_symbol) columns.push_back(col);
      }
      node->columns = columns;
      return;
    }
    case PlanKind::SET_OPERATION: {
      // Set semantics depend on every column: require all of each child's columns.
      for (auto& child : node->children) {
        std::set<int> all;
        for (const auto& c : child->columns) all.insert(c.symbol);
        prune(child, all);
      }
      return;
    }
    case PlanKind::VALUES: return;
  }
}

// ---- limits, join order, scans ----

// Top-N straight over a scan (through projections): offer the order and limit to the source.
void push_top_n(PlanNode& sort) {
  PlanPtr below = sort.children[0];
  while (below->kind == PlanKind::PROJECT) below = below->children[0];
  if (below->kind != PlanKind::SCAN) return;
  std::vector<SortItem> order;
  for (const auto& k : sort.sort_keys) {
    int position = column_position(*below, k.expr->symbol);
    if (position < 0) return;
    order.push_back({below->scan_columns[position], k.ascending, k.nulls_first});
  }
  below->request.order = order;
  below->request.limit = sort.limit;
}

PlanPtr rewrite_limits(PlanPtr node) {
  for (auto& child : node->children) child = rewrite_limits(child);
  if (node->kind == PlanKind::LIMIT && node->limit >= 0) {
    PlanPtr child = node->children[0];
    int64_t needed = node->limit + node->offset;
    if (child->kind == PlanKind::SORT && (child->limit < 0 || child->limit > needed)) {
      child->limit = needed;
      push_top_n(*child);
    }
    PlanPtr below = child;
    while (below->kind == PlanKind::PROJECT) below = below->children[0];
    if (below->kind == PlanKind::SCAN && below->request.order.empty()) below->request.limit = needed;
  }
  if (node->kind == PlanKind::SORT && node->limit >= 0) push_top_n(*node);
  return node;
}

void choose_build_sides(PlanPtr& node) {
  for (auto& child : node->children) choose_build_sides(child);
  if (node->kind != PlanKind::JOIN) return;
  double l = node->children[0]->estimated_rows, r = node->children[1]->estimated_rows;
  // The right child is the build side: put the smaller input there. Outer joins swap too
  // (LEFT <-> RIGHT): the hash join emits unmatched build rows after the probe.
  bool known = l >= 0 && r >= 0;
  bool swap = false;
  switch (node->join_kind) {
    case JoinKind::INNER:
    case JoinKind::LEFT:
    case JoinKind::RIGHT:
    case JoinKind::FULL: swap = known && l < r; break;
    default: break;
  }
  // Key lookups beat a smaller hash table: when the build side is a table the source can
  // read by key (DynamoDB hash key, primary key) and the other side is small enough to
  // become a dynamic filter, build the small side and let the keys reach the source.
  if (!swap && node->join_kind != JoinKind::FULL && node->join_kind != JoinKind::CROSS && l >= 0 &&
      l <= 10000 && (r < 0 || l <= r * 10)) {
    for (const auto& [left_key, right_key] : node->equi_keys) {
      if (right_key->kind != BoundKind::COLUMN) continue;
      int column = -1;
      PlanNode* scan = find_source_scan(node->children[1].get(), right_key->symbol, &column);
      if (scan && scan->connector->supports_key_lookup(scan->table, column)) {
        swap = true;
        break;
      }
    }
  }
  if (!swap) return;
  std::swap(node->children[0], node->children[1]);
  for (auto& [a, b] : node->equi_keys) std::swap(a, b);
  if (node->join_kind == JoinKind::RIGHT)
    node->join_kind = JoinKind::LEFT;
  else if (node->join_kind == JoinKind::LEFT)
    node->join_kind = JoinKind::RIGHT;
  std::vector<PlanColumn> columns = node->children[0]->columns;
  columns.insert(columns.end(), node->children[1]->columns.begin(), node->children[1]->columns.end());
  node->columns = columns;
}

void finalize_scans(PlanPtr& node, FunctionContext& function_context) {
  for (auto& child : node->children) finalize_scans(child, function_context);
  if (node->kind != PlanKind::SCAN) return;
  node->request.columns = node->scan_columns;
  bool was_enforced = node->pushdown.constraint_enforced;
  node->pushdown = node->connector->apply_pushdown(node->table, node->request);
  if (was_enforced && !node->pushdown.constraint_enforced) {
    // Filters were already dropped on the connector's word: ask again without limit/order.
    node->request.limit.reset();
    node->request.order.clear();
    node->pushdown = node->connector->apply_pushdown(node->table, node->request);
    if (!node->pushdown.constraint_enforced)
      throw_error(ErrorCode::INTERNAL_ERROR, "connector '" + node->catalog + "' changed its pushdown answer");
  }
}

// Drops filter conjuncts the connector enforces exactly (the domains it accepted).
PlanPtr drop_enforced_filters(PlanPtr node) {
  for (auto& child : node->children) child = drop_enforced_filters(child);
  if (node->kind == PlanKind::FILTER && node->children[0]->kind == PlanKind::SCAN) {
    PlanNode& scan = *node->children[0];
    auto enforced_expression = [&](const BExprPtr& c) {
      for (size_t i = 0; i < scan.pushed_conjuncts.size(); i++)
        if (i < scan.pushdown.expressions_enforced.size() && scan.pushdown.expressions_enforced[i] &&
            expr_equals(*scan.pushed_conjuncts[i], *c))
          return true;
      return false;
    };
    std::vector<BExprPtr> keep;
    for (const auto& c : split_conjuncts(node->predicate)) {
      int column;
      Domain d;
      if (scan.pushdown.constraint_enforced && pushable(c) && conjunct_domain(c, scan, &column, &d)) continue;
      if (enforced_expression(c)) continue;
      keep.push_back(c);
    }
    if (keep.empty()) return node->children[0];
    node->predicate = make_and(keep);
  }
  return node;
}

// ---- join order ----

bool is_inner_join(const PlanNode& node) {
  return node.kind == PlanKind::JOIN && (node.join_kind == JoinKind::INNER || node.join_kind == JoinKind::CROSS);
}

void flatten_inner_joins(const PlanPtr& node, std::vector<PlanPtr>& leaves, std::vector<BExprPtr>& conditions) {
  if (!is_inner_join(*node)) {
    leaves.push_back(node);
    return;
  }
  for (const auto& [l, r] : node->equi_keys) {
    auto eq = std::make_shared<BoundExpr>();
    eq->kind = BoundKind::CALL;
    eq->type = Type::boolean();
    eq->name = "$eq";
    eq->args = {l, r};
    // Keys have one type already (the binder coerced them); bind the real comparison so the
    // expression stays executable even if it ends up as a residual.
    eq->function = std::make_shared<BoundFunction>(global_registry().bind_scalar("$eq", {l->type, r->type}, {nullptr, nullptr}));
    conditions.push_back(eq);
  }
  if (node->residual) {
    auto more = split_conjuncts(node->residual);
    conditions.insert(conditions.end(), more.begin(), more.end());
  }
  flatten_inner_joins(node->children[0], leaves, conditions);
  flatten_inner_joins(node->children[1], leaves, conditions);
}

double rows_or_default(const PlanNode& node) { return node.estimated_rows >= 0 ? node.estimated_rows : 1e6; }

// Greedy left-deep order for chains of inner joins: start from the largest input (the
// probe side of every join), then repeatedly join the smallest input connected to what
// is already joined, so intermediate results stay small and build sides are small.
PlanPtr reorder_joins(PlanPtr node) {
  for (auto& child : node->children) child = reorder_joins(child);
  if (!is_inner_join(*node)) return node;
  std::vector<PlanPtr> leaves;
  std::vector<BExprPtr> conditions;
  flatten_inner_joins(node, leaves, conditions);
  if (leaves.size() < 3) return node;
  size_t start = 0;
  for (size_t i = 1; i < leaves.size(); i++)
    if (rows_or_default(*leaves[i]) > rows_or_default(*leaves[start])) start = i;
  PlanPtr current = leaves[start];
  std::vector<bool> used(leaves.size(), false);
  used[start] = true;
  std::vector<bool> applied(conditions.size(), false);
  for (size_t step = 1; step < leaves.size(); step++) {
    std::vector<int> available = symbols_of(*current);
    int best = -1;
    bool best_connected = false;
    for (size_t i = 0; i < leaves.size(); i++) {
      if (used[i]) continue;
      std::vector<int> both = available;
      auto more = symbols_of(*leaves[i]);
      both.insert(both.end(), more.begin(), more.end());
      bool connected = false;
      for (size_t c = 0; c < conditions.size(); c++)
        if (!applied[c] && references_only(*conditions[c], both) && !references_only(*conditions[c], available))
          connected = true;
      if (best < 0 || (connected && !best_connected) ||
          (connected == best_connected && rows_or_default(*leaves[i]) < rows_or_default(*leaves[best]))) {
        best = (int)i;
        best_connected = connected;
      }
    }
    used[best] = true;
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanKind::JOIN;
    join->join_kind = JoinKind::INNER;
    join->children = {current, leaves[best]};
    join->columns = current->columns;
    join->columns.insert(join->columns.end(), leaves[best]->columns.begin(), leaves[best]->columns.end());
    std::vector<int> all = symbols_of(*join);
    std::vector<BExprPtr> here;
    for (size_t c = 0; c < conditions.size(); c++) {
      if (!applied[c] && references_only(*conditions[c], all)) {
        here.push_back(conditions[c]);
        applied[c] = true;
      }
    }
    if (!here.empty()) {
      join->join_condition = make_and(here);
      std::vector<BExprPtr> left_push, right_push;
      analyze_join(*join, left_push, right_push);
      // Conditions were already pushed once; anything single-sided stays as a residual here.
      std::vector<BExprPtr> residual = left_push;
      residual.insert(residual.end(), right_push.begin(), right_push.end());
      if (join->residual) residual.push_back(join->residual);
      join->residual = residual.empty() ? nullptr : make_and(residual);
    } else {
      join->join_kind = JoinKind::CROSS;
    }
    double l = rows_or_default(*current), r = rows_or_default(*leaves[best]);
    join->estimated_rows = join->equi_keys.empty() ? l * r : std::max(l, r);
    current = join;
  }
  return current;
}

// ---- subqueries in WHERE -> semi/anti joins ----

bool has_outer_refs(const BoundExpr& e) {
  if (e.kind == BoundKind::OUTER_REF) return true;
  for (const auto& a : e.args)
    if (has_outer_refs(*a)) return true;
  return false;
}

bool plan_has_outer_refs(const PlanNode& node) {
  auto check = [](const BExprPtr& e) { return e && has_outer_refs(*e); };
  if (check(node.predicate) || check(node.join_condition) || check(node.residual)) return true;
  for (const auto& e : node.exprs)
    if (check(e)) return true;
  for (const auto& e : node.group_keys)
    if (check(e)) return true;
  for (const auto& a : node.aggregates) {
    for (const auto& e : a.args)
      if (check(e)) return true;
    if (check(a.filter)) return true;
  }
  for (const auto& k : node.sort_keys)
    if (check(k.expr)) return true;
  for (const auto& e : node.partition_keys)
    if (check(e)) return true;
  for (const auto& w : node.window_calls)
    for (const auto& e : w.args)
      if (check(e)) return true;
  for (const auto& child : node.children)
    if (plan_has_outer_refs(*child)) return true;
  return false;
}

// OUTER_REF(symbol) -> COLUMN(symbol): once the subquery is a join input, outer columns are join columns.
BExprPtr outer_to_column(const BExprPtr& e) {
  if (e->kind == BoundKind::OUTER_REF) return make_column(e->symbol, e->type, e->name);
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = outer_to_column(a);
  return copy;
}

// Turns one WHERE conjunct into a semi/anti join over `input` when it is [NOT] IN (subquery)
// or [NOT] EXISTS (subquery) whose correlation sits only in the subquery's top filter.
bool subquery_to_join(const BExprPtr& conjunct, PlanPtr& input) {
  bool negated = false;
  BExprPtr e = conjunct;
  if (e->kind == BoundKind::NOT) {
    negated = true;
    e = e->args[0];
  }
  if (e->kind != BoundKind::SUBQUERY) return false;
  const SubqueryInfo& info = *e->subquery;
  if (info.kind == SubqueryInfo::SCALAR) return false;
  auto join = std::make_shared<PlanNode>();
  join->kind = PlanKind::JOIN;
  join->join_kind = negated ? JoinKind::ANTI : JoinKind::SEMI;
  join->columns = input->columns;
  join->estimated_rows = input->estimated_rows;
  if (info.kind == SubqueryInfo::IN) {
    if (!info.outer_symbols.empty() || plan_has_outer_refs(*info.plan)) return false;
    const auto& column = info.plan->columns[0];
    join->children = {input, info.plan};
    join->equi_keys = {{e->args[0], make_column(column.symbol, column.type, column.name)}};
    join->null_aware = negated;
    input = join;
    return true;
  }
  // EXISTS: PROJECT -> FILTER(with correlation) -> plan without outer references.
  PlanPtr plan = info.plan;
  if (plan->kind == PlanKind::PROJECT) plan = plan->children[0];
  std::vector<BExprPtr> correlated, local;
  if (plan->kind == PlanKind::FILTER) {
    for (const auto& c : split_conjuncts(plan->predicate)) (has_outer_refs(*c) ? correlated : local).push_back(c);
    plan = local.empty() ? plan->children[0] : make_filter(plan->children[0], local);
  }
  if (plan_has_outer_refs(*plan)) return false;
  join->children = {input, plan};
  std::vector<BExprPtr> condition;
  for (const auto& c : correlated) condition.push_back(outer_to_column(c));
  join->join_condition = condition.empty() ? nullptr : make_and(condition);
  input = join;
  return true;
}

PlanPtr decorrelate(PlanPtr node) {
  for (auto& child : node->children) child = decorrelate(child);
  if (node->kind != PlanKind::FILTER) return node;
  PlanPtr input = node->children[0];
  std::vector<BExprPtr> keep;
  for (const auto& c : split_conjuncts(node->predicate))
    if (!subquery_to_join(c, input)) keep.push_back(c);
  if (input == node->children[0]) return node;
  // Subquery plans that became join inputs may hold further subqueries.
  for (auto& child : input->children) child = decorrelate(child);
  return make_filter(input, keep);
}

}  // namespace

PlanPtr optimize(PlanPtr plan, FunctionContext& function_context) {
  plan = decorrelate(plan);
  plan = push_down(plan, {});
  plan = reorder_joins(plan);
  std::set<int> required;
  for (const auto& c : plan->columns) required.insert(c.symbol);
  prune(plan, required);
  choose_build_sides(plan);
  finalize_scans(plan, function_context);
  plan = drop_enforced_filters(plan);
  // Columns only the dropped filters used are no longer needed from the source; the
  // connectors see the narrower requests before joins/aggregations are offered to them.
  prune(plan, required);
  finalize_scans(plan, function_context);
  // Limits and top-N reach a scan only when nothing filters between them (filters the
  // source enforces are gone by now), then the connectors are asked again.
  plan = push_joins_into_sources(plan);
  plan = push_aggregations_into_sources(plan);
  plan = rewrite_limits(plan);
  finalize_scans(plan, function_context);
  plan_dynamic_filters(plan);
  return plan;
}

}  // namespace tributary::planner
