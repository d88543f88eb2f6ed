#include "service/query_manager.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/text.h"
#include "sql/parser.h"

namespace tributary::service {

namespace {

int64_t steady_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Athena's AthenaError for an engine error (see Athena's error catalog: category 1 SYSTEM,
// 2 USER, 3 OTHER; type 1000 user error, 1001 data error, 1003 DDL task failed, 203 driver
// error, 0 exhausted resources, 200 engine internal error, 401 result write failure).
void set_error(QueryStateChange& change, const Error& error, StatementType type) {
  change.state = QueryState::FAILED;
  change.state_change_reason = error.full();
  change.error_message = error.full();
  switch (error.code()) {
    case ErrorCode::SYNTAX_ERROR:
    case ErrorCode::NOT_FOUND:
    case ErrorCode::TYPE_MISMATCH:
    case ErrorCode::INVALID_ARGUMENT:
    case ErrorCode::NOT_SUPPORTED:
    case ErrorCode::ALREADY_EXISTS:
    case ErrorCode::ACCESS_DENIED:
      change.error_category = 2;
      change.error_type = type == StatementType::DDL ? 1003 : 1000;
      break;
    case ErrorCode::NUMERIC_OUT_OF_RANGE:
    case ErrorCode::DIVISION_BY_ZERO:
    case ErrorCode::INVALID_CAST:
      change.error_category = 2;
      change.error_type = 1001;
      break;
    case ErrorCode::LIMIT_EXCEEDED:
      change.error_category = 2;
      change.error_type = 0;
      break;
    case ErrorCode::SOURCE_ERROR:
      change.error_category = 3;
      change.error_type = 203;
      change.error_retryable = true;
      break;
    case ErrorCode::CANCELLED:
    case ErrorCode::INTERNAL_ERROR:
      change.error_category = 1;
      change.error_type = 200;
      break;
  }
}

struct WorkgroupSettings {
  std::string output_location;
  bool enforce = false;
  uint64_t bytes_cutoff = 0;
  int max_concurrent = 0;
  bool publish_metrics = false;
};

WorkgroupSettings workgroup_settings(const WorkGroup& workgroup) {
  WorkgroupSettings settings;
  auto config = nlohmann::json::parse(workgroup.configuration_json, nullptr, false);
  if (!config.is_object()) return settings;
  if (config.contains("ResultConfiguration") && config["ResultConfiguration"].is_object()) {
    const auto& rc = config["ResultConfiguration"];
    if (rc.contains("OutputLocation") && rc["OutputLocation"].is_string())
      settings.output_location = rc["OutputLocation"].get<std::string>();
  }
  if (config.contains("EnforceWorkGroupConfiguration") && config["EnforceWorkGroupConfiguration"].is_boolean())
    settings.enforce = config["EnforceWorkGroupConfiguration"].get<bool>();
  if (config.contains("BytesScannedCutoffPerQuery") && config["BytesScannedCutoffPerQuery"].is_number_integer())
    settings.bytes_cutoff = config["BytesScannedCutoffPerQuery"].get<uint64_t>();
  if (config.contains("PublishCloudWatchMetricsEnabled") && config["PublishCloudWatchMetricsEnabled"].is_boolean())
    settings.publish_metrics = config["PublishCloudWatchMetricsEnabled"].get<bool>();
  if (config.contains("AdditionalConfiguration") && config["AdditionalConfiguration"].is_string()) {
    auto extra = nlohmann::json::parse(config["AdditionalConfiguration"].get<std::string>(), nullptr, false);
    if (extra.is_object() && extra.contains("MaxConcurrentQueries") && extra["MaxConcurrentQueries"].is_number_integer())
      settings.max_concurrent = std::max(0, extra["MaxConcurrentQueries"].get<int>());
  }
  return settings;
}

std::string object_name(const std::string& id, bool tabular) { return id + (tabular ? ".csv" : ".txt"); }

}  // namespace

StatementClass classify_statement(const std::string& sql_text) {
  StatementClass result;
  result.substatement = "SELECT";
  sql::StatementPtr statement;
  try {
    statement = sql::parse_statement(sql_text);
  } catch (const Error&) {
    return result;
  }
  using K = sql::StatementKind;
  auto set = [&](StatementType type, const char* sub, bool tabular) {
    result.type = type;
    result.substatement = sub;
    result.tabular = tabular;
  };
  switch (statement->kind) {
    case K::QUERY: set(StatementType::DML, "SELECT", true); break;
    case K::EXPLAIN:
    case K::EXPLAIN_ANALYZE: set(StatementType::UTILITY, "EXPLAIN", true); break;
    case K::SHOW_CATALOGS: set(StatementType::UTILITY, "SHOW_CATALOGS", false); break;
    case K::SHOW_SCHEMAS: set(StatementType::DDL, "SHOW_DATABASES", false); break;
    case K::SHOW_TABLES: set(StatementType::DDL, "SHOW_TABLES", false); break;
    case K::SHOW_VIEWS: set(StatementType::DDL, "SHOW_VIEWS", false); break;
    case K::SHOW_COLUMNS: set(StatementType::DDL, "DESCRIBE_TABLE", false); break;
    case K::SHOW_FUNCTIONS: set(StatementType::UTILITY, "SHOW_FUNCTIONS", false); break;
    case K::SHOW_CREATE_VIEW: set(StatementType::DDL, "SHOW_CREATE_VIEW", false); break;
    case K::SHOW_CREATE_TABLE: set(StatementType::DDL, "SHOW_CREATE_TABLE", false); break;
    case K::USE: set(StatementType::UTILITY, "USE", false); break;
    case K::CREATE_VIEW: set(StatementType::DDL, "CREATE_VIEW", false); break;
    case K::DROP_VIEW: set(StatementType::DDL, "DROP_VIEW", false); break;
    case K::CREATE_SCHEMA: set(StatementType::DDL, "CREATE_DATABASE", false); break;
    case K::DROP_SCHEMA: set(StatementType::DDL, "DROP_DATABASE", false); break;
    case K::CREATE_TABLE: set(StatementType::DDL, "CREATE_TABLE", false); break;
    case K::DROP_TABLE: set(StatementType::DDL, "DROP_TABLE", false); break;
    case K::SHOW_PARTITIONS: set(StatementType::DDL, "SHOW_PARTITIONS", false); break;
    case K::REPAIR_TABLE: set(StatementType::DDL, "MSCK_REPAIR_TABLE", false); break;
    case K::ADD_PARTITIONS: set(StatementType::DDL, "ALTER_TABLE_ADD_PARTITION", false); break;
    case K::DROP_PARTITIONS: set(StatementType::DDL, "ALTER_TABLE_DROP_PARTITION", false); break;
    case K::CREATE_TABLE_AS: set(StatementType::DDL, "CREATE_TABLE_AS_SELECT", false); break;
    case K::INSERT: set(StatementType::DML, "INSERT", false); break;
  }
  return result;
}

QueryManager::QueryManager(Metastore& metastore, engine::Engine& engine, ServiceCatalogs& catalogs,
                           ResultStore& results, QueryManagerOptions options)
    : metastore_(metastore), engine_(engine), catalogs_(catalogs), results_(results), options_(std::move(options)) {
  if (options_.max_concurrent_queries < 1) options_.max_concurrent_queries = 1;
  for (int i = 0; i < options_.max_concurrent_queries; i++) workers_.emplace_back([this] { worker_loop(); });
}

QueryManager::~QueryManager() {
  if (!shutdown()) std::_Exit(0);  // a worker is stuck in a statement: it still uses this object
}

std::string QueryManager::start(const StartQueryRequest& request) {
  if (request.query_string.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "QueryString must not be empty");
  std::string workgroup_name = request.workgroup.empty() ? "primary" : request.workgroup;
  auto workgroup = metastore_.find_workgroup(workgroup_name);
  if (!workgroup) throw_error(ErrorCode::INVALID_ARGUMENT, "WorkGroup " + workgroup_name + " is not found.");
  if (workgroup->state == WorkGroupState::DISABLED)
    throw_error(ErrorCode::INVALID_ARGUMENT, "WorkGroup " + workgroup_name + " is disabled.");
  auto settings = workgroup_settings(*workgroup);
  std::string folder;
  if (!settings.output_location.empty() && (settings.enforce || request.output_location.empty()))
    folder = settings.output_location;
  else if (!request.output_location.empty())
    folder = request.output_location;
  else
    folder = options_.default_output_location;
  if (folder.empty())
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "No output location provided. An output location is required either through the Workgroup result "
                "configuration setting or as an API input.");
  folder = ResultStore::normalize_folder(folder);
  if (folder != ResultStore::normalize_folder(options_.default_output_location))
    files::check_local_location(folder, options_.local_paths, "OutputLocation");

  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw_error(ErrorCode::LIMIT_EXCEEDED, "The server is shutting down");
    if ((int)queue_.size() >= options_.max_queued_queries)
      throw_error(ErrorCode::LIMIT_EXCEEDED, "Too many queued queries (" + std::to_string(queue_.size()) + ")");
  }

  auto statement = classify_statement(request.query_string);
  QueryRecord record;
  record.query_string = request.query_string;
  record.statement_type = statement.type;
  record.substatement_type = statement.substatement;
  record.state = QueryState::QUEUED;
  record.workgroup = workgroup_name;
  record.catalog = request.catalog;
  record.database = request.database;
  record.client_request_token = request.client_request_token;
  record.execution_parameters = request.execution_parameters;
  auto inserted = metastore_.insert_query(record);
  if (!inserted.created) return inserted.id;
  metastore_.update_query_output_location(inserted.id, folder + object_name(inserted.id, statement.tabular));

  auto task = std::make_shared<Task>();
  task->id = inserted.id;
  task->workgroup = workgroup_name;
  task->workgroup_limit = settings.max_concurrent;
  task->bytes_cutoff = settings.bytes_cutoff;
  task->publish_metrics = settings.publish_metrics;
  spdlog::info("query={} event=queued workgroup={} type={}", inserted.id, workgroup_name, statement.substatement);
  bool refused = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refused = stopping_;  // shutdown() ran since the check above: nothing would run it
    if (!refused) {
      queue_.push_back(task);
      active_[task->id] = task;
    }
  }
  if (refused) {
    QueryStateChange change;
    change.state = QueryState::CANCELLED;
    change.state_change_reason = "The server shut down before the query ran";
    metastore_.update_query_state(inserted.id, change);
    return inserted.id;
  }
  wake_.notify_all();
  return inserted.id;
}

void QueryManager::stop(const std::string& id) {
  auto record = metastore_.get_query(id);
  if (is_terminal(record.state)) return;
  std::shared_ptr<Task> task;
  bool was_queued = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = active_.find(id);
    if (it != active_.end()) {
      task = it->second;
      task->user_cancel = true;
      task->cancel = true;
      if (!task->running) {
        for (auto q = queue_.begin(); q != queue_.end(); ++q)
          if ((*q)->id == id) {
            queue_.erase(q);
            was_queued = true;
            break;
          }
        if (was_queued) active_.erase(it);
      }
    }
  }
  if (!task || was_queued) {
    QueryStateChange change;
    change.state = QueryState::CANCELLED;
    change.state_change_reason = "Query cancelled by user";
    metastore_.update_query_state(id, change);
    spdlog::info("query={} event=cancelled while=queued", id);
  }
  // A running query records CANCELLED itself when the engine stops.
}

QueryRecord QueryManager::get(const std::string& id) {
  auto record = metastore_.get_query(id);
  if (record.state == QueryState::RUNNING) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = active_.find(id);
    if (it != active_.end()) {
      record.statistics.data_scanned_bytes = (int64_t)it->second->bytes_scanned.load();
      record.statistics.queue_time_ms = 0;
    }
  }
  return record;
}

std::shared_ptr<const StoredResult> QueryManager::result(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it)
      if (it->first == id) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().second;
      }
  }
  auto record = metastore_.get_query(id);
  if (record.state != QueryState::SUCCEEDED)
    throw_error(ErrorCode::INVALID_ARGUMENT, std::string("Query has not yet finished. Current state: ") +
                                                 to_string(record.state));
  bool tabular = !record.output_location.ends_with(".txt");
  std::string body, metadata;
  try {
    body = results_.read(record.output_location);
    metadata = results_.read(record.output_location + ".metadata");
  } catch (const Error& e) {
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "The result of query " + id + " cannot be read from " + record.output_location + ": " + e.message());
  }
  auto stored = std::make_shared<const StoredResult>(parse_stored_result(body, metadata, tabular));
  cache_result(id, stored);
  return stored;
}

RuntimeStatistics QueryManager::runtime_statistics(const std::string& id) {
  RuntimeStatistics stats;
  stats.record = get(id);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = finished_.find(id);
  if (it != finished_.end()) {
    stats.input_rows = it->second.input_rows;
    stats.input_bytes = it->second.input_bytes;
    stats.output_rows = it->second.output_rows;
    stats.output_bytes = it->second.output_bytes;
    stats.plan = it->second.plan;
  } else {
    stats.input_bytes = stats.record.statistics.data_scanned_bytes;
    stats.output_rows = stats.record.statistics.rows;
  }
  return stats;
}

void QueryManager::cache_result(const std::string& id, std::shared_ptr<const StoredResult> result) {
  size_t bytes = result->memory_bytes();
  if (bytes > options_.result_cache_bytes) return;
  std::lock_guard<std::mutex> lock(cache_mutex_);
  cache_.emplace_front(id, std::move(result));
  cache_bytes_ += bytes;
  while (cache_bytes_ > options_.result_cache_bytes && !cache_.empty()) {
    cache_bytes_ -= cache_.back().second->memory_bytes();
    cache_.pop_back();
  }
}

bool QueryManager::shutdown(std::chrono::milliseconds grace) {
  std::vector<std::shared_ptr<Task>> queued;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && workers_.empty()) return !abandoned_;
    stopping_ = true;
    for (auto& [id, task] : active_) task->cancel = true;
    queued.assign(queue_.begin(), queue_.end());
    queue_.clear();
    for (auto& task : queued) active_.erase(task->id);
  }
  wake_.notify_all();
  for (auto& task : queued) {
    QueryStateChange change;
    change.state = QueryState::CANCELLED;
    change.state_change_reason = "The server shut down before the query ran";
    try {
      metastore_.update_query_state(task->id, change);
    } catch (const Error&) {
    }
  }
  std::vector<std::string> stuck;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!wake_.wait_for(lock, grace, [&] { return running_ == 0; })) {
      for (const auto& [id, task] : active_)
        if (task->running) stuck.push_back(id);
      abandoned_ = true;
    }
  }
  if (abandoned_) {
    for (const auto& id : stuck) {
      spdlog::warn("query={} event=abandoned reason=\"did not stop within the shutdown grace period\"", id);
      QueryStateChange change;
      change.state = QueryState::CANCELLED;
      change.state_change_reason = "The server shut down while the query ran";
      try {
        metastore_.update_query_state(id, change);
      } catch (const Error&) {
      }
    }
    for (auto& worker : workers_)
      if (worker.joinable()) worker.detach();
    workers_.clear();
    return false;
  }
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
  return true;
}

int QueryManager::running_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

std::string QueryManager::metrics_text() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  out += "# HELP tributary_queries_running Queries running now.\n# TYPE tributary_queries_running gauge\n";
  out += "tributary_queries_running " + std::to_string(running_) + "\n";
  out += "# HELP tributary_queries_queued Queries waiting to run.\n# TYPE tributary_queries_queued gauge\n";
  out += "tributary_queries_queued " + std::to_string(queue_.size()) + "\n";
  out += "# HELP tributary_queries_total Finished queries of workgroups that publish metrics, by final state.\n"
         "# TYPE tributary_queries_total counter\n";
  for (const auto& [workgroup, m] : metrics_)
    for (const auto& [state, count] : m.queries_by_state)
      out += "tributary_queries_total{workgroup=\"" + workgroup + "\",state=\"" + state + "\"} " +
             std::to_string(count) + "\n";
  auto counter = [&](const char* name, const char* help, uint64_t WorkgroupMetrics::*field) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
    for (const auto& [workgroup, m] : metrics_)
      out += std::string(name) + "{workgroup=\"" + workgroup + "\"} " + std::to_string(m.*field) + "\n";
  };
  counter("tributary_data_scanned_bytes_total", "Bytes read by the connectors (Athena's DataScannedInBytes).",
          &WorkgroupMetrics::data_scanned_bytes);
  counter("tributary_engine_execution_milliseconds_total", "Athena's EngineExecutionTimeInMillis, summed.",
          &WorkgroupMetrics::engine_execution_ms);
  counter("tributary_total_execution_milliseconds_total", "Athena's TotalExecutionTimeInMillis, summed.",
          &WorkgroupMetrics::total_execution_ms);
  return out;
}

int QueryManager::queued_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return (int)queue_.size();
}

std::shared_ptr<QueryManager::Task> QueryManager::next_task(std::unique_lock<std::mutex>& lock) {
  while (true) {
    if (stopping_) return nullptr;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      auto& task = *it;
      if (task->workgroup_limit > 0 && running_per_workgroup_[task->workgroup] >= task->workgroup_limit) continue;
      auto picked = task;
      queue_.erase(it);
      picked->running = true;
      running_per_workgroup_[picked->workgroup]++;
      running_++;
      return picked;
    }
    wake_.wait(lock);
  }
}

void QueryManager::worker_loop() {
  while (true) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      task = next_task(lock);
      if (!task) return;
    }
    try {
      run(task);
    } catch (const std::exception& e) {
      spdlog::error("query={} event=internal_error what={}", task->id, e.what());
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_per_workgroup_[task->workgroup]--;
      running_--;
      active_.erase(task->id);
    }
    wake_.notify_all();
  }
}

void QueryManager::run(const std::shared_ptr<Task>& task) {
  QueryRecord record = metastore_.get_query(task->id);
  int64_t started_wall = now_millis();
  int64_t started = steady_millis();
  QueryStateChange running;
  running.state = QueryState::RUNNING;
  if (!metastore_.update_query_state(task->id, running)) return;  // cancelled meanwhile
  QueryStatistics stats;
  stats.queue_time_ms = std::max<int64_t>(0, started_wall - record.submitted_at);
  auto statement = classify_statement(record.query_string);
  spdlog::info("query={} event=running queued_ms={}", task->id, stats.queue_time_ms);

  QueryStateChange done;
  Finished finished;
  try {
    catalogs_.sync();
    planner::Session session;
    session.catalog = to_lower_ascii(record.catalog.empty() ? kAwsDataCatalog : record.catalog);
    session.schema = to_lower_ascii(record.database.empty() ? "default" : record.database);
    session.query_id = task->id;
    // Athena puts a CTAS table without external_location under <results folder>/tables/<query id>/.
    session.default_table_location =
        record.output_location.substr(0, record.output_location.find_last_of('/') + 1) + "tables/" + task->id + "/";
    for (const auto& parameter : record.execution_parameters) {
      planner::Session scratch;
      engine::StatementResult value;
      try {
        // A literal only ('text', 42, -1.5, DATE '2024-01-01', TRUE, NULL): never a query.
        auto expression = sql::parse_expression(parameter);
        const sql::Expr* literal = expression.get();
        if (literal->kind == sql::ExprKind::UNARY_MINUS && !literal->args.empty()) literal = literal->args[0].get();
        if (literal->kind != sql::ExprKind::LITERAL)
          throw_error(ErrorCode::INVALID_ARGUMENT, "only literals are allowed (a string, number, boolean, NULL or "
                                                   "typed literal such as DATE '2024-01-01')");
        value = engine_.execute("SELECT " + parameter, scratch);
      } catch (const Error& e) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Execution parameter '" + parameter +
                                                     "' is not a SQL literal: " + e.message());
      }
      if (value.chunks.empty() || value.chunks[0].size != 1 || value.names.size() != 1)
        throw_error(ErrorCode::INVALID_ARGUMENT, "Execution parameter '" + parameter + "' is not a single value");
      session.parameters.push_back(value.chunks[0].columns[0].get_value(0));
    }
    engine::QueryControl control;
    control.cancel = &task->cancel;
    control.bytes_scanned = &task->bytes_scanned;
    control.max_bytes_scanned = task->bytes_cutoff;
    control.keep_plan = true;
    engine::StatementResult result;
    try {
      result = engine_.execute(record.query_string, session, control);
    } catch (const Error& e) {
      // A catalog whose connector could not be built is absent from the engine: say why.
      if (e.code() == ErrorCode::NOT_FOUND)
        for (const auto& [name, reason] : catalogs_.unavailable())
          if (e.message().find("'" + name + "'") != std::string::npos)
            throw_error(ErrorCode::SOURCE_ERROR, "Catalog '" + name + "' is not available: " + reason, e.line(),
                        e.column());
      throw;
    }
    int64_t engine_done = steady_millis();
    stats.planning_time_ms = (int64_t)result.stats.planning_ms;
    stats.engine_execution_time_ms = std::max<int64_t>(engine_done - started, 0);
    stats.data_scanned_bytes = (int64_t)result.stats.bytes_scanned;
    auto stored = std::make_shared<StoredResult>(to_stored_result(result, statement.tabular));
    std::string body = statement.tabular ? render_csv(*stored) : render_txt(*stored);
    std::string location = record.output_location;
    try {
      results_.write(location + ".metadata", render_metadata(*stored));
      results_.write(location, body);
    } catch (const Error& e) {
      throw_error(ErrorCode::INTERNAL_ERROR, "Unable to write the query result to " + location + ": " + e.message());
    }
    stats.rows = (int64_t)stored->rows.size();
    stats.service_processing_time_ms = std::max<int64_t>(steady_millis() - engine_done, 0);
    finished.input_rows = (int64_t)result.stats.rows_scanned;
    finished.input_bytes = (int64_t)result.stats.bytes_scanned;
    finished.output_rows = stats.rows;
    finished.output_bytes = (int64_t)body.size();
    finished.plan = result.executed_plan;
    cache_result(task->id, stored);
    done.state = QueryState::SUCCEEDED;
  } catch (const Error& e) {
    stats.engine_execution_time_ms = std::max<int64_t>(steady_millis() - started, 0);
    stats.data_scanned_bytes = (int64_t)task->bytes_scanned.load();
    bool cutoff = e.code() == ErrorCode::LIMIT_EXCEEDED && task->bytes_cutoff &&
                  task->bytes_scanned.load() > task->bytes_cutoff;
    if (cutoff) {
      done.state = QueryState::CANCELLED;
      done.state_change_reason = "Bytes scanned limit was exceeded (BytesScannedCutoffPerQuery " +
                                 std::to_string(task->bytes_cutoff) + " of workgroup " + task->workgroup + ")";
      done.error_category = 2;
      done.error_type = 0;
      done.error_message = done.state_change_reason;
    } else if (e.code() == ErrorCode::CANCELLED || task->cancel.load()) {
      done.state = QueryState::CANCELLED;
      done.state_change_reason =
          task->user_cancel.load() ? "Query cancelled by user" : "The server shut down while the query ran";
    } else {
      set_error(done, e, statement.type);
      if (e.code() == ErrorCode::INTERNAL_ERROR && e.message().rfind("Unable to write the query result", 0) == 0) {
        done.error_type = 401;
        done.error_retryable = true;
      }
    }
  } catch (const std::exception& e) {
    // Not one of ours (allocation failure, a library's exception): the query still ends.
    stats.engine_execution_time_ms = std::max<int64_t>(steady_millis() - started, 0);
    done.state = QueryState::FAILED;
    done.state_change_reason = std::string("INTERNAL_ERROR: ") + e.what();
    done.error_message = done.state_change_reason;
    done.error_category = 1;
    done.error_type = 200;
  }
  stats.total_execution_time_ms = std::max<int64_t>(now_millis() - record.submitted_at, 0);
  try {
    metastore_.update_query_statistics(task->id, stats);
  } catch (const std::exception& e) {
    spdlog::error("query={} event=statistics_not_stored what=\"{}\"", task->id, e.what());
  }
  metastore_.update_query_state(task->id, done);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_[task->id] = finished;
    if (task->publish_metrics) {
      auto& m = metrics_[task->workgroup];
      m.queries_by_state[to_string(done.state)]++;
      m.data_scanned_bytes += (uint64_t)stats.data_scanned_bytes;
      m.engine_execution_ms += (uint64_t)stats.engine_execution_time_ms;
      m.total_execution_ms += (uint64_t)stats.total_execution_time_ms;
    }
    finished_order_.push_back(task->id);
    while (finished_order_.size() > 10000) {
      finished_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
  spdlog::info("query={} event={} engine_ms={} scanned_bytes={} rows={}{}", task->id, to_string(done.state),
               stats.engine_execution_time_ms, stats.data_scanned_bytes, stats.rows,
               done.state_change_reason.empty() ? "" : " reason=\"" + done.state_change_reason + "\"");
}

}  // namespace tributary::service
