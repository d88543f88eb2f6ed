#include "service/metastore_schema.h"

#include <iterator>

#include "common/error.h"
#include "service/metastore.h"
#include "service/sqlite_statement.h"

namespace tributary::service {

namespace {

// The schema, one entry per version: entry i moves a file from version i to i + 1. Each
// runs in the same transaction as its version bump. Statements are written to be
// harmless when their object already exists, so a partially created file still migrates.
// Append new versions; never edit a released one.
const char* const kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE IF NOT EXISTS connector_functions (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  connector_name TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS data_catalogs (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  type TEXT NOT NULL,
  description TEXT NOT NULL,
  parameters TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS workgroups (
  name TEXT NOT NULL PRIMARY KEY,
  description TEXT NOT NULL,
  state TEXT NOT NULL,
  configuration TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS views (
  catalog TEXT NOT NULL COLLATE NOCASE,
  schema_name TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  sql TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (catalog, schema_name, name)
);
CREATE TABLE IF NOT EXISTS named_queries (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  database TEXT NOT NULL,
  query_string TEXT NOT NULL,
  workgroup TEXT NOT NULL REFERENCES workgroups(name) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS named_queries_by_workgroup ON named_queries (workgroup, created_at, id);
CREATE TABLE IF NOT EXISTS queries (
  id TEXT NOT NULL PRIMARY KEY,
  query_string TEXT NOT NULL,
  statement_type TEXT NOT NULL,
  substatement_type TEXT NOT NULL,
  state TEXT NOT NULL,
  state_change_reason TEXT NOT NULL,
  error_category INTEGER NOT NULL,
  error_type INTEGER NOT NULL,
  error_retryable INTEGER NOT NULL,
  error_message TEXT NOT NULL,
  workgroup TEXT NOT NULL REFERENCES workgroups(name) ON DELETE CASCADE,
  catalog TEXT NOT NULL,
  database TEXT NOT NULL,
  output_location TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  engine_execution_time_ms INTEGER NOT NULL,
  data_scanned_bytes INTEGER NOT NULL,
  total_execution_time_ms INTEGER NOT NULL,
  queue_time_ms INTEGER NOT NULL,
  planning_time_ms INTEGER NOT NULL,
  service_processing_time_ms INTEGER NOT NULL,
  result_rows INTEGER NOT NULL,
  client_request_token TEXT,
  execution_parameters TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_by_workgroup ON queries (workgroup, submitted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS queries_by_state ON queries (state);
CREATE UNIQUE INDEX IF NOT EXISTS queries_by_client_request_token ON queries (client_request_token)
  WHERE client_request_token IS NOT NULL;
CREATE TABLE IF NOT EXISTS users (
  name TEXT NOT NULL PRIMARY KEY,
  access_key_id TEXT NOT NULL UNIQUE,
  secret_access_key TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 1 -> 2: the AwsDataCatalog's databases, external tables and their partitions.
    R"sql(
CREATE TABLE IF NOT EXISTS databases (
  catalog TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT NOT NULL,
  location TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (catalog, name)
);
CREATE TABLE IF NOT EXISTS tables (
  catalog TEXT NOT NULL COLLATE NOCASE,
  database TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (catalog, database, name)
);
CREATE TABLE IF NOT EXISTS partitions (
  catalog TEXT NOT NULL COLLATE NOCASE,
  database TEXT NOT NULL COLLATE NOCASE,
  table_name TEXT NOT NULL COLLATE NOCASE,
  partition_values TEXT NOT NULL,  -- JSON array, compared exactly (values are case-sensitive)
  location TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (catalog, database, table_name, partition_values),
  FOREIGN KEY (catalog, database, table_name) REFERENCES tables (catalog, database, name) ON DELETE CASCADE
);
)sql",
};
static_assert(std::size(kMigrations) == Metastore::kSchemaVersion, "one migration per schema version");

}  // namespace

// One IMMEDIATE transaction for the whole migration, so two processes opening the same
// old file cannot both migrate it.
void migrate_metastore(sqlite3* db, const std::string& path) {
  exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  Transaction transaction(db);
  bool has_row = false;
  int version = 0;
  {
    Statement statement(db, "SELECT version FROM schema_version");
    if (statement.step()) {
      has_row = true;
      version = static_cast<int>(statement.int64(0));
    }
  }
  if (!has_row) exec(db, "INSERT INTO schema_version (version) VALUES (0)");
  if (version > Metastore::kSchemaVersion) {
    throw_error(ErrorCode::NOT_SUPPORTED, "metastore '" + path + "' has schema version " + std::to_string(version) +
                                              ", newer than this binary's " + std::to_string(Metastore::kSchemaVersion) +
                                              "; upgrade tributary");
  }
  for (int next = version; next < Metastore::kSchemaVersion; ++next) {
    exec(db, kMigrations[next]);
    Statement bump(db, "UPDATE schema_version SET version = ?1");
    bump.bind(1, next + 1).run();
  }
  Statement primary(db,
                    "INSERT OR IGNORE INTO workgroups (name, description, state, configuration, created_at) "
                    "VALUES ('primary', '', 'ENABLED', '{}', ?1)");
  primary.bind(1, now_millis()).run();
  transaction.commit();
}

int read_schema_version(sqlite3* db) {
  Statement statement(db, "SELECT version FROM schema_version");
  return statement.step() ? static_cast<int>(statement.int64(0)) : 0;
}

}  // namespace tributary::service
