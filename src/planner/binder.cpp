// Binder: queries (select lists, aggregation, windows, ORDER BY/LIMIT, set operations,
// VALUES) and the public Binder API.
#include "planner/binder_impl.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "function/cast.h"
#include "function/function.h"
#include "sql/parser.h"

namespace tributary::planner {

int Binder::Impl::new_symbol() { return next_symbol++; }

BoundQuery Binder::Impl::bind_query_with_outer(const sql::Query& query, Scope* outer, std::vector<int>* outer_refs) {
  if (query.recursive)
    fail(ErrorCode::NOT_SUPPORTED, "WITH RECURSIVE is not supported yet", query.location);
  cte_stack.push_back({});
  for (const auto& item : query.with) {
    if (cte_stack.back().count(lower(item.name)))
      fail(ErrorCode::ALREADY_EXISTS, "WITH query name '" + item.name + "' specified more than once", item.location);
    cte_stack.back()[lower(item.name)] = &item;
  }
  BoundQuery result;
  try {
    result = bind_query_body(*query.body, outer, outer_refs, &query);
  } catch (...) {
    cte_stack.pop_back();
    throw;
  }
  cte_stack.pop_back();
  return result;
}

int64_t Binder::Impl::constant_count(const sql::ExprPtr& e, const char* what) {
  BExprPtr bound;
  Scope empty;
  bound = bind_expr(*e, empty, nullptr, nullptr);
  if (!bound->is_constant() || !bound->type.is_integer() || bound->value.is_null)
    fail(ErrorCode::TYPE_MISMATCH, std::string(what) + " must be an integer constant", e->location);
  if (bound->value.i < 0)
    fail(ErrorCode::INVALID_ARGUMENT, std::string(what) + " must be a non-negative integer", e->location);
  return bound->value.i;
}

// ORDER BY / LIMIT / OFFSET apply on top of `plan` whose columns are the visible output.
// For query specifications the order-by is handled inside bind_spec (it may see input columns).
BoundQuery Binder::Impl::bind_query_body(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs, const sql::Query* query) {
  if (body.kind == sql::QueryBody::SPEC) return bind_spec(body, outer, outer_refs, query);
  BoundQuery inner;
  if (body.kind == sql::QueryBody::NESTED) {
    inner = bind_query_with_outer(*body.nested, outer, outer_refs);
  } else if (body.kind == sql::QueryBody::VALUES) {
    inner = bind_values(body);
  } else {
    inner = bind_set_operation(body, outer, outer_refs);
  }
  if (query) return apply_order_limit(inner, *query, outer, outer_refs);
  return inner;
}

BoundQuery Binder::Impl::apply_order_limit(BoundQuery inner, const sql::Query& query, Scope* outer, std::vector<int>* outer_refs) {
  PlanPtr plan = inner.plan;
  if (!query.order_by.empty()) {
    Scope scope;
    scope.outer = outer;
    scope.outer_refs = outer_refs;
    for (size_t i = 0; i < plan->columns.size(); i++)
      scope.columns.push_back({{}, inner.names[i], plan->columns[i].symbol, plan->columns[i].type});
    auto sort = std::make_shared<PlanNode>();
    sort->kind = PlanKind::SORT;
    sort->children = {plan};
    sort->columns = plan->columns;
    for (const auto& item : query.order_by) {
      BExprPtr key;
      if (item.expr->kind == ExprKind::LITERAL && item.expr->literal_kind == sql::LiteralKind::INTEGER) {
        int64_t ordinal = std::stoll(item.expr->text);
        if (ordinal < 1 || ordinal > (int64_t)plan->columns.size())
          fail(ErrorCode::INVALID_ARGUMENT, "ORDER BY position " + item.expr->text + " is not in select list",
               item.expr->location);
        const auto& c = plan->columns[ordinal - 1];
        key = make_column(c.symbol, c.type, c.name);
      } else {
        key = bind_expr(*item.expr, scope, nullptr, nullptr);
        if (key->kind != BoundKind::COLUMN)
          fail(ErrorCode::NOT_SUPPORTED, "ORDER BY of a set operation must name an output column",
               item.expr->location);
      }
      sort->sort_keys.push_back({key, item.ascending, item.nulls_first.value_or(false)});
    }
    plan = sort;
  }
  plan = apply_limit(plan, query);
  inner.plan = plan;
  return inner;
}

PlanPtr Binder::Impl::apply_limit(PlanPtr plan, const sql::Query& query) {
  int64_t limit = query.limit ? constant_count(query.limit, "LIMIT") : -1;
  int64_t offset = query.offset ? constant_count(query.offset, "OFFSET") : 0;
  if (limit < 0 && offset == 0) return plan;
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::LIMIT;
  node->children = {plan};
  node->columns = plan->columns;
  node->limit = limit;
  node->offset = offset;
  node->estimated_rows = limit >= 0 ? (double)limit : plan->estimated_rows;
  return node;
}

BoundQuery Binder::Impl::bind_values(const sql::QueryBody& body) {
  Scope empty;
  std::vector<std::vector<BExprPtr>> rows;
  size_t width = body.rows.empty() ? 0 : body.rows[0].size();
  for (const auto& row : body.rows) {
    if (row.size() != width)
      fail(ErrorCode::TYPE_MISMATCH, "Values rows have mismatched sizes: " + std::to_string(width) + " vs " +
                                         std::to_string(row.size()),
           body.location);
    std::vector<BExprPtr> bound;
    for (const auto& e : row) bound.push_back(bind_expr(*e, empty, nullptr, nullptr));
    rows.push_back(bound);
  }
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::VALUES;
  BoundQuery out;
  for (size_t c = 0; c < width; c++) {
    std::vector<BExprPtr> column;
    for (auto& row : rows) column.push_back(row[c]);
    Type common = common_type(column, body.location, "VALUES column " + std::to_string(c + 1));
    if (common.id == TypeId::UNKNOWN) common = Type::unknown();
    for (auto& row : rows) {
      row[c] = coerce(row[c], common, body.location);
      if (!row[c]->is_constant())
        fail(ErrorCode::NOT_SUPPORTED, "VALUES rows must be constant expressions", body.location);
    }
    node->columns.push_back({new_symbol(), "_col" + std::to_string(c), common});
    out.names.push_back("_col" + std::to_string(c));
  }
  for (auto& row : rows) {
    std::vector<Value> values;
    for (auto& e : row) values.push_back(e->value);
    node->rows.push_back(values);
  }
  node->estimated_rows = (double)node->rows.size();
  out.plan = node;
  return out;
}

BoundQuery Binder::Impl::bind_set_operation(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs) {
  BoundQuery left = bind_query_body(*body.left, outer, outer_refs, nullptr);
  BoundQuery right = bind_query_body(*body.right, outer, outer_refs, nullptr);
  static const char* op_names[] = {"UNION", "INTERSECT", "EXCEPT"};
  if (left.plan->columns.size() != right.plan->columns.size())
    fail(ErrorCode::TYPE_MISMATCH,
         std::string(op_names[body.set_op]) + " query has different number of fields: " +
             std::to_string(left.plan->columns.size()) + ", " + std::to_string(right.plan->columns.size()),
         body.location);
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::SET_OPERATION;
  node->set_op = body.set_op == sql::QueryBody::UNION ? PlanNode::UNION
                 : body.set_op == sql::QueryBody::INTERSECT ? PlanNode::INTERSECT
                                                            : PlanNode::EXCEPT;
  node->set_all = body.all;
  std::vector<Type> types;
  for (size_t i = 0; i < left.plan->columns.size(); i++) {
    Type common;
    if (!common_super_type(left.plan->columns[i].type, right.plan->columns[i].type, &common))
      fail(ErrorCode::TYPE_MISMATCH,
           "column " + std::to_string(i + 1) + " in " + op_names[body.set_op] + " query has incompatible types: " +
               left.plan->columns[i].type.to_string() + ", " + right.plan->columns[i].type.to_string(),
           body.location);
    types.push_back(common);
  }
  auto conform = [&](BoundQuery& q) {
    bool needs = false;
    for (size_t i = 0; i < types.size(); i++)
      if (q.plan->columns[i].type != types[i]) needs = true;
    if (!needs) return q.plan;
    std::vector<BExprPtr> exprs;
    std::vector<PlanColumn> columns;
    for (size_t i = 0; i < types.size(); i++) {
      const auto& c = q.plan->columns[i];
      exprs.push_back(coerce(make_column(c.symbol, c.type, c.name), types[i], body.location));
      columns.push_back({new_symbol(), c.name, types[i]});
    }
    return make_project(q.plan, exprs, columns);
  };
  node->children = {conform(left), conform(right)};
  for (size_t i = 0; i < types.size(); i++) node->columns.push_back({new_symbol(), left.names[i], types[i]});
  double l = node->children[0]->estimated_rows, r = node->children[1]->estimated_rows;
  node->estimated_rows = (l < 0 || r < 0) ? -1 : l + r;
  BoundQuery out;
  out.plan = node;
  out.names = left.names;
  return out;
}

// Copy of an ORDER BY expression with select-list aliases replaced by their expressions.
sql::ExprPtr Binder::Impl::substitute_aliases(const sql::ExprPtr& e, const std::map<std::string, const sql::Expr*>& aliases) {
  if (!e || aliases.empty()) return e;
  if (e->kind == ExprKind::IDENTIFIER && e->name.size() == 1) {
    auto it = aliases.find(lower(e->name[0]));
    if (it != aliases.end()) return std::make_shared<Expr>(*it->second);
    return e;
  }
  if (e->kind == ExprKind::IN_SUBQUERY || e->kind == ExprKind::EXISTS || e->kind == ExprKind::SCALAR_SUBQUERY ||
      e->window)
    return e;
  auto copy = std::make_shared<Expr>(*e);
  for (auto& a : copy->args) a = substitute_aliases(a, aliases);
  copy->operand = substitute_aliases(copy->operand, aliases);
  for (auto& [w, t] : copy->whens) {
    w = substitute_aliases(w, aliases);
    t = substitute_aliases(t, aliases);
  }
  copy->else_result = substitute_aliases(copy->else_result, aliases);
  return copy;
}

// Rewrites a post-aggregation expression: group-key subtrees -> key columns; checks
// that no other input column survives.
BExprPtr Binder::Impl::rewrite_after_aggregation(const BExprPtr& e, const std::vector<std::pair<BExprPtr, BExprPtr>>& keys, const std::set<int>& input_symbols, const std::set<int>& agg_symbols, Location loc) {
  for (const auto& [key, replacement] : keys)
    if (expr_equals(*e, *key)) return replacement;
  if (e->kind == BoundKind::COLUMN) {
    if (agg_symbols.count(e->symbol)) return e;
    if (input_symbols.count(e->symbol))
      fail(ErrorCode::TYPE_MISMATCH,
           "'" + e->name + "' must be an aggregate expression or appear in GROUP BY clause", loc);
    return e;
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = rewrite_after_aggregation(a, keys, input_symbols, agg_symbols, loc);
  return copy;
}

// Adds a projection over `plan` that passes its columns through and computes `exprs`;
// returns column refs for each expr (reusing existing columns when an expr is one).
std::vector<BExprPtr> Binder::Impl::materialize(PlanPtr& plan, const std::vector<BExprPtr>& exprs) {
  std::vector<BExprPtr> refs;
  std::vector<BExprPtr> extra_exprs;
  std::vector<PlanColumn> extra_columns;
  for (const auto& e : exprs) {
    if (e->kind == BoundKind::COLUMN && column_position(*plan, e->symbol) >= 0) {
      refs.push_back(e);
      continue;
    }
    bool reused = false;
    for (size_t i = 0; i < extra_exprs.size(); i++) {
      if (expr_equals(*extra_exprs[i], *e)) {
        refs.push_back(make_column(extra_columns[i].symbol, e->type, extra_columns[i].name));
        reused = true;
        break;
      }
    }
    if (reused) continue;
    int symbol = new_symbol();
    extra_exprs.push_back(e);
    extra_columns.push_back({symbol, "expr", e->type});
    refs.push_back(make_column(symbol, e->type, "expr"));
  }
  if (!extra_exprs.empty()) {
    std::vector<BExprPtr> all;
    std::vector<PlanColumn> columns;
    for (const auto& c : plan->columns) {
      all.push_back(make_column(c.symbol, c.type, c.name));
      columns.push_back(c);
    }
    all.insert(all.end(), extra_exprs.begin(), extra_exprs.end());
    columns.insert(columns.end(), extra_columns.begin(), extra_columns.end());
    plan = make_project(plan, all, columns);
  }
  return refs;
}

std::string Binder::Impl::output_name(const sql::SelectItem& item, size_t index) {
  if (!item.alias.empty()) return item.alias;
  if (item.expr->kind == ExprKind::IDENTIFIER) return item.expr->name.back();
  return "_col" + std::to_string(index);
}

BoundQuery Binder::Impl::bind_spec(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs, const sql::Query* query) {
  const sql::QuerySpec& spec = body.spec;
  RelationPlan source;
  if (spec.from) {
    source = bind_relation(*spec.from, outer, outer_refs);
  } else {
    auto values = std::make_shared<PlanNode>();
    values->kind = PlanKind::VALUES;
    values->rows = {{}};
    values->estimated_rows = 1;
    source.plan = values;
  }
  source.scope.outer = outer;
  source.scope.outer_refs = outer_refs;
  Scope& scope = source.scope;
  PlanPtr plan = source.plan;

  if (spec.where) {
    AggregationContext where_context;
    where_context.clause = "WHERE clause";
    BExprPtr predicate = boolean_operand(bind_expr(*spec.where, scope, &where_context, nullptr),
                                         spec.where->location, "WHERE clause");
    auto filter = std::make_shared<PlanNode>();
    filter->kind = PlanKind::FILTER;
    filter->children = {plan};
    filter->columns = plan->columns;
    filter->predicate = predicate;
    filter->estimated_rows = plan->estimated_rows < 0 ? -1 : plan->estimated_rows * 0.25;
    plan = filter;
  }

  // Expand the select list.
  struct Item {
    const sql::Expr* expr = nullptr;  // null for star-expanded columns
    BExprPtr bound;
    std::string name;
    Location location;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < spec.select.size(); i++) {
    const auto& s = spec.select[i];
    if (s.expr->kind == ExprKind::STAR) {
      bool any = false;
      for (const auto& c : scope.columns) {
        if (c.hidden) continue;
        if (!s.expr->name.empty() && !qualifier_matches(c, s.expr->name)) continue;
        Item item;
        item.bound = make_column(c.symbol, c.type, c.name);
        item.name = c.name;
        item.location = s.location;
        items.push_back(item);
        any = true;
      }
      if (!any) {
        if (!s.expr->name.empty())
          fail(ErrorCode::NOT_FOUND, "Table '" + sql_join(s.expr->name) + "' not found in FROM clause", s.location);
        if (!spec.from) fail(ErrorCode::SYNTAX_ERROR, "SELECT * not allowed in queries without FROM clause", s.location);
      }
      continue;
    }
    Item item;
    item.expr = s.expr.get();
    item.name = output_name(s, items.size());
    item.location = s.location;
    items.push_back(item);
  }

  // Aggregation analysis.
  AggregationContext agg;
  agg.input_scope = &scope;
  agg.allowed = true;
  WindowContext win;
  win.allowed = true;
  std::vector<BExprPtr> group_exprs;
  for (const auto& g : spec.group_by) {
    if (g->kind == ExprKind::LITERAL && g->literal_kind == sql::LiteralKind::INTEGER) {
      int64_t ordinal = std::stoll(g->text);
      if (ordinal < 1 || ordinal > (int64_t)items.size())
        fail(ErrorCode::INVALID_ARGUMENT, "GROUP BY position " + g->text + " is not in select list", g->location);
      const Item& item = items[ordinal - 1];
      if (!item.expr) {
        group_exprs.push_back(item.bound);
      } else {
        AggregationContext none;
        none.clause = "GROUP BY clause";
        group_exprs.push_back(bind_expr(*item.expr, scope, &none, nullptr));
      }
      continue;
    }
    AggregationContext none;
    none.clause = "GROUP BY clause";
    try {
      group_exprs.push_back(bind_expr(*g, scope, &none, nullptr));
    } catch (const Error& error) {
      // Lenient: allow grouping by a select alias (Trino does not, but other engines do).
      if (error.code() == ErrorCode::NOT_FOUND && g->kind == ExprKind::IDENTIFIER && g->name.size() == 1) {
        bool found = false;
        for (const auto& item : items) {
          if (item.expr && iequals(item.name, g->name[0])) {
            group_exprs.push_back(bind_expr(*item.expr, scope, &none, nullptr));
            found = true;
            break;
          }
        }
        if (!found) throw;
      } else {
        throw;
      }
    }
  }

  for (auto& item : items)
    if (item.expr) item.bound = bind_expr(*item.expr, scope, &agg, &win);
  BExprPtr having;
  if (spec.having) having = boolean_operand(bind_expr(*spec.having, scope, &agg, nullptr), spec.having->location,
                                            "HAVING clause");

  // ORDER BY items of this query spec (bound now: they may add aggregates).
  struct OrderKey {
    BExprPtr expr;
    int output_index = -1;
    bool ascending;
    bool nulls_first;
  };
  std::vector<OrderKey> order_keys;
  // ORDER BY sees the select list's aliases first (Trino): `ORDER BY -total` with `... AS total`.
  std::map<std::string, const sql::Expr*> aliases;
  for (const auto& s : spec.select)
    if (!s.alias.empty() && s.expr->kind != ExprKind::STAR) aliases[lower(s.alias)] = s.expr.get();
  if (query) {
    for (const auto& o : query->order_by) {
      OrderKey key;
      key.ascending = o.ascending;
      key.nulls_first = o.nulls_first.value_or(false);
      if (o.expr->kind == ExprKind::LITERAL && o.expr->literal_kind == sql::LiteralKind::INTEGER) {
        int64_t ordinal = std::stoll(o.expr->text);
        if (ordinal < 1 || ordinal > (int64_t)items.size())
          fail(ErrorCode::INVALID_ARGUMENT, "ORDER BY position " + o.expr->text + " is not in select list",
               o.expr->location);
        key.output_index = (int)ordinal - 1;
      } else if (o.expr->kind == ExprKind::IDENTIFIER && o.expr->name.size() == 1) {
        int match = -1;
        for (size_t i = 0; i < items.size(); i++) {
          if (iequals(items[i].name, o.expr->name[0]) && (items[i].expr == nullptr || spec.select.size() > 0)) {
            // An output alias wins over an input column (Trino semantics).
            bool is_alias = false;
            for (const auto& s : spec.select)
              if (!s.alias.empty() && iequals(s.alias, o.expr->name[0])) is_alias = true;
            if (is_alias || match < 0) {
              if (match >= 0 && is_alias)
                fail(ErrorCode::TYPE_MISMATCH, "Column '" + o.expr->name[0] + "' is ambiguous", o.expr->location);
              match = (int)i;
            }
          }
        }
        if (match >= 0) {
          key.output_index = match;
        } else {
          key.expr = bind_expr(*substitute_aliases(o.expr, aliases), scope, &agg, &win);
        }
      } else {
        key.expr = bind_expr(*substitute_aliases(o.expr, aliases), scope, &agg, &win);
      }
      order_keys.push_back(key);
    }
  }

  bool aggregated = !agg.calls.empty() || !spec.group_by.empty() || having;
  if (aggregated) {
    // Pre-projection: group keys, aggregate arguments and filters.
    std::vector<BExprPtr> needed = group_exprs;
    for (const auto& call : agg.calls) {
      needed.insert(needed.end(), call.args.begin(), call.args.end());
      if (call.filter) needed.push_back(call.filter);
    }
    for (const auto& e : needed)
      if (contains_subquery(*e)) {
        // Subqueries inside aggregate arguments are evaluated by the pre-projection.
      }
    std::vector<BExprPtr> refs = materialize(plan, needed);
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::AGGREGATE;
    node->children = {plan};
    size_t k = 0;
    std::vector<std::pair<BExprPtr, BExprPtr>> key_map;
    std::set<int> seen_keys;
    for (size_t i = 0; i < group_exprs.size(); i++, k++) {
      const auto& ref = refs[k];
      if (seen_keys.count(ref->symbol)) continue;
      seen_keys.insert(ref->symbol);
      node->group_keys.push_back(ref);
      std::string name = group_exprs[i]->kind == BoundKind::COLUMN ? group_exprs[i]->name : ref->name;
      node->columns.push_back({ref->symbol, name, ref->type});
      key_map.push_back({group_exprs[i], make_column(ref->symbol, ref->type, name)});
    }
    std::set<int> agg_symbols;
    for (const auto& call : agg.calls) {
      AggregateCall a;
      a.function = call.function;
      a.distinct = call.distinct;
      for (size_t j = 0; j < call.args.size(); j++) a.args.push_back(refs[k++]);
      if (call.filter) a.filter = refs[k++];
      a.output_symbol = call.symbol;
      node->aggregates.push_back(a);
      node->columns.push_back({call.symbol, call.name, call.type});
      agg_symbols.insert(call.symbol);
    }
    double in_rows = plan->estimated_rows;
    node->estimated_rows = group_exprs.empty() ? 1 : (in_rows < 0 ? -1 : std::max(1.0, in_rows * 0.1));
    plan = node;
    std::set<int> input_symbols;
    for (const auto& c : scope.columns) input_symbols.insert(c.symbol);
    for (const auto& c : node->children[0]->columns) input_symbols.insert(c.symbol);
    for (const auto& [key, replacement] : key_map) agg_symbols.insert(replacement->symbol);
    for (auto& item : items)
      item.bound = rewrite_after_aggregation(item.bound, key_map, input_symbols, agg_symbols, item.location);
    for (auto& key : order_keys)
      if (key.expr) key.expr = rewrite_after_aggregation(key.expr, key_map, input_symbols, agg_symbols, body.location);
    if (having) {
      having = rewrite_after_aggregation(having, key_map, input_symbols, agg_symbols, spec.having->location);
      auto filter = std::make_shared<PlanNode>();
      filter->kind = PlanKind::FILTER;
      filter->children = {plan};
      filter->columns = plan->columns;
      filter->predicate = having;
      filter->estimated_rows = plan->estimated_rows;
      plan = filter;
    }
    // Window calls bound before aggregation was known reference input columns: rewrite them too.
    for (auto& call : win.calls) {
      for (auto& a : call.args) a = rewrite_after_aggregation(a, key_map, input_symbols, agg_symbols, body.location);
      for (auto& p : call.partition)
        p = rewrite_after_aggregation(p, key_map, input_symbols, agg_symbols, body.location);
      for (auto& o : call.order)
        o.first = rewrite_after_aggregation(o.first, key_map, input_symbols, agg_symbols, body.location);
    }
  }

  // Window functions.
  if (!win.calls.empty()) plan = plan_windows(plan, win);

  // Projection (with hidden ORDER BY expressions appended).
  std::vector<BExprPtr> exprs;
  std::vector<PlanColumn> columns;
  BoundQuery out;
  for (const auto& item : items) {
    exprs.push_back(item.bound);
    int symbol = item.bound->kind == BoundKind::COLUMN ? item.bound->symbol : new_symbol();
    columns.push_back({symbol, item.name, item.bound->type});
    out.names.push_back(item.name);
  }
  size_t visible = exprs.size();
  std::vector<SortKey> sort_keys;
  for (auto& key : order_keys) {
    if (key.output_index >= 0) {
      const auto& c = columns[key.output_index];
      sort_keys.push_back({make_column(c.symbol, c.type, c.name), key.ascending, key.nulls_first});
      continue;
    }
    int found = -1;
    for (size_t i = 0; i < exprs.size(); i++)
      if (expr_equals(*exprs[i], *key.expr)) found = (int)i;
    if (found < 0) {
      if (spec.distinct)
        fail(ErrorCode::TYPE_MISMATCH, "For SELECT DISTINCT, ORDER BY expressions must appear in select list",
             body.location);
      exprs.push_back(key.expr);
      int symbol = key.expr->kind == BoundKind::COLUMN ? key.expr->symbol : new_symbol();
      columns.push_back({symbol, "$order", key.expr->type});
      found = (int)exprs.size() - 1;
    }
    const auto& c = columns[found];
    sort_keys.push_back({make_column(c.symbol, c.type, c.name), key.ascending, key.nulls_first});
  }
  // Give duplicate symbols distinct ids so every output column is addressable.
  std::set<int> used;
  for (size_t i = 0; i < columns.size(); i++) {
    if (used.count(columns[i].symbol)) {
      columns[i].symbol = new_symbol();
    }
    used.insert(columns[i].symbol);
  }
  plan = make_project(plan, exprs, columns);

  if (spec.distinct) {
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::AGGREGATE;
    node->children = {plan};
    for (size_t i = 0; i < visible; i++) {
      node->group_keys.push_back(make_column(columns[i].symbol, columns[i].type, columns[i].name));
      node->columns.push_back(columns[i]);
    }
    node->estimated_rows = plan->estimated_rows;
    plan = node;
  }
  if (!sort_keys.empty()) {
    auto sort = std::make_shared<PlanNode>();
    sort->kind = PlanKind::SORT;
    sort->children = {plan};
    sort->columns = plan->columns;
    sort->sort_keys = sort_keys;
    sort->estimated_rows = plan->estimated_rows;
    plan = sort;
  }
  if (query) plan = apply_limit(plan, *query);
  if (plan->columns.size() > visible) {
    std::vector<BExprPtr> final_exprs;
    std::vector<PlanColumn> final_columns;
    for (size_t i = 0; i < visible; i++) {
      final_exprs.push_back(make_column(plan->columns[i].symbol, plan->columns[i].type, plan->columns[i].name));
      final_columns.push_back(plan->columns[i]);
    }
    plan = make_project(plan, final_exprs, final_columns);
  }
  out.plan = plan;
  return out;
}

PlanPtr Binder::Impl::plan_windows(PlanPtr plan, WindowContext& win) {
  // One WINDOW node per distinct (partition, order) specification.
  size_t i = 0;
  while (i < win.calls.size()) {
    auto& first = win.calls[i];
    std::vector<size_t> group = {i};
    for (size_t j = i + 1; j < win.calls.size(); j++) {
      auto& other = win.calls[j];
      bool same = other.partition.size() == first.partition.size() && other.order.size() == first.order.size();
      for (size_t k = 0; same && k < first.partition.size(); k++)
        same = expr_equals(*first.partition[k], *other.partition[k]);
      for (size_t k = 0; same && k < first.order.size(); k++)
        same = expr_equals(*first.order[k].first, *other.order[k].first) &&
               first.order[k].second == other.order[k].second;
      if (same) group.push_back(j);
    }
    std::vector<BExprPtr> needed = first.partition;
    for (const auto& o : first.order) needed.push_back(o.first);
    for (size_t g : group) needed.insert(needed.end(), win.calls[g].args.begin(), win.calls[g].args.end());
    auto refs = materialize(plan, needed);
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::WINDOW;
    node->children = {plan};
    node->columns = plan->columns;
    size_t k = 0;
    for (size_t p = 0; p < first.partition.size(); p++) node->partition_keys.push_back(refs[k++]);
    for (const auto& o : first.order) node->window_order.push_back({refs[k++], o.second.first, o.second.second});
    for (size_t g : group) {
      auto& call = win.calls[g];
      WindowCall wc;
      wc.function = call.aggregate ? "aggregate" : call.name;
      wc.aggregate = call.aggregate;
      for (size_t a = 0; a < call.args.size(); a++) wc.args.push_back(refs[k++]);
      wc.frame = call.frame;
      wc.output_symbol = call.symbol;
      wc.type = call.type;
      wc.ignore_nulls = call.ignore_nulls;
      node->window_calls.push_back(wc);
      node->columns.push_back({call.symbol, call.name, call.type});
    }
    node->estimated_rows = plan->estimated_rows;
    plan = node;
    // Remove the grouped calls.
    std::vector<WindowContext::Call> rest;
    for (size_t j = 0; j < win.calls.size(); j++)
      if (std::find(group.begin(), group.end(), j) == group.end()) rest.push_back(win.calls[j]);
    win.calls = rest;
    i = 0;
  }
  return plan;
}


Binder::Binder(CatalogResolver& catalogs, const Session& session)
    : impl_(std::make_unique<Impl>(catalogs, session)) {}
Binder::~Binder() = default;

BoundQuery Binder::bind_query(const sql::Query& query) {
  return impl_->bind_query_with_outer(query, nullptr, nullptr);
}

void Binder::resolve_table_name(const std::vector<std::string>& parts, sql::Location location, std::string* catalog,
                                std::string* schema, std::string* table) {
  impl_->resolve_name(parts, location, catalog, schema, table);
}

}  // namespace tributary::planner
