// Binder: FROM-clause relations: tables, views, CTE references, subqueries, joins.
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

PlanPtr Binder::Impl::make_project(PlanPtr child, std::vector<BExprPtr> exprs, std::vector<PlanColumn> columns) {
  auto p = std::make_shared<PlanNode>();
  p->kind = PlanKind::PROJECT;
  p->children = {child};
  p->exprs = std::move(exprs);
  p->columns = std::move(columns);
  p->estimated_rows = child->estimated_rows;
  return p;
}

void Binder::Impl::resolve_name(const std::vector<std::string>& parts, Location loc, std::string* catalog, std::string* schema, std::string* table) {
  if (parts.size() == 1) {
    *catalog = session.catalog;
    *schema = session.schema;
    *table = parts[0];
  } else if (parts.size() == 2) {
    *catalog = session.catalog;
    *schema = parts[0];
    *table = parts[1];
  } else if (parts.size() == 3) {
    *catalog = parts[0];
    *schema = parts[1];
    *table = parts[2];
  } else {
    fail(ErrorCode::SYNTAX_ERROR, "Too many dots in table name: " + sql_join(parts), loc);
  }
  if (catalog->empty())
    fail(ErrorCode::NOT_FOUND, "Catalog must be specified when session catalog is not set", loc);
  if (schema->empty())
    fail(ErrorCode::NOT_FOUND, "Schema must be specified when session schema is not set", loc);
}

std::shared_ptr<Connector> Binder::Impl::connector_for(const std::string& catalog, Location loc) {
  auto connector = catalogs.find_catalog(lower(catalog));
  if (!connector)
    fail(ErrorCode::NOT_FOUND, "Catalog '" + catalog + "' does not exist." + did_you_mean(catalog, catalogs.catalog_names()),
         loc);
  return connector;
}

Binder::Impl::RelationPlan Binder::Impl::bind_table(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
  // CTE?
  if (rel.name.size() == 1) {
    for (auto it = cte_stack.rbegin(); it != cte_stack.rend(); ++it) {
      auto found = it->find(lower(rel.name[0]));
      if (found == it->end()) continue;
      const sql::WithItem& item = *found->second;
      // Bind the CTE body with only the CTEs defined before it visible (no self-reference).
      auto saved = cte_stack;
      size_t level = (size_t)(cte_stack.rend() - it) - 1;
      cte_stack.resize(level + 1);
      auto& visible = cte_stack[level];
      for (auto entry = visible.begin(); entry != visible.end();) {
        if (entry->second == &item || entry->second->location.line > item.location.line ||
            (entry->second->location.line == item.location.line &&
             entry->second->location.column >= item.location.column))
          entry = visible.erase(entry);
        else
          ++entry;
      }
      BoundQuery bound;
      try {
        bound = bind_query_with_outer(*item.query, outer, outer_refs);
      } catch (...) {
        cte_stack = saved;
        throw;
      }
      cte_stack = saved;
      RelationPlan out;
      out.plan = bound.plan;
      std::string alias = rel.alias.empty() ? item.name : rel.alias;
      if (!item.column_aliases.empty() && item.column_aliases.size() != bound.names.size())
        fail(ErrorCode::TYPE_MISMATCH, "WITH column alias list has " + std::to_string(item.column_aliases.size()) +
                                           " entries but WITH query has " + std::to_string(bound.names.size()) + " columns",
             item.location);
      for (size_t i = 0; i < bound.plan->columns.size(); i++) {
        std::string name = item.column_aliases.empty() ? bound.names[i] : item.column_aliases[i];
        out.scope.columns.push_back({{alias}, name, bound.plan->columns[i].symbol, bound.plan->columns[i].type});
      }
      apply_column_aliases(rel, out);
      return out;
    }
  }
  std::string catalog, schema, table;
  resolve_name(rel.name, rel.location, &catalog, &schema, &table);
  auto connector = connector_for(catalog, rel.location);
  // Every catalog has an information_schema: the system catalog's, narrowed to this catalog.
  std::string catalog_filter;
  if (lower(schema) == "information_schema" && lower(catalog) != "system") {
    catalog_filter = lower(catalog);
    connector = connector_for("system", rel.location);
  }
  // View?
  if (auto view_sql = catalogs.find_view(lower(catalog), lower(schema), lower(table))) {
    if (view_depth > 16) fail(ErrorCode::INVALID_ARGUMENT, "View nesting is too deep (cycle?)", rel.location);
    view_depth++;
    auto stmt = sql::parse_statement(*view_sql);
    auto saved = cte_stack;
    cte_stack.clear();
    BoundQuery bound = bind_query_with_outer(*stmt->query, nullptr, nullptr);
    cte_stack = saved;
    view_depth--;
    RelationPlan out;
    out.plan = bound.plan;
    std::vector<std::string> qualifier = {lower(catalog), lower(schema), rel.alias.empty() ? lower(table) : rel.alias};
    if (!rel.alias.empty()) qualifier = {rel.alias};
    for (size_t i = 0; i < bound.plan->columns.size(); i++)
      out.scope.columns.push_back({qualifier, bound.names[i], bound.plan->columns[i].symbol, bound.plan->columns[i].type});
    apply_column_aliases(rel, out);
    return out;
  }
  std::optional<TableMetadata> metadata;
  try {
    metadata = connector->get_table(schema, table);
  } catch (const Error& error) {
    fail(error.code(), error.message(), rel.location);
  }
  if (!metadata) {
    std::vector<std::string> schemas;
    try {
      schemas = connector->list_schemas();
    } catch (const Error&) {
    }
    bool schema_exists = false;
    for (const auto& s : schemas)
      if (iequals(s, schema)) schema_exists = true;
    if (!schema_exists)
      fail(ErrorCode::NOT_FOUND, "Schema '" + schema + "' does not exist in catalog '" + catalog + "'." +
                                     did_you_mean(schema, schemas),
           rel.location);
    std::vector<std::string> tables;
    try {
      tables = connector->list_tables(schema);
    } catch (const Error&) {
    }
    fail(ErrorCode::NOT_FOUND,
         "Table '" + catalog + "." + schema + "." + table + "' does not exist." + did_you_mean(table, tables),
         rel.location);
  }
  std::vector<std::string> qualifier = {lower(catalog), lower(metadata->schema), lower(metadata->name)};
  if (!rel.alias.empty()) qualifier = {rel.alias};
  RelationPlan out = scan_relation(catalog_filter.empty() ? lower(catalog) : "system", connector, *metadata, qualifier);
  auto scan = out.plan;
  if (!catalog_filter.empty()) {
    // The first column of every information_schema table is the catalog name.
    auto filter = std::make_shared<PlanNode>();
    filter->kind = PlanKind::FILTER;
    filter->children = {scan};
    filter->columns = scan->columns;
    filter->predicate = compare("=", make_column(scan->columns[0].symbol, scan->columns[0].type, scan->columns[0].name),
                                make_constant(Value::string(catalog_filter)), rel.location);
    out.plan = filter;
  }
  apply_column_aliases(rel, out);
  return out;
}

Binder::Impl::RelationPlan Binder::Impl::scan_relation(const std::string& catalog, std::shared_ptr<Connector> connector,
                                                       const TableMetadata& metadata,
                                                       const std::vector<std::string>& qualifier) {
  auto scan = std::make_shared<PlanNode>();
  scan->kind = PlanKind::SCAN;
  scan->catalog = catalog;
  scan->connector = std::move(connector);
  scan->table = metadata;
  scan->estimated_rows = metadata.row_count.value_or(-1);
  RelationPlan out;
  for (size_t i = 0; i < metadata.columns.size(); i++) {
    int symbol = new_symbol();
    scan->scan_columns.push_back((int)i);
    scan->columns.push_back({symbol, metadata.columns[i].name, metadata.columns[i].type});
    out.scope.columns.push_back({qualifier, lower(metadata.columns[i].name), symbol, metadata.columns[i].type});
  }
  out.plan = scan;
  return out;
}

// read_parquet('path') / read_csv / read_json / read_files (also as TABLE(read_parquet(...))):
// one-off reads of a file, folder or glob, local or s3://, through the hidden `$path` catalog.
Binder::Impl::RelationPlan Binder::Impl::bind_table_function(const sql::Relation& rel) {
  static const std::vector<std::pair<std::string, std::string>> functions = {
      {"read_parquet", "parquet"}, {"read_csv", "csv"}, {"read_json", "json"}, {"read_files", "auto"}};
  std::string name = lower(rel.name.back());
  bool qualified_ok = rel.name.size() == 1 || (rel.name.size() == 2 && lower(rel.name[0]) == "system") ||
                      (rel.name.size() == 3 && lower(rel.name[1]) == "system");
  std::string format;
  for (const auto& [function, kind] : functions)
    if (function == name) format = kind;
  if (format.empty() || !qualified_ok) {
    std::vector<std::string> names;
    for (const auto& f : functions) names.push_back(f.first);
    fail(ErrorCode::NOT_FOUND, "Table function '" + sql_join(rel.name) + "' does not exist." + did_you_mean(name, names),
         rel.location);
  }
  if (rel.function_args.size() != 1 || rel.function_args[0]->kind != sql::ExprKind::LITERAL ||
      rel.function_args[0]->literal_kind != sql::LiteralKind::STRING)
    fail(ErrorCode::INVALID_ARGUMENT, name + "() takes one argument: a path as a string literal, e.g. " + name +
                                          "('s3://bucket/folder/')",
         rel.location);
  std::string path = rel.function_args[0]->text;
  auto connector = catalogs.find_catalog("$path");
  if (!connector) fail(ErrorCode::NOT_SUPPORTED, "Table functions are not available here", rel.location);
  std::optional<TableMetadata> metadata;
  try {
    metadata = connector->get_table(format, path);
  } catch (const Error& error) {
    fail(error.code(), error.message(), rel.location);
  }
  if (!metadata) fail(ErrorCode::NOT_FOUND, "Path '" + path + "': no such file or folder", rel.location);
  std::vector<std::string> qualifier = {rel.alias.empty() ? name : rel.alias};
  RelationPlan out = scan_relation("$path", connector, *metadata, qualifier);
  apply_column_aliases(rel, out);
  return out;
}

void Binder::Impl::apply_column_aliases(const sql::Relation& rel, RelationPlan& out) {
  if (rel.column_aliases.empty()) return;
  size_t visible = 0;
  for (const auto& c : out.scope.columns)
    if (!c.hidden) visible++;
  if (rel.column_aliases.size() != visible)
    fail(ErrorCode::TYPE_MISMATCH,
         "Column alias list has " + std::to_string(rel.column_aliases.size()) + " entries but '" + rel.alias +
             "' has " + std::to_string(visible) + " columns available",
         rel.location);
  size_t k = 0;
  for (auto& c : out.scope.columns)
    if (!c.hidden) c.name = rel.column_aliases[k++];
}

Binder::Impl::RelationPlan Binder::Impl::bind_relation(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
  switch (rel.kind) {
    case sql::Relation::TABLE: return bind_table(rel, outer, outer_refs);
    case sql::Relation::SUBQUERY: {
      BoundQuery bound = bind_query_with_outer(*rel.subquery, outer, outer_refs);
      RelationPlan out;
      out.plan = bound.plan;
      std::vector<std::string> qualifier;
      if (!rel.alias.empty()) qualifier = {rel.alias};
      for (size_t i = 0; i < bound.plan->columns.size(); i++)
        out.scope.columns.push_back({qualifier, bound.names[i], bound.plan->columns[i].symbol, bound.plan->columns[i].type});
      apply_column_aliases(rel, out);
      return out;
    }
    case sql::Relation::JOIN: return bind_join(rel, outer, outer_refs);
    case sql::Relation::TABLE_FUNCTION: return bind_table_function(rel);
    case sql::Relation::VALUES: break;
  }
  fail(ErrorCode::INTERNAL_ERROR, "unhandled relation", rel.location);
}

Binder::Impl::RelationPlan Binder::Impl::bind_join(const sql::Relation& rel, Scope* outer, std::vector<int>* outer_refs) {
  RelationPlan left = bind_relation(*rel.left, outer, outer_refs);
  RelationPlan right = bind_relation(*rel.right, outer, outer_refs);
  auto join = std::make_shared<PlanNode>();
  join->kind = PlanKind::JOIN;
  join->children = {left.plan, right.plan};
  join->columns = left.plan->columns;
  join->columns.insert(join->columns.end(), right.plan->columns.begin(), right.plan->columns.end());
  switch (rel.join_type) {
    case sql::JoinType::INNER: join->join_kind = JoinKind::INNER; break;
    case sql::JoinType::LEFT: join->join_kind = JoinKind::LEFT; break;
    case sql::JoinType::RIGHT: join->join_kind = JoinKind::RIGHT; break;
    case sql::JoinType::FULL: join->join_kind = JoinKind::FULL; break;
    case sql::JoinType::CROSS: join->join_kind = JoinKind::CROSS; break;
  }
  RelationPlan out;
  out.scope.columns = left.scope.columns;
  out.scope.columns.insert(out.scope.columns.end(), right.scope.columns.begin(), right.scope.columns.end());
  out.scope.outer = outer;
  out.scope.outer_refs = outer_refs;
  std::vector<std::string> using_columns = rel.using_columns;
  if (rel.natural) {
    for (const auto& l : left.scope.columns)
      for (const auto& r : right.scope.columns)
        if (!l.hidden && !r.hidden && iequals(l.name, r.name)) using_columns.push_back(l.name);
    if (using_columns.empty()) join->join_kind = JoinKind::CROSS;
  }
  if (rel.on) {
    AggregationContext no_agg;
    no_agg.clause = "JOIN clause";
    BExprPtr condition = boolean_operand(bind_expr(*rel.on, out.scope, &no_agg, nullptr), rel.on->location,
                                         "JOIN ON clause");
    join->join_condition = condition;
    out.plan = join;
    return out;
  }
  if (!using_columns.empty()) {
    std::vector<BExprPtr> conjuncts;
    std::vector<ScopeColumn> merged;
    std::vector<BExprPtr> coalesced_exprs;
    std::vector<PlanColumn> coalesced_columns;
    std::set<int> hidden_symbols;
    for (const auto& name : using_columns) {
      const ScopeColumn* l = find_in_scope(left.scope, {name}, rel.location);
      const ScopeColumn* r = find_in_scope(right.scope, {name}, rel.location);
      if (!l || !r)
        fail(ErrorCode::NOT_FOUND, "Column '" + name + "' is missing from " + (l ? "right" : "left") + " side of join",
             rel.location);
      auto le = make_column(l->symbol, l->type, l->name);
      auto re = make_column(r->symbol, r->type, r->name);
      conjuncts.push_back(compare("=", le, re, rel.location));
      ScopeColumn m = *l;
      m.qualifier.clear();
      if (join->join_kind == JoinKind::RIGHT) {
        m = *r;
        m.qualifier.clear();
      } else if (join->join_kind == JoinKind::FULL) {
        Type common = common_type({le, re}, rel.location, "USING columns");
        auto c = std::make_shared<BoundExpr>();
        c->kind = BoundKind::COALESCE;
        c->type = common;
        c->args = {coerce(le, common, rel.location), coerce(re, common, rel.location)};
        int symbol = new_symbol();
        coalesced_exprs.push_back(c);
        coalesced_columns.push_back({symbol, name, common});
        m.symbol = symbol;
        m.type = common;
      }
      merged.push_back(m);
      hidden_symbols.insert(l->symbol);
      hidden_symbols.insert(r->symbol);
    }
    join->join_condition = make_and(conjuncts);
    PlanPtr plan = join;
    if (!coalesced_exprs.empty()) {
      std::vector<BExprPtr> exprs;
      std::vector<PlanColumn> columns;
      for (const auto& c : join->columns) {
        exprs.push_back(make_column(c.symbol, c.type, c.name));
        columns.push_back(c);
      }
      exprs.insert(exprs.end(), coalesced_exprs.begin(), coalesced_exprs.end());
      columns.insert(columns.end(), coalesced_columns.begin(), coalesced_columns.end());
      plan = make_project(join, exprs, columns);
    }
    // Scope: USING columns first (unqualified), then the rest; originals stay reachable qualified.
    Scope scope;
    scope.outer = outer;
    scope.outer_refs = outer_refs;
    scope.columns = merged;
    for (auto c : left.scope.columns) {
      if (hidden_symbols.count(c.symbol)) c.hidden = true;
      scope.columns.push_back(c);
    }
    for (auto c : right.scope.columns) {
      if (hidden_symbols.count(c.symbol)) c.hidden = true;
      scope.columns.push_back(c);
    }
    out.plan = plan;
    out.scope = scope;
    return out;
  }
  out.plan = join;
  return out;
}

}  // namespace tributary::planner
