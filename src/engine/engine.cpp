#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "common/text.h"
#include "connector/builtin_connectors.h"
#include "connectors/files/files_connector.h"
#include "connectors/system/system_connector.h"
#include "exec/executor.h"
#include "function/cast.h"
#include "function/function.h"
#include "planner/optimizer.h"
#include "sql/parser.h"

namespace tributary::engine {

namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string expand_env(const std::string& value, const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 6, "${ENV:") == 0) {
      size_t end = value.find('}', i);
      if (end == std::string::npos) throw_error(ErrorCode::INVALID_ARGUMENT, "Unterminated ${ENV:...} in " + path);
      std::string name = value.substr(i + 6, end - i - 6);
      const char* env = std::getenv(name.c_str());
      if (!env)
        throw_error(ErrorCode::INVALID_ARGUMENT,
                    "Environment variable '" + name + "' referenced in " + path + " is not set");
      out += env;
      i = end + 1;
    } else {
      out += value[i++];
    }
  }
  return out;
}

int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Chunk single_column(const std::vector<std::string>& values) {
  Chunk chunk({Type::varchar()}, std::max<size_t>(values.size(), 1));
  for (size_t i = 0; i < values.size(); i++) chunk.columns[0].set_value(i, Value::string(values[i]));
  chunk.size = values.size();
  return chunk;
}

}  // namespace

size_t StatementResult::row_count() const {
  size_t n = 0;
  for (const auto& c : chunks) n += c.size;
  return n;
}

ConnectorProperties read_properties_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw_error(ErrorCode::NOT_FOUND, "Cannot read properties file " + path);
  ConnectorProperties properties;
  std::string line;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == '!') continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos) eq = t.find(':');
    if (eq == std::string::npos) throw_error(ErrorCode::INVALID_ARGUMENT, "Malformed line in " + path + ": " + t);
    properties[trim(t.substr(0, eq))] = expand_env(trim(t.substr(eq + 1)), path);
  }
  return properties;
}

bool like_match(const std::string& pattern, const std::string& value) {
  // Iterative wildcard match with backtracking on '%'.
  size_t p = 0, v = 0, star = std::string::npos, mark = 0;
  while (v < value.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == value[v])) {
      p++;
      v++;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = v;
    } else if (star != std::string::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') p++;
  return p == pattern.size();
}

// The default view store: a map in memory, lost when the process ends.
class MemoryViewStore : public ViewStore {
 public:
  std::optional<std::string> find(const std::string& catalog, const std::string& schema,
                                  const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = views_.find(key(catalog, schema, name));
    if (it == views_.end()) return std::nullopt;
    return it->second;
  }
  bool put(const std::string& catalog, const std::string& schema, const std::string& name, const std::string& sql,
           bool replace) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto k = key(catalog, schema, name);
    if (views_.count(k) && !replace) return false;
    views_[k] = sql;
    return true;
  }
  bool remove(const std::string& catalog, const std::string& schema, const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return views_.erase(key(catalog, schema, name)) > 0;
  }
  std::vector<std::string> list(const std::string& catalog, const std::string& schema) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> names;
    std::string prefix = catalog + "." + schema + ".";
    for (const auto& [k, sql] : views_)
      if (k.rfind(prefix, 0) == 0) names.push_back(k.substr(prefix.size()));
    return names;
  }

 private:
  static std::string key(const std::string& catalog, const std::string& schema, const std::string& name) {
    return catalog + "." + schema + "." + name;
  }
  std::mutex mutex_;
  std::map<std::string, std::string> views_;  // GUARDED_BY(mutex_); "catalog.schema.name" -> SQL
};

class Engine::Resolver : public planner::CatalogResolver {
 public:
  explicit Resolver(Engine& engine) : engine_(engine) {}
  std::shared_ptr<Connector> find_catalog(const std::string& name) override {
    std::lock_guard<std::mutex> lock(engine_.mutex_);
    auto it = engine_.catalogs_.find(to_lower_ascii(name));
    return it == engine_.catalogs_.end() ? nullptr : it->second;
  }
  std::vector<std::string> catalog_names() override { return engine_.catalog_names(); }
  std::optional<std::string> find_view(const std::string& catalog, const std::string& schema,
                                       const std::string& name) override {
    return engine_.view_store()->find(to_lower_ascii(catalog), to_lower_ascii(schema), to_lower_ascii(name));
  }

 private:
  Engine& engine_;
};

Engine::Engine(EngineOptions options)
    : options_(options), views_(std::make_shared<MemoryViewStore>()), resolver_(std::make_unique<Resolver>(*this)) {
  static std::once_flag once;
  std::call_once(once, [] { register_builtin_connectors(); });
  if (options_.threads <= 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
  global_registry();
  catalogs_["system"] = make_system_connector([this] {
    std::vector<CatalogEntry> entries;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, connector] : catalogs_)
      if (name[0] != '$') entries.push_back({name, connector});
    return entries;
  });
  // The hidden catalog behind read_parquet('path') and friends; the Athena service replaces it
  // with one confined to its allowed local folders.
  catalogs_["$path"] = make_path_connector("$path", {});
}

Engine::~Engine() = default;

void Engine::load_config_dir(const std::string& config_dir) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(config_dir) / "catalog";
  if (!fs::is_directory(dir))
    throw_error(ErrorCode::NOT_FOUND, "Config directory " + config_dir + " has no catalog/ folder");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".properties") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto properties = read_properties_file(file.string());
    add_catalog(file.stem().string(), properties);
  }
}

void Engine::add_catalog(const std::string& name, const ConnectorProperties& properties) {
  std::string catalog = to_lower_ascii(name);
  if (catalog == "system") throw_error(ErrorCode::ALREADY_EXISTS, "Catalog 'system' is reserved");
  auto connector = create_connector(catalog, properties);
  std::lock_guard<std::mutex> lock(mutex_);
  catalogs_[catalog] = connector;
}

void Engine::add_catalog(const std::string& name, std::shared_ptr<Connector> connector) {
  std::string catalog = to_lower_ascii(name);
  if (catalog == "system") throw_error(ErrorCode::ALREADY_EXISTS, "Catalog 'system' is reserved");
  std::lock_guard<std::mutex> lock(mutex_);
  catalogs_[catalog] = std::move(connector);
}

bool Engine::has_catalog(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return catalogs_.count(to_lower_ascii(name)) > 0;
}

std::shared_ptr<Connector> Engine::find_connector(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = catalogs_.find(to_lower_ascii(name));
  return it == catalogs_.end() ? nullptr : it->second;
}

void Engine::set_view_store(std::shared_ptr<ViewStore> store) {
  std::lock_guard<std::mutex> lock(mutex_);
  views_ = std::move(store);
}

std::shared_ptr<ViewStore> Engine::view_store() {
  std::lock_guard<std::mutex> lock(mutex_);
  return views_;
}

void Engine::drop_catalog(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  catalogs_.erase(to_lower_ascii(name));
}

std::vector<std::string> Engine::catalog_names() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, connector] : catalogs_)
    if (name[0] != '$') names.push_back(name);
  return names;
}

StatementResult Engine::execute(const std::string& sql, planner::Session& session, std::atomic<bool>* cancel) {
  QueryControl control;
  control.cancel = cancel;
  return execute(sql, session, control);
}

StatementResult Engine::execute(const std::string& sql, planner::Session& session, const QueryControl& control) {
  auto statement = sql::parse_statement(sql);
  session.function_context.query_start_micros = now_micros();
  switch (statement->kind) {
    case sql::StatementKind::QUERY: return run_query(sql, *statement->query, session, control, false, false);
    case sql::StatementKind::EXPLAIN:
    case sql::StatementKind::EXPLAIN_ANALYZE: {
      if (!statement->inner || statement->inner->kind != sql::StatementKind::QUERY)
        throw_error(ErrorCode::NOT_SUPPORTED, "EXPLAIN is supported for queries only", statement->location.line,
                    statement->location.column);
      return run_query(sql, *statement->inner->query, session, control, true,
                       statement->kind == sql::StatementKind::EXPLAIN_ANALYZE);
    }
    case sql::StatementKind::CREATE_TABLE_AS:
    case sql::StatementKind::INSERT: return run_write(sql, *statement, session, control);
    default: return run_metadata(*statement, session);
  }
}

namespace {

bool numeric_type(TypeId id) {
  return id == TypeId::TINYINT || id == TypeId::SMALLINT || id == TypeId::INTEGER || id == TypeId::BIGINT ||
         id == TypeId::REAL || id == TypeId::DOUBLE || id == TypeId::DECIMAL;
}

// INSERT's implicit coercions (Trino's rules, loosely): numbers into any number (the cast
// checks the range), text into text, dates into timestamps.
bool insert_coercible(const Type& from, const Type& to) {
  if (from == to || from.id == TypeId::UNKNOWN) return true;
  if (numeric_type(from.id) && numeric_type(to.id)) return true;
  if (from.id == to.id && (from.id == TypeId::VARCHAR || from.id == TypeId::TIMESTAMP)) return true;
  return from.id == TypeId::DATE && to.id == TypeId::TIMESTAMP;
}

std::string type_list(const std::vector<Type>& types) {
  std::string text = "[";
  for (size_t i = 0; i < types.size(); i++) text += (i ? ", " : "") + types[i].to_string();
  return text + "]";
}

std::string random_query_id() {
  std::random_device device;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x%08x%08x", device(), device(), device());
  return buffer;
}

bool generated_column_name(const std::string& name) {
  if (name.rfind("_col", 0) != 0 || name.size() == 4) return false;
  return std::all_of(name.begin() + 4, name.end(), [](char c) { return std::isdigit((unsigned char)c); });
}

}  // namespace

// CREATE TABLE AS and INSERT INTO: run the query, then hand the rows to the catalog.
StatementResult Engine::run_write(const std::string& sql, const sql::Statement& statement, planner::Session& session,
                                  const QueryControl& control) {
  auto loc = statement.location;
  auto fail = [&](ErrorCode code, const std::string& message) { throw_error(code, message, loc.line, loc.column); };
  std::string catalog, schema, name;
  {
    planner::Binder binder(*resolver_, session);
    binder.resolve_table_name(statement.name, loc, &catalog, &schema, &name);
  }
  catalog = to_lower_ascii(catalog);
  schema = to_lower_ascii(schema);
  name = to_lower_ascii(name);
  auto connector = resolver_->find_catalog(catalog);
  if (!connector) fail(ErrorCode::NOT_FOUND, "Catalog '" + catalog + "' does not exist." + did_you_mean(catalog, catalog_names()));
  std::string key = catalog + "." + schema + "." + name;
  WriteContext context{session.query_id.empty() ? random_query_id() : session.query_id, session.default_table_location};
  StatementResult result;
  result.is_query = false;
  auto check_cancel = [&] {
    if (control.cancel && control.cancel->load()) throw_error(ErrorCode::CANCELLED, "Query was cancelled by the user");
  };
  // The query's columns, from binding (the rows are written as it runs).
  std::vector<std::string> names;
  std::vector<Type> types;
  auto bind = [&] {
    planner::Binder binder(*resolver_, session);
    auto bound = binder.bind_query(*statement.query);
    names = bound.names;
    for (const auto& c : bound.plan->columns) types.push_back(c.type);
  };
  // Runs the query, each chunk through `write` as it is produced (in the query's order).
  uint64_t produced = 0;
  auto run = [&](const std::function<void(Chunk&)>& write) {
    std::function<void(Chunk&)> consumer = [&](Chunk& chunk) {
      produced += chunk.size;
      write(chunk);
    };
    StatementResult rows = run_query(sql, *statement.query, session, control, false, false, &consumer);
    result.stats = rows.stats;
    result.stats.rows = produced;
    result.executed_plan = std::move(rows.executed_plan);
  };

  if (statement.kind == sql::StatementKind::CREATE_TABLE_AS) {
    result.update_type = "CREATE TABLE";
    if (connector->get_table(schema, name) || view_store()->find(catalog, schema, name)) {
      if (statement.if_not_exists) {
        result.update_count = 0;
        return result;
      }
      fail(ErrorCode::ALREADY_EXISTS, "Table '" + key + "' already exists");
    }
    bind();
    if (!statement.column_names.empty()) {
      if (statement.column_names.size() != names.size())
        fail(ErrorCode::INVALID_ARGUMENT, "Column alias list has " + std::to_string(statement.column_names.size()) +
                                              " entries but the query has " + std::to_string(names.size()) + " columns");
      names = statement.column_names;
    }
    std::vector<std::string> seen;
    for (size_t i = 0; i < names.size(); i++) {
      names[i] = to_lower_ascii(names[i]);
      if (names[i].empty() || generated_column_name(names[i]))
        fail(ErrorCode::INVALID_ARGUMENT, "Column name not specified at position " + std::to_string(i + 1) +
                                              " (give the expression an alias: expr AS name)");
      if (std::find(seen.begin(), seen.end(), names[i]) != seen.end())
        fail(ErrorCode::INVALID_ARGUMENT, "Column name '" + names[i] + "' specified more than once");
      seen.push_back(names[i]);
      if (types[i].id == TypeId::UNKNOWN)
        fail(ErrorCode::TYPE_MISMATCH, "Column '" + names[i] + "' has no type (a bare NULL): cast it, e.g. CAST(NULL AS varchar)");
    }
    TableDefinition table;
    table.schema = schema;
    table.name = name;
    table.comment = statement.comment;
    for (const auto& [k, v] : statement.with_properties) {
      if (k == "external_location") table.location = v;
      else if (k == "format") table.format = v;
      else table.properties[k] = v;
    }
    for (auto& c : table.format) c = (char)std::toupper((unsigned char)c);
    std::vector<std::string> partitioned_by;
    for (const auto& [k, values] : statement.with_list_properties) {
      if (k == "partitioned_by") {
        for (const auto& v : values) partitioned_by.push_back(to_lower_ascii(v));
        continue;
      }
      std::string joined;
      for (size_t i = 0; i < values.size(); i++) joined += (i ? "," : "") + values[i];
      table.properties[k] = joined;
    }
    for (const auto& column : partitioned_by)
      if (std::find(names.begin(), names.end(), column) == names.end())
        fail(ErrorCode::NOT_FOUND, "Partition column '" + column + "' is not a column of the query." +
                                       did_you_mean(column, names));
    if (partitioned_by.size() >= names.size())
      fail(ErrorCode::INVALID_ARGUMENT, "A table needs at least one column that is not a partition column");
    size_t data_columns = names.size() - partitioned_by.size();
    for (size_t i = 0; i < partitioned_by.size(); i++)
      if (names[data_columns + i] != partitioned_by[i]) {
        std::string list;
        for (size_t j = 0; j < partitioned_by.size(); j++) list += (j ? ", " : "") + partitioned_by[j];
        fail(ErrorCode::INVALID_ARGUMENT, "Partition keys must be the last columns in the table and in the same "
                                          "order as the table properties: [" + list + "]");
      }
    for (size_t i = 0; i < names.size(); i++)
      (i < data_columns ? table.columns : table.partition_columns).push_back({names[i], types[i].to_string(), ""});
    check_cancel();
    // The catalog checks the definition and the location before the query runs; a failure
    // from here on deletes what was written (the session's destructor).
    auto writer = connector->begin_create_table_as(table, context);
    if (statement.with_data) {
      run([&](Chunk& chunk) {
        for (size_t c = 0; c < types.size() && c < chunk.columns.size(); c++)
          if (!(chunk.columns[c].type() == types[c])) {
            Vector cast(types[c], std::max<size_t>(chunk.size, 1));
            cast_vector(chunk.columns[c], cast, chunk.size, false);
            chunk.columns[c] = std::move(cast);
          }
        writer->write(chunk);
      });
    }
    check_cancel();
    result.update_count = (int64_t)writer->commit();
    return result;
  }

  // INSERT INTO
  result.update_type = "INSERT";
  auto table = connector->get_table(schema, name);
  if (!table) {
    auto tables = connector->list_tables(schema);
    fail(ErrorCode::NOT_FOUND, "Table '" + key + "' does not exist." + did_you_mean(name, tables));
  }
  std::vector<int> targets;  // table column per query column
  if (statement.column_names.empty()) {
    for (size_t i = 0; i < table->columns.size(); i++) targets.push_back((int)i);
  } else {
    std::vector<std::string> table_names;
    for (const auto& c : table->columns) table_names.push_back(c.name);
    for (const auto& column : statement.column_names) {
      int index = table->column_index(column);
      if (index < 0)
        fail(ErrorCode::NOT_FOUND, "Insert column name does not exist in target table: " + column + "." +
                                       did_you_mean(column, table_names));
      if (std::find(targets.begin(), targets.end(), index) != targets.end())
        fail(ErrorCode::INVALID_ARGUMENT, "Insert column name is specified more than once: " + column);
      targets.push_back(index);
    }
  }
  bind();
  std::vector<Type> table_types, target_types;
  for (const auto& c : table->columns) table_types.push_back(c.type);
  for (int t : targets) target_types.push_back(table_types[t]);
  bool compatible = types.size() == targets.size();
  for (size_t i = 0; compatible && i < types.size(); i++) compatible = insert_coercible(types[i], target_types[i]);
  if (!compatible)
    fail(ErrorCode::TYPE_MISMATCH, "Insert query has mismatched column types: Table: " + type_list(target_types) +
                                       ", Query: " + type_list(types));
  check_cancel();
  auto writer = connector->begin_insert(schema, name, context);
  // Each chunk in the table's layout: listed columns cast to the table's types, others NULL.
  run([&](Chunk& chunk) {
    Chunk out;
    out.size = chunk.size;
    for (size_t c = 0; c < table_types.size(); c++) {
      auto it = std::find(targets.begin(), targets.end(), (int)c);
      if (it == targets.end()) {
        out.columns.push_back(Vector::constant(Value::null(table_types[c]), chunk.size));
        continue;
      }
      const Vector& in = chunk.columns[it - targets.begin()];
      if (in.type() == table_types[c]) {
        out.columns.push_back(in);
      } else {
        Vector cast(table_types[c], std::max<size_t>(chunk.size, 1));
        cast_vector(in, cast, chunk.size, false);
        out.columns.push_back(std::move(cast));
      }
    }
    writer->write(out);
  });
  check_cancel();
  result.update_count = (int64_t)writer->commit();
  return result;
}

StatementResult Engine::run_query(const std::string& sql, const sql::Query& query, planner::Session& session,
                                  const QueryControl& control, bool explain, bool analyze,
                                  const std::function<void(Chunk&)>* consumer) {
  auto start = std::chrono::steady_clock::now();
  planner::Binder binder(*resolver_, session);
  planner::BoundQuery bound = binder.bind_query(query);
  planner::PlanPtr plan = planner::optimize(bound.plan, session.function_context);
  StatementResult result;
  result.stats.planning_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::atomic<bool>* cancel = control.cancel;
  if (explain && !analyze) {
    result.names = {"Query Plan"};
    result.types = {Type::varchar()};
    result.chunks.push_back(single_column({planner::plan_to_string(*plan, false)}));
    return result;
  }
  exec::ExecContext context;
  context.function_context = session.function_context;
  context.threads = options_.threads;
  context.memory.set_limit(options_.memory_limit_bytes);
  int depth = 0;
  std::function<std::vector<Chunk>(const planner::PlanPtr&)> run_subquery;
  run_subquery = [&](const planner::PlanPtr& subplan) {
    exec::ExecContext sub;
    sub.function_context = context.function_context;
    sub.threads = 1;
    sub.memory.set_limit(options_.memory_limit_bytes);
    sub.run_subquery = run_subquery;
    if (++depth > 64) throw_error(ErrorCode::LIMIT_EXCEEDED, "Subquery nesting is too deep");
    auto optimized = planner::optimize(planner::bind_outer_values(subplan, {}), sub.function_context);
    auto rows = exec::execute_plan(optimized, sub);
    depth--;
    context.bytes_scanned += sub.bytes_scanned.load();
    return rows;
  };
  context.run_subquery = run_subquery;
  // Watches the caller's cancel flag; woken at once when the query ends, so it adds no latency.
  std::mutex watch_mutex;
  std::condition_variable watch_done;
  bool watching = true;
  std::thread watcher;
  std::atomic<bool> over_limit{false};
  if (cancel || control.max_bytes_scanned || control.bytes_scanned) {
    watcher = std::thread([&] {
      std::unique_lock<std::mutex> lock(watch_mutex);
      while (watching) {
        uint64_t scanned = context.bytes_scanned.load();
        if (control.bytes_scanned) control.bytes_scanned->store(scanned);
        bool stop = cancel && cancel->load();
        if (control.max_bytes_scanned && scanned > control.max_bytes_scanned) {
          over_limit = true;
          stop = true;
        }
        if (stop) {
          lock.unlock();
          context.cancel();
          return;
        }
        watch_done.wait_for(lock, std::chrono::milliseconds(20));
      }
    });
  }
  auto stop_watching = [&] {
    {
      std::lock_guard<std::mutex> lock(watch_mutex);
      watching = false;
    }
    watch_done.notify_all();
    if (watcher.joinable()) watcher.join();
  };
  std::vector<Chunk> chunks;
  try {
    if (consumer) exec::execute_plan(plan, context, *consumer);
    else chunks = exec::execute_plan(plan, context);
  } catch (...) {
    stop_watching();
    if (over_limit)
      throw_error(ErrorCode::LIMIT_EXCEEDED, "Query scanned more than the limit of " +
                                                 std::to_string(control.max_bytes_scanned) + " bytes (" +
                                                 std::to_string(context.bytes_scanned.load()) + " bytes read)");
    if (cancel && cancel->load()) throw_error(ErrorCode::CANCELLED, "Query was cancelled by the user");
    throw;
  }
  stop_watching();
  if (control.bytes_scanned) control.bytes_scanned->store(context.bytes_scanned.load());
  if (control.max_bytes_scanned && context.bytes_scanned.load() > control.max_bytes_scanned)
    throw_error(ErrorCode::LIMIT_EXCEEDED, "Query scanned more than the limit of " +
                                               std::to_string(control.max_bytes_scanned) + " bytes (" +
                                               std::to_string(context.bytes_scanned.load()) + " bytes read)");
  result.stats.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  result.stats.bytes_scanned = context.bytes_scanned.load();
  result.stats.rows_scanned = context.rows_scanned.load();
  result.stats.peak_memory = context.memory.peak();
  result.stats.rejected_values = context.rejected_values.load();
  if (analyze) {
    result.names = {"Query Plan"};
    result.types = {Type::varchar()};
    std::string text = planner::plan_to_string(*plan, true);
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "Elapsed: %.2fms, scanned: %llu bytes, peak memory: %lld bytes\n",
                  result.stats.elapsed_ms, (unsigned long long)result.stats.bytes_scanned,
                  (long long)result.stats.peak_memory);
    result.chunks.push_back(single_column({std::string(buffer) + text}));
    return result;
  }
  if (control.keep_plan) result.executed_plan = planner::plan_to_string(*plan, true);
  result.names = bound.names;
  for (const auto& c : plan->columns) result.types.push_back(c.type);
  result.chunks = std::move(chunks);
  result.stats.rows = result.row_count();
  return result;
}

StatementResult Engine::run_metadata(const sql::Statement& statement, planner::Session& session) {
  StatementResult result;
  auto filter = [&](std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    if (!statement.has_like) return names;
    std::vector<std::string> out;
    for (auto& n : names)
      if (like_match(statement.like_pattern, n)) out.push_back(n);
    return out;
  };
  auto loc = statement.location;
  auto connector_for = [&](const std::string& catalog) {
    auto c = resolver_->find_catalog(catalog);
    if (!c)
      throw_error(ErrorCode::NOT_FOUND,
                  "Catalog '" + catalog + "' does not exist." + did_you_mean(catalog, catalog_names()), loc.line,
                  loc.column);
    return c;
  };
  // SHOW TABLES / SHOW VIEWS [FROM|IN [catalog.]schema]: the schema named, else the session's.
  auto target_schema = [&]() -> std::pair<std::string, std::string> {
    std::string catalog = session.catalog, schema = session.schema;
    if (statement.name.size() == 1) schema = statement.name[0];
    if (statement.name.size() == 2) {
      catalog = statement.name[0];
      schema = statement.name[1];
    }
    if (catalog.empty() || schema.empty())
      throw_error(ErrorCode::NOT_FOUND, "Schema must be specified when session schema is not set", loc.line,
                  loc.column);
    return {catalog, schema};
  };
  // A view or table name of the statement: [catalog.][schema.]name with the session defaults, lower-cased.
  struct ObjectName {
    std::string catalog, schema, name;
  };
  auto object_name = [&]() {
    planner::Binder binder(*resolver_, session);
    ObjectName object;
    binder.resolve_table_name(statement.name, statement.location, &object.catalog, &object.schema, &object.name);
    object.catalog = to_lower_ascii(object.catalog);
    object.schema = to_lower_ascii(object.schema);
    object.name = to_lower_ascii(object.name);
    return object;
  };
  switch (statement.kind) {
    case sql::StatementKind::SHOW_CATALOGS:
      result.names = {"Catalog"};
      result.types = {Type::varchar()};
      result.chunks.push_back(single_column(filter(catalog_names())));
      return result;
    case sql::StatementKind::SHOW_SCHEMAS: {
      std::string catalog = statement.name.empty() ? session.catalog : to_lower_ascii(statement.name[0]);
      if (catalog.empty())
        throw_error(ErrorCode::NOT_FOUND, "Catalog must be specified when session catalog is not set", loc.line,
                    loc.column);
      auto schemas = connector_for(catalog)->list_schemas();
      for (auto& s : schemas) s = to_lower_ascii(s);
      if (std::find(schemas.begin(), schemas.end(), "information_schema") == schemas.end())
        schemas.push_back("information_schema");
      result.names = {"Schema"};
      result.types = {Type::varchar()};
      result.chunks.push_back(single_column(filter(schemas)));
      return result;
    }
    case sql::StatementKind::SHOW_TABLES: {
      auto [catalog, schema] = target_schema();
      auto connector = connector_for(to_lower_ascii(catalog));
      if (to_lower_ascii(schema) == "information_schema") connector = connector_for("system");
      auto schemas = connector->list_schemas();
      bool exists = false;
      for (const auto& s : schemas) exists |= to_lower_ascii(s) == to_lower_ascii(schema);
      if (!exists)
        throw_error(ErrorCode::NOT_FOUND,
                    "Schema '" + schema + "' does not exist in catalog '" + catalog + "'." + did_you_mean(schema, schemas),
                    loc.line, loc.column);
      auto tables = connector->list_tables(schema);
      for (auto& t : tables) t = to_lower_ascii(t);
      for (auto& view : view_store()->list(to_lower_ascii(catalog), to_lower_ascii(schema))) tables.push_back(view);
      std::sort(tables.begin(), tables.end());
      tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
      result.names = {"Table"};
      result.types = {Type::varchar()};
      result.chunks.push_back(single_column(filter(tables)));
      return result;
    }
    case sql::StatementKind::SHOW_COLUMNS: {
      // DESCRIBE binds `SELECT * FROM t` so views and CTE-free names resolve the same way as queries.
      sql::Query query;
      auto body = std::make_shared<sql::QueryBody>();
      body->kind = sql::QueryBody::SPEC;
      sql::SelectItem star;
      star.expr = std::make_shared<sql::Expr>();
      star.expr->kind = sql::ExprKind::STAR;
      body->spec.select.push_back(star);
      auto rel = std::make_shared<sql::Relation>();
      rel->name = statement.name;
      rel->location = statement.location;
      body->spec.from = rel;
      query.body = body;
      planner::Binder binder(*resolver_, session);
      auto bound = binder.bind_query(query);
      result.names = {"Column", "Type", "Extra", "Comment"};
      result.types = {Type::varchar(), Type::varchar(), Type::varchar(), Type::varchar()};
      Chunk chunk(result.types, std::max<size_t>(bound.names.size(), 1));
      for (size_t i = 0; i < bound.names.size(); i++) {
        chunk.columns[0].set_value(i, Value::string(bound.names[i]));
        chunk.columns[1].set_value(i, Value::string(bound.plan->columns[i].type.to_string()));
        chunk.columns[2].set_value(i, Value::string(""));
        chunk.columns[3].set_value(i, Value::string(""));
      }
      chunk.size = bound.names.size();
      result.chunks.push_back(chunk);
      return result;
    }
    case sql::StatementKind::SHOW_FUNCTIONS: {
      auto names = global_registry().scalar_names();
      auto aggregates = global_registry().aggregate_names();
      names.insert(names.end(), aggregates.begin(), aggregates.end());
      std::vector<std::string> visible;
      for (auto& n : names)
        if (!n.empty() && n[0] != '$') visible.push_back(n);
      visible.erase(std::unique(visible.begin(), visible.end()), visible.end());
      result.names = {"Function"};
      result.types = {Type::varchar()};
      result.chunks.push_back(single_column(filter(visible)));
      return result;
    }
    case sql::StatementKind::USE: {
      if (statement.name.size() == 1) {
        if (session.catalog.empty())
          throw_error(ErrorCode::NOT_FOUND, "Catalog must be specified when session catalog is not set", loc.line,
                      loc.column);
        session.schema = to_lower_ascii(statement.name[0]);
      } else if (statement.name.size() == 2) {
        connector_for(to_lower_ascii(statement.name[0]));
        session.catalog = to_lower_ascii(statement.name[0]);
        session.schema = to_lower_ascii(statement.name[1]);
      } else {
        throw_error(ErrorCode::SYNTAX_ERROR, "USE takes catalog.schema or schema", loc.line, loc.column);
      }
      result.is_query = false;
      result.update_type = "USE";
      return result;
    }
    case sql::StatementKind::CREATE_VIEW:
    case sql::StatementKind::DROP_VIEW:
    case sql::StatementKind::SHOW_CREATE_VIEW: {
      planner::Binder binder(*resolver_, session);
      auto [catalog, schema, name] = object_name();
      std::string key = catalog + "." + schema + "." + name;
      auto store = view_store();
      result.is_query = false;
      if (statement.kind == sql::StatementKind::CREATE_VIEW) {
        // Validate the definition now so a broken view is rejected at creation.
        binder.bind_query(*statement.query);
        connector_for(catalog);
        if (!store->put(catalog, schema, name, statement.original_sql, statement.or_replace))
          throw_error(ErrorCode::ALREADY_EXISTS, "View '" + key + "' already exists", loc.line, loc.column);
        result.update_type = "CREATE VIEW";
      } else if (statement.kind == sql::StatementKind::DROP_VIEW) {
        if (!store->remove(catalog, schema, name) && !statement.if_exists)
          throw_error(ErrorCode::NOT_FOUND, "View '" + key + "' does not exist", loc.line, loc.column);
        result.update_type = "DROP VIEW";
      } else {
        auto sql_text = store->find(catalog, schema, name);
        if (!sql_text) throw_error(ErrorCode::NOT_FOUND, "View '" + key + "' does not exist", loc.line, loc.column);
        result.is_query = true;
        result.names = {"Create View"};
        result.types = {Type::varchar()};
        result.chunks.push_back(single_column({"CREATE VIEW " + key + " AS\n" + *sql_text}));
      }
      return result;
    }
    case sql::StatementKind::SHOW_VIEWS: {
      auto [catalog, schema] = target_schema();
      connector_for(to_lower_ascii(catalog));
      result.names = {"View"};
      result.types = {Type::varchar()};
      result.chunks.push_back(single_column(filter(view_store()->list(to_lower_ascii(catalog), to_lower_ascii(schema)))));
      return result;
    }
    case sql::StatementKind::CREATE_SCHEMA:
    case sql::StatementKind::DROP_SCHEMA: {
      std::string catalog = session.catalog, schema;
      if (statement.name.size() == 1) schema = statement.name[0];
      else if (statement.name.size() == 2) {
        catalog = statement.name[0];
        schema = statement.name[1];
      } else {
        throw_error(ErrorCode::SYNTAX_ERROR, "A database name is [catalog.]name", loc.line, loc.column);
      }
      if (catalog.empty())
        throw_error(ErrorCode::NOT_FOUND, "Catalog must be specified when session catalog is not set", loc.line,
                    loc.column);
      auto connector = connector_for(to_lower_ascii(catalog));
      if (statement.kind == sql::StatementKind::CREATE_SCHEMA)
        connector->create_schema(to_lower_ascii(schema), statement.location_uri, statement.properties, statement.if_not_exists);
      else
        connector->drop_schema(to_lower_ascii(schema), statement.if_exists, statement.cascade);
      result.is_query = false;
      result.update_type = statement.kind == sql::StatementKind::CREATE_SCHEMA ? "CREATE SCHEMA" : "DROP SCHEMA";
      return result;
    }
    case sql::StatementKind::CREATE_TABLE:
    case sql::StatementKind::DROP_TABLE:
    case sql::StatementKind::SHOW_PARTITIONS:
    case sql::StatementKind::SHOW_CREATE_TABLE:
    case sql::StatementKind::REPAIR_TABLE:
    case sql::StatementKind::ADD_PARTITIONS:
    case sql::StatementKind::DROP_PARTITIONS: {
      auto [catalog, schema, name] = object_name();
      auto connector = connector_for(catalog);
      result.is_query = false;
      auto partition_values = [](const sql::PartitionSpec& spec) {
        std::vector<std::pair<std::string, std::string>> values;
        for (const auto& [k, v] : spec.values) values.emplace_back(to_lower_ascii(k), v);
        return values;
      };
      switch (statement.kind) {
        case sql::StatementKind::CREATE_TABLE: {
          TableDefinition table;
          table.schema = schema;
          table.name = name;
          for (const auto& c : statement.columns) table.columns.push_back({to_lower_ascii(c.name), c.type, c.comment});
          for (const auto& c : statement.partition_columns)
            table.partition_columns.push_back({to_lower_ascii(c.name), c.type, c.comment});
          table.location = statement.location_uri;
          table.format = statement.stored_as;
          table.serde = statement.row_format_serde;
          table.serde_properties = statement.serde_properties;
          table.properties = statement.properties;
          table.comment = statement.comment;
          connector->create_table(table, statement.if_not_exists);
          result.update_type = "CREATE TABLE";
          break;
        }
        case sql::StatementKind::DROP_TABLE:
          connector->drop_table(schema, name, statement.if_exists);
          result.update_type = "DROP TABLE";
          break;
        case sql::StatementKind::SHOW_CREATE_TABLE:
          result.is_query = true;
          result.names = {"createtab_stmt"};
          result.types = {Type::varchar()};
          result.chunks.push_back(single_column({connector->show_create_table(schema, name)}));
          break;
        case sql::StatementKind::SHOW_PARTITIONS:
          result.is_query = true;
          result.names = {"partition"};
          result.types = {Type::varchar()};
          result.chunks.push_back(single_column(connector->list_partitions(schema, name)));
          break;
        case sql::StatementKind::REPAIR_TABLE: {
          int added = connector->repair_table(schema, name);
          result.is_query = true;
          result.names = {"result"};
          result.types = {Type::varchar()};
          result.chunks.push_back(single_column({"Partitions added: " + std::to_string(added)}));
          break;
        }
        case sql::StatementKind::ADD_PARTITIONS: {
          std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> partitions;
          for (const auto& spec : statement.partitions) partitions.emplace_back(partition_values(spec), spec.location);
          connector->add_partitions(schema, name, partitions, statement.if_not_exists);
          result.update_type = "ADD PARTITION";
          break;
        }
        default: {
          std::vector<std::vector<std::pair<std::string, std::string>>> partitions;
          for (const auto& spec : statement.partitions) partitions.push_back(partition_values(spec));
          connector->drop_partitions(schema, name, partitions, statement.if_exists);
          result.update_type = "DROP PARTITION";
          break;
        }
      }
      return result;
    }
    default: break;
  }
  throw_error(ErrorCode::NOT_SUPPORTED, "Statement not supported", loc.line, loc.column);
}

}  // namespace tributary::engine
