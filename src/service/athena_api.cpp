#include "service/athena_api.h"

#include <spdlog/spdlog.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "common/error.h"
#include "common/text.h"
#include "service/page_token.h"

namespace tributary::service {

using json = nlohmann::json;

namespace {

// An error answered to the client; thrown inside handlers.
struct ApiException {
  int status;
  std::string type;
  std::string message;
  std::string athena_error_code;
};

[[noreturn]] void invalid_request(const std::string& message, const std::string& code = "INVALID_INPUT") {
  throw ApiException{400, "InvalidRequestException", message, code};
}

[[noreturn]] void metadata_error(const std::string& message) {
  throw ApiException{400, "MetadataException", message, ""};
}

double epoch_seconds(int64_t millis) { return (double)millis / 1000.0; }

// JSON text of an answer; bytes that are not UTF-8 (from a Latin-1 source) become U+FFFD
// instead of failing the whole answer.
std::string to_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// --- request field readers (types checked as the model declares them) --------------------

std::string get_string(const json& request, const char* name, bool required = false) {
  if (!request.contains(name) || request[name].is_null()) {
    if (required) invalid_request(std::string(name) + " is required");
    return "";
  }
  if (!request[name].is_string()) invalid_request(std::string(name) + " must be a string");
  auto value = request[name].get<std::string>();
  if (required && value.empty()) invalid_request(std::string(name) + " must not be empty");
  return value;
}

// MaxResults within [min, max]; 0 when absent (meaning: the default).
int get_max_results(const json& request, int min, int max) {
  if (!request.contains("MaxResults") || request["MaxResults"].is_null()) return 0;
  if (!request["MaxResults"].is_number_integer()) invalid_request("MaxResults must be an integer");
  int value = request["MaxResults"].get<int>();
  if (value < min || value > max)
    invalid_request("MaxResults must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                    std::to_string(value));
  return value;
}

std::map<std::string, std::string> get_string_map(const json& request, const char* name) {
  std::map<std::string, std::string> out;
  if (!request.contains(name) || request[name].is_null()) return out;
  if (!request[name].is_object()) invalid_request(std::string(name) + " must be a map of strings");
  for (auto it = request[name].begin(); it != request[name].end(); ++it) {
    if (!it.value().is_string()) invalid_request(std::string(name) + "." + it.key() + " must be a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

std::vector<std::string> get_string_list(const json& request, const char* name, bool required, size_t max_items) {
  std::vector<std::string> out;
  if (!request.contains(name) || request[name].is_null()) {
    if (required) invalid_request(std::string(name) + " is required");
    return out;
  }
  if (!request[name].is_array()) invalid_request(std::string(name) + " must be a list of strings");
  for (const auto& item : request[name]) {
    if (!item.is_string()) invalid_request(std::string(name) + " must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  if (required && out.empty()) invalid_request(std::string(name) + " must not be empty");
  if (max_items && out.size() > max_items)
    invalid_request(std::string(name) + " must have at most " + std::to_string(max_items) + " items");
  return out;
}

// A page of an in-memory list; the token holds the next offset.
template <typename T>
std::pair<std::vector<T>, std::string> page_of(const std::vector<T>& items, int max_results, int default_max,
                                               const std::string& token, const std::string& kind,
                                               const std::string& scope) {
  size_t offset = 0;
  if (!token.empty()) offset = (size_t)parse_token_integer(parse_token(token, kind, scope, 1)[0]);
  size_t count = (size_t)(max_results ? max_results : default_max);
  std::vector<T> page;
  for (size_t i = offset; i < items.size() && page.size() < count; i++) page.push_back(items[i]);
  std::string next;
  if (offset + page.size() < items.size()) next = make_token({kind, scope, std::to_string(offset + page.size())});
  return {page, next};
}

// --- shapes -------------------------------------------------------------------------------

json engine_version() {
  return {{"SelectedEngineVersion", "AUTO"}, {"EffectiveEngineVersion", "Athena engine version 3"}};
}

json query_execution_json(const QueryRecord& q) {
  json status = {{"State", to_string(q.state)}, {"SubmissionDateTime", epoch_seconds(q.submitted_at)}};
  if (!q.state_change_reason.empty()) status["StateChangeReason"] = q.state_change_reason;
  if (q.completed_at) status["CompletionDateTime"] = epoch_seconds(q.completed_at);
  if (q.error_category)
    status["AthenaError"] = {{"ErrorCategory", q.error_category},
                             {"ErrorType", q.error_type},
                             {"Retryable", q.error_retryable},
                             {"ErrorMessage", q.error_message}};
  const auto& s = q.statistics;
  json statistics = {{"EngineExecutionTimeInMillis", s.engine_execution_time_ms},
                     {"DataScannedInBytes", s.data_scanned_bytes},
                     {"TotalExecutionTimeInMillis", s.total_execution_time_ms},
                     {"QueryQueueTimeInMillis", s.queue_time_ms},
                     {"ServicePreProcessingTimeInMillis", 0},
                     {"QueryPlanningTimeInMillis", s.planning_time_ms},
                     {"ServiceProcessingTimeInMillis", s.service_processing_time_ms},
                     {"ResultReuseInformation", {{"ReusedPreviousResult", false}}}};
  json context = json::object();
  if (!q.catalog.empty()) context["Catalog"] = q.catalog;
  if (!q.database.empty()) context["Database"] = q.database;
  json out = {{"QueryExecutionId", q.id},
              {"Query", q.query_string},
              {"StatementType", to_string(q.statement_type)},
              {"ResultConfiguration", {{"OutputLocation", q.output_location}}},
              {"ResultReuseConfiguration", {{"ResultReuseByAgeConfiguration", {{"Enabled", false}}}}},
              {"QueryExecutionContext", context},
              {"Status", status},
              {"Statistics", statistics},
              {"WorkGroup", q.workgroup},
              {"EngineVersion", engine_version()}};
  if (!q.substatement_type.empty()) out["SubstatementType"] = q.substatement_type;
  if (!q.execution_parameters.empty()) out["ExecutionParameters"] = q.execution_parameters;
  return out;
}

json workgroup_configuration(const WorkGroup& w) {
  json config = json::parse(w.configuration_json, nullptr, false);
  if (!config.is_object()) config = json::object();
  if (!config.contains("EngineVersion")) config["EngineVersion"] = engine_version();
  if (!config.contains("EnforceWorkGroupConfiguration")) config["EnforceWorkGroupConfiguration"] = false;
  if (!config.contains("PublishCloudWatchMetricsEnabled")) config["PublishCloudWatchMetricsEnabled"] = false;
  if (!config.contains("RequesterPaysEnabled")) config["RequesterPaysEnabled"] = false;
  return config;
}

json named_query_json(const NamedQuery& q) {
  json out = {{"Name", q.name},          {"Database", q.database}, {"QueryString", q.query_string},
              {"NamedQueryId", q.id},    {"WorkGroup", q.workgroup}};
  if (!q.description.empty()) out["Description"] = q.description;
  return out;
}

void check_configuration(const json& config) {
  if (!config.is_object()) invalid_request("Configuration must be a structure");
  if (config.contains("BytesScannedCutoffPerQuery")) {
    const auto& cutoff = config["BytesScannedCutoffPerQuery"];
    if (!cutoff.is_number_integer() || cutoff.get<int64_t>() < 10000000)
      invalid_request("BytesScannedCutoffPerQuery must be an integer of at least 10000000 bytes");
  }
  if (config.contains("ResultConfiguration") && config["ResultConfiguration"].contains("OutputLocation")) {
    const auto& location = config["ResultConfiguration"]["OutputLocation"];
    if (!location.is_string()) invalid_request("OutputLocation must be a string");
    try {
      ResultStore::normalize_folder(location.get<std::string>());
    } catch (const Error& e) {
      invalid_request(e.message());
    }
  }
  if (config.contains("AdditionalConfiguration")) {
    const auto& extra = config["AdditionalConfiguration"];
    if (!extra.is_string() || !json::parse(extra.get<std::string>(), nullptr, false).is_object())
      invalid_request("AdditionalConfiguration must be a JSON object in a string, e.g. {\"MaxConcurrentQueries\": 4}");
  }
}

// Applies Athena's WorkGroupConfigurationUpdates to a stored configuration.
json apply_updates(json config, const json& updates) {
  if (!updates.is_object()) invalid_request("ConfigurationUpdates must be a structure");
  for (const char* key : {"EnforceWorkGroupConfiguration", "PublishCloudWatchMetricsEnabled", "RequesterPaysEnabled",
                          "EngineVersion", "AdditionalConfiguration", "ExecutionRole", "BytesScannedCutoffPerQuery",
                          "CustomerContentEncryptionConfiguration", "EnableMinimumEncryptionConfiguration",
                          "QueryResultsS3AccessGrantsConfiguration", "MonitoringConfiguration", "EngineConfiguration"})
    if (updates.contains(key)) config[key] = updates[key];
  if (updates.value("RemoveBytesScannedCutoffPerQuery", false)) config.erase("BytesScannedCutoffPerQuery");
  if (updates.value("RemoveCustomerContentEncryptionConfiguration", false))
    config.erase("CustomerContentEncryptionConfiguration");
  if (updates.contains("ResultConfigurationUpdates")) {
    const auto& rc = updates["ResultConfigurationUpdates"];
    json& result = config["ResultConfiguration"];
    if (!result.is_object()) result = json::object();
    for (const char* key : {"OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner", "AclConfiguration"})
      if (rc.contains(key)) result[key] = rc[key];
    if (rc.value("RemoveOutputLocation", false)) result.erase("OutputLocation");
    if (rc.value("RemoveEncryptionConfiguration", false)) result.erase("EncryptionConfiguration");
    if (rc.value("RemoveExpectedBucketOwner", false)) result.erase("ExpectedBucketOwner");
    if (rc.value("RemoveAclConfiguration", false)) result.erase("AclConfiguration");
  }
  return config;
}

// Athena's ColumnInfo.
json column_info(const ResultColumn& c) {
  return {{"CatalogName", "hive"},    {"SchemaName", ""},          {"TableName", ""},
          {"Name", c.name},           {"Label", c.name},           {"Type", c.type},
          {"Precision", c.precision}, {"Scale", c.scale},          {"Nullable", "UNKNOWN"},
          {"CaseSensitive", c.case_sensitive}};
}

// The executed plan text (one operator per line, children indented) as QueryStagePlanNodes.
json plan_nodes(const std::string& plan) {
  struct Line {
    size_t indent;
    std::string text;
  };
  std::vector<Line> lines;
  size_t start = 0;
  while (start < plan.size()) {
    size_t end = plan.find('\n', start);
    if (end == std::string::npos) end = plan.size();
    std::string line = plan.substr(start, end - start);
    size_t indent = line.find_first_not_of(" -|`");
    if (indent != std::string::npos) lines.push_back({indent, line.substr(indent)});
    start = end + 1;
  }
  size_t next_id = 1;
  std::function<json(size_t&, size_t)> build = [&](size_t& i, size_t indent) {
    json nodes = json::array();
    while (i < lines.size() && lines[i].indent >= indent) {
      json node = {{"Name", lines[i].text}, {"Identifier", std::to_string(next_id++)}, {"RemoteSources", json::array()}};
      size_t own = lines[i].indent;
      i++;
      node["Children"] = (i < lines.size() && lines[i].indent > own) ? build(i, lines[i].indent) : json::array();
      nodes.push_back(node);
      if (i < lines.size() && lines[i].indent < indent) break;
    }
    return nodes;
  };
  size_t i = 0;
  return lines.empty() ? json::array() : build(i, lines[0].indent);
}

// ListTableMetadata's Expression: a name pattern with `*` wildcards and `|` alternatives.
bool table_matches(const std::string& expression, const std::string& name) {
  if (expression.empty()) return true;
  std::string pattern;
  for (char c : expression) {
    if (c == '*')
      pattern += ".*";
    else if (c == '|')
      pattern += '|';
    else
      pattern += RE2::QuoteMeta(std::string(1, c));
  }
  RE2 re("(?i)(?:" + pattern + ")");
  return re.ok() && RE2::FullMatch(name, re);
}

}  // namespace

ApiResponse api_error(int status, const std::string& type, const std::string& message,
                      const std::string& athena_error_code) {
  json body = {{"__type", type}, {"Message", message}};
  if (!athena_error_code.empty()) body["AthenaErrorCode"] = athena_error_code;
  return {status, to_text(body), type};
}

AthenaApi::AthenaApi(Metastore& metastore, engine::Engine& engine, ServiceCatalogs& catalogs, QueryManager& queries)
    : metastore_(metastore), engine_(engine), catalogs_(catalogs), queries_(queries) {}

ApiResponse AthenaApi::handle(const std::string& target, const std::string& body) {
  static const std::string prefix = "AmazonAthena.";
  if (target.rfind(prefix, 0) != 0)
    return api_error(400, "UnknownOperationException",
                     target.empty() ? "Missing X-Amz-Target header" : "Unknown operation " + target);
  std::string action = target.substr(prefix.size());
  json request;
  if (body.empty()) {
    request = json::object();
  } else {
    request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object())
      return api_error(400, "SerializationException", "The request body is not a JSON object");
  }

  // Looks up a data catalog for metadata calls (ListDatabases ...).
  auto catalog_connector = [&](const std::string& name) {
    if (!catalogs_.find(name)) {
      std::vector<std::string> names;
      for (const auto& e : catalogs_.list()) names.push_back(e.name);
      metadata_error("Catalog '" + name + "' does not exist." + did_you_mean(name, names));
    }
    std::shared_ptr<Connector> connector;
    try {
      connector = catalogs_.connector(name);
    } catch (const Error& e) {
      metadata_error(e.message());
    }
    if (!connector) metadata_error("Catalog '" + name + "' is not available");
    return connector;
  };
  auto describe = [&](const std::string& catalog, const std::string& schema, const std::string& table) {
    planner::Session session;
    auto quote = [](const std::string& s) {
      std::string out = "\"";
      for (char c : s) {
        if (c == '"') out += '"';
        out += c;
      }
      return out + "\"";
    };
    auto result = engine_.execute("DESCRIBE " + quote(to_lower_ascii(catalog)) + "." + quote(schema) + "." + quote(table), session);
    json columns = json::array();
    for (const auto& chunk : result.chunks)
      for (size_t r = 0; r < chunk.size; r++)
        columns.push_back({{"Name", chunk.columns[0].get_value(r).to_string()},
                           {"Type", chunk.columns[1].get_value(r).to_string()}});
    return columns;
  };
  auto view_names = [&](const std::string& catalog, const std::string& schema) {
    std::vector<std::string> names;
    for (const auto& v : metastore_.list_views(to_lower_ascii(catalog), to_lower_ascii(schema), 1 << 20).items) names.push_back(v.name);
    return names;
  };

  std::map<std::string, std::function<json()>> handlers;

  // --- queries -----------------------------------------------------------------------------
  handlers["StartQueryExecution"] = [&] {
    StartQueryRequest start;
    start.query_string = get_string(request, "QueryString", true);
    if (start.query_string.size() > 262144) invalid_request("QueryString is longer than 262144 bytes");
    start.client_request_token = get_string(request, "ClientRequestToken");
    start.workgroup = get_string(request, "WorkGroup");
    if (request.contains("QueryExecutionContext")) {
      start.catalog = get_string(request["QueryExecutionContext"], "Catalog");
      start.database = get_string(request["QueryExecutionContext"], "Database");
    }
    if (request.contains("ResultConfiguration"))
      start.output_location = get_string(request["ResultConfiguration"], "OutputLocation");
    start.execution_parameters = get_string_list(request, "ExecutionParameters", false, 0);
    for (const auto& parameter : start.execution_parameters)  // the model: 1..1024 characters each
      if (parameter.empty() || parameter.size() > 1024)
        invalid_request("ExecutionParameters: each parameter must have length between 1 and 1024");
    return json{{"QueryExecutionId", queries_.start(start)}};
  };
  handlers["GetQueryExecution"] = [&] {
    return json{{"QueryExecution", query_execution_json(queries_.get(get_string(request, "QueryExecutionId", true)))}};
  };
  handlers["BatchGetQueryExecution"] = [&] {
    auto ids = get_string_list(request, "QueryExecutionIds", true, 50);
    json found = json::array(), missing = json::array();
    for (const auto& id : ids) {
      try {
        found.push_back(query_execution_json(queries_.get(id)));
      } catch (const Error& e) {
        if (e.code() != ErrorCode::NOT_FOUND) throw;
        missing.push_back({{"QueryExecutionId", id},
                           {"ErrorCode", "INVALID_INPUT"},
                           {"ErrorMessage", "QueryExecution " + id + " was not found"}});
      }
    }
    return json{{"QueryExecutions", found}, {"UnprocessedQueryExecutionIds", missing}};
  };
  // ListQueryExecutions and ListNamedQueries: ids of one workgroup (default primary), paged.
  auto list_ids = [&](const char* field, IdPage (Metastore::*list)(const std::string&, int, const std::string&)) {
    std::string workgroup = get_string(request, "WorkGroup");
    if (workgroup.empty()) workgroup = "primary";
    if (!metastore_.find_workgroup(workgroup)) invalid_request("WorkGroup " + workgroup + " is not found.");
    auto page = (metastore_.*list)(workgroup, get_max_results(request, 0, 50), get_string(request, "NextToken"));
    json out = {{field, page.ids}};
    if (!page.next_token.empty()) out["NextToken"] = page.next_token;
    return out;
  };
  handlers["ListQueryExecutions"] = [&] { return list_ids("QueryExecutionIds", &Metastore::list_queries); };
  handlers["StopQueryExecution"] = [&] {
    queries_.stop(get_string(request, "QueryExecutionId", true));
    return json::object();
  };
  handlers["GetQueryResults"] = [&] {
    std::string id = get_string(request, "QueryExecutionId", true);
    int max_results = get_max_results(request, 1, 1000);
    if (!max_results) max_results = 1000;
    auto record = queries_.get(id);
    if (record.state == QueryState::FAILED)
      invalid_request(record.state_change_reason.empty() ? "Query did not succeed" : record.state_change_reason);
    if (record.state == QueryState::CANCELLED)
      invalid_request("Query was cancelled: " + record.state_change_reason);
    if (record.state != QueryState::SUCCEEDED)
      invalid_request(std::string("Query has not yet finished. Current state: ") + to_string(record.state));
    auto result = queries_.result(id);
    size_t header = result->tabular && !result->columns.empty() ? 1 : 0;
    size_t total = result->rows.size() + header;
    std::string token = get_string(request, "NextToken");
    size_t offset = 0;
    if (!token.empty()) offset = (size_t)parse_token_integer(parse_token(token, "results", id, 1)[0]);
    json rows = json::array();
    size_t end = std::min(total, offset + (size_t)max_results);
    for (size_t i = offset; i < end; i++) {
      json data = json::array();
      if (header && i == 0) {
        for (const auto& c : result->columns) data.push_back({{"VarCharValue", c.name}});
      } else {
        for (const auto& cell : result->rows[i - header]) {
          if (cell)
            data.push_back({{"VarCharValue", *cell}});
          else
            data.push_back(json::object());
        }
      }
      rows.push_back({{"Data", data}});
    }
    json columns = json::array();
    for (const auto& c : result->columns) columns.push_back(column_info(c));
    json out = {{"UpdateCount", result->update_count}, {"ResultSet", {{"Rows", rows}, {"ResultSetMetadata", {{"ColumnInfo", columns}}}}}};
    if (end < total) out["NextToken"] = make_token({"results", id, std::to_string(end)});
    return out;
  };
  handlers["GetQueryRuntimeStatistics"] = [&] {
    auto stats = queries_.runtime_statistics(get_string(request, "QueryExecutionId", true));
    const auto& s = stats.record.statistics;
    json timeline = {{"QueryQueueTimeInMillis", s.queue_time_ms},
                     {"ServicePreProcessingTimeInMillis", 0},
                     {"QueryPlanningTimeInMillis", s.planning_time_ms},
                     {"EngineExecutionTimeInMillis", s.engine_execution_time_ms},
                     {"ServiceProcessingTimeInMillis", s.service_processing_time_ms},
                     {"TotalExecutionTimeInMillis", s.total_execution_time_ms}};
    json rows = {{"InputRows", stats.input_rows},
                 {"InputBytes", stats.input_bytes},
                 {"OutputBytes", stats.output_bytes},
                 {"OutputRows", stats.output_rows}};
    json stage = {{"StageId", 0},
                  {"State", to_string(stats.record.state)},
                  {"OutputBytes", stats.output_bytes},
                  {"OutputRows", stats.output_rows},
                  {"InputBytes", stats.input_bytes},
                  {"InputRows", stats.input_rows},
                  {"ExecutionTime", s.engine_execution_time_ms},
                  {"QueryStagePlan",
                   {{"Name", "Output"}, {"Identifier", "0"}, {"Children", plan_nodes(stats.plan)},
                    {"RemoteSources", json::array()}}},
                  {"SubStages", json::array()}};
    return json{{"QueryRuntimeStatistics", {{"Timeline", timeline}, {"Rows", rows}, {"OutputStage", stage}}}};
  };

  // --- data catalogs -----------------------------------------------------------------------
  auto read_catalog = [&](bool for_update) {
    DataCatalog catalog;
    catalog.name = get_string(request, "Name", true);
    if (catalog.name.size() > 256) invalid_request("Name must be at most 256 characters");
    for (char c : catalog.name)
      if (!std::isalnum((unsigned char)c) && c != '_' && c != '-' && c != '@')
        invalid_request("The catalog name '" + catalog.name + "' may contain only letters, digits, '_', '-' and '@'");
    try {
      catalog.type = parse_data_catalog_type(get_string(request, "Type", true));
    } catch (const Error& e) {
      invalid_request(e.message());
    }
    catalog.description = get_string(request, "Description");
    catalog.parameters = get_string_map(request, "Parameters");
    (void)for_update;
    try {
      validate_data_catalog(metastore_, catalog);
    } catch (const Error& e) {
      invalid_request(e.message());
    }
    return catalog;
  };
  auto catalog_json = [](const ServiceCatalogs::Entry& e) {
    std::map<std::string, std::string> parameters;
    for (const auto& [key, value] : e.parameters) parameters[key] = redact_property(key, value);
    json out = {{"Name", e.name}, {"Type", to_string(e.type)}, {"Parameters", parameters},
                {"Status", "CREATE_COMPLETE"}};
    if (!e.description.empty()) out["Description"] = e.description;
    if (!e.error.empty()) out["Error"] = e.error;
    return out;
  };
  handlers["CreateDataCatalog"] = [&] {
    auto catalog = read_catalog(false);
    if (catalogs_.find(catalog.name)) invalid_request("DataCatalog " + catalog.name + " already exists", "ALREADY_EXISTS");
    metastore_.create_data_catalog(catalog);
    catalogs_.sync();
    auto created = catalogs_.find(catalog.name);
    if (!created) invalid_request("DataCatalog " + catalog.name + " was deleted while it was created");
    return json{{"DataCatalog", catalog_json(*created)}};
  };
  handlers["UpdateDataCatalog"] = [&] {
    auto catalog = read_catalog(true);
    if (!metastore_.find_data_catalog(catalog.name)) invalid_request("DataCatalog " + catalog.name + " was not found");
    metastore_.update_data_catalog(catalog);
    catalogs_.sync();
    return json::object();
  };
  handlers["GetDataCatalog"] = [&] {
    std::string name = get_string(request, "Name", true);
    auto entry = catalogs_.find(name);
    if (!entry) {
      std::vector<std::string> names;
      for (const auto& e : catalogs_.list()) names.push_back(e.name);
      invalid_request("DataCatalog " + name + " was not found." + did_you_mean(name, names));
    }
    return json{{"DataCatalog", catalog_json(*entry)}};
  };
  handlers["ListDataCatalogs"] = [&] {
    json summaries = json::array();
    for (const auto& e : catalogs_.list()) {
      json s = {{"CatalogName", e.name}, {"Type", to_string(e.type)}, {"Status", "CREATE_COMPLETE"}};
      if (!e.error.empty()) s["Error"] = e.error;
      summaries.push_back(s);
    }
    std::vector<json> items(summaries.begin(), summaries.end());
    auto [page, next] = page_of(items, get_max_results(request, 2, 50), 50, get_string(request, "NextToken"),
                                "catalogs", "");
    json out = {{"DataCatalogsSummary", page}};
    if (!next.empty()) out["NextToken"] = next;
    return out;
  };
  handlers["DeleteDataCatalog"] = [&] {
    std::string name = get_string(request, "Name", true);
    auto entry = catalogs_.find(name);
    if (!entry || entry->from_config || to_lower_ascii(name) == to_lower_ascii(kAwsDataCatalog)) {
      if (entry) invalid_request("DataCatalog " + name + " cannot be deleted through the API");
      invalid_request("DataCatalog " + name + " was not found");
    }
    metastore_.delete_data_catalog(name);
    catalogs_.sync();
    json out = catalog_json(*entry);
    out["Status"] = "DELETE_COMPLETE";
    return json{{"DataCatalog", out}};
  };

  // --- workgroups --------------------------------------------------------------------------
  handlers["CreateWorkGroup"] = [&] {
    WorkGroup workgroup;
    workgroup.name = get_string(request, "Name", true);
    workgroup.description = get_string(request, "Description");
    if (request.contains("Configuration")) {
      check_configuration(request["Configuration"]);
      workgroup.configuration_json = request["Configuration"].dump();
    }
    if (metastore_.find_workgroup(workgroup.name))
      invalid_request("WorkGroup is already created", "ALREADY_EXISTS");
    metastore_.create_workgroup(workgroup);
    return json::object();
  };
  handlers["GetWorkGroup"] = [&] {
    std::string name = get_string(request, "WorkGroup", true);
    auto w = metastore_.find_workgroup(name);
    if (!w) invalid_request("WorkGroup " + name + " is not found.");
    json out = {{"Name", w->name},
                {"State", to_string(w->state)},
                {"Configuration", workgroup_configuration(*w)},
                {"CreationTime", epoch_seconds(w->created_at)}};
    if (!w->description.empty()) out["Description"] = w->description;
    return json{{"WorkGroup", out}};
  };
  handlers["ListWorkGroups"] = [&] {
    auto page = metastore_.list_workgroups(get_max_results(request, 1, 50), get_string(request, "NextToken"));
    json list = json::array();
    for (const auto& w : page.items) {
      json s = {{"Name", w.name},
                {"State", to_string(w.state)},
                {"CreationTime", epoch_seconds(w.created_at)},
                {"EngineVersion", engine_version()}};
      if (!w.description.empty()) s["Description"] = w.description;
      list.push_back(s);
    }
    json out = {{"WorkGroups", list}};
    if (!page.next_token.empty()) out["NextToken"] = page.next_token;
    return out;
  };
  handlers["UpdateWorkGroup"] = [&] {
    std::string name = get_string(request, "WorkGroup", true);
    auto w = metastore_.find_workgroup(name);
    if (!w) invalid_request("WorkGroup " + name + " is not found.");
    WorkGroupUpdate update;
    if (request.contains("Description")) update.description = get_string(request, "Description");
    if (request.contains("State")) {
      try {
        update.state = parse_workgroup_state(get_string(request, "State"));
      } catch (const Error& e) {
        invalid_request(e.message());
      }
    }
    if (request.contains("ConfigurationUpdates")) {
      json config = json::parse(w->configuration_json, nullptr, false);
      if (!config.is_object()) config = json::object();
      config = apply_updates(config, request["ConfigurationUpdates"]);
      check_configuration(config);
      update.configuration_json = config.dump();
    }
    metastore_.update_workgroup(name, update);
    return json::object();
  };
  handlers["DeleteWorkGroup"] = [&] {
    std::string name = get_string(request, "WorkGroup", true);
    if (!metastore_.find_workgroup(name)) invalid_request("WorkGroup " + name + " is not found.");
    bool recursive = request.value("RecursiveDeleteOption", false);
    metastore_.delete_workgroup(name, recursive);
    return json::object();
  };

  // --- metadata ----------------------------------------------------------------------------
  // A catalog's databases; a source failure is a MetadataException.
  auto schemas_of = [&](const std::shared_ptr<Connector>& connector) {
    try {
      return connector->list_schemas();
    } catch (const Error& e) {
      metadata_error(e.message());
    }
  };
  handlers["ListDatabases"] = [&] {
    std::string catalog = get_string(request, "CatalogName", true);
    auto schemas = schemas_of(catalog_connector(catalog));
    std::vector<json> items;
    std::sort(schemas.begin(), schemas.end());
    for (const auto& s : schemas)
      if (to_lower_ascii(s) != "information_schema") items.push_back({{"Name", to_lower_ascii(s)}});
    auto [page, next] = page_of(items, get_max_results(request, 1, 50), 50, get_string(request, "NextToken"),
                                "databases", to_lower_ascii(catalog));
    json out = {{"DatabaseList", page}};
    if (!next.empty()) out["NextToken"] = next;
    return out;
  };
  auto check_database = [&](const std::string& catalog, const std::string& database) {
    auto connector = catalog_connector(catalog);
    auto schemas = schemas_of(connector);
    for (const auto& s : schemas)
      if (to_lower_ascii(s) == to_lower_ascii(database)) return connector;
    metadata_error("Database '" + database + "' does not exist in catalog '" + catalog + "'." +
                   did_you_mean(database, schemas));
  };
  handlers["GetDatabase"] = [&] {
    std::string catalog = get_string(request, "CatalogName", true), database = get_string(request, "DatabaseName", true);
    check_database(catalog, database);
    return json{{"Database", {{"Name", to_lower_ascii(database)}}}};
  };
  handlers["ListTableMetadata"] = [&] {
    std::string catalog = get_string(request, "CatalogName", true), database = get_string(request, "DatabaseName", true);
    std::string expression = get_string(request, "Expression");
    auto connector = check_database(catalog, database);
    std::vector<std::pair<std::string, bool>> names;  // name, is view
    try {
      for (auto& t : connector->list_tables(database)) names.push_back({t, false});
    } catch (const Error& e) {
      metadata_error(e.message());
    }
    for (auto& v : view_names(catalog, database)) names.push_back({v, true});
    std::sort(names.begin(), names.end());
    std::vector<std::pair<std::string, bool>> matching;
    for (auto& n : names)
      if (table_matches(expression, n.first)) matching.push_back(n);
    auto [page, next] = page_of(matching, get_max_results(request, 1, 50), 50, get_string(request, "NextToken"),
                                "tables", to_lower_ascii(catalog) + "." + to_lower_ascii(database) + "/" + expression);
    json list = json::array();
    for (const auto& [name, is_view] : page) {
      json columns;
      try {
        columns = describe(catalog, to_lower_ascii(database), name);
      } catch (const Error& e) {
        metadata_error(e.message());
      }
      list.push_back({{"Name", name},
                      {"TableType", is_view ? "VIRTUAL_VIEW" : "EXTERNAL_TABLE"},
                      {"Columns", columns},
                      {"PartitionKeys", json::array()},
                      {"Parameters", json::object()}});
    }
    json out = {{"TableMetadataList", list}};
    if (!next.empty()) out["NextToken"] = next;
    return out;
  };
  handlers["GetTableMetadata"] = [&] {
    std::string catalog = get_string(request, "CatalogName", true), database = get_string(request, "DatabaseName", true),
                table = get_string(request, "TableName", true);
    check_database(catalog, database);
    bool is_view = metastore_.find_view(to_lower_ascii(catalog), to_lower_ascii(database), to_lower_ascii(table)).has_value();
    json columns;
    try {
      columns = describe(catalog, to_lower_ascii(database), table);
    } catch (const Error& e) {
      metadata_error(e.message());
    }
    return json{{"TableMetadata",
                 {{"Name", to_lower_ascii(table)},
                  {"TableType", is_view ? "VIRTUAL_VIEW" : "EXTERNAL_TABLE"},
                  {"Columns", columns},
                  {"PartitionKeys", json::array()},
                  {"Parameters", json::object()}}}};
  };

  // --- named queries -----------------------------------------------------------------------
  handlers["CreateNamedQuery"] = [&] {
    NamedQuery q;
    q.name = get_string(request, "Name", true);
    q.description = get_string(request, "Description");
    q.database = get_string(request, "Database", true);
    q.query_string = get_string(request, "QueryString", true);
    q.workgroup = get_string(request, "WorkGroup");
    if (q.workgroup.empty()) q.workgroup = "primary";
    if (!metastore_.find_workgroup(q.workgroup)) invalid_request("WorkGroup " + q.workgroup + " is not found.");
    return json{{"NamedQueryId", metastore_.create_named_query(q).id}};
  };
  handlers["GetNamedQuery"] = [&] {
    std::string id = get_string(request, "NamedQueryId", true);
    try {
      return json{{"NamedQuery", named_query_json(metastore_.get_named_query(id))}};
    } catch (const Error& e) {
      if (e.code() == ErrorCode::NOT_FOUND) invalid_request("NamedQuery " + id + " was not found");
      throw;
    }
  };
  handlers["ListNamedQueries"] = [&] { return list_ids("NamedQueryIds", &Metastore::list_named_queries); };
  handlers["BatchGetNamedQuery"] = [&] {
    auto batch = metastore_.batch_get_named_queries(get_string_list(request, "NamedQueryIds", true, 50));
    json found = json::array(), missing = json::array();
    for (const auto& q : batch.found) found.push_back(named_query_json(q));
    for (const auto& id : batch.unprocessed_ids)
      missing.push_back(
          {{"NamedQueryId", id}, {"ErrorCode", "INVALID_INPUT"}, {"ErrorMessage", "NamedQuery " + id + " was not found"}});
    return json{{"NamedQueries", found}, {"UnprocessedNamedQueryIds", missing}};
  };
  handlers["DeleteNamedQuery"] = [&] {
    std::string id = get_string(request, "NamedQueryId", true);
    try {
      metastore_.delete_named_query(id);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::NOT_FOUND) invalid_request("NamedQuery " + id + " was not found");
      throw;
    }
    return json::object();
  };
  handlers["ListEngineVersions"] = [&] {
    std::vector<json> versions = {engine_version(),
                                  {{"SelectedEngineVersion", "Athena engine version 3"},
                                   {"EffectiveEngineVersion", "Athena engine version 3"}}};
    auto [page, next] = page_of(versions, get_max_results(request, 1, 10), 10, get_string(request, "NextToken"),
                                "engines", "");
    json out = {{"EngineVersions", page}};
    if (!next.empty()) out["NextToken"] = next;
    return out;
  };

  auto handler = handlers.find(action);
  if (handler == handlers.end())
    return api_error(400, "UnknownOperationException", "Operation " + action + " is not supported by tributary");
  try {
    return {200, to_text(handler->second()), ""};
  } catch (const ApiException& e) {
    return api_error(e.status, e.type, e.message, e.athena_error_code);
  } catch (const Error& e) {
    switch (e.code()) {
      case ErrorCode::NOT_FOUND:
        if (action.find("QueryExecution") != std::string::npos || action == "GetQueryResults" ||
            action == "GetQueryRuntimeStatistics")
          return api_error(400, "InvalidRequestException", "QueryExecution " + get_string(request, "QueryExecutionId") +
                                                               " was not found",
                           "INVALID_INPUT");
        return api_error(400, "InvalidRequestException", e.message(), "INVALID_INPUT");
      case ErrorCode::LIMIT_EXCEEDED:
        return {400, json{{"__type", "TooManyRequestsException"}, {"Message", e.message()},
                          {"Reason", "CONCURRENT_QUERY_LIMIT_EXCEEDED"}}.dump(-1, ' ', false,
                                                                                 json::error_handler_t::replace),
                "TooManyRequestsException"};
      case ErrorCode::ALREADY_EXISTS:
        return api_error(400, "InvalidRequestException", e.message(), "ALREADY_EXISTS");
      case ErrorCode::INTERNAL_ERROR:
        spdlog::error("action={} internal_error=\"{}\"", action, e.message());
        return api_error(500, "InternalServerException", e.message());
      default: return api_error(400, "InvalidRequestException", e.message(), "INVALID_INPUT");
    }
  } catch (const json::exception& e) {
    // A field of the wrong JSON type that the SDK's own validation let through.
    return api_error(400, "InvalidRequestException", std::string("Malformed request: ") + e.what(), "INVALID_INPUT");
  } catch (const std::exception& e) {
    spdlog::error("action={} exception=\"{}\"", action, e.what());
    return api_error(500, "InternalServerException", std::string("Internal error: ") + e.what());
  }
}

}  // namespace tributary::service
