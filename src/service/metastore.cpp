#include "service/metastore.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>

#include "common/error.h"
#include "service/metastore_schema.h"
#include "service/page_token.h"
#include "service/secure_random.h"
#include "service/sqlite_statement.h"

namespace tributary::service {

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------------------
// Enums

namespace {

template <typename Enum, size_t N>
Enum parse_enum(const std::string& text, const char* const (&names)[N], const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  std::string accepted;
  for (size_t i = 0; i < N; ++i) accepted += (i ? ", " : "") + std::string(names[i]);
  throw_error(ErrorCode::INVALID_ARGUMENT, "invalid " + std::string(what) + " '" + text + "'; expected one of " + accepted);
}

const char* const kCatalogTypeNames[] = {"LAMBDA", "GLUE", "HIVE", "FEDERATED"};
const char* const kWorkGroupStateNames[] = {"ENABLED", "DISABLED"};
const char* const kQueryStateNames[] = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"};
const char* const kStatementTypeNames[] = {"DDL", "DML", "UTILITY"};

}  // namespace

const char* to_string(DataCatalogType type) { return kCatalogTypeNames[static_cast<int>(type)]; }
const char* to_string(WorkGroupState state) { return kWorkGroupStateNames[static_cast<int>(state)]; }
const char* to_string(QueryState state) { return kQueryStateNames[static_cast<int>(state)]; }
const char* to_string(StatementType type) { return kStatementTypeNames[static_cast<int>(type)]; }
DataCatalogType parse_data_catalog_type(const std::string& text) {
  return parse_enum<DataCatalogType>(text, kCatalogTypeNames, "data catalog type");
}
WorkGroupState parse_workgroup_state(const std::string& text) {
  return parse_enum<WorkGroupState>(text, kWorkGroupStateNames, "workgroup state");
}
QueryState parse_query_state(const std::string& text) {
  return parse_enum<QueryState>(text, kQueryStateNames, "query state");
}
StatementType parse_statement_type(const std::string& text) {
  return parse_enum<StatementType>(text, kStatementTypeNames, "statement type");
}
bool is_terminal(QueryState state) {
  return state == QueryState::SUCCEEDED || state == QueryState::FAILED || state == QueryState::CANCELLED;
}

// ---------------------------------------------------------------------------------------
// Helpers

namespace {

[[noreturn]] void fail_constraint(int constraint) {
  throw_error(ErrorCode::INTERNAL_ERROR, "metastore: constraint violation (" + std::to_string(constraint) + ")");
}

std::string map_to_json(const std::map<std::string, std::string>& map) { return nlohmann::json(map).dump(); }

std::map<std::string, std::string> json_to_map(const std::string& text) {
  return nlohmann::json::parse(text).get<std::map<std::string, std::string>>();
}

void require_json_object(const std::string& text, const std::string& what) {
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) throw_error(ErrorCode::INVALID_ARGUMENT, what + " must be a JSON object");
}

void require_non_empty(const std::string& value, const char* what) {
  if (value.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, std::string(what) + " must not be empty");
}

void require_workgroup_name(const std::string& name) {
  static const std::regex pattern("[a-zA-Z0-9._-]{1,128}");
  if (!std::regex_match(name, pattern)) {
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "invalid workgroup name '" + name + "': 1 to 128 letters, digits, '.', '_' or '-'");
  }
}

int page_size(int max_results) {
  if (max_results < 0) {
    throw_error(ErrorCode::INVALID_ARGUMENT, "MaxResults must not be negative, got " + std::to_string(max_results));
  }
  return max_results == 0 ? Metastore::kDefaultMaxResults : max_results;
}

// ---------------------------------------------------------------------------------------
// Row readers. Each SELECT lists its columns in the order its reader expects.

const char kFunctionColumns[] = "name, connector_name, properties, created_at";
ConnectorFunction read_function(const Statement& row) {
  return ConnectorFunction{row.text(0), row.text(1), json_to_map(row.text(2)), row.int64(3)};
}

const char kCatalogColumns[] = "name, type, description, parameters, status, created_at";
DataCatalog read_catalog(const Statement& row) {
  DataCatalog catalog;
  catalog.name = row.text(0);
  catalog.type = parse_data_catalog_type(row.text(1));
  catalog.description = row.text(2);
  catalog.parameters = json_to_map(row.text(3));
  catalog.status = row.text(4);
  catalog.created_at = row.int64(5);
  return catalog;
}

const char kWorkGroupColumns[] = "name, description, state, configuration, created_at";
WorkGroup read_workgroup(const Statement& row) {
  return WorkGroup{row.text(0), row.text(1), parse_workgroup_state(row.text(2)), row.text(3), row.int64(4)};
}

const char kViewColumns[] = "catalog, schema_name, name, sql, created_at, updated_at";
View read_view(const Statement& row) {
  return View{row.text(0), row.text(1), row.text(2), row.text(3), row.int64(4), row.int64(5)};
}

const char kNamedQueryColumns[] = "id, name, description, database, query_string, workgroup, created_at";
NamedQuery read_named_query(const Statement& row) {
  return NamedQuery{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.int64(6)};
}

const char kQueryColumns[] =
    "id, query_string, statement_type, substatement_type, state, state_change_reason, error_category, error_type, "
    "error_retryable, error_message, workgroup, catalog, database, output_location, submitted_at, completed_at, "
    "engine_execution_time_ms, data_scanned_bytes, total_execution_time_ms, queue_time_ms, planning_time_ms, "
    "service_processing_time_ms, result_rows, client_request_token, execution_parameters";
QueryRecord read_query(const Statement& row) {
  QueryRecord record;
  record.id = row.text(0);
  record.query_string = row.text(1);
  record.statement_type = parse_statement_type(row.text(2));
  record.substatement_type = row.text(3);
  record.state = parse_query_state(row.text(4));
  record.state_change_reason = row.text(5);
  record.error_category = static_cast<int>(row.int64(6));
  record.error_type = static_cast<int>(row.int64(7));
  record.error_retryable = row.int64(8) != 0;
  record.error_message = row.text(9);
  record.workgroup = row.text(10);
  record.catalog = row.text(11);
  record.database = row.text(12);
  record.output_location = row.text(13);
  record.submitted_at = row.int64(14);
  record.completed_at = row.int64(15);
  record.statistics.engine_execution_time_ms = row.int64(16);
  record.statistics.data_scanned_bytes = row.int64(17);
  record.statistics.total_execution_time_ms = row.int64(18);
  record.statistics.queue_time_ms = row.int64(19);
  record.statistics.planning_time_ms = row.int64(20);
  record.statistics.service_processing_time_ms = row.int64(21);
  record.statistics.rows = row.int64(22);
  record.client_request_token = row.is_null(23) ? "" : row.text(23);
  record.execution_parameters = nlohmann::json::parse(row.text(24)).get<std::vector<std::string>>();
  return record;
}

const char kUserColumns[] = "name, access_key_id, secret_access_key, created_at";
User read_user(const Statement& row) { return User{row.text(0), row.text(1), row.text(2), row.int64(3)}; }

std::string select_sql(const char* columns, const std::string& rest) {
  return "SELECT " + std::string(columns) + " " + rest;
}

// One-row lookups and listings by a single text key.
template <typename T>
std::optional<T> find_one(sqlite3* db, const std::string& sql, const std::vector<std::string>& keys,
                          T (*read)(const Statement&)) {
  Statement statement(db, sql.c_str());
  for (size_t i = 0; i < keys.size(); ++i) statement.bind(static_cast<int>(i + 1), keys[i]);
  if (!statement.step()) return std::nullopt;
  return read(statement);
}

// Listings ordered by one unique text column `name` (in the column's collation).
template <typename T>
Page<T> list_by_name(sqlite3* db, const char* table, const char* columns, const char* kind, int max_results,
                     const std::string& next_token, T (*read)(const Statement&), const std::string& (*key)(const T&)) {
  int limit = page_size(max_results);
  std::string after;
  if (!next_token.empty()) after = parse_token(next_token, kind, "", 1)[0];
  std::string sql = select_sql(columns, std::string("FROM ") + table +
                                            (next_token.empty() ? "" : " WHERE name > ?1") + " ORDER BY name LIMIT ?2");
  Statement statement(db, sql.c_str());
  if (!next_token.empty()) statement.bind(1, after);
  statement.bind(2, limit + 1);
  Page<T> page;
  while (statement.step()) page.items.push_back(read(statement));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_token = make_token({kind, "", key(page.items.back())});
  }
  return page;
}

const std::string& function_key(const ConnectorFunction& function) { return function.name; }
const std::string& catalog_key(const DataCatalog& catalog) { return catalog.name; }
const std::string& workgroup_key(const WorkGroup& workgroup) { return workgroup.name; }
const std::string& user_key(const User& user) { return user.name; }

bool workgroup_exists(sqlite3* db, const std::string& name) {
  Statement statement(db, "SELECT 1 FROM workgroups WHERE name = ?1");
  statement.bind(1, name);
  return statement.step();
}

void require_workgroup(sqlite3* db, const std::string& name) {
  if (!workgroup_exists(db, name)) throw_error(ErrorCode::NOT_FOUND, "workgroup '" + name + "' not found");
}

std::string view_display_name(const std::string& catalog, const std::string& schema, const std::string& name) {
  return catalog + "." + schema + "." + name;
}

// Creates the file with mode 0600 before SQLite sees it (SQLite gives the -wal and -shm files
// the database file's mode), and tightens the mode of a file an older binary created.
void create_private_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw_error(ErrorCode::INTERNAL_ERROR, "cannot open metastore '" + path + "': " + std::strerror(errno));
  }
  ::close(fd);
  if (::chmod(path.c_str(), 0600) != 0) {
    throw_error(ErrorCode::INTERNAL_ERROR, "cannot restrict metastore '" + path + "' to mode 0600: " + std::strerror(errno));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The connection

class Metastore::Impl {
 public:
  explicit Impl(const std::string& path) {
    create_private_file(path);
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close(db);
      db = nullptr;
      throw_error(ErrorCode::INTERNAL_ERROR, "cannot open metastore '" + path + "': " + message);
    }
    try {
      sqlite3_busy_timeout(db, 10000);
      {
        Statement journal(db, "PRAGMA journal_mode=WAL");
        if (!journal.step() || journal.text(0) != "wal") {
          throw_error(ErrorCode::INTERNAL_ERROR, "metastore '" + path + "' cannot use WAL journal mode");
        }
      }
      // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the
      // last commits, never corrupt the file.
      exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
      migrate_metastore(db, path);
    } catch (...) {
      sqlite3_close(db);
      db = nullptr;
      throw;
    }
  }
  ~Impl() { sqlite3_close(db); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  sqlite3* db = nullptr;
};

Metastore::Metastore(const std::string& path) : path_(path), impl_(std::make_unique<Impl>(path)) {}
Metastore::~Metastore() = default;

int Metastore::schema_version() {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_schema_version(impl_->db);
}

// ---------------------------------------------------------------------------------------
// Connector functions

namespace {
std::optional<ConnectorFunction> find_function_locked(sqlite3* db, const std::string& name) {
  return find_one<ConnectorFunction>(db, select_sql(kFunctionColumns, "FROM connector_functions WHERE name = ?1"),
                                     {name}, read_function);
}
}  // namespace

ConnectorFunction Metastore::create_function(const ConnectorFunction& function) {
  require_non_empty(function.name, "connector function name");
  require_non_empty(function.connector_name, "connector name");
  std::lock_guard<std::mutex> lock(mutex_);
  ConnectorFunction stored = function;
  stored.created_at = now_millis();
  Statement insert(impl_->db,
                   "INSERT INTO connector_functions (name, connector_name, properties, created_at) VALUES (?1, ?2, ?3, ?4)");
  insert.bind(1, stored.name).bind(2, stored.connector_name).bind(3, map_to_json(stored.properties)).bind(4, stored.created_at);
  if (int constraint = insert.insert()) {
    if (is_unique_violation(constraint)) {
      throw_error(ErrorCode::ALREADY_EXISTS, "connector function '" + function.name + "' already exists");
    }
    fail_constraint(constraint);
  }
  return stored;
}

std::optional<ConnectorFunction> Metastore::find_function(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_function_locked(impl_->db, name);
}

ConnectorFunction Metastore::get_function(const std::string& name) {
  auto function = find_function(name);
  if (!function) throw_error(ErrorCode::NOT_FOUND, "connector function '" + name + "' not found");
  return *function;
}

Page<ConnectorFunction> Metastore::list_functions(int max_results, const std::string& next_token) {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_by_name<ConnectorFunction>(impl_->db, "connector_functions", kFunctionColumns, "functions", max_results,
                                         next_token, read_function, function_key);
}

ConnectorFunction Metastore::update_function(const ConnectorFunction& function) {
  require_non_empty(function.connector_name, "connector name");
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update(impl_->db, "UPDATE connector_functions SET connector_name = ?2, properties = ?3 WHERE name = ?1");
  update.bind(1, function.name).bind(2, function.connector_name).bind(3, map_to_json(function.properties)).run();
  if (sqlite3_changes(impl_->db) == 0) {
    throw_error(ErrorCode::NOT_FOUND, "connector function '" + function.name + "' not found");
  }
  return *find_function_locked(impl_->db, function.name);
}

void Metastore::delete_function(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM connector_functions WHERE name = ?1");
  remove.bind(1, name).run();
  if (sqlite3_changes(impl_->db) == 0) throw_error(ErrorCode::NOT_FOUND, "connector function '" + name + "' not found");
}

// ---------------------------------------------------------------------------------------
// Data catalogs

namespace {
std::optional<DataCatalog> find_catalog_locked(sqlite3* db, const std::string& name) {
  return find_one<DataCatalog>(db, select_sql(kCatalogColumns, "FROM data_catalogs WHERE name = ?1"), {name},
                               read_catalog);
}
}  // namespace

DataCatalog Metastore::create_data_catalog(const DataCatalog& catalog) {
  require_non_empty(catalog.name, "data catalog name");
  std::lock_guard<std::mutex> lock(mutex_);
  DataCatalog stored = catalog;
  if (stored.status.empty()) stored.status = "CREATE_COMPLETE";
  stored.created_at = now_millis();
  Statement insert(impl_->db,
                   "INSERT INTO data_catalogs (name, type, description, parameters, status, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, stored.name)
      .bind(2, to_string(stored.type))
      .bind(3, stored.description)
      .bind(4, map_to_json(stored.parameters))
      .bind(5, stored.status)
      .bind(6, stored.created_at);
  if (int constraint = insert.insert()) {
    if (is_unique_violation(constraint)) {
      throw_error(ErrorCode::ALREADY_EXISTS, "data catalog '" + catalog.name + "' already exists");
    }
    fail_constraint(constraint);
  }
  return stored;
}

std::optional<DataCatalog> Metastore::find_data_catalog(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_catalog_locked(impl_->db, name);
}

DataCatalog Metastore::get_data_catalog(const std::string& name) {
  auto catalog = find_data_catalog(name);
  if (!catalog) throw_error(ErrorCode::NOT_FOUND, "data catalog '" + name + "' not found");
  return *catalog;
}

Page<DataCatalog> Metastore::list_data_catalogs(int max_results, const std::string& next_token) {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_by_name<DataCatalog>(impl_->db, "data_catalogs", kCatalogColumns, "catalogs", max_results, next_token,
                                   read_catalog, catalog_key);
}

DataCatalog Metastore::update_data_catalog(const DataCatalog& catalog) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update(impl_->db, "UPDATE data_catalogs SET type = ?2, description = ?3, parameters = ?4 WHERE name = ?1");
  update.bind(1, catalog.name)
      .bind(2, to_string(catalog.type))
      .bind(3, catalog.description)
      .bind(4, map_to_json(catalog.parameters))
      .run();
  if (sqlite3_changes(impl_->db) == 0) throw_error(ErrorCode::NOT_FOUND, "data catalog '" + catalog.name + "' not found");
  return *find_catalog_locked(impl_->db, catalog.name);
}

void Metastore::delete_data_catalog(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM data_catalogs WHERE name = ?1");
  remove.bind(1, name).run();
  if (sqlite3_changes(impl_->db) == 0) throw_error(ErrorCode::NOT_FOUND, "data catalog '" + name + "' not found");
}

// ---------------------------------------------------------------------------------------
// Workgroups

namespace {
std::optional<WorkGroup> find_workgroup_locked(sqlite3* db, const std::string& name) {
  return find_one<WorkGroup>(db, select_sql(kWorkGroupColumns, "FROM workgroups WHERE name = ?1"), {name},
                             read_workgroup);
}
}  // namespace

WorkGroup Metastore::create_workgroup(const WorkGroup& workgroup) {
  require_workgroup_name(workgroup.name);
  WorkGroup stored = workgroup;
  if (stored.configuration_json.empty()) stored.configuration_json = "{}";
  require_json_object(stored.configuration_json, "workgroup configuration");
  std::lock_guard<std::mutex> lock(mutex_);
  stored.created_at = now_millis();
  Statement insert(impl_->db,
                   "INSERT INTO workgroups (name, description, state, configuration, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, stored.name)
      .bind(2, stored.description)
      .bind(3, to_string(stored.state))
      .bind(4, stored.configuration_json)
      .bind(5, stored.created_at);
  if (int constraint = insert.insert()) {
    if (is_unique_violation(constraint)) {
      throw_error(ErrorCode::ALREADY_EXISTS, "workgroup '" + workgroup.name + "' already exists");
    }
    fail_constraint(constraint);
  }
  return stored;
}

std::optional<WorkGroup> Metastore::find_workgroup(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_workgroup_locked(impl_->db, name);
}

WorkGroup Metastore::get_workgroup(const std::string& name) {
  auto workgroup = find_workgroup(name);
  if (!workgroup) throw_error(ErrorCode::NOT_FOUND, "workgroup '" + name + "' not found");
  return *workgroup;
}

Page<WorkGroup> Metastore::list_workgroups(int max_results, const std::string& next_token) {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_by_name<WorkGroup>(impl_->db, "workgroups", kWorkGroupColumns, "workgroups", max_results, next_token,
                                 read_workgroup, workgroup_key);
}

WorkGroup Metastore::update_workgroup(const std::string& name, const WorkGroupUpdate& update) {
  if (update.configuration_json) require_json_object(*update.configuration_json, "workgroup configuration");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  auto current = find_workgroup_locked(impl_->db, name);
  if (!current) throw_error(ErrorCode::NOT_FOUND, "workgroup '" + name + "' not found");
  if (update.description) current->description = *update.description;
  if (update.state) current->state = *update.state;
  if (update.configuration_json) current->configuration_json = *update.configuration_json;
  Statement write(impl_->db, "UPDATE workgroups SET description = ?2, state = ?3, configuration = ?4 WHERE name = ?1");
  write.bind(1, name).bind(2, current->description).bind(3, to_string(current->state)).bind(4, current->configuration_json);
  write.run();
  transaction.commit();
  return *current;
}

void Metastore::delete_workgroup(const std::string& name, bool recursive) {
  if (name == "primary") throw_error(ErrorCode::INVALID_ARGUMENT, "the primary workgroup cannot be deleted");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  require_workgroup(impl_->db, name);
  if (!recursive) {
    // A statement left on a row would keep the COMMIT below from finishing; this one ends here.
    Statement used(impl_->db,
                   "SELECT EXISTS (SELECT 1 FROM named_queries WHERE workgroup = ?1) "
                   "OR EXISTS (SELECT 1 FROM queries WHERE workgroup = ?1 AND state IN ('QUEUED', 'RUNNING'))");
    used.bind(1, name);
    if (used.step() && used.int64(0) != 0) {
      throw_error(ErrorCode::INVALID_ARGUMENT,
                  "workgroup '" + name + "' still holds named queries or queued/running queries; delete it recursively");
    }
  }
  // Named queries and history go with it (ON DELETE CASCADE).
  Statement remove(impl_->db, "DELETE FROM workgroups WHERE name = ?1");
  remove.bind(1, name).run();
  transaction.commit();
}

// ---------------------------------------------------------------------------------------
// Views

namespace {
std::optional<View> find_view_locked(sqlite3* db, const std::string& catalog, const std::string& schema,
                                     const std::string& name) {
  return find_one<View>(db,
                        select_sql(kViewColumns, "FROM views WHERE catalog = ?1 AND schema_name = ?2 AND name = ?3"),
                        {catalog, schema, name}, read_view);
}
}  // namespace

bool Metastore::create_view(const View& view, bool replace) {
  require_non_empty(view.catalog, "view catalog");
  require_non_empty(view.schema, "view schema");
  require_non_empty(view.name, "view name");
  require_non_empty(view.sql, "view SQL");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  int64_t now = now_millis();
  bool exists = find_view_locked(impl_->db, view.catalog, view.schema, view.name).has_value();
  if (exists && !replace) {
    throw_error(ErrorCode::ALREADY_EXISTS,
                "view '" + view_display_name(view.catalog, view.schema, view.name) + "' already exists");
  }
  if (exists) {
    Statement update(impl_->db,
                     "UPDATE views SET sql = ?4, updated_at = ?5 WHERE catalog = ?1 AND schema_name = ?2 AND name = ?3");
    update.bind(1, view.catalog).bind(2, view.schema).bind(3, view.name).bind(4, view.sql).bind(5, now).run();
  } else {
    Statement insert(impl_->db,
                     "INSERT INTO views (catalog, schema_name, name, sql, created_at, updated_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    insert.bind(1, view.catalog).bind(2, view.schema).bind(3, view.name).bind(4, view.sql).bind(5, now).run();
  }
  transaction.commit();
  return !exists;
}

std::optional<View> Metastore::find_view(const std::string& catalog, const std::string& schema,
                                         const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_view_locked(impl_->db, catalog, schema, name);
}

View Metastore::get_view(const std::string& catalog, const std::string& schema, const std::string& name) {
  auto view = find_view(catalog, schema, name);
  if (!view) throw_error(ErrorCode::NOT_FOUND, "view '" + view_display_name(catalog, schema, name) + "' not found");
  return *view;
}

Page<View> Metastore::list_views(const std::string& catalog, const std::string& schema, int max_results,
                                 const std::string& next_token) {
  int limit = page_size(max_results);
  // Token: views, catalog, schema filter, then the last row's schema and name.
  std::vector<std::string> after;
  if (!next_token.empty()) {
    after = parse_token(next_token, "views", catalog, 3);
    if (after[0] != schema) throw_error(ErrorCode::INVALID_ARGUMENT, "invalid NextToken for this listing");
    after.erase(after.begin());
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::string sql = select_sql(kViewColumns,
                               "FROM views WHERE catalog = ?1 AND (?2 = '' OR schema_name = ?2)" +
                                   std::string(next_token.empty() ? ""
                                                                  : " AND (schema_name > ?3 OR (schema_name = ?3 AND "
                                                                    "name > ?4))") +
                                   " ORDER BY schema_name, name LIMIT ?5");
  Statement statement(impl_->db, sql.c_str());
  statement.bind(1, catalog).bind(2, schema);
  if (!next_token.empty()) statement.bind(3, after[0]).bind(4, after[1]);
  statement.bind(5, limit + 1);
  Page<View> page;
  while (statement.step()) page.items.push_back(read_view(statement));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_token = make_token({"views", catalog, schema, page.items.back().schema, page.items.back().name});
  }
  return page;
}

void Metastore::delete_view(const std::string& catalog, const std::string& schema, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM views WHERE catalog = ?1 AND schema_name = ?2 AND name = ?3");
  remove.bind(1, catalog).bind(2, schema).bind(3, name).run();
  if (sqlite3_changes(impl_->db) == 0) {
    throw_error(ErrorCode::NOT_FOUND, "view '" + view_display_name(catalog, schema, name) + "' not found");
  }
}

// ---------------------------------------------------------------------------------------
// Databases, external tables, partitions

namespace {

std::string qualified_name(const std::string& database, const std::string& table) { return database + "." + table; }

nlohmann::json columns_to_json(const std::vector<TableColumn>& columns) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : columns) out.push_back({{"name", c.name}, {"type", c.type}, {"comment", c.comment}});
  return out;
}

std::vector<TableColumn> columns_from_json(const nlohmann::json& json) {
  std::vector<TableColumn> out;
  for (const auto& c : json) out.push_back({c.at("name"), c.at("type"), c.value("comment", "")});
  return out;
}

std::string table_definition(const ExternalTable& table) {
  nlohmann::json doc = {{"columns", columns_to_json(table.columns)},
                        {"partition_keys", columns_to_json(table.partition_keys)},
                        {"location", table.location},
                        {"format", table.format},
                        {"serde_properties", table.serde_properties},
                        {"properties", table.properties},
                        {"comment", table.comment}};
  return doc.dump();
}

const char kTableColumns[] = "catalog, database, name, definition, created_at";
ExternalTable read_table(const Statement& row) {
  ExternalTable table;
  table.catalog = row.text(0);
  table.database = row.text(1);
  table.name = row.text(2);
  auto doc = nlohmann::json::parse(row.text(3));
  table.columns = columns_from_json(doc.at("columns"));
  table.partition_keys = columns_from_json(doc.at("partition_keys"));
  table.location = doc.value("location", "");
  table.format = doc.value("format", "TEXTFILE");
  table.serde_properties = doc.value("serde_properties", std::map<std::string, std::string>{});
  table.properties = doc.value("properties", std::map<std::string, std::string>{});
  table.comment = doc.value("comment", "");
  table.created_at = row.int64(4);
  return table;
}

const char kDatabaseColumns[] = "catalog, name, description, location, properties, created_at";
Database read_database(const Statement& row) {
  return Database{row.text(0), row.text(1), row.text(2), row.text(3), json_to_map(row.text(4)), row.int64(5)};
}

}  // namespace

bool Metastore::create_database(const Database& database, bool if_not_exists) {
  require_non_empty(database.catalog, "database catalog");
  require_non_empty(database.name, "database name");
  std::lock_guard<std::mutex> lock(mutex_);
  Statement insert(impl_->db,
                   "INSERT INTO databases (catalog, name, description, location, properties, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, database.catalog).bind(2, database.name).bind(3, database.description).bind(4, database.location);
  insert.bind(5, map_to_json(database.properties)).bind(6, now_millis());
  int constraint = insert.insert();
  if (constraint == 0) return true;
  if (!is_unique_violation(constraint)) fail_constraint(constraint);
  if (if_not_exists) return false;
  throw_error(ErrorCode::ALREADY_EXISTS, "Database '" + database.name + "' already exists");
}

std::optional<Database> Metastore::find_database(const std::string& catalog, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_one<Database>(impl_->db, select_sql(kDatabaseColumns, "FROM databases WHERE catalog = ?1 AND name = ?2"),
                            {catalog, name}, read_database);
}

std::vector<Database> Metastore::list_databases(const std::string& catalog) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement statement(impl_->db, select_sql(kDatabaseColumns, "FROM databases WHERE catalog = ?1 ORDER BY name").c_str());
  statement.bind(1, catalog);
  std::vector<Database> out;
  while (statement.step()) out.push_back(read_database(statement));
  return out;
}

bool Metastore::drop_database(const std::string& catalog, const std::string& name, bool if_exists, bool cascade) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  bool exists = find_one<Database>(impl_->db,
                                   select_sql(kDatabaseColumns, "FROM databases WHERE catalog = ?1 AND name = ?2"),
                                   {catalog, name}, read_database)
                    .has_value();
  if (!exists) {
    if (if_exists) return false;
    throw_error(ErrorCode::NOT_FOUND, "Database '" + name + "' does not exist");
  }
  if (!cascade) {
    Statement used(impl_->db,
                   "SELECT EXISTS (SELECT 1 FROM tables WHERE catalog = ?1 AND database = ?2) "
                   "OR EXISTS (SELECT 1 FROM views WHERE catalog = ?1 AND schema_name = ?2)");
    used.bind(1, catalog).bind(2, name);
    if (used.step() && used.int64(0) != 0)
      throw_error(ErrorCode::INVALID_ARGUMENT, "Database '" + name + "' is not empty; drop it with CASCADE");
  }
  for (const char* sql : {"DELETE FROM tables WHERE catalog = ?1 AND database = ?2",
                          "DELETE FROM views WHERE catalog = ?1 AND schema_name = ?2",
                          "DELETE FROM databases WHERE catalog = ?1 AND name = ?2"}) {
    Statement remove(impl_->db, sql);
    remove.bind(1, catalog).bind(2, name).run();
  }
  transaction.commit();
  return true;
}

bool Metastore::create_table(const ExternalTable& table, bool if_not_exists) {
  require_non_empty(table.catalog, "table catalog");
  require_non_empty(table.database, "table database");
  require_non_empty(table.name, "table name");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  if (!find_one<Database>(impl_->db, select_sql(kDatabaseColumns, "FROM databases WHERE catalog = ?1 AND name = ?2"),
                          {table.catalog, table.database}, read_database))
    throw_error(ErrorCode::NOT_FOUND, "Database '" + table.database + "' does not exist");
  Statement insert(impl_->db,
                   "INSERT INTO tables (catalog, database, name, definition, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, table.catalog).bind(2, table.database).bind(3, table.name).bind(4, table_definition(table));
  insert.bind(5, now_millis());
  int constraint = insert.insert();
  if (constraint != 0) {
    if (!is_unique_violation(constraint)) fail_constraint(constraint);
    if (if_not_exists) return false;
    throw_error(ErrorCode::ALREADY_EXISTS, "Table '" + qualified_name(table.database, table.name) + "' already exists");
  }
  transaction.commit();
  return true;
}

std::optional<ExternalTable> Metastore::find_table(const std::string& catalog, const std::string& database,
                                                   const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_one<ExternalTable>(
      impl_->db, select_sql(kTableColumns, "FROM tables WHERE catalog = ?1 AND database = ?2 AND name = ?3"),
      {catalog, database, name}, read_table);
}

std::vector<ExternalTable> Metastore::list_tables(const std::string& catalog, const std::string& database) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement statement(impl_->db,
                      select_sql(kTableColumns, "FROM tables WHERE catalog = ?1 AND database = ?2 ORDER BY name").c_str());
  statement.bind(1, catalog).bind(2, database);
  std::vector<ExternalTable> out;
  while (statement.step()) out.push_back(read_table(statement));
  return out;
}

bool Metastore::drop_table(const std::string& catalog, const std::string& database, const std::string& name,
                           bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM tables WHERE catalog = ?1 AND database = ?2 AND name = ?3");
  remove.bind(1, catalog).bind(2, database).bind(3, name).run();
  if (sqlite3_changes(impl_->db) > 0) return true;
  if (if_exists) return false;
  throw_error(ErrorCode::NOT_FOUND, "Table '" + qualified_name(database, name) + "' does not exist");
}

int Metastore::add_partitions(const std::string& catalog, const std::string& database, const std::string& table,
                              const std::vector<TablePartition>& partitions, bool if_not_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  auto found = find_one<ExternalTable>(
      impl_->db, select_sql(kTableColumns, "FROM tables WHERE catalog = ?1 AND database = ?2 AND name = ?3"),
      {catalog, database, table}, read_table);
  if (!found) throw_error(ErrorCode::NOT_FOUND, "Table '" + qualified_name(database, table) + "' does not exist");
  int added = 0;
  int64_t now = now_millis();
  for (const auto& partition : partitions) {
    if (partition.values.size() != found->partition_keys.size())
      throw_error(ErrorCode::INVALID_ARGUMENT, "Table '" + qualified_name(database, table) + "' has " +
                                                   std::to_string(found->partition_keys.size()) +
                                                   " partition keys, got " + std::to_string(partition.values.size()) +
                                                   " values");
    Statement insert(impl_->db,
                     "INSERT INTO partitions (catalog, database, table_name, partition_values, location, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, catalog).bind(2, database).bind(3, table).bind(4, nlohmann::json(partition.values).dump());
    insert.bind(5, partition.location).bind(6, now);
    int constraint = insert.insert();
    if (constraint == 0) {
      added++;
      continue;
    }
    if (!is_unique_violation(constraint)) fail_constraint(constraint);
    if (!if_not_exists)
      throw_error(ErrorCode::ALREADY_EXISTS, "Partition " + nlohmann::json(partition.values).dump() + " of table '" +
                                                 qualified_name(database, table) + "' already exists");
  }
  transaction.commit();
  return added;
}

std::vector<TablePartition> Metastore::list_partitions(const std::string& catalog, const std::string& database,
                                                       const std::string& table) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement statement(impl_->db,
                      "SELECT partition_values, location, created_at FROM partitions "
                      "WHERE catalog = ?1 AND database = ?2 AND table_name = ?3 ORDER BY partition_values");
  statement.bind(1, catalog).bind(2, database).bind(3, table);
  std::vector<TablePartition> out;
  while (statement.step())
    out.push_back({nlohmann::json::parse(statement.text(0)).get<std::vector<std::string>>(), statement.text(1),
                   statement.int64(2)});
  return out;
}

int Metastore::drop_partitions(const std::string& catalog, const std::string& database, const std::string& table,
                               const std::vector<std::vector<std::string>>& values, bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  int dropped = 0;
  for (const auto& v : values) {
    Statement remove(impl_->db,
                     "DELETE FROM partitions WHERE catalog = ?1 AND database = ?2 AND table_name = ?3 "
                     "AND partition_values = ?4");
    remove.bind(1, catalog).bind(2, database).bind(3, table).bind(4, nlohmann::json(v).dump()).run();
    if (sqlite3_changes(impl_->db) > 0) {
      dropped++;
    } else if (!if_exists) {
      throw_error(ErrorCode::NOT_FOUND, "Partition " + nlohmann::json(v).dump() + " of table '" +
                                            qualified_name(database, table) + "' does not exist");
    }
  }
  transaction.commit();
  return dropped;
}

// ---------------------------------------------------------------------------------------
// Named queries

namespace {
std::optional<NamedQuery> find_named_query_locked(sqlite3* db, const std::string& id) {
  return find_one<NamedQuery>(db, select_sql(kNamedQueryColumns, "FROM named_queries WHERE id = ?1"), {id},
                              read_named_query);
}
}  // namespace

NamedQuery Metastore::create_named_query(const NamedQuery& query) {
  require_non_empty(query.name, "named query name");
  require_non_empty(query.query_string, "named query string");
  NamedQuery stored = query;
  if (stored.workgroup.empty()) stored.workgroup = "primary";
  stored.id = random_uuid();
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  require_workgroup(impl_->db, stored.workgroup);
  stored.created_at = now_millis();
  Statement insert(impl_->db,
                   "INSERT INTO named_queries (id, name, description, database, query_string, workgroup, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind(1, stored.id)
      .bind(2, stored.name)
      .bind(3, stored.description)
      .bind(4, stored.database)
      .bind(5, stored.query_string)
      .bind(6, stored.workgroup)
      .bind(7, stored.created_at);
  if (int constraint = insert.insert()) fail_constraint(constraint);
  transaction.commit();
  return stored;
}

NamedQuery Metastore::get_named_query(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto query = find_named_query_locked(impl_->db, id);
  if (!query) throw_error(ErrorCode::NOT_FOUND, "named query '" + id + "' not found");
  return *query;
}

NamedQueryBatch Metastore::batch_get_named_queries(const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  NamedQueryBatch batch;
  for (const auto& id : ids) {
    if (auto query = find_named_query_locked(impl_->db, id)) {
      batch.found.push_back(std::move(*query));
    } else {
      batch.unprocessed_ids.push_back(id);
    }
  }
  return batch;
}

IdPage Metastore::list_named_queries(const std::string& workgroup, int max_results, const std::string& next_token) {
  int limit = page_size(max_results);
  std::vector<std::string> after;
  if (!next_token.empty()) after = parse_token(next_token, "named_queries", workgroup, 2);
  int64_t after_created = after.empty() ? 0 : parse_token_integer(after[0]);
  std::lock_guard<std::mutex> lock(mutex_);
  require_workgroup(impl_->db, workgroup);
  std::string sql = "SELECT id, created_at FROM named_queries WHERE workgroup = ?1" +
                    std::string(next_token.empty() ? "" : " AND (created_at > ?2 OR (created_at = ?2 AND id > ?3))") +
                    " ORDER BY created_at, id LIMIT ?4";
  Statement statement(impl_->db, sql.c_str());
  statement.bind(1, workgroup);
  if (!next_token.empty()) statement.bind(2, after_created).bind(3, after[1]);
  statement.bind(4, limit + 1);
  IdPage page;
  int64_t last_created = 0;
  while (statement.step()) {
    if (static_cast<int>(page.ids.size()) == limit) {
      page.next_token = make_token({"named_queries", workgroup, std::to_string(last_created), page.ids.back()});
      break;
    }
    page.ids.push_back(statement.text(0));
    last_created = statement.int64(1);
  }
  return page;
}

void Metastore::delete_named_query(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM named_queries WHERE id = ?1");
  remove.bind(1, id).run();
  if (sqlite3_changes(impl_->db) == 0) throw_error(ErrorCode::NOT_FOUND, "named query '" + id + "' not found");
}

// ---------------------------------------------------------------------------------------
// Query history

namespace {
std::optional<QueryRecord> find_query_locked(sqlite3* db, const std::string& id) {
  return find_one<QueryRecord>(db, select_sql(kQueryColumns, "FROM queries WHERE id = ?1"), {id}, read_query);
}

bool query_exists(sqlite3* db, const std::string& id) {
  Statement statement(db, "SELECT 1 FROM queries WHERE id = ?1");
  statement.bind(1, id);
  return statement.step();
}

[[noreturn]] void throw_query_not_found(const std::string& id) {
  throw_error(ErrorCode::NOT_FOUND, "query execution '" + id + "' not found");
}
}  // namespace

QueryInsertResult Metastore::insert_query(const QueryRecord& record) {
  require_non_empty(record.query_string, "query string");
  QueryRecord stored = record;
  if (stored.workgroup.empty()) stored.workgroup = "primary";
  if (stored.id.empty()) stored.id = random_uuid();
  if (stored.submitted_at == 0) stored.submitted_at = now_millis();
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(impl_->db);
  if (!stored.client_request_token.empty()) {
    Statement earlier(impl_->db, "SELECT id, query_string FROM queries WHERE client_request_token = ?1");
    earlier.bind(1, stored.client_request_token);
    if (earlier.step()) {
      if (earlier.text(1) != stored.query_string) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "ClientRequestToken '" + stored.client_request_token +
                                                     "' was already used for a different query string");
      }
      return QueryInsertResult{earlier.text(0), false};
    }
  }
  require_workgroup(impl_->db, stored.workgroup);
  std::string sql = "INSERT INTO queries (" + std::string(kQueryColumns) +
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                    "?20, ?21, ?22, ?23, ?24, ?25)";
  Statement insert(impl_->db, sql.c_str());
  const QueryStatistics& stats = stored.statistics;
  insert.bind(1, stored.id)
      .bind(2, stored.query_string)
      .bind(3, to_string(stored.statement_type))
      .bind(4, stored.substatement_type)
      .bind(5, to_string(stored.state))
      .bind(6, stored.state_change_reason)
      .bind(7, stored.error_category)
      .bind(8, stored.error_type)
      .bind(9, stored.error_retryable ? 1 : 0)
      .bind(10, stored.error_message)
      .bind(11, stored.workgroup)
      .bind(12, stored.catalog)
      .bind(13, stored.database)
      .bind(14, stored.output_location)
      .bind(15, stored.submitted_at)
      .bind(16, stored.completed_at)
      .bind(17, stats.engine_execution_time_ms)
      .bind(18, stats.data_scanned_bytes)
      .bind(19, stats.total_execution_time_ms)
      .bind(20, stats.queue_time_ms)
      .bind(21, stats.planning_time_ms)
      .bind(22, stats.service_processing_time_ms)
      .bind(23, stats.rows)
      .bind(25, nlohmann::json(stored.execution_parameters).dump());
  if (stored.client_request_token.empty()) {
    insert.bind_null(24);
  } else {
    insert.bind(24, stored.client_request_token);
  }
  if (int constraint = insert.insert()) {
    if (is_unique_violation(constraint)) {
      throw_error(ErrorCode::ALREADY_EXISTS, "query execution '" + stored.id + "' already exists");
    }
    fail_constraint(constraint);
  }
  transaction.commit();
  return QueryInsertResult{stored.id, true};
}

bool Metastore::update_query_state(const std::string& id, const QueryStateChange& change) {
  int64_t completed_at = 0;
  if (is_terminal(change.state)) completed_at = change.completed_at != 0 ? change.completed_at : now_millis();
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update(impl_->db,
                   "UPDATE queries SET state = ?2, state_change_reason = ?3, error_category = ?4, error_type = ?5, "
                   "error_retryable = ?6, error_message = ?7, completed_at = ?8 "
                   "WHERE id = ?1 AND state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')");
  update.bind(1, id)
      .bind(2, to_string(change.state))
      .bind(3, change.state_change_reason)
      .bind(4, change.error_category)
      .bind(5, change.error_type)
      .bind(6, change.error_retryable ? 1 : 0)
      .bind(7, change.error_message)
      .bind(8, completed_at)
      .run();
  if (sqlite3_changes(impl_->db) > 0) return true;
  if (!query_exists(impl_->db, id)) throw_query_not_found(id);
  return false;
}

void Metastore::update_query_statistics(const std::string& id, const QueryStatistics& statistics) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update(impl_->db,
                   "UPDATE queries SET engine_execution_time_ms = ?2, data_scanned_bytes = ?3, "
                   "total_execution_time_ms = ?4, queue_time_ms = ?5, planning_time_ms = ?6, "
                   "service_processing_time_ms = ?7, result_rows = ?8 WHERE id = ?1");
  update.bind(1, id)
      .bind(2, statistics.engine_execution_time_ms)
      .bind(3, statistics.data_scanned_bytes)
      .bind(4, statistics.total_execution_time_ms)
      .bind(5, statistics.queue_time_ms)
      .bind(6, statistics.planning_time_ms)
      .bind(7, statistics.service_processing_time_ms)
      .bind(8, statistics.rows)
      .run();
  if (sqlite3_changes(impl_->db) == 0) throw_query_not_found(id);
}

void Metastore::update_query_output_location(const std::string& id, const std::string& output_location) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update(impl_->db, "UPDATE queries SET output_location = ?2 WHERE id = ?1");
  update.bind(1, id).bind(2, output_location).run();
  if (sqlite3_changes(impl_->db) == 0) throw_query_not_found(id);
}

std::optional<QueryRecord> Metastore::find_query(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_query_locked(impl_->db, id);
}

QueryRecord Metastore::get_query(const std::string& id) {
  auto record = find_query(id);
  if (!record) throw_query_not_found(id);
  return *record;
}

QueryBatch Metastore::batch_get_queries(const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  QueryBatch batch;
  for (const auto& id : ids) {
    if (auto record = find_query_locked(impl_->db, id)) {
      batch.found.push_back(std::move(*record));
    } else {
      batch.unprocessed_ids.push_back(id);
    }
  }
  return batch;
}

IdPage Metastore::list_queries(const std::string& workgroup, int max_results, const std::string& next_token) {
  int limit = page_size(max_results);
  std::vector<std::string> after;
  if (!next_token.empty()) after = parse_token(next_token, "queries", workgroup, 2);
  int64_t after_submitted = after.empty() ? 0 : parse_token_integer(after[0]);
  std::lock_guard<std::mutex> lock(mutex_);
  require_workgroup(impl_->db, workgroup);
  std::string sql =
      "SELECT id, submitted_at FROM queries WHERE workgroup = ?1" +
      std::string(next_token.empty() ? "" : " AND (submitted_at < ?2 OR (submitted_at = ?2 AND id < ?3))") +
      " ORDER BY submitted_at DESC, id DESC LIMIT ?4";
  Statement statement(impl_->db, sql.c_str());
  statement.bind(1, workgroup);
  if (!next_token.empty()) statement.bind(2, after_submitted).bind(3, after[1]);
  statement.bind(4, limit + 1);
  IdPage page;
  int64_t last_submitted = 0;
  while (statement.step()) {
    if (static_cast<int>(page.ids.size()) == limit) {
      page.next_token = make_token({"queries", workgroup, std::to_string(last_submitted), page.ids.back()});
      break;
    }
    page.ids.push_back(statement.text(0));
    last_submitted = statement.int64(1);
  }
  return page;
}

std::optional<QueryRecord> Metastore::find_query_by_client_request_token(const std::string& token) {
  if (token.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  return find_one<QueryRecord>(impl_->db, select_sql(kQueryColumns, "FROM queries WHERE client_request_token = ?1"),
                               {token}, read_query);
}

int Metastore::recover_interrupted(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Category 1 is Athena's SYSTEM error category; the type is left unknown (0).
  Statement update(impl_->db,
                   "UPDATE queries SET state = 'FAILED', state_change_reason = ?1, error_category = 1, "
                   "error_type = 0, error_retryable = 1, error_message = ?1, completed_at = ?2 "
                   "WHERE state IN ('QUEUED', 'RUNNING')");
  update.bind(1, reason).bind(2, now_millis()).run();
  return sqlite3_changes(impl_->db);
}

// ---------------------------------------------------------------------------------------
// Users

namespace {
// Inserts a user row; returns 0 or the SQLite constraint code (duplicate name or key).
int insert_user(sqlite3* db, const User& user) {
  Statement insert(db, "INSERT INTO users (name, access_key_id, secret_access_key, created_at) VALUES (?1, ?2, ?3, ?4)");
  insert.bind(1, user.name).bind(2, user.access_key_id).bind(3, user.secret_access_key).bind(4, user.created_at);
  return insert.insert();
}
}  // namespace

User Metastore::add_user(const std::string& name) {
  require_non_empty(name, "user name");
  static constexpr std::string_view kKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr std::string_view kSecretAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::lock_guard<std::mutex> lock(mutex_);
  // An access key collision (36^17 keys) is not expected; retrying keeps the guarantee anyway.
  for (int attempt = 0; attempt < 3; ++attempt) {
    User user{name, "TRB" + random_string(kKeyAlphabet, 17), random_string(kSecretAlphabet, 40), now_millis()};
    int constraint = insert_user(impl_->db, user);
    if (constraint == 0) return user;
    if (!is_unique_violation(constraint)) fail_constraint(constraint);
    Statement named(impl_->db, "SELECT 1 FROM users WHERE name = ?1");
    named.bind(1, name);
    if (named.step()) throw_error(ErrorCode::ALREADY_EXISTS, "user '" + name + "' already exists");
  }
  throw_error(ErrorCode::INTERNAL_ERROR, "could not generate a unique access key");
}

User Metastore::import_user(const std::string& name, const std::string& access_key_id,
                            const std::string& secret_access_key) {
  require_non_empty(name, "user name");
  if (access_key_id.size() < 3 || access_key_id.size() > 128)
    throw_error(ErrorCode::INVALID_ARGUMENT, "an access key id has 3 to 128 characters");
  if (secret_access_key.size() < 3 || secret_access_key.size() > 128)
    throw_error(ErrorCode::INVALID_ARGUMENT, "a secret access key has 3 to 128 characters");
  std::lock_guard<std::mutex> lock(mutex_);
  User user{name, access_key_id, secret_access_key, now_millis()};
  int constraint = insert_user(impl_->db, user);
  if (constraint == 0) return user;
  if (!is_unique_violation(constraint)) fail_constraint(constraint);
  throw_error(ErrorCode::ALREADY_EXISTS, "user '" + name + "' or access key " + access_key_id + " already exists");
}

std::optional<User> Metastore::find_user_by_access_key(const std::string& access_key_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_one<User>(impl_->db, select_sql(kUserColumns, "FROM users WHERE access_key_id = ?1"), {access_key_id},
                        read_user);
}

Page<User> Metastore::list_users(int max_results, const std::string& next_token) {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_by_name<User>(impl_->db, "users", kUserColumns, "users", max_results, next_token, read_user, user_key);
}

void Metastore::delete_user(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove(impl_->db, "DELETE FROM users WHERE name = ?1");
  remove.bind(1, name).run();
  if (sqlite3_changes(impl_->db) == 0) throw_error(ErrorCode::NOT_FOUND, "user '" + name + "' not found");
}

}  // namespace tributary::service
