// Metastore: the service's durable state in one SQLite database file under the data
// directory — connector functions, data catalogs, workgroups, views, named queries, query
// history and users (access keys for SigV4).
//
// The file is opened in WAL mode with a busy timeout and foreign keys on. A schema_version
// table records which migrations have run; open() applies the missing ones in order, each
// in its own transaction, so a newer binary opens a file written by an older one. A file
// from a newer binary (higher version than this one knows) is refused.
//
// The file holds users' secret access keys (needed to verify SigV4 signatures), so it and
// its -wal/-shm companions are created with mode 0600 (owner read/write only).
//
// Thread-safety: every method may be called from any thread; one connection is shared
// under a mutex (SQLite serializes writers anyway, and every call is short).
// Errors: methods throw tributary::Error — ALREADY_EXISTS, NOT_FOUND (the message names
// the entity), INVALID_ARGUMENT (bad names, enums, tokens, max_results); a failure of
// SQLite itself is INTERNAL_ERROR. Returned values are copies owned by the caller.
//
// Name matching: catalogs, connector functions and views are SQL identifiers and match
// case-insensitively (ASCII); workgroups, named-query ids, query ids and users are exact.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace tributary::service {

// Milliseconds since the Unix epoch.
int64_t now_millis();

enum class DataCatalogType { LAMBDA, GLUE, HIVE, FEDERATED };
enum class WorkGroupState { ENABLED, DISABLED };
enum class QueryState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED };
enum class StatementType { DDL, DML, UTILITY };

// Athena's spelling of each enum value; the parse functions throw INVALID_ARGUMENT
// listing the accepted values.
const char* to_string(DataCatalogType type);
const char* to_string(WorkGroupState state);
const char* to_string(QueryState state);
const char* to_string(StatementType type);
DataCatalogType parse_data_catalog_type(const std::string& text);
WorkGroupState parse_workgroup_state(const std::string& text);
QueryState parse_query_state(const std::string& text);
StatementType parse_statement_type(const std::string& text);
// SUCCEEDED, FAILED or CANCELLED.
bool is_terminal(QueryState state);

// A named, configured connector instance (the Lambda function analog).
struct ConnectorFunction {
  std::string name;
  std::string connector_name;  // "mysql", "dynamodb", ...
  std::map<std::string, std::string> properties;
  int64_t created_at = 0;  // set by the metastore
};

struct DataCatalog {
  std::string name;
  DataCatalogType type = DataCatalogType::LAMBDA;
  std::string description;
  std::map<std::string, std::string> parameters;  // e.g. function=arn:aws:lambda:...:function:NAME
  std::string status = "CREATE_COMPLETE";         // Athena's DataCatalogStatus
  int64_t created_at = 0;                         // set by the metastore
};

struct WorkGroup {
  std::string name;  // [a-zA-Z0-9._-]{1,128}
  std::string description;
  WorkGroupState state = WorkGroupState::ENABLED;
  // Athena's WorkGroupConfiguration as JSON text ("{}" when empty); the service interprets it.
  std::string configuration_json = "{}";
  int64_t created_at = 0;  // set by the metastore
};

// Partial update of a workgroup: only the fields that are set change.
struct WorkGroupUpdate {
  std::optional<std::string> description;
  std::optional<WorkGroupState> state;
  std::optional<std::string> configuration_json;
};

struct View {
  std::string catalog;
  std::string schema;
  std::string name;
  std::string sql;          // the SELECT text of the view
  int64_t created_at = 0;   // set by the metastore; kept by a replace
  int64_t updated_at = 0;   // set by the metastore
};

// A database (schema) of the AwsDataCatalog.
struct Database {
  std::string catalog;
  std::string name;
  std::string description;
  std::string location;  // default location of its tables (may be empty)
  std::map<std::string, std::string> properties;
  int64_t created_at = 0;  // set by the metastore
};

struct TableColumn {
  std::string name;
  std::string type;  // the SQL type as written (Hive spelling accepted: string, int, ...)
  std::string comment;
};

// An external table: files under `location` in one format; partition columns come from
// Hive-style `key=value/` folders (or registered partitions).
struct ExternalTable {
  std::string catalog;
  std::string database;
  std::string name;
  std::vector<TableColumn> columns;
  std::vector<TableColumn> partition_keys;
  std::string location;
  std::string format = "TEXTFILE";  // PARQUET, TEXTFILE (CSV/TSV), JSON
  std::map<std::string, std::string> serde_properties;  // field.delim, serialization.null.format, ...
  std::map<std::string, std::string> properties;        // TBLPROPERTIES
  std::string comment;
  int64_t created_at = 0;  // set by the metastore
};

struct TablePartition {
  std::vector<std::string> values;  // one per partition key, in order
  std::string location;
  int64_t created_at = 0;  // set by the metastore
};

struct NamedQuery {
  std::string id;  // UUID, generated by create_named_query
  std::string name;
  std::string description;
  std::string database;
  std::string query_string;
  std::string workgroup = "primary";
  int64_t created_at = 0;  // set by the metastore
};

struct QueryStatistics {
  int64_t engine_execution_time_ms = 0;
  int64_t data_scanned_bytes = 0;
  int64_t total_execution_time_ms = 0;
  int64_t queue_time_ms = 0;
  int64_t planning_time_ms = 0;
  int64_t service_processing_time_ms = 0;
  int64_t rows = 0;  // rows of the result (not an Athena field; for the console and history)
};

// One row of query history: Athena's QueryExecution.
struct QueryRecord {
  std::string id;  // UUID; generated by insert_query when empty
  std::string query_string;
  StatementType statement_type = StatementType::DML;
  std::string substatement_type;  // e.g. SELECT, CREATE_VIEW; may be empty
  QueryState state = QueryState::QUEUED;
  std::string state_change_reason;
  int error_category = 0;  // Athena's AthenaError: 1 SYSTEM, 2 USER, 3 OTHER; 0 = no error
  int error_type = 0;
  bool error_retryable = false;
  std::string error_message;
  std::string workgroup = "primary";
  std::string catalog;   // QueryExecutionContext.Catalog
  std::string database;  // QueryExecutionContext.Database
  std::string output_location;  // the result file's full location, e.g. s3://bucket/prefix/<id>.csv
  int64_t submitted_at = 0;  // ms since epoch; now when 0 at insert
  int64_t completed_at = 0;  // ms since epoch; 0 until terminal
  QueryStatistics statistics;
  std::string client_request_token;  // empty = none
  std::vector<std::string> execution_parameters;
};

// A state transition of a query record.
struct QueryStateChange {
  QueryState state = QueryState::RUNNING;
  std::string state_change_reason;
  int error_category = 0;
  int error_type = 0;
  bool error_retryable = false;
  std::string error_message;
  int64_t completed_at = 0;  // for terminal states: now when 0
};

struct User {
  std::string name;
  std::string access_key_id;      // "TRB" + 17 upper-case alphanumerics
  std::string secret_access_key;  // 40 characters; never log it
  int64_t created_at = 0;
};

// One page of a listing; next_token is empty on the last page. Tokens are opaque and only
// valid for the listing (and, for queries and named queries, the workgroup) that made them.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;
};

struct IdPage {
  std::vector<std::string> ids;
  std::string next_token;
};

struct NamedQueryBatch {
  std::vector<NamedQuery> found;
  std::vector<std::string> unprocessed_ids;  // ids that do not exist, in request order
};

struct QueryBatch {
  std::vector<QueryRecord> found;
  std::vector<std::string> unprocessed_ids;
};

struct QueryInsertResult {
  std::string id;
  bool created = false;  // false: an earlier record with the same client_request_token
};

// Pagination: max_results 0 means the default (50); negative is INVALID_ARGUMENT; the caller
// (the API) enforces Athena's per-action maximum. A next_token that this metastore did not
// produce for the same listing is INVALID_ARGUMENT.
class Metastore {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr int kDefaultMaxResults = 50;

  // Opens (creating if absent, mode 0600) the database file at `path` and migrates it to
  // kSchemaVersion; ensures the `primary` workgroup exists. Throws INTERNAL_ERROR when the
  // file cannot be opened or written, NOT_SUPPORTED when it comes from a newer schema.
  explicit Metastore(const std::string& path);
  ~Metastore();
  Metastore(const Metastore&) = delete;
  Metastore& operator=(const Metastore&) = delete;

  const std::string& path() const { return path_; }
  // The schema version recorded in the file (kSchemaVersion once open).
  int schema_version();

  // --- connector functions -------------------------------------------------------------
  // Throws INVALID_ARGUMENT (empty name or connector), ALREADY_EXISTS.
  ConnectorFunction create_function(const ConnectorFunction& function);
  // Throws NOT_FOUND.
  ConnectorFunction get_function(const std::string& name);
  std::optional<ConnectorFunction> find_function(const std::string& name);
  // Ordered by name.
  Page<ConnectorFunction> list_functions(int max_results = 0, const std::string& next_token = "");
  // Replaces connector_name and properties. Throws NOT_FOUND, INVALID_ARGUMENT.
  ConnectorFunction update_function(const ConnectorFunction& function);
  // Throws NOT_FOUND.
  void delete_function(const std::string& name);

  // --- data catalogs -------------------------------------------------------------------
  // Throws INVALID_ARGUMENT (empty name), ALREADY_EXISTS.
  DataCatalog create_data_catalog(const DataCatalog& catalog);
  // Throws NOT_FOUND.
  DataCatalog get_data_catalog(const std::string& name);
  std::optional<DataCatalog> find_data_catalog(const std::string& name);
  // Ordered by name.
  Page<DataCatalog> list_data_catalogs(int max_results = 0, const std::string& next_token = "");
  // Replaces type, description and parameters. Throws NOT_FOUND.
  DataCatalog update_data_catalog(const DataCatalog& catalog);
  // Throws NOT_FOUND.
  void delete_data_catalog(const std::string& name);

  // --- workgroups ----------------------------------------------------------------------
  // Throws INVALID_ARGUMENT (name pattern, configuration not a JSON object), ALREADY_EXISTS.
  WorkGroup create_workgroup(const WorkGroup& workgroup);
  // Throws NOT_FOUND.
  WorkGroup get_workgroup(const std::string& name);
  std::optional<WorkGroup> find_workgroup(const std::string& name);
  // Ordered by name.
  Page<WorkGroup> list_workgroups(int max_results = 0, const std::string& next_token = "");
  // Throws NOT_FOUND, INVALID_ARGUMENT (configuration not a JSON object).
  WorkGroup update_workgroup(const std::string& name, const WorkGroupUpdate& update);
  // Deletes the workgroup and its query history; with `recursive` also its named queries.
  // Throws NOT_FOUND; INVALID_ARGUMENT for `primary`, or when not recursive and the
  // workgroup still holds named queries or queued/running queries.
  void delete_workgroup(const std::string& name, bool recursive = false);

  // --- views ---------------------------------------------------------------------------
  // Creates the view, or with `replace` replaces its SQL (keeping created_at). Returns true
  // when a new view was created. Throws ALREADY_EXISTS (exists and !replace), INVALID_ARGUMENT.
  bool create_view(const View& view, bool replace);
  // Throws NOT_FOUND.
  View get_view(const std::string& catalog, const std::string& schema, const std::string& name);
  std::optional<View> find_view(const std::string& catalog, const std::string& schema, const std::string& name);
  // Views of one schema, ordered by name; an empty schema lists the whole catalog, ordered
  // by (schema, name).
  Page<View> list_views(const std::string& catalog, const std::string& schema, int max_results = 0,
                        const std::string& next_token = "");
  // Throws NOT_FOUND.
  void delete_view(const std::string& catalog, const std::string& schema, const std::string& name);

  // --- databases, external tables, partitions (the AwsDataCatalog) ----------------------
  // Throws ALREADY_EXISTS unless if_not_exists; returns true when created.
  bool create_database(const Database& database, bool if_not_exists);
  std::optional<Database> find_database(const std::string& catalog, const std::string& name);
  // Ordered by name.
  std::vector<Database> list_databases(const std::string& catalog);
  // Throws NOT_FOUND unless if_exists; INVALID_ARGUMENT when it holds tables or views and
  // !cascade (with cascade they go too). Returns true when dropped.
  bool drop_database(const std::string& catalog, const std::string& name, bool if_exists, bool cascade);
  // Throws NOT_FOUND (database), ALREADY_EXISTS unless if_not_exists; returns true when created.
  bool create_table(const ExternalTable& table, bool if_not_exists);
  std::optional<ExternalTable> find_table(const std::string& catalog, const std::string& database,
                                          const std::string& name);
  // Ordered by name.
  std::vector<ExternalTable> list_tables(const std::string& catalog, const std::string& database);
  // Drops the table and its partitions (never the files). Throws NOT_FOUND unless if_exists.
  bool drop_table(const std::string& catalog, const std::string& database, const std::string& name, bool if_exists);
  // Adds partitions (values matched exactly); an existing one throws ALREADY_EXISTS unless
  // if_not_exists (then it is skipped). Returns how many were added. Throws NOT_FOUND (table),
  // INVALID_ARGUMENT (value count differs from the partition keys).
  int add_partitions(const std::string& catalog, const std::string& database, const std::string& table,
                     const std::vector<TablePartition>& partitions, bool if_not_exists);
  // Ordered by values.
  std::vector<TablePartition> list_partitions(const std::string& catalog, const std::string& database,
                                              const std::string& table);
  // Returns how many were dropped; a missing one throws NOT_FOUND unless if_exists.
  int drop_partitions(const std::string& catalog, const std::string& database, const std::string& table,
                      const std::vector<std::vector<std::string>>& values, bool if_exists);

  // --- named queries -------------------------------------------------------------------
  // Generates the id; returns the stored record. Throws INVALID_ARGUMENT (empty name or
  // query string), NOT_FOUND (workgroup).
  NamedQuery create_named_query(const NamedQuery& query);
  // Throws NOT_FOUND.
  NamedQuery get_named_query(const std::string& id);
  // Found queries in request order; unknown ids in unprocessed_ids. Never throws NOT_FOUND.
  NamedQueryBatch batch_get_named_queries(const std::vector<std::string>& ids);
  // Ids of the workgroup's named queries, oldest first.
  IdPage list_named_queries(const std::string& workgroup, int max_results = 0, const std::string& next_token = "");
  // Throws NOT_FOUND.
  void delete_named_query(const std::string& id);

  // --- query history -------------------------------------------------------------------
  // Inserts a record (generating id and submitted_at when empty). With a
  // client_request_token already used: the same query string returns the earlier id with
  // created=false; a different query string throws INVALID_ARGUMENT. Also throws
  // ALREADY_EXISTS (id), INVALID_ARGUMENT (empty query string).
  QueryInsertResult insert_query(const QueryRecord& record);
  // Applies a state change unless the record is already terminal (SUCCEEDED, FAILED,
  // CANCELLED): returns false then and changes nothing, so a late "succeeded" cannot
  // overwrite a cancel. Throws NOT_FOUND.
  bool update_query_state(const std::string& id, const QueryStateChange& change);
  // Replaces the statistics. Throws NOT_FOUND.
  void update_query_statistics(const std::string& id, const QueryStatistics& statistics);
  // Sets the output location. Throws NOT_FOUND.
  void update_query_output_location(const std::string& id, const std::string& output_location);
  // Throws NOT_FOUND.
  QueryRecord get_query(const std::string& id);
  std::optional<QueryRecord> find_query(const std::string& id);
  QueryBatch batch_get_queries(const std::vector<std::string>& ids);
  // Ids of the workgroup's queries, newest first (submitted_at, then id, descending).
  IdPage list_queries(const std::string& workgroup, int max_results = 0, const std::string& next_token = "");
  std::optional<QueryRecord> find_query_by_client_request_token(const std::string& token);
  // At server start: every QUEUED or RUNNING record becomes FAILED (category SYSTEM) with
  // `reason` as state change reason and error message. Returns how many were changed.
  int recover_interrupted(const std::string& reason);

  // --- users ---------------------------------------------------------------------------
  // Creates a user with a fresh access key pair from a CSPRNG. Throws INVALID_ARGUMENT
  // (empty name), ALREADY_EXISTS.
  User add_user(const std::string& name);
  // Creates a user with a given key pair (e.g. the one the aws CLI is already configured
  // with). Throws INVALID_ARGUMENT, ALREADY_EXISTS (name or access key id).
  User import_user(const std::string& name, const std::string& access_key_id, const std::string& secret_access_key);
  std::optional<User> find_user_by_access_key(const std::string& access_key_id);
  // Ordered by name; secrets included (callers redact them for display).
  Page<User> list_users(int max_results = 0, const std::string& next_token = "");
  // Throws NOT_FOUND.
  void delete_user(const std::string& name);

 private:
  class Impl;
  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<Impl> impl_;  // GUARDED_BY(mutex_)
};

}  // namespace tributary::service
