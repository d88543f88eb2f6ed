// Binder: AST -> logical plan with typed, resolved expressions. Resolves
// catalog.schema.table names (case-insensitively), columns against scopes
// (with correlation into enclosing queries), functions through the registry,
// and applies Trino's implicit coercions. Every error names the problem and
// the line:column of the offending text, and suggests the nearest name.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "planner/plan.h"
#include "sql/ast.h"

namespace tributary::planner {

// What the binder needs from the engine: catalogs and views.
class CatalogResolver {
 public:
  virtual ~CatalogResolver() = default;
  virtual std::shared_ptr<Connector> find_catalog(const std::string& name) = 0;
  virtual std::vector<std::string> catalog_names() = 0;
  // SQL text of a view, if `catalog.schema.name` is a view.
  virtual std::optional<std::string> find_view(const std::string& catalog, const std::string& schema,
                                               const std::string& name) {
    return std::nullopt;
  }
};

struct Session {
  std::string catalog;
  std::string schema;
  std::vector<Value> parameters;  // values for `?` placeholders, in order
  // Set by the Athena service: names the files CTAS / INSERT INTO write, and where a CTAS
  // without external_location puts its table.
  std::string query_id;
  std::string default_table_location;
  FunctionContext function_context;
};

struct BoundQuery {
  PlanPtr plan;                      // the root's columns are the result columns, in order
  std::vector<std::string> names;    // result column names
};

// Binds a query. Not thread-safe; one Binder per statement.
class Binder {
 public:
  Binder(CatalogResolver& catalogs, const Session& session);
  ~Binder();
  BoundQuery bind_query(const sql::Query& query);
  // Resolves a (possibly partial) table name to catalog, schema, table using the session defaults.
  void resolve_table_name(const std::vector<std::string>& parts, sql::Location location, std::string* catalog,
                          std::string* schema, std::string* table);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::planner
