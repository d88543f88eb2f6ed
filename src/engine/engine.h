// Engine: the embedded entry point. Owns the catalogs (from a config directory
// of `catalog/NAME.properties` files plus the built-in `system` catalog) and
// in-memory views, and executes SQL statements for a Session.
// Thread-safe: many statements may run at once.
#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "planner/binder.h"
#include "vector/vector.h"

namespace tributary::engine {

struct EngineOptions {
  int threads = 0;                        // 0 = hardware concurrency
  int64_t memory_limit_bytes = 4LL << 30; // per query
};

struct QueryStats {
  double planning_ms = 0;        // parse, bind, optimize
  uint64_t rows = 0;
  uint64_t bytes_scanned = 0;
  uint64_t rows_scanned = 0;
  double elapsed_ms = 0;
  int64_t peak_memory = 0;
  uint64_t rejected_values = 0;  // warnings: source values read as NULL (type mismatch)
};

struct StatementResult {
  std::vector<std::string> names;
  std::vector<Type> types;
  std::vector<Chunk> chunks;
  QueryStats stats;
  bool is_query = true;  // false for USE / CREATE VIEW ... (no result set)
  std::string update_type;
  int64_t update_count = -1;  // rows written by CREATE TABLE AS / INSERT INTO; -1 otherwise
  std::string executed_plan;  // with QueryControl::keep_plan: the plan with per-operator statistics
  size_t row_count() const;
};

// Where views live. The engine keeps them in memory by default; the Athena service stores
// them in its metastore so they survive restarts. Names arrive lower-cased. Thread-safe.
class ViewStore {
 public:
  virtual ~ViewStore() = default;
  virtual std::optional<std::string> find(const std::string& catalog, const std::string& schema,
                                          const std::string& name) = 0;
  // Stores the view's SELECT text; returns false (and changes nothing) when it exists and !replace.
  virtual bool put(const std::string& catalog, const std::string& schema, const std::string& name,
                   const std::string& sql, bool replace) = 0;
  // Returns false when there was no such view.
  virtual bool remove(const std::string& catalog, const std::string& schema, const std::string& name) = 0;
  // Names of the views of one schema.
  virtual std::vector<std::string> list(const std::string& catalog, const std::string& schema) = 0;
};

// How a caller steers and watches one statement.
struct QueryControl {
  std::atomic<bool>* cancel = nullptr;      // set to stop the statement with Error(CANCELLED)
  uint64_t max_bytes_scanned = 0;           // 0 = unlimited; beyond it: Error(LIMIT_EXCEEDED)
  std::atomic<uint64_t>* bytes_scanned = nullptr;  // when set, updated while the query runs
  bool keep_plan = false;                   // fill StatementResult::executed_plan
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();

  // Loads every `catalog/*.properties` under config_dir. Throws Error on a bad file.
  void load_config_dir(const std::string& config_dir);
  // Registers (or replaces) a catalog. Throws Error for an unknown connector or bad properties.
  void add_catalog(const std::string& name, const ConnectorProperties& properties);
  // Registers (or replaces) a catalog served by an already built connector.
  void add_catalog(const std::string& name, std::shared_ptr<Connector> connector);
  void drop_catalog(const std::string& name);
  bool has_catalog(const std::string& name);
  // The connector of a catalog; nullptr when there is none.
  std::shared_ptr<Connector> find_connector(const std::string& name);
  // Replaces the in-memory view store (call before executing statements).
  void set_view_store(std::shared_ptr<ViewStore> store);
  std::vector<std::string> catalog_names();

  // Executes one statement. `cancel` (optional) stops it early with Error(CANCELLED).
  StatementResult execute(const std::string& sql, planner::Session& session, std::atomic<bool>* cancel = nullptr);
  StatementResult execute(const std::string& sql, planner::Session& session, const QueryControl& control);

  const EngineOptions& options() const { return options_; }

 private:
  class Resolver;
  // With `consumer`, the rows stream to it (in result order) instead of being returned.
  StatementResult run_query(const std::string& sql, const sql::Query& query, planner::Session& session,
                            const QueryControl& control, bool explain, bool analyze,
                            const std::function<void(Chunk&)>* consumer = nullptr);
  StatementResult run_metadata(const sql::Statement& statement, planner::Session& session);
  StatementResult run_write(const std::string& sql, const sql::Statement& statement, planner::Session& session,
                            const QueryControl& control);
  std::shared_ptr<ViewStore> view_store();

  EngineOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Connector>> catalogs_;
  std::shared_ptr<ViewStore> views_;
  std::unique_ptr<Resolver> resolver_;
};

// Reads a Java-style .properties file (key=value, # comments, ${ENV:NAME} expansion).
ConnectorProperties read_properties_file(const std::string& path);

// SQL LIKE matching for SHOW ... LIKE (% and _).
bool like_match(const std::string& pattern, const std::string& value);

}  // namespace tributary::engine
