// DynamoDB connector: access paths, expressions, item conversion and schema inference
// without a server; then the real DynamoDB API against dynalite (skipped without node).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "aws/aws_client.h"
#include "common/decimal.h"
#include "common/error.h"
#include "connector/connector.h"
#include "connectors/dynamodb/dynamodb_access_path.h"
#include "connectors/dynamodb/dynamodb_connector.h"
#include "connectors/dynamodb/dynamodb_expressions.h"
#include "connectors/dynamodb/dynamodb_item_reader.h"
#include "connectors/dynamodb/dynamodb_schema.h"

using namespace tributary;
using namespace tributary::dynamodb;
using json = nlohmann::json;

namespace {

// Orders(order_id S hash, created N range), GSI by_status(status hash, ship_date range, ALL),
// GSI by_carrier(carrier hash, KEYS_ONLY).
TableDescription orders_table(bool composite = false) {
  json describe = {{"Table",
                    {{"TableName", "Orders-abc123"},
                     {"ItemCount", 3},
                     {"TableSizeBytes", 300},
                     {"AttributeDefinitions",
                      {{{"AttributeName", "order_id"}, {"AttributeType", "S"}},
                       {{"AttributeName", "created"}, {"AttributeType", "N"}},
                       {{"AttributeName", "status"}, {"AttributeType", "S"}},
                       {{"AttributeName", "ship_date"}, {"AttributeType", "S"}},
                       {{"AttributeName", "carrier"}, {"AttributeType", "S"}}}},
                     {"GlobalSecondaryIndexes",
                      {{{"IndexName", "by_status"},
                        {"KeySchema",
                         {{{"AttributeName", "status"}, {"KeyType", "HASH"}},
                          {{"AttributeName", "ship_date"}, {"KeyType", "RANGE"}}}},
                        {"Projection", {{"ProjectionType", "ALL"}}}},
                       {{"IndexName", "by_carrier"},
                        {"KeySchema", {{{"AttributeName", "carrier"}, {"KeyType", "HASH"}}}},
                        {"Projection", {{"ProjectionType", "KEYS_ONLY"}}}}}}}}};
  json keys = {{{"AttributeName", "order_id"}, {"KeyType", "HASH"}}};
  if (composite) keys.push_back({{"AttributeName", "created"}, {"KeyType", "RANGE"}});
  describe["Table"]["KeySchema"] = keys;
  TableDescription table = parse_describe_table(describe);
  SchemaInference inference;
  inference.add_item({{"order_id", {{"S", "1001"}}},
                      {"created", {{"N", "5"}}},
                      {"status", {{"S", "shipped"}}},
                      {"ship_date", {{"S", "2024-01-16"}}},
                      {"carrier", {{"S", "FedEx"}}},
                      {"quantity", {{"N", "2"}}}});
  table.columns = inference.columns(table);
  return table;
}

int col(const TableDescription& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); i++)
    if (t.columns[i].name == name) return (int)i;
  return -1;
}

Domain values(std::initializer_list<Value> vs) {
  Domain d;
  for (const auto& v : vs) d.ranges.push_back(Range::equal(v));
  return d;
}

Domain range(Value low, Value high, bool low_inclusive = true, bool high_inclusive = true) {
  Range r;
  r.low = low;
  r.high = high;
  r.low_unbounded = r.high_unbounded = false;
  r.low_inclusive = low_inclusive;
  r.high_inclusive = high_inclusive;
  Domain d;
  d.ranges.push_back(r);
  return d;
}

ScanRequest request_all_columns(const TableDescription& t) {
  ScanRequest r;
  for (size_t i = 0; i < t.columns.size(); i++) r.columns.push_back((int)i);
  return r;
}

}  // namespace

TEST(DynamodbAccessPath, HashKeyEqualityIsGetItem) {
  auto t = orders_table();
  ScanRequest r = request_all_columns(t);
  r.constraint.columns[col(t, "order_id")] = values({Value::string("1001")});
  ScanPlan plan = plan_scan(t, r, {});
  EXPECT_EQ(plan.path.kind, AccessKind::GET_ITEM);
  EXPECT_TRUE(plan.constraint_enforced);
  EXPECT_TRUE(plan.residual.empty());
  EXPECT_EQ(plan.describe(t)[0].rfind("dynamodb GetItem on Orders-abc123 key order_id = '1001'", 0), 0u)
      << plan.describe(t)[0];
}

TEST(DynamodbAccessPath, InListIsBatchGetItemAndOtherDomainsAreRechecked) {
  auto t = orders_table();
  ScanRequest r = request_all_columns(t);
  r.constraint.columns[col(t, "order_id")] =
      values({Value::string("1001"), Value::string("1002"), Value::string("1003"), Value::string("1002")});
  r.constraint.columns[col(t, "status")] = values({Value::string("shipped")});
  ScanPlan plan = plan_scan(t, r, {});
  EXPECT_EQ(plan.path.kind, AccessKind::BATCH_GET_ITEM);
  EXPECT_EQ(plan.path.keys.size(), 3u);
  EXPECT_TRUE(plan.filter_expression.empty());  // BatchGetItem has no filter: re-checked on items
  ASSERT_EQ(plan.residual.size(), 1u);
  EXPECT_TRUE(plan.constraint_enforced);
  EXPECT_NE(plan.describe(t)[0].find("BatchGetItem on Orders-abc123 (3 keys"), std::string::npos);
}

TEST(DynamodbAccessPath, CompositeKeyQueryWithSortKeyRange) {
  auto t = orders_table(true);
  ScanRequest r = request_all_columns(t);
  r.constraint.columns[col(t, "order_id")] = values({Value::string("1001")});
  r.constraint.columns[col(t, "created")] = range(Value::integer(1), Value::integer(9));
  r.constraint.columns[col(t, "carrier")] = values({Value::string("UPS"), Value::string("FedEx")});
  ScanPlan plan = plan_scan(t, r, {});
  ASSERT_EQ(plan.path.kind, AccessKind::QUERY);
  EXPECT_TRUE(plan.path.index_name.empty());
  ASSERT_TRUE(plan.path.range.has_value());
  EXPECT_EQ(plan.filter_expression, "#n0 IN (:v0, :v1)");
  // A range on an N key is a superset (non-integral numbers read as NULL): re-checked.
  EXPECT_EQ(plan.residual.size(), 1u);
  // Hash and range single values on a composite key: GetItem.
  r.constraint.columns[col(t, "created")] = values({Value::integer(5)});
  EXPECT_EQ(plan_scan(t, r, {}).path.kind, AccessKind::GET_ITEM);
}

TEST(DynamodbAccessPath, QueryOnIndexWhenItProjectsTheColumns) {
  auto t = orders_table();
  ScanRequest r = request_all_columns(t);
  r.constraint.columns[col(t, "status")] = values({Value::string("shipped")});
  r.constraint.columns[col(t, "ship_date")] = range(Value::string("2024-01-01"), Value::string("2024-02-01"));
  ScanPlan plan = plan_scan(t, r, {});
  ASSERT_EQ(plan.path.kind, AccessKind::QUERY);
  EXPECT_EQ(plan.path.index_name, "by_status");
  EXPECT_TRUE(plan.residual.empty());
  EXPECT_NE(plan.describe(t)[0].find("dynamodb Query on index by_status of Orders-abc123"), std::string::npos);
  // by_carrier is KEYS_ONLY: it cannot produce quantity -> Scan with a filter.
  ScanRequest k = request_all_columns(t);
  k.constraint.columns[col(t, "carrier")] = values({Value::string("UPS")});
  ScanPlan scan = plan_scan(t, k, {});
  EXPECT_EQ(scan.path.kind, AccessKind::SCAN);
  EXPECT_EQ(scan.filter_expression, "#n0 = :v0");
  // ... but a query needing only keys uses it.
  ScanRequest keys_only;
  keys_only.columns = {col(t, "order_id")};
  keys_only.constraint.columns[col(t, "carrier")] = values({Value::string("UPS")});
  EXPECT_EQ(plan_scan(t, keys_only, {}).path.index_name, "by_carrier");
}

TEST(DynamodbAccessPath, ScanSegmentsLimitAndContradiction) {
  auto t = orders_table();
  t.size_bytes = 64LL << 20;
  ScanRequest r = request_all_columns(t);
  ScanOptions options;
  options.cores = 2;
  ScanPlan plan = plan_scan(t, r, options);
  EXPECT_EQ(plan.path.kind, AccessKind::SCAN);
  EXPECT_EQ(plan.segments, 8);
  EXPECT_NE(plan.describe(t)[0].find("(8 segments"), std::string::npos);
  options.scan_segments = 4;
  EXPECT_EQ(plan_scan(t, r, options).segments, 4);
  r.limit = 5;
  ScanPlan limited = plan_scan(t, r, options);
  EXPECT_EQ(limited.segments, 1);
  EXPECT_TRUE(limited.limit_enforced);
  r.constraint.none = true;
  EXPECT_EQ(plan_scan(t, r, options).path.kind, AccessKind::EMPTY);
  ScanRequest counting;
  EXPECT_TRUE(plan_scan(t, counting, options).count_only);
  options.pushdown = false;
  ScanRequest filtered = request_all_columns(t);
  filtered.constraint.columns[0] = values({Value::string("1")});
  ScanPlan off = plan_scan(t, filtered, options);
  EXPECT_EQ(off.path.kind, AccessKind::SCAN);
  EXPECT_FALSE(off.constraint_enforced);
}

TEST(DynamodbExpressions, PlaceholdersReservedWordsAndNullSemantics) {
  auto t = orders_table();
  ExpressionBuilder b;
  const ColumnSpec& status = t.columns[col(t, "status")];
  Domain d = values({Value::string("it's"), Value::string("x")});
  d.null_allowed = true;
  auto translated = translate_domain(b, status, d);
  ASSERT_TRUE(translated);
  EXPECT_TRUE(translated->exact);
  EXPECT_EQ(translated->expression,
            "(attribute_not_exists(#n0) OR NOT attribute_type(#n0, :v0)) OR (#n0 IN (:v1, :v2))");
  json request;
  b.add_to(request);
  EXPECT_EQ(request["ExpressionAttributeNames"]["#n0"], "status");
  EXPECT_EQ(request["ExpressionAttributeValues"][":v0"], json({{"S", "S"}}));
  EXPECT_EQ(request["ExpressionAttributeValues"][":v1"], json({{"S", "it's"}}));
  EXPECT_EQ(request.dump().find("status IN"), std::string::npos);
  // Numbers: single values exact, ranges a superset, IS NULL not translated.
  const ColumnSpec& quantity = t.columns[col(t, "quantity")];
  ExpressionBuilder nb;
  auto eq = translate_domain(nb, quantity, values({Value::integer(2)}));
  ASSERT_TRUE(eq);
  EXPECT_TRUE(eq->exact);
  auto between = translate_domain(nb, quantity, range(Value::integer(1), Value::integer(3)));
  ASSERT_TRUE(between);
  EXPECT_FALSE(between->exact);
  EXPECT_EQ(between->expression, "#n0 BETWEEN :v1 AND :v2");
  auto open = translate_domain(nb, quantity, range(Value::integer(1), Value::integer(3), false, false));
  EXPECT_EQ(open->expression, "#n0 > :v3 AND #n0 < :v4");
  EXPECT_FALSE(translate_domain(nb, quantity, Domain::only_null()));
  EXPECT_FALSE(translate_domain(nb, quantity, values({Value::floating(0.1)})));
  // More than 100 values: several IN lists.
  Domain many;
  for (int i = 0; i < 150; i++) many.ranges.push_back(Range::equal(Value::string(std::to_string(i))));
  ExpressionBuilder mb;
  auto in = translate_domain(mb, status, many);
  EXPECT_NE(in->expression.find(") OR (#n0 IN ("), std::string::npos);
  // Projection and key conditions use the same placeholders.
  ExpressionBuilder kb;
  EXPECT_EQ(projection_expression(kb, {"status", "date", "status"}), "#n0, #n1, #n0");
  Range r = range(Value::string("a"), Value::string("b")).ranges[0];
  auto kc = key_condition(kb, status, {{"S", "x"}}, &t.columns[col(t, "ship_date")], &r);
  EXPECT_EQ(*kc, "#n0 = :v0 AND #n2 BETWEEN :v1 AND :v2");
  r.low_inclusive = false;
  EXPECT_FALSE(key_condition(kb, status, {{"S", "x"}}, &t.columns[col(t, "ship_date")], &r));
}

TEST(DynamodbItemReader, EveryAttributeType) {
  std::vector<ColumnSpec> columns = {
      {"s", "S", Type::varchar(), AttributeKind::S},
      {"n", "N", Type::bigint(), AttributeKind::N},
      {"d", "D", Type::decimal(38, 9), AttributeKind::N},
      {"big", "Big", Type::decimal(38, 0), AttributeKind::N},
      {"b", "B", Type::varbinary(), AttributeKind::B},
      {"flag", "flag", Type::boolean(), AttributeKind::BOOL},
      {"ss", "ss", Type::varchar(), AttributeKind::ANY},
      {"ns", "ns", Type::varchar(), AttributeKind::ANY},
      {"bs", "bs", Type::varchar(), AttributeKind::ANY},
      {"l", "l", Type::varchar(), AttributeKind::ANY},
      {"m", "m", Type::varchar(), AttributeKind::ANY},
      {"missing", "missing", Type::varchar(), AttributeKind::S},
      {"nul", "nul", Type::bigint(), AttributeKind::N},
  };
  ItemReader reader(columns);
  std::vector<Type> types;
  for (const auto& c : columns) types.push_back(c.type);
  Chunk chunk(types, 4);
  json item = {{"S", {{"S", "héllo"}}},
               {"N", {{"N", "-9223372036854775808"}}},
               {"D", {{"N", "12345678901234567890123456789.123456789"}}},
               {"Big", {{"N", "99999999999999999999999999999999999999"}}},
               {"B", {{"B", "AAEC/w=="}}},
               {"flag", {{"BOOL", true}}},
               {"ss", {{"SS", {"a", "b"}}}},
               {"ns", {{"NS", {"1", "2.5"}}}},
               {"bs", {{"BS", {"AA=="}}}},
               {"l", {{"L", {{{"S", "x"}}, {{"N", "1"}}, {{"NULL", true}}}}}},
               {"m", {{"M", {{"k", {{"BOOL", false}}}, {"n", {{"M", {{"z", {{"N", "3"}}}}}}}}}}},
               {"nul", {{"NULL", true}}}};
  ReadCounters counters;
  reader.read(item, chunk, 0, counters);
  EXPECT_EQ(counters.type_mismatches, 0u);
  EXPECT_GT(counters.item_bytes, 40u);
  EXPECT_EQ(chunk.columns[0].get_value(0).s, "héllo");
  EXPECT_EQ(chunk.columns[1].get_value(0).i, INT64_MIN);
  EXPECT_EQ(chunk.columns[2].get_value(0).to_string(), "12345678901234567890123456789.123456789");
  EXPECT_EQ(chunk.columns[3].get_value(0).to_string(), "99999999999999999999999999999999999999");
  EXPECT_EQ(chunk.columns[4].get_value(0).s, std::string("\x00\x01\x02\xff", 4));
  EXPECT_TRUE(chunk.columns[5].get_value(0).b);
  EXPECT_EQ(chunk.columns[6].get_value(0).s, R"(["a","b"])");
  EXPECT_EQ(chunk.columns[7].get_value(0).s, R"([1,2.5])");
  EXPECT_EQ(chunk.columns[8].get_value(0).s, R"(["AA=="])");
  EXPECT_EQ(chunk.columns[9].get_value(0).s, R"(["x",1,null])");
  EXPECT_EQ(chunk.columns[10].get_value(0).s, R"({"k":false,"n":{"z":3}})");
  EXPECT_TRUE(chunk.columns[11].is_null(0));
  EXPECT_TRUE(chunk.columns[12].is_null(0));
  // Values that do not fit: NULL and counted, never a crash.
  json bad = {{"S", {{"N", "5"}}},
              {"N", {{"N", "1.5"}}},
              {"D", {{"N", "1e40"}}},
              {"Big", {{"S", "x"}}},
              {"B", {{"B", "!!"}}},
              {"flag", {{"S", "true"}}},
              {"nul", {{"N", "9223372036854775808"}}}};
  reader.read(bad, chunk, 1, counters);
  EXPECT_EQ(counters.type_mismatches, 7u);
  for (int c : {0, 1, 2, 3, 4, 5, 12}) EXPECT_TRUE(chunk.columns[c].is_null(1)) << c;
  for (int c : {6, 7, 8, 9, 10, 11}) EXPECT_TRUE(chunk.columns[c].is_null(1)) << c;  // missing
}

TEST(DynamodbSchema, InferenceMergesTypesAcrossItems) {
  TableDescription t;
  t.name = "T";
  t.keys.hash_key = "Id";
  t.attribute_types["Id"] = "N";
  SchemaInference inference;
  inference.add_item({{"Id", {{"N", "1"}}}, {"a", {{"N", "1"}}}, {"b", {{"N", "1"}}}, {"c", {{"S", "x"}}},
                      {"e", {{"NULL", true}}}, {"f", {{"BOOL", true}}}, {"g", {{"SS", {"x"}}}}, {"h", {{"B", "AA=="}}},
                      {"big", {{"N", "123456789012345678901234"}}}});
  inference.add_item({{"Id", {{"N", "2"}}}, {"a", {{"N", "2"}}}, {"b", {{"N", "2.5"}}}, {"c", {{"N", "3"}}},
                      {"f", {{"NULL", true}}}, {"Zeta", {{"S", "z"}}}});
  auto columns = inference.columns(t);
  std::map<std::string, ColumnSpec> by_name;
  for (const auto& c : columns) by_name[c.name] = c;
  ASSERT_EQ(columns[0].name, "id");
  EXPECT_EQ(columns[0].type, Type::bigint());
  EXPECT_EQ(by_name["a"].type, Type::bigint());
  EXPECT_EQ(by_name["b"].type, Type::decimal(38, 9));
  EXPECT_EQ(by_name["big"].type, Type::decimal(38, 0));
  EXPECT_EQ(by_name["c"].kind, AttributeKind::ANY);
  EXPECT_EQ(by_name["e"].kind, AttributeKind::ANY);
  EXPECT_EQ(by_name["f"].type, Type::boolean());
  EXPECT_EQ(by_name["g"].type, Type::varchar());
  EXPECT_EQ(by_name["h"].type, Type::varbinary());
  EXPECT_EQ(by_name["zeta"].attribute, "Zeta");
  // Explicit columns: keys added, types parsed.
  auto explicit_columns = parse_explicit_columns("status varchar, price decimal(10,2), ok boolean", t, "ddb");
  ASSERT_EQ(explicit_columns.size(), 4u);
  EXPECT_EQ(explicit_columns[0].attribute, "Id");
  EXPECT_EQ(explicit_columns[2].type, Type::decimal(10, 2));
  EXPECT_THROW(parse_explicit_columns("status", t, "ddb"), Error);
}

TEST(DynamodbConfig, PropertiesAndUnknownKeys) {
  ConnectorProperties p = {{"connector.name", "dynamodb"},
                           {"dynamodb.endpoint", "http://127.0.0.1:1"},
                           {"dynamodb.region", "eu-west-1"},
                           {"dynamodb.access-key", "AK"},
                           {"dynamodb.secret-key", "SUPERSECRET"},
                           {"SpillBucket", "spill"},
                           {"spill_bucket", "spill"},
                           {"dynamodb.columns.Orders", "a varchar"}};
  DynamodbConfig config = make_dynamodb_config("ddb", p);
  EXPECT_EQ(config.endpoint, "http://127.0.0.1:1");
  EXPECT_EQ(config.region, "eu-west-1");
  EXPECT_EQ(config.sample_size, 100);
  EXPECT_EQ(config.explicit_columns.at("orders"), "a varchar");
  p["dynamodb.sample-sise"] = "5";
  try {
    make_dynamodb_config("ddb", p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("Did you mean 'dynamodb.sample-size'?"), std::string::npos) << e.message();
    EXPECT_EQ(e.message().find("SUPERSECRET"), std::string::npos);
  }
}

// ---------------------------------------------------------------- against dynalite

namespace {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (sockaddr*)&addr, sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, (sockaddr*)&addr, &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string find_dynalite() {
  for (auto dir = std::filesystem::current_path(); !dir.empty(); dir = dir.parent_path()) {
    auto candidate = dir / "node_modules/.bin/dynalite";
    if (std::filesystem::exists(candidate)) return candidate.string();
    if (dir == dir.root_path()) break;
  }
  for (const char* fixed : {"/work/main/node_modules/.bin/dynalite"})
    if (std::filesystem::exists(fixed)) return fixed;
  return "";
}

class Dynalite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dynalite = find_dynalite();
    if (dynalite.empty() || system("command -v node >/dev/null 2>&1") != 0) return;
    port_ = free_port();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      std::string port = std::to_string(port_);
      execl(dynalite.c_str(), dynalite.c_str(), "--port", port.c_str(), "--host", "127.0.0.1", "--createTableMs", "0",
            (char*)nullptr);
      _exit(127);
    }
    endpoint_ = "http://127.0.0.1:" + std::to_string(port_);
    for (int i = 0; i < 100; i++) {
      try {
        client().call("ListTables", "{}");
        ready_ = true;
        break;
      } catch (const Error&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    if (ready_) load();
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "node or node_modules/.bin/dynalite not available";
  }

  static aws::JsonServiceClient& client() {
    static std::unique_ptr<aws::JsonServiceClient> c;
    if (!c) {
      aws::JsonServiceClient::Options o;
      o.endpoint = endpoint_;
      o.region = "us-east-1";
      o.signing_service = "dynamodb";
      o.target_prefix = "DynamoDB_20120810";
      o.credentials = {"AKIDEXAMPLE", "secret", ""};
      o.retry.max_attempts = 1;
      o.error_context = "test dynalite";
      c = std::make_unique<aws::JsonServiceClient>(o);
    }
    return *c;
  }

  // CreateTable answers CREATING even with --createTableMs 0: wait for ACTIVE.
  static void wait_active(const std::string& table) {
    for (int i = 0; i < 200; i++) {
      json d = json::parse(client().call("DescribeTable", json{{"TableName", table}}.dump()));
      if (d["Table"].value("TableStatus", "") == "ACTIVE") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  static void load() {
    client().call("CreateTable", json{{"TableName", "Orders-abc123"},
                                      {"AttributeDefinitions", {{{"AttributeName", "order_id"}, {"AttributeType", "S"}}}},
                                      {"KeySchema", {{{"AttributeName", "order_id"}, {"KeyType", "HASH"}}}},
                                      {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}}
                                         .dump());
    wait_active("Orders-abc123");
    const char* rows[][5] = {{"1001", "shipped", "TRK123456789", "FedEx", "2024-01-16"},
                             {"1002", "processing", "TRK987654321", "UPS", "2024-01-17"},
                             {"1003", "delivered", "TRK456789123", "USPS", "2024-01-18"}};
    for (auto& row : rows)
      client().call("PutItem", json{{"TableName", "Orders-abc123"},
                                    {"Item",
                                     {{"order_id", {{"S", row[0]}}},
                                      {"status", {{"S", row[1]}}},
                                      {"tracking_number", {{"S", row[2]}}},
                                      {"carrier", {{"S", row[3]}}},
                                      {"ship_date", {{"S", row[4]}}}}}}
                                   .dump());
    // Big: 3000 items of ~500 bytes (> 1 MB: several Scan pages).
    client().call("CreateTable", json{{"TableName", "Big"},
                                      {"AttributeDefinitions", {{{"AttributeName", "id"}, {"AttributeType", "N"}}}},
                                      {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
                                      {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}}
                                         .dump());
    wait_active("Big");
    std::string padding(480, 'x');
    for (int start = 0; start < 3000; start += 25) {
      json requests = json::array();
      for (int i = start; i < start + 25; i++)
        requests.push_back({{"PutRequest",
                             {{"Item", {{"id", {{"N", std::to_string(i)}}}, {"pad", {{"S", padding}}},
                                        {"even", {{"BOOL", i % 2 == 0}}}}}}}});
      client().call("BatchWriteItem", json{{"RequestItems", {{"Big", requests}}}}.dump());
    }
  }

  static std::shared_ptr<Connector> connector(ConnectorProperties extra = {}) {
    ConnectorProperties p = {{"connector.name", "dynamodb"},
                             {"dynamodb.endpoint", endpoint_},
                             {"dynamodb.region", "us-east-1"},
                             {"dynamodb.access-key", "AKIDEXAMPLE"},
                             {"dynamodb.secret-key", "secret"},
                             {"dynamodb.max-retries", "0"}};
    for (auto& [k, v] : extra) p[k] = v;
    return make_dynamodb_connector("ddb", p);
  }

  // All rows of a scan as text lines "a|b|c", sorted.
  static std::vector<std::string> read_all(Connector& c, const TableMetadata& t, const ScanRequest& r,
                                           size_t* splits_out = nullptr, uint64_t* bytes = nullptr) {
    auto splits = c.plan_splits(t, r, 4);
    if (splits_out) *splits_out = splits.size();
    std::vector<Type> types;
    for (int i : r.columns) types.push_back(t.columns[i].type);
    std::vector<std::string> rows;
    for (const auto& split : splits) {
      auto source = c.open(t, *split, r);
      while (true) {
        Chunk chunk(types);
        PageStatus status = source->next(chunk);
        if (status == PageStatus::BLOCKED) {
          source->blocked_future().wait();
          continue;
        }
        for (size_t row = 0; row < chunk.size; row++) {
          std::string line;
          for (size_t col = 0; col < chunk.columns.size(); col++)
            line += (col ? "|" : "") + chunk.columns[col].get_value(row).to_string();
          rows.push_back(line);
        }
        if (status == PageStatus::FINISHED) break;
      }
      if (bytes) *bytes += source->bytes_read();
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  static inline int port_ = 0;
  static inline pid_t pid_ = -1;
  static inline bool ready_ = false;
  static inline std::string endpoint_;
};

}  // namespace

TEST_F(Dynalite, RecipeTableFullContentsAndCaseInsensitiveNames) {
  auto c = connector();
  auto tables = c->list_tables("default");
  EXPECT_NE(std::find(tables.begin(), tables.end(), "orders-abc123"), tables.end());
  auto t = c->get_table("default", "ORDERS-ABC123");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "orders-abc123");
  EXPECT_EQ(t->location, "Orders-abc123");
  ASSERT_EQ(t->columns.size(), 5u);
  EXPECT_EQ(t->columns[0].name, "order_id");
  EXPECT_EQ(t->columns[1].name, "carrier");
  ScanRequest r;
  r.columns = {0, 4, 3, 1, 2};  // order_id, tracking_number, status, carrier, ship_date
  uint64_t bytes = 0;
  auto rows = read_all(*c, *t, r, nullptr, &bytes);
  std::vector<std::string> expected = {"1001|TRK123456789|shipped|FedEx|2024-01-16",
                                       "1002|TRK987654321|processing|UPS|2024-01-17",
                                       "1003|TRK456789123|delivered|USPS|2024-01-18"};
  EXPECT_EQ(rows, expected);
  EXPECT_GT(bytes, 100u);
  EXPECT_FALSE(c->get_table("default", "ordrs"));
  EXPECT_FALSE(c->get_table("other", "orders-abc123"));
}

TEST_F(Dynalite, AccessPathsGiveTheSameRowsAsAScan) {
  auto c = connector();
  auto t = c->get_table("default", "orders-abc123");
  ASSERT_TRUE(t);
  int order_id = t->column_index("order_id"), status = t->column_index("status");
  ScanRequest get;
  get.columns = {order_id, status};
  get.constraint.columns[order_id] = values({Value::string("1002")});
  auto pushdown = c->apply_pushdown(*t, get);
  EXPECT_TRUE(pushdown.constraint_enforced);
  EXPECT_EQ(pushdown.details[0].rfind("dynamodb GetItem on Orders-abc123 key order_id = '1002'", 0), 0u);
  EXPECT_EQ(read_all(*c, *t, get), std::vector<std::string>{"1002|processing"});

  ScanRequest batch = get;
  batch.constraint.columns[order_id] =
      values({Value::string("1001"), Value::string("1003"), Value::string("9999")});
  EXPECT_NE(c->apply_pushdown(*t, batch).details[0].find("BatchGetItem"), std::string::npos);
  EXPECT_EQ(read_all(*c, *t, batch), (std::vector<std::string>{"1001|shipped", "1003|delivered"}));
  // A residual domain on a BatchGetItem is checked on the read items.
  batch.constraint.columns[status] = values({Value::string("delivered")});
  EXPECT_EQ(read_all(*c, *t, batch), (std::vector<std::string>{"1003|delivered"}));

  ScanRequest scan;
  scan.columns = {order_id};
  scan.constraint.columns[status] = range(Value::string("e"), Value::string("r"));  // processing, ... not delivered
  auto details = c->apply_pushdown(*t, scan).details;
  EXPECT_NE(details[0].find("dynamodb Scan on Orders-abc123"), std::string::npos);
  EXPECT_NE(details[0].find("filter: #n0 BETWEEN :v0 AND :v1"), std::string::npos) << details[0];
  EXPECT_EQ(read_all(*c, *t, scan), (std::vector<std::string>{"1002"}));
  // IS NULL on a reserved-word attribute: none are missing.
  scan.constraint.columns[status] = Domain::only_null();
  EXPECT_TRUE(read_all(*c, *t, scan).empty());
  // count(*) via Select=COUNT.
  ScanRequest count;
  EXPECT_EQ(read_all(*c, *t, count).size(), 3u);
  // LIMIT stops early.
  ScanRequest limited;
  limited.columns = {order_id};
  limited.limit = 2;
  EXPECT_TRUE(c->apply_pushdown(*t, limited).limit_enforced);
  EXPECT_EQ(read_all(*c, *t, limited).size(), 2u);
  const DynamodbStatistics* stats = dynamodb_statistics(*c);
  ASSERT_NE(stats, nullptr);
  EXPECT_GT(stats->requests.load(), 5u);
}

TEST_F(Dynalite, PaginationOverMoreThanOneMegabyteAndParallelScan) {
  auto c = connector({{"dynamodb.scan-segments", "4"}});
  auto t = c->get_table("default", "big");
  ASSERT_TRUE(t);
  int id = t->column_index("id");
  EXPECT_EQ(t->columns[id].type, Type::bigint());
  ScanRequest r;
  r.columns = {id, t->column_index("pad")};
  size_t splits = 0;
  uint64_t bytes = 0;
  auto rows = read_all(*c, *t, r, &splits, &bytes);
  EXPECT_EQ(splits, 4u);
  ASSERT_EQ(rows.size(), 3000u);
  std::set<std::string> unique(rows.begin(), rows.end());
  EXPECT_EQ(unique.size(), 3000u);
  EXPECT_GT(bytes, 3000u * 480);
  // One segment: LastEvaluatedKey paging across > 1 MB.
  auto single = connector({{"dynamodb.scan-segments", "1"}});
  auto t1 = single->get_table("default", "Big");
  uint64_t before = dynamodb_statistics(*single)->requests.load();
  EXPECT_EQ(read_all(*single, *t1, r).size(), 3000u);
  EXPECT_GE(dynamodb_statistics(*single)->requests.load() - before, 2u);  // at least two 1 MB pages
  r.columns = {id};
  // Filter on a boolean.
  ScanRequest even = r;
  even.constraint.columns[t->column_index("even")] = values({Value::boolean(true)});
  EXPECT_EQ(read_all(*c, *t, even).size(), 1500u);
  // A dynamic-filter-like IN list of 250 numeric keys -> BatchGetItem in 3 splits.
  ScanRequest keys = r;
  Domain d;
  for (int i = 0; i < 250; i++) d.ranges.push_back(Range::equal(Value::integer(i * 7)));
  keys.constraint.columns[id] = d;
  EXPECT_NE(c->apply_pushdown(*t, keys).details[0].find("BatchGetItem on Big (250 keys"), std::string::npos);
  size_t key_splits = 0;
  auto found = read_all(*c, *t, keys, &key_splits);
  EXPECT_EQ(key_splits, 3u);
  EXPECT_EQ(found.size(), 250u);  // 0..1743, all < 3000
}

TEST_F(Dynalite, EndpointDownIsASourceErrorNamingCatalogAndEndpoint) {
  ConnectorProperties p = {{"connector.name", "dynamodb"},
                           {"dynamodb.endpoint", "http://127.0.0.1:" + std::to_string(free_port())},
                           {"dynamodb.access-key", "a"},
                           {"dynamodb.secret-key", "b"},
                           {"dynamodb.max-retries", "0"}};
  auto c = make_dynamodb_connector("ddb", p);
  try {
    c->list_tables("default");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::SOURCE_ERROR);
    EXPECT_NE(e.message().find("ddb"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find(p["dynamodb.endpoint"].substr(7)), std::string::npos) << e.message();
  }
}
