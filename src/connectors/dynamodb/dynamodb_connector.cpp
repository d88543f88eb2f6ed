#include "connectors/dynamodb/dynamodb_connector.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <unordered_map>

#include "aws/aws_client.h"
#include "common/error.h"
#include "common/text.h"
#include "connectors/dynamodb/dynamodb_access_path.h"
#include "connectors/dynamodb/dynamodb_item_reader.h"
#include "connectors/dynamodb/dynamodb_schema.h"

namespace tributary {

using namespace dynamodb;
using json = nlohmann::json;

namespace {

[[noreturn]] void invalid(const std::string& catalog, const std::string& message) {
  throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog + "': " + message);
}

using Clock = std::chrono::steady_clock;

}  // namespace

DynamodbConfig make_dynamodb_config(const std::string& catalog, const ConnectorProperties& properties) {
  static const std::vector<std::string> known = {
      "connector.name", "dynamodb.endpoint", "dynamodb.region", "dynamodb.access-key", "dynamodb.secret-key",
      "dynamodb.session-token", "dynamodb.profile", "dynamodb.requests-per-second", "dynamodb.max-retries",
      "dynamodb.sample-size", "dynamodb.scan-segments", "pushdown",
      // Athena Lambda connector settings (recipe style): accepted, no effect here.
      "spill_bucket", "spill_prefix", "SpillBucket", "SpillPrefix", "disable_spill_encryption", "LambdaFunctionName",
      "LambdaMemory", "LambdaTimeout", "function"};
  DynamodbConfig config;
  config.catalog = catalog;
  auto column_family = [](const std::string& key) { return key.rfind("dynamodb.columns.", 0) == 0 && key.size() > 17; };
  check_property_keys(properties, known, "Catalog '" + catalog + "'", column_family);
  for (const auto& [key, value] : properties)
    if (column_family(key)) config.explicit_columns[to_lower_ascii(key.substr(17))] = value;
  config.access_key = get_property(properties, "dynamodb.access-key", "");
  config.secret_key = get_property(properties, "dynamodb.secret-key", "");
  config.session_token = get_property(properties, "dynamodb.session-token", "");
  config.profile = get_property(properties, "dynamodb.profile", "");
  if (config.access_key.empty() != config.secret_key.empty())
    invalid(catalog, "set both 'dynamodb.access-key' and 'dynamodb.secret-key', or neither");
  config.region = aws::resolve_region(get_property(properties, "dynamodb.region", ""), config.profile);
  config.endpoint =
      aws::resolve_endpoint(get_property(properties, "dynamodb.endpoint", ""), "DYNAMODB", "dynamodb", config.region);
  const std::string context = "Catalog '" + catalog + "'";
  config.max_retries = integer_property(properties, "dynamodb.max-retries", 8, 0, context);
  config.sample_size = integer_property(properties, "dynamodb.sample-size", 100, 1, context);
  config.scan_segments = integer_property(properties, "dynamodb.scan-segments", 0, 0, context);
  config.requests_per_second = non_negative_property(properties, "dynamodb.requests-per-second",
                                                     config.requests_per_second, context);
  std::string pushdown = to_lower_ascii(get_property(properties, "pushdown", "true"));
  if (pushdown != "true" && pushdown != "false")
    invalid(catalog, "property 'pushdown' must be true or false, got '" + pushdown + "'");
  config.pushdown = pushdown == "true";
  return config;
}

namespace {

// What one split reads: a Scan segment, one Query hash value, or a batch of keys.
class DynamoSplit : public Split {
 public:
  AccessKind kind = AccessKind::SCAN;
  int segment = 0;
  int total_segments = 1;
  std::vector<json> keys;  // GET/BATCH_GET: primary keys; QUERY: one typed hash value
  std::string table;
  std::string describe() const override {
    switch (kind) {
      case AccessKind::SCAN:
        return "dynamodb " + table + " scan segment " + std::to_string(segment) + "/" + std::to_string(total_segments);
      case AccessKind::QUERY: return "dynamodb " + table + " query " + (keys.empty() ? "" : keys[0].dump());
      default: return "dynamodb " + table + " " + std::to_string(keys.size()) + " keys";
    }
  }
};

struct Page {
  std::vector<json> items;
  uint64_t count = 0;  // Select=COUNT
  bool last = false;
};

double consumed_units(const json& response) {
  if (!response.contains("ConsumedCapacity")) return 0;
  const json& c = response["ConsumedCapacity"];
  double total = 0;
  auto add = [&](const json& one) {
    if (one.is_object() && one.contains("CapacityUnits") && one["CapacityUnits"].is_number())
      total += one["CapacityUnits"].get<double>();
  };
  if (c.is_array()) for (const auto& one : c) add(one);
  else add(c);
  return total;
}

class DynamoPageSource : public PageSource {
 public:
  DynamoPageSource(std::shared_ptr<aws::JsonServiceClient> client, DynamodbStatistics* stats,
                   const TableDescription& table, const DynamoSplit& split, ScanPlan plan, const ScanRequest& request)
      : client_(std::move(client)),
        stats_(stats),
        table_(table),
        split_(split),
        plan_(std::move(plan)),
        requested_columns_(request.columns.size()),
        limit_(plan_.constraint_enforced && request.limit ? *request.limit : -1) {
    std::vector<ColumnSpec> specs;
    for (int c : plan_.read_columns) {
      specs.push_back(table_.columns[c]);
      work_types_.push_back(table_.columns[c].type);
    }
    reader_ = std::make_unique<ItemReader>(std::move(specs));
    if (split_.kind == AccessKind::BATCH_GET_ITEM || split_.kind == AccessKind::GET_ITEM)
      pending_keys_.assign(split_.keys.begin(), split_.keys.end());
  }

  ~DynamoPageSource() override {
    cancelled_ = true;
    if (in_flight_.valid()) in_flight_.wait();
  }

  PageStatus next(Chunk& out) override {
    while (true) {
      if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading DynamoDB table '" + table_.name + "'");
      if (limit_ >= 0 && emitted_ >= limit_) return finish(out);
      if (position_ < buffer_.items.size() || buffer_.count > 0) {
        if (!source_done_ && !in_flight_.valid()) start_fetch();  // overlap the next request
        return emit(out);
      }
      if (in_flight_.valid()) {
        if (in_flight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
          blocked_ = in_flight_;
          return PageStatus::BLOCKED;
        }
        in_flight_.get();  // rethrows a source error
        in_flight_ = {};
        buffer_ = std::move(fetched_);
        fetched_ = Page{};
        position_ = 0;
        source_done_ = buffer_.last;
        continue;
      }
      if (source_done_) return finish(out);
      start_fetch();
    }
  }

  std::shared_future<void> blocked_future() override { return blocked_; }
  uint64_t bytes_read() const override { return counters_.item_bytes; }
  void cancel() override { cancelled_ = true; }

 private:
  PageStatus finish(Chunk& out) {
    out.size = 0;
    return PageStatus::FINISHED;
  }

  PageStatus emit(Chunk& out) {
    size_t capacity = kChunkCapacity;
    if (limit_ >= 0) capacity = (size_t)std::min<int64_t>((int64_t)capacity, limit_ - emitted_.load());
    if (buffer_.count > 0) {  // Select=COUNT: rows without columns
      size_t n = (size_t)std::min<uint64_t>(buffer_.count, capacity);
      buffer_.count -= n;
      out.size = n;
      emitted_ += (int64_t)n;
      return PageStatus::HAVE_DATA;
    }
    Chunk work(work_types_, capacity);
    size_t n = 0;
    uint64_t mismatches_before = counters_.type_mismatches;
    while (n < capacity && position_ < buffer_.items.size()) {
      reader_->read(buffer_.items[position_++], work, n, counters_);
      bool pass = true;
      for (const auto& [column, domain] : plan_.residual)
        if (!domain.contains(work.columns[column].get_value(n))) {
          pass = false;
          break;
        }
      if (pass) n++;
    }
    if (position_ >= buffer_.items.size()) buffer_.items.clear(), position_ = 0;
    stats_->type_mismatches += counters_.type_mismatches - mismatches_before;
    work.size = n;
    for (size_t c = 0; c < requested_columns_; c++) out.columns[c] = work.columns[c];
    out.size = n;
    emitted_ += (int64_t)n;
    return PageStatus::HAVE_DATA;
  }

  void start_fetch() {
    auto task = std::make_shared<std::packaged_task<void()>>([this] { fetched_ = fetch(); });
    in_flight_ = task->get_future().share();
    std::thread([task] { (*task)(); }).detach();
  }

  json call(const std::string& action, const json& body) {
    stats_->requests++;
    requests_++;
    json response = json::parse(client_->call(action, body.dump()));
    uint64_t milli = (uint64_t)std::llround(consumed_units(response) * 1000);
    stats_->consumed_capacity_milli += milli;
    capacity_milli_ += milli;
    {
      std::lock_guard<std::mutex> lock(action_mutex_);
      last_action_ = action;
    }
    return response;
  }

 public:
  SourceMetrics metrics() const override {
    SourceMetrics m;
    m.requests = requests_.load();
    m.capacity_units = capacity_milli_.load() / 1000.0;
    m.rejected_values = counters_.type_mismatches;
    std::lock_guard<std::mutex> lock(action_mutex_);
    m.access_path = last_action_;
    return m;
  }

 private:

  // Runs on the fetch thread; only one fetch is in flight at a time.
  Page fetch() {
    Page page;
    switch (split_.kind) {
      case AccessKind::GET_ITEM: {
        json body = {{"TableName", table_.name}, {"Key", pending_keys_.front()}, {"ConsistentRead", false},
                     {"ReturnConsumedCapacity", "TOTAL"}};
        add_projection(body);
        json response = call("GetItem", body);
        if (response.contains("Item")) page.items.push_back(std::move(response["Item"]));
        page.last = true;
        break;
      }
      case AccessKind::BATCH_GET_ITEM: {
        if (backoff_attempt_ > 0) {
          std::mt19937 rng(std::random_device{}());
          int cap = std::min(2000, 25 << std::min(backoff_attempt_, 6));
          std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, cap)(rng)));
        }
        json keys = json::array();
        while (!pending_keys_.empty() && keys.size() < 100) {
          keys.push_back(std::move(pending_keys_.front()));
          pending_keys_.pop_front();
        }
        json request = {{"Keys", keys}, {"ConsistentRead", false}};
        if (!plan_.projection_expression.empty()) request["ProjectionExpression"] = plan_.projection_expression;
        plan_.builder.add_to(request);
        request.erase("ExpressionAttributeValues");  // BatchGetItem takes names only
        json body = {{"RequestItems", {{table_.name, request}}}, {"ReturnConsumedCapacity", "TOTAL"}};
        json response = call("BatchGetItem", body);
        if (response.contains("Responses") && response["Responses"].contains(table_.name))
          for (auto& item : response["Responses"][table_.name]) page.items.push_back(std::move(item));
        bool unprocessed = false;
        if (response.contains("UnprocessedKeys") && response["UnprocessedKeys"].contains(table_.name)) {
          for (auto& key : response["UnprocessedKeys"][table_.name]["Keys"]) {
            pending_keys_.push_front(std::move(key));
            unprocessed = true;
          }
        }
        if (unprocessed) {
          stats_->unprocessed_key_retries++;
          if (++backoff_attempt_ > 30)
            throw_error(ErrorCode::SOURCE_ERROR, "dynamodb table '" + table_.name +
                                                     "': BatchGetItem left keys unprocessed after 30 retries");
        } else {
          backoff_attempt_ = 0;
        }
        page.last = pending_keys_.empty();
        break;
      }
      case AccessKind::QUERY:
      case AccessKind::SCAN: {
        bool query = split_.kind == AccessKind::QUERY;
        json body = {{"TableName", table_.name}, {"ReturnConsumedCapacity", "TOTAL"}};
        ExpressionBuilder builder = plan_.builder;
        if (query) {
          if (!plan_.path.index_name.empty()) body["IndexName"] = plan_.path.index_name;
          const ColumnSpec* range_column =
              plan_.path.range_column >= 0 ? &table_.columns[plan_.path.range_column] : nullptr;
          auto condition = key_condition(builder, table_.columns[plan_.path.hash_column], split_.keys.at(0),
                                         range_column, plan_.path.range ? &*plan_.path.range : nullptr);
          body["KeyConditionExpression"] = *condition;
        } else if (split_.total_segments > 1) {
          body["Segment"] = split_.segment;
          body["TotalSegments"] = split_.total_segments;
        }
        if (!plan_.filter_expression.empty()) body["FilterExpression"] = plan_.filter_expression;
        if (plan_.count_only) body["Select"] = "COUNT";
        else if (!plan_.projection_expression.empty()) body["ProjectionExpression"] = plan_.projection_expression;
        builder.add_to(body);
        // Without a filter every evaluated item is returned: read no more than the limit.
        if (limit_ >= 0 && plan_.filter_expression.empty() && plan_.residual.empty())
          body["Limit"] = std::max<int64_t>(1, limit_ - emitted_.load());
        if (!last_key_.is_null()) body["ExclusiveStartKey"] = last_key_;
        json response = call(query ? "Query" : "Scan", body);
        if (plan_.count_only) {
          page.count = response.value("Count", (uint64_t)0);
          // Select=COUNT returns no items: count the scanned bytes as the items' share of the table.
          counters_.item_bytes += table_.item_count > 0
                                      ? (uint64_t)(response.value("ScannedCount", 0.0) * table_.size_bytes / table_.item_count)
                                      : 0;
        } else if (response.contains("Items")) {
          page.items = std::move(response["Items"].get_ref<json::array_t&>());
        }
        last_key_ = response.contains("LastEvaluatedKey") ? response["LastEvaluatedKey"] : json();
        page.last = last_key_.is_null();
        break;
      }
      case AccessKind::EMPTY: page.last = true; break;
    }
    stats_->items_read += page.items.size();
    return page;
  }

  void add_projection(json& body) {
    if (plan_.projection_expression.empty()) return;
    body["ProjectionExpression"] = plan_.projection_expression;
    plan_.builder.add_to(body);
    body.erase("ExpressionAttributeValues");
  }

  std::shared_ptr<aws::JsonServiceClient> client_;
  DynamodbStatistics* stats_;
  TableDescription table_;
  DynamoSplit split_;
  ScanPlan plan_;
  size_t requested_columns_;
  int64_t limit_;
  std::vector<Type> work_types_;
  std::unique_ptr<ItemReader> reader_;
  ReadCounters counters_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> capacity_milli_{0};
  mutable std::mutex action_mutex_;
  std::string last_action_;
  std::deque<json> pending_keys_;
  int backoff_attempt_ = 0;
  json last_key_;
  Page buffer_;
  size_t position_ = 0;
  Page fetched_;
  std::shared_future<void> in_flight_;
  std::shared_future<void> blocked_;
  bool source_done_ = false;
  std::atomic<int64_t> emitted_{0};
  std::atomic<bool> cancelled_{false};
};

class DynamodbConnector : public Connector {
 public:
  explicit DynamodbConnector(DynamodbConfig config) : config_(std::move(config)) {
    aws::JsonServiceClient::Options options;
    options.endpoint = config_.endpoint;
    options.region = config_.region;
    options.signing_service = "dynamodb";
    options.target_prefix = "DynamoDB_20120810";
    options.json_version = "1.0";
    options.credentials =
        aws::resolve_credentials(config_.access_key, config_.secret_key, config_.session_token, config_.profile);
    options.retry.max_attempts = config_.max_retries + 1;
    options.requests_per_second = config_.requests_per_second;
    options.error_context = "dynamodb catalog '" + config_.catalog + "' (endpoint " + config_.endpoint + ")";
    client_ = std::make_shared<aws::JsonServiceClient>(std::move(options));
  }

  std::string type() const override { return "dynamodb"; }
  const DynamodbStatistics& statistics() const { return stats_; }

  std::vector<std::string> list_schemas() override { return {"default"}; }

  std::vector<std::string> list_tables(const std::string& schema) override {
    if (to_lower_ascii(schema) != "default") return {};
    std::vector<std::string> names;
    for (const auto& [lower_name, real] : table_names(false)) names.push_back(lower_name);
    return names;
  }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    if (to_lower_ascii(schema) != "default") return std::nullopt;
    auto description = describe(table);
    if (!description) return std::nullopt;
    TableMetadata meta;
    meta.schema = "default";
    meta.name = to_lower_ascii(description->name);
    meta.location = description->name;
    for (const auto& c : description->columns) {
      ColumnMetadata column;
      column.name = c.name;
      column.type = c.type;
      column.nullable = c.attribute != description->keys.hash_key && c.attribute != description->keys.range_key;
      column.comment = "attribute " + c.attribute;
      meta.columns.push_back(std::move(column));
    }
    // ItemCount lags (DynamoDB refreshes it about every six hours; local servers report 0).
    if (description->item_count > 0) meta.row_count = description->item_count;
    return meta;
  }

  // The hash key: a few values become GetItem/BatchGetItem instead of a Scan.
  bool supports_key_lookup(const TableMetadata& table, int column) override {
    if (column < 0 || column >= (int)table.columns.size()) return false;
    TableDescription description = description_for(table);
    for (const auto& c : description.columns)
      if (c.name == table.columns[column].name) return c.attribute == description.keys.hash_key;
    return false;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    TableDescription description = description_for(table);
    ScanPlan plan = plan_scan(description, request, options());
    PushdownResult result;
    result.constraint_enforced = plan.constraint_enforced;
    result.limit_enforced = plan.limit_enforced;
    result.details = plan.describe(description);
    return result;
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    (void)max_parallelism;
    TableDescription description = description_for(table);
    ScanPlan plan = plan_scan(description, request, options());
    std::vector<std::shared_ptr<Split>> splits;
    auto make = [&](AccessKind kind) {
      auto split = std::make_shared<DynamoSplit>();
      split->kind = kind;
      split->table = description.name;
      splits.push_back(split);
      return split;
    };
    switch (plan.path.kind) {
      case AccessKind::EMPTY: break;
      case AccessKind::GET_ITEM: make(AccessKind::GET_ITEM)->keys = plan.path.keys; break;
      case AccessKind::BATCH_GET_ITEM:
        for (size_t i = 0; i < plan.path.keys.size(); i += 100)
          make(AccessKind::BATCH_GET_ITEM)->keys.assign(plan.path.keys.begin() + i,
                                                        plan.path.keys.begin() + std::min(plan.path.keys.size(), i + 100));
        break;
      case AccessKind::QUERY:
        for (const auto& value : plan.path.hash_values) make(AccessKind::QUERY)->keys = {value};
        break;
      case AccessKind::SCAN:
        for (int s = 0; s < plan.segments; s++) {
          auto split = make(AccessKind::SCAN);
          split->segment = s;
          split->total_segments = plan.segments;
        }
        break;
    }
    return splits;
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    TableDescription description = description_for(table);
    ScanPlan plan = plan_scan(description, request, options());
    return std::make_unique<DynamoPageSource>(client_, &stats_, description, dynamic_cast<const DynamoSplit&>(split),
                                              std::move(plan), request);
  }

 private:
  ScanOptions options() const {
    ScanOptions o;
    o.pushdown = config_.pushdown;
    o.scan_segments = config_.scan_segments;
    o.cores = (int)std::max(1u, std::thread::hardware_concurrency());
    return o;
  }

  // lower-case name -> real name; cached for a few seconds.
  std::map<std::string, std::string> table_names(bool refresh) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!refresh && names_loaded_ && Clock::now() - names_time_ < std::chrono::seconds(10)) return names_;
    }
    std::map<std::string, std::string> names;
    json body = json::object();
    while (true) {
      stats_.requests++;
      json response = json::parse(client_->call("ListTables", body.dump()));
      for (const auto& name : response.value("TableNames", json::array()))
        names.emplace(to_lower_ascii(name.get<std::string>()), name.get<std::string>());
      if (!response.contains("LastEvaluatedTableName")) break;
      body["ExclusiveStartTableName"] = response["LastEvaluatedTableName"];
    }
    std::lock_guard<std::mutex> lock(mutex_);
    names_ = names;
    names_loaded_ = true;
    names_time_ = Clock::now();
    return names;
  }

  std::optional<TableDescription> describe(const std::string& table) {
    std::string key = to_lower_ascii(table);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = descriptions_.find(key);
      if (it != descriptions_.end() && Clock::now() - it->second.first < std::chrono::seconds(30))
        return it->second.second;
    }
    auto names = table_names(false);
    auto real = names.find(key);
    if (real == names.end()) {
      names = table_names(true);  // created since the last listing?
      real = names.find(key);
      if (real == names.end()) return std::nullopt;
    }
    TableDescription description;
    try {
      stats_.requests++;
      description = parse_describe_table(
          json::parse(client_->call("DescribeTable", json{{"TableName", real->second}}.dump())));
    } catch (const Error& e) {
      if (e.code() == ErrorCode::NOT_FOUND) return std::nullopt;
      throw;
    }
    auto explicit_columns = config_.explicit_columns.find(key);
    if (explicit_columns != config_.explicit_columns.end()) {
      description.columns = parse_explicit_columns(explicit_columns->second, description, config_.catalog);
    } else {
      SchemaInference inference;
      json body = {{"TableName", description.name}, {"Limit", config_.sample_size}};
      stats_.requests++;
      json response = json::parse(client_->call("Scan", body.dump()));
      for (const auto& item : response.value("Items", json::array())) inference.add_item(item);
      description.columns = inference.columns(description);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    descriptions_[key] = {Clock::now(), description};
    return description;
  }

  TableDescription description_for(const TableMetadata& table) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = descriptions_.find(to_lower_ascii(table.name));
      if (it != descriptions_.end() && it->second.second.columns.size() == table.columns.size())
        return it->second.second;
    }
    auto description = describe(table.name);
    if (!description)
      throw_error(ErrorCode::NOT_FOUND, "Table '" + config_.catalog + ".default." + table.name + "' does not exist");
    if (description->columns.size() != table.columns.size())
      throw_error(ErrorCode::SOURCE_ERROR, "dynamodb catalog '" + config_.catalog + "': the columns of table '" +
                                               table.name + "' changed while the query was planned");
    return *description;
  }

  const DynamodbConfig config_;
  std::shared_ptr<aws::JsonServiceClient> client_;
  DynamodbStatistics stats_;
  std::mutex mutex_;
  bool names_loaded_ = false;                   // GUARDED_BY(mutex_)
  Clock::time_point names_time_;                // GUARDED_BY(mutex_)
  std::map<std::string, std::string> names_;    // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::pair<Clock::time_point, TableDescription>> descriptions_;  // GUARDED_BY(mutex_)
};

}  // namespace

std::shared_ptr<Connector> make_dynamodb_connector(const std::string& catalog_name,
                                                   const ConnectorProperties& properties) {
  return std::make_shared<DynamodbConnector>(make_dynamodb_config(catalog_name, properties));
}

const DynamodbStatistics* dynamodb_statistics(const Connector& connector) {
  auto* dynamo = dynamic_cast<const DynamodbConnector*>(&connector);
  return dynamo ? &dynamo->statistics() : nullptr;
}

void register_dynamodb_connector() { register_connector_factory("dynamodb", make_dynamodb_connector); }

}  // namespace tributary
