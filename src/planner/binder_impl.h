// Internal to the binder: the Binder::Impl class shared by binder.cpp (queries and
// the public API), binder_expressions.cpp (expressions, functions, subqueries) and
// binder_relations.cpp (tables, views, CTEs, joins). Not a public header.
#pragma once
#include "planner/binder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "function/cast.h"
#include "function/function.h"
#include "planner/expression_evaluator.h"
#include "sql/parser.h"

namespace tributary::planner {

using sql::Expr;
using sql::ExprKind;
using sql::Location;

namespace binder_internal {

inline std::string lower(std::string s) {
  for (auto& c : s) c = (char)std::tolower((unsigned char)c);
  return s;
}

inline bool iequals(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

[[noreturn]] inline void fail(ErrorCode code, const std::string& message, Location loc) {
  throw_error(code, message, loc.line, loc.column);
}

struct ScopeColumn {
  std::vector<std::string> qualifier;  // e.g. {catalog, schema, table} or {alias}
  std::string name;
  int symbol;
  Type type;
  bool hidden = false;  // USING duplicates: reachable qualified only
};

struct Scope {
  std::vector<ScopeColumn> columns;
  Scope* outer = nullptr;
  std::vector<int>* outer_refs = nullptr;  // where correlated references are recorded
};

// Aggregation being built for one query specification.
struct AggregationContext {
  Scope* input_scope = nullptr;
  struct Call {
    std::string name;
    bool distinct;
    std::vector<BExprPtr> args;  // bound over input scope
    BExprPtr filter;
    std::shared_ptr<const BoundAggregate> function;
    int symbol;
    Type type;
  };
  std::vector<Call> calls;
  bool allowed = false;
  std::string clause = "This clause";  // for the error when aggregates are not allowed
  std::string nested_in;               // set while binding the arguments of an aggregate
};

struct WindowContext {
  struct Call {
    std::string name;
    std::vector<BExprPtr> args;
    std::vector<BExprPtr> partition;
    std::vector<std::pair<BExprPtr, std::pair<bool, bool>>> order;  // expr, (asc, nulls_first)
    FrameSpec frame;
    std::shared_ptr<const BoundAggregate> aggregate;
    int symbol;
    Type type;
    bool ignore_nulls = false;
  };
  std::vector<Call> calls;
  bool allowed = false;
};

inline const std::set<std::string>& window_only_functions() {
  static const std::set<std::string> names = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
                                              "ntile", "lag", "lead", "first_value", "last_value", "nth_value"};
  return names;
}

}  // namespace binder_internal

using namespace binder_internal;

struct Binder::Impl {
  CatalogResolver& catalogs;
  Session session;
  int next_symbol = 0;
  std::vector<std::map<std::string, const sql::WithItem*>> cte_stack;
  int view_depth = 0;
  Impl(CatalogResolver& c, const Session& s) : catalogs(c), session(s) {}
  int new_symbol();
  // ---------------------------------------------------------------- helpers
  BExprPtr coerce(const BExprPtr& e, const Type& to, Location loc);
  BExprPtr fold(const BExprPtr& e);
  Type common_type(const std::vector<BExprPtr>& exprs, Location loc, const std::string& what);
  BExprPtr call_function(const std::string& name, std::vector<BExprPtr> args, Location loc,
                         const std::string& operator_text = "");
  BExprPtr compare(const std::string& op, BExprPtr left, BExprPtr right, Location loc);
  bool unwrap_cast(const BExprPtr& column_side, BExprPtr& constant_side, const Type& common);
  BExprPtr boolean_operand(const BExprPtr& e, Location loc, const std::string& context);
  BExprPtr make_logical(BoundKind kind, std::vector<BExprPtr> args);
  // ---------------------------------------------------------------- names
  std::vector<std::string> scope_names(const Scope& scope);
  static bool qualifier_matches(const ScopeColumn& column, const std::vector<std::string>& qualifier);
  // Finds a column in one scope; nullptr if absent. Throws on ambiguity.
  const ScopeColumn* find_in_scope(const Scope& scope, const std::vector<std::string>& parts, Location loc);
  static std::string sql_join(const std::vector<std::string>& parts);
  BExprPtr resolve_column(const std::vector<std::string>& parts, Scope& scope, Location loc);
  // ---------------------------------------------------------------- expressions
  BExprPtr literal(const Expr& e);
  BExprPtr interval_literal(const Expr& e);
  BExprPtr bind_expr(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win);
  BExprPtr bind_case(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win);
  FrameSpec bind_frame(const sql::WindowSpec& w, Location loc);
  BExprPtr bind_function(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win);
  BExprPtr bind_aggregate_call(const Expr& e, const std::string& name, AggregationContext& agg, WindowContext* win);
  BExprPtr bind_window_function(const Expr& e, const std::string& name, Scope& scope, AggregationContext* agg,
                                WindowContext* win);
  // A reference to `symbol` as seen from `scope`: a COLUMN when it is local, an OUTER_REF otherwise.
  BExprPtr column_by_symbol(int symbol, Scope& scope, Location loc);
  BExprPtr bind_subquery(const Expr& e, Scope& scope, AggregationContext* agg, WindowContext* win);
  // ---------------------------------------------------------------- relations
  struct RelationPlan {
    PlanPtr plan;
    Scope scope;
  };
  PlanPtr make_project(PlanPtr child, std::vector<BExprPtr> exprs, std::vector<PlanColumn> columns);
  void resolve_name(const std::vector<std::string>& parts, Location loc, std::string* catalog, std::string* schema,
                    std::string* table);
  std::shared_ptr<Connector> connector_for(const std::string& catalog, Location loc);
  RelationPlan scan_relation(const std::string& catalog, std::shared_ptr<Connector> connector,
                             const TableMetadata& metadata, const std::vector<std::string>& qualifier);
  RelationPlan bind_table_function(const sql::Relation& rel);
  RelationPlan bind_table(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs);
  void apply_column_aliases(const sql::Relation& rel, RelationPlan& out);
  RelationPlan bind_relation(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs);
  RelationPlan bind_join(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs);
  // ---------------------------------------------------------------- queries
  BoundQuery bind_query_with_outer(const sql::Query& query, Scope* outer, std::vector<int>* outer_refs);
  int64_t constant_count(const sql::ExprPtr& e, const char* what);
  // ORDER BY / LIMIT / OFFSET apply on top of `plan` whose columns are the visible output.
  // For query specifications the order-by is handled inside bind_spec (it may see input columns).
  BoundQuery bind_query_body(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs,
                             const sql::Query* query);
  BoundQuery apply_order_limit(BoundQuery inner, const sql::Query& query, Scope* outer, std::vector<int>* outer_refs);
  PlanPtr apply_limit(PlanPtr plan, const sql::Query& query);
  BoundQuery bind_values(const sql::QueryBody& body);
  BoundQuery bind_set_operation(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs);
  // Copy of an ORDER BY expression with select-list aliases replaced by their expressions.
  sql::ExprPtr substitute_aliases(const sql::ExprPtr& e, const std::map<std::string, const sql::Expr*>& aliases);
  // Rewrites a post-aggregation expression: group-key subtrees -> key columns; checks
  // that no other input column survives.
  BExprPtr rewrite_after_aggregation(const BExprPtr& e, const std::vector<std::pair<BExprPtr, BExprPtr>>& keys,
                                     const std::set<int>& input_symbols, const std::set<int>& agg_symbols,
                                     Location loc);
  // Adds a projection over `plan` that passes its columns through and computes `exprs`;
  // returns column refs for each expr (reusing existing columns when an expr is one).
  std::vector<BExprPtr> materialize(PlanPtr& plan, const std::vector<BExprPtr>& exprs);
  std::string output_name(const sql::SelectItem& item, size_t index);
  BoundQuery bind_spec(const sql::QueryBody& body, Scope* outer, std::vector<int>* outer_refs,
                       const sql::Query* query);
  PlanPtr plan_windows(PlanPtr plan, WindowContext& win);
};

}  // namespace tributary::planner
