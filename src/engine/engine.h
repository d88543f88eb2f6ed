// Engine: the embedded entry point. Owns the catalogs (from a config directory
// of `catalog/NAME.properties` files plus the built-in `system` catalog) and
// in-memory views, and executes SQL statements for a Session.
// Thread-safe: many statements may run at once.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
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
  size_t row_count() const;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();

  // Loads every `catalog/*.properties` under config_dir. Throws Error on a bad file.
  void load_config_dir(const std::string& config_dir);
  // Registers (or replaces) a catalog. Throws Error for an unknown connector or bad properties.
  void add_catalog(const std::string& name, const ConnectorProperties& properties);
  void drop_catalog(const std::string& name);
  std::vector<std::string> catalog_names();

  // Executes one statement. `cancel` (optional) stops it early with Error(CANCELLED).
  StatementResult execute(const std::string& sql, planner::Session& session, std::atomic<bool>* cancel = nullptr);

  const EngineOptions& options() const { return options_; }

 private:
  class Resolver;
  StatementResult run_query(const std::string& sql, const sql::Query& query, planner::Session& session,
                            std::atomic<bool>* cancel, bool explain, bool analyze);
  StatementResult run_metadata(const sql::Statement& statement, planner::Session& session);

  EngineOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Connector>> catalogs_;
  std::map<std::string, std::string> views_;  // "catalog.schema.name" -> SQL
  std::unique_ptr<Resolver> resolver_;
};

// Reads a Java-style .properties file (key=value, # comments, ${ENV:NAME} expansion).
ConnectorProperties read_properties_file(const std::string& path);

// SQL LIKE matching for SHOW ... LIKE (% and _).
bool like_match(const std::string& pattern, const std::string& value);

}  // namespace tributary::engine
