// The metastore: every entity's create/get/list/update/delete with their errors, the query
// history lifecycle, pagination tokens, persistence across reopen, concurrency and migration
// of files written by an earlier schema version.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "common/error.h"
#include "service/metastore.h"
#include "service/secure_random.h"

namespace tributary::service {
namespace {

namespace fs = std::filesystem;

class MetastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("metastore_test_" + random_uuid());
    fs::create_directories(dir_);
    path_ = (dir_ / "metastore.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string path_;
};

// Runs `body`, expecting Error with `code` whose message contains `text`.
template <typename Body>
void expect_error(Body body, ErrorCode code, const std::string& text) {
  try {
    body();
    ADD_FAILURE() << "expected " << error_code_name(code) << " containing '" << text << "'";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code) << error.full();
    EXPECT_NE(error.message().find(text), std::string::npos) << error.message();
  }
}

QueryRecord make_query(const std::string& sql, const std::string& workgroup = "primary", int64_t submitted_at = 0) {
  QueryRecord record;
  record.query_string = sql;
  record.workgroup = workgroup;
  record.submitted_at = submitted_at;
  return record;
}

TEST_F(MetastoreTest, OpensWithWalPrimaryWorkgroupAndPrivateMode) {
  Metastore metastore(path_);
  EXPECT_EQ(metastore.schema_version(), Metastore::kSchemaVersion);
  WorkGroup primary = metastore.get_workgroup("primary");
  EXPECT_EQ(primary.state, WorkGroupState::ENABLED);
  EXPECT_EQ(primary.configuration_json, "{}");

  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(MetastoreTest, MissingDirectoryIsAClearError) {
  expect_error([&] { Metastore metastore((dir_ / "no" / "such" / "dir.db").string()); }, ErrorCode::INTERNAL_ERROR,
               "cannot open metastore");
}

TEST_F(MetastoreTest, ConnectorFunctions) {
  Metastore metastore(path_);
  ConnectorFunction mysql{"athena-mysql-connector", "mysql", {{"default", "mysql://jdbc:mysql://h/db"}}, 0};
  ConnectorFunction created = metastore.create_function(mysql);
  EXPECT_GT(created.created_at, 0);
  expect_error([&] { metastore.create_function(mysql); }, ErrorCode::ALREADY_EXISTS, "'athena-mysql-connector'");
  expect_error([&] { metastore.create_function({"ATHENA-MYSQL-CONNECTOR", "mysql", {}, 0}); },
               ErrorCode::ALREADY_EXISTS, "already exists");
  expect_error([&] { metastore.create_function({"", "mysql", {}, 0}); }, ErrorCode::INVALID_ARGUMENT, "name");
  expect_error([&] { metastore.create_function({"f", "", {}, 0}); }, ErrorCode::INVALID_ARGUMENT, "connector name");

  ConnectorFunction got = metastore.get_function("Athena-MySQL-Connector");
  EXPECT_EQ(got.name, "athena-mysql-connector");
  EXPECT_EQ(got.connector_name, "mysql");
  EXPECT_EQ(got.properties.at("default"), "mysql://jdbc:mysql://h/db");
  EXPECT_EQ(got.created_at, created.created_at);

  metastore.create_function({"athena-dynamodb-connector", "dynamodb", {{"spill_bucket", "s3://spill"}}, 0});
  auto page = metastore.list_functions();
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].name, "athena-dynamodb-connector");
  EXPECT_TRUE(page.next_token.empty());

  ConnectorFunction updated =
      metastore.update_function({"athena-mysql-connector", "mysql", {{"default", "x"}, {"spill", "y"}}, 0});
  EXPECT_EQ(updated.properties.size(), 2u);
  EXPECT_EQ(updated.created_at, created.created_at);
  expect_error([&] { metastore.update_function({"nope", "mysql", {}, 0}); }, ErrorCode::NOT_FOUND, "'nope'");

  metastore.delete_function("athena-mysql-connector");
  EXPECT_FALSE(metastore.find_function("athena-mysql-connector").has_value());
  expect_error([&] { metastore.get_function("athena-mysql-connector"); }, ErrorCode::NOT_FOUND,
               "connector function 'athena-mysql-connector' not found");
  expect_error([&] { metastore.delete_function("athena-mysql-connector"); }, ErrorCode::NOT_FOUND,
               "'athena-mysql-connector'");
}

TEST_F(MetastoreTest, DataCatalogs) {
  Metastore metastore(path_);
  DataCatalog catalog;
  catalog.name = "mysql_catalog";
  catalog.type = DataCatalogType::LAMBDA;
  catalog.description = "orders";
  catalog.parameters = {{"function", "arn:aws:lambda:us-east-1:123456789012:function:athena-mysql-connector"}};
  DataCatalog created = metastore.create_data_catalog(catalog);
  EXPECT_EQ(created.status, "CREATE_COMPLETE");
  expect_error([&] { metastore.create_data_catalog(catalog); }, ErrorCode::ALREADY_EXISTS, "'mysql_catalog'");
  expect_error([&] { metastore.create_data_catalog(DataCatalog{}); }, ErrorCode::INVALID_ARGUMENT, "name");

  DataCatalog got = metastore.get_data_catalog("MYSQL_CATALOG");
  EXPECT_EQ(got.type, DataCatalogType::LAMBDA);
  EXPECT_EQ(got.description, "orders");
  EXPECT_EQ(got.parameters, catalog.parameters);

  catalog.type = DataCatalogType::FEDERATED;
  catalog.description = "changed";
  catalog.parameters = {{"connector.name", "mysql"}};
  DataCatalog updated = metastore.update_data_catalog(catalog);
  EXPECT_EQ(updated.type, DataCatalogType::FEDERATED);
  EXPECT_EQ(updated.description, "changed");
  EXPECT_EQ(updated.created_at, created.created_at);
  DataCatalog missing;
  missing.name = "ghost";
  expect_error([&] { metastore.update_data_catalog(missing); }, ErrorCode::NOT_FOUND, "data catalog 'ghost' not found");

  EXPECT_EQ(metastore.list_data_catalogs().items.size(), 1u);
  metastore.delete_data_catalog("mysql_catalog");
  expect_error([&] { metastore.get_data_catalog("mysql_catalog"); }, ErrorCode::NOT_FOUND, "'mysql_catalog'");
  expect_error([&] { metastore.delete_data_catalog("mysql_catalog"); }, ErrorCode::NOT_FOUND, "'mysql_catalog'");

  EXPECT_EQ(parse_data_catalog_type("GLUE"), DataCatalogType::GLUE);
  expect_error([] { parse_data_catalog_type("S3"); }, ErrorCode::INVALID_ARGUMENT, "LAMBDA, GLUE, HIVE, FEDERATED");
}

TEST_F(MetastoreTest, Workgroups) {
  Metastore metastore(path_);
  WorkGroup analytics;
  analytics.name = "analytics";
  analytics.description = "team";
  analytics.configuration_json = R"({"ResultConfiguration":{"OutputLocation":"s3://results/"}})";
  metastore.create_workgroup(analytics);
  expect_error([&] { metastore.create_workgroup(analytics); }, ErrorCode::ALREADY_EXISTS, "'analytics'");
  WorkGroup bad_name;
  bad_name.name = "has space";
  expect_error([&] { metastore.create_workgroup(bad_name); }, ErrorCode::INVALID_ARGUMENT, "'has space'");
  WorkGroup bad_config;
  bad_config.name = "bad";
  bad_config.configuration_json = "[1]";
  expect_error([&] { metastore.create_workgroup(bad_config); }, ErrorCode::INVALID_ARGUMENT, "JSON object");
  // Workgroup names are exact.
  expect_error([&] { metastore.get_workgroup("Analytics"); }, ErrorCode::NOT_FOUND, "workgroup 'Analytics' not found");

  WorkGroupUpdate update;
  update.state = WorkGroupState::DISABLED;
  WorkGroup updated = metastore.update_workgroup("analytics", update);
  EXPECT_EQ(updated.state, WorkGroupState::DISABLED);
  EXPECT_EQ(updated.description, "team");
  EXPECT_EQ(updated.configuration_json, analytics.configuration_json);
  update = WorkGroupUpdate{};
  update.configuration_json = R"({"BytesScannedCutoffPerQuery":10000000})";
  update.description = "new";
  updated = metastore.update_workgroup("analytics", update);
  EXPECT_EQ(metastore.get_workgroup("analytics").configuration_json, *update.configuration_json);
  EXPECT_EQ(metastore.get_workgroup("analytics").state, WorkGroupState::DISABLED);
  expect_error([&] { metastore.update_workgroup("ghost", update); }, ErrorCode::NOT_FOUND, "'ghost'");
  update.configuration_json = "not json";
  expect_error([&] { metastore.update_workgroup("analytics", update); }, ErrorCode::INVALID_ARGUMENT, "JSON object");

  auto page = metastore.list_workgroups();
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].name, "analytics");
  EXPECT_EQ(page.items[1].name, "primary");

  expect_error([&] { metastore.delete_workgroup("primary", true); }, ErrorCode::INVALID_ARGUMENT, "primary");
  expect_error([&] { metastore.delete_workgroup("ghost"); }, ErrorCode::NOT_FOUND, "'ghost'");

  // A workgroup holding named queries or history needs a recursive delete, which takes them along.
  NamedQuery named;
  named.name = "q";
  named.query_string = "SELECT 1";
  named.workgroup = "analytics";
  std::string named_id = metastore.create_named_query(named).id;
  std::string query_id = metastore.insert_query(make_query("SELECT 1", "analytics")).id;
  expect_error([&] { metastore.delete_workgroup("analytics"); }, ErrorCode::INVALID_ARGUMENT, "recursively");
  metastore.delete_workgroup("analytics", /*recursive=*/true);
  EXPECT_FALSE(metastore.find_workgroup("analytics").has_value());
  EXPECT_FALSE(metastore.find_query(query_id).has_value());
  EXPECT_EQ(metastore.batch_get_named_queries({named_id}).unprocessed_ids.size(), 1u);

  WorkGroup empty;
  empty.name = "empty";
  metastore.create_workgroup(empty);
  metastore.delete_workgroup("empty");
  EXPECT_FALSE(metastore.find_workgroup("empty").has_value());
}

TEST_F(MetastoreTest, Views) {
  Metastore metastore(path_);
  View view{"awsdatacatalog", "analytics_db", "order_tracking", "SELECT 1", 0, 0};
  EXPECT_TRUE(metastore.create_view(view, false));
  expect_error([&] { metastore.create_view(view, false); }, ErrorCode::ALREADY_EXISTS,
               "awsdatacatalog.analytics_db.order_tracking");
  View created = metastore.get_view("AwsDataCatalog", "ANALYTICS_DB", "Order_Tracking");
  EXPECT_EQ(created.sql, "SELECT 1");
  EXPECT_EQ(created.created_at, created.updated_at);

  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  view.sql = "SELECT 2";
  EXPECT_FALSE(metastore.create_view(view, true));
  View replaced = metastore.get_view("awsdatacatalog", "analytics_db", "order_tracking");
  EXPECT_EQ(replaced.sql, "SELECT 2");
  EXPECT_EQ(replaced.created_at, created.created_at);
  EXPECT_GT(replaced.updated_at, created.updated_at);

  metastore.create_view({"awsdatacatalog", "analytics_db", "a_view", "SELECT 3", 0, 0}, false);
  metastore.create_view({"awsdatacatalog", "other_db", "b_view", "SELECT 4", 0, 0}, false);
  metastore.create_view({"mysql_catalog", "analytics_db", "c_view", "SELECT 5", 0, 0}, false);
  auto in_schema = metastore.list_views("awsdatacatalog", "analytics_db");
  ASSERT_EQ(in_schema.items.size(), 2u);
  EXPECT_EQ(in_schema.items[0].name, "a_view");
  EXPECT_EQ(in_schema.items[1].name, "order_tracking");
  auto in_catalog = metastore.list_views("awsdatacatalog", "");
  ASSERT_EQ(in_catalog.items.size(), 3u);
  EXPECT_EQ(in_catalog.items[2].schema, "other_db");
  auto first = metastore.list_views("awsdatacatalog", "", 2);
  ASSERT_FALSE(first.next_token.empty());
  auto second = metastore.list_views("awsdatacatalog", "", 2, first.next_token);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].name, "b_view");
  expect_error([&] { metastore.list_views("mysql_catalog", "", 2, first.next_token); }, ErrorCode::INVALID_ARGUMENT,
               "NextToken");

  expect_error([&] { metastore.create_view({"c", "s", "v", "", 0, 0}, false); }, ErrorCode::INVALID_ARGUMENT, "SQL");
  metastore.delete_view("awsdatacatalog", "analytics_db", "order_tracking");
  expect_error([&] { metastore.get_view("awsdatacatalog", "analytics_db", "order_tracking"); }, ErrorCode::NOT_FOUND,
               "'awsdatacatalog.analytics_db.order_tracking' not found");
  expect_error([&] { metastore.delete_view("awsdatacatalog", "analytics_db", "order_tracking"); }, ErrorCode::NOT_FOUND,
               "order_tracking");
}

TEST_F(MetastoreTest, NamedQueries) {
  Metastore metastore(path_);
  NamedQuery query;
  query.name = "orders";
  query.description = "all orders";
  query.database = "analytics_db";
  query.query_string = "SELECT * FROM orders";
  NamedQuery created = metastore.create_named_query(query);
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.workgroup, "primary");
  NamedQuery got = metastore.get_named_query(created.id);
  EXPECT_EQ(got.name, "orders");
  EXPECT_EQ(got.description, "all orders");
  EXPECT_EQ(got.database, "analytics_db");
  EXPECT_EQ(got.query_string, "SELECT * FROM orders");

  std::string second = metastore.create_named_query(query).id;  // names need not be unique
  EXPECT_NE(second, created.id);
  auto batch = metastore.batch_get_named_queries({second, "missing-id", created.id});
  ASSERT_EQ(batch.found.size(), 2u);
  EXPECT_EQ(batch.found[0].id, second);
  EXPECT_EQ(batch.found[1].id, created.id);
  EXPECT_EQ(batch.unprocessed_ids, std::vector<std::string>{"missing-id"});

  auto listed = metastore.list_named_queries("primary");
  EXPECT_EQ(listed.ids.size(), 2u);
  expect_error([&] { metastore.list_named_queries("ghost"); }, ErrorCode::NOT_FOUND, "'ghost'");

  query.workgroup = "ghost";
  expect_error([&] { metastore.create_named_query(query); }, ErrorCode::NOT_FOUND, "workgroup 'ghost' not found");
  query.workgroup = "primary";
  query.query_string.clear();
  expect_error([&] { metastore.create_named_query(query); }, ErrorCode::INVALID_ARGUMENT, "query string");

  metastore.delete_named_query(created.id);
  expect_error([&] { metastore.get_named_query(created.id); }, ErrorCode::NOT_FOUND, created.id);
  expect_error([&] { metastore.delete_named_query(created.id); }, ErrorCode::NOT_FOUND, created.id);
}

TEST_F(MetastoreTest, QueryLifecycle) {
  Metastore metastore(path_);
  QueryRecord record = make_query("SELECT * FROM mysql_catalog.analytics_db.orders WHERE id = ?");
  record.statement_type = StatementType::DML;
  record.substatement_type = "SELECT";
  record.catalog = "mysql_catalog";
  record.database = "analytics_db";
  record.execution_parameters = {"1001", "'x'"};
  QueryInsertResult inserted = metastore.insert_query(record);
  EXPECT_TRUE(inserted.created);
  EXPECT_EQ(inserted.id.size(), 36u);

  QueryRecord got = metastore.get_query(inserted.id);
  EXPECT_EQ(got.state, QueryState::QUEUED);
  EXPECT_GT(got.submitted_at, 0);
  EXPECT_EQ(got.completed_at, 0);
  EXPECT_EQ(got.execution_parameters, record.execution_parameters);
  EXPECT_EQ(got.catalog, "mysql_catalog");
  EXPECT_EQ(got.substatement_type, "SELECT");
  EXPECT_TRUE(got.client_request_token.empty());

  QueryStateChange running;
  running.state = QueryState::RUNNING;
  EXPECT_TRUE(metastore.update_query_state(inserted.id, running));
  EXPECT_EQ(metastore.get_query(inserted.id).completed_at, 0);

  QueryStatistics stats{12, 4096, 20, 3, 2, 1, 6};
  metastore.update_query_statistics(inserted.id, stats);
  metastore.update_query_output_location(inserted.id, "s3://results/" + inserted.id + ".csv");
  QueryStateChange succeeded;
  succeeded.state = QueryState::SUCCEEDED;
  EXPECT_TRUE(metastore.update_query_state(inserted.id, succeeded));
  // A terminal record does not change again: a late cancel loses.
  QueryStateChange cancelled;
  cancelled.state = QueryState::CANCELLED;
  cancelled.state_change_reason = "user";
  EXPECT_FALSE(metastore.update_query_state(inserted.id, cancelled));

  got = metastore.get_query(inserted.id);
  EXPECT_EQ(got.state, QueryState::SUCCEEDED);
  EXPECT_GE(got.completed_at, got.submitted_at);
  EXPECT_EQ(got.statistics.engine_execution_time_ms, 12);
  EXPECT_EQ(got.statistics.data_scanned_bytes, 4096);
  EXPECT_EQ(got.statistics.total_execution_time_ms, 20);
  EXPECT_EQ(got.statistics.queue_time_ms, 3);
  EXPECT_EQ(got.statistics.planning_time_ms, 2);
  EXPECT_EQ(got.statistics.service_processing_time_ms, 1);
  EXPECT_EQ(got.statistics.rows, 6);
  EXPECT_EQ(got.output_location, "s3://results/" + inserted.id + ".csv");

  std::string failing = metastore.insert_query(make_query("SELEC 1")).id;
  QueryStateChange failed;
  failed.state = QueryState::FAILED;
  failed.state_change_reason = "line 1:1: mismatched input 'SELEC'";
  failed.error_category = 2;
  failed.error_type = 1000;
  failed.error_message = failed.state_change_reason;
  failed.completed_at = 42;
  EXPECT_TRUE(metastore.update_query_state(failing, failed));
  got = metastore.get_query(failing);
  EXPECT_EQ(got.state, QueryState::FAILED);
  EXPECT_EQ(got.error_category, 2);
  EXPECT_EQ(got.error_type, 1000);
  EXPECT_EQ(got.error_message, failed.state_change_reason);
  EXPECT_EQ(got.completed_at, 42);

  auto batch = metastore.batch_get_queries({failing, "nope", inserted.id});
  ASSERT_EQ(batch.found.size(), 2u);
  EXPECT_EQ(batch.found[0].id, failing);
  EXPECT_EQ(batch.unprocessed_ids, std::vector<std::string>{"nope"});

  expect_error([&] { metastore.get_query("nope"); }, ErrorCode::NOT_FOUND, "query execution 'nope' not found");
  expect_error([&] { metastore.update_query_state("nope", running); }, ErrorCode::NOT_FOUND, "'nope'");
  expect_error([&] { metastore.update_query_statistics("nope", stats); }, ErrorCode::NOT_FOUND, "'nope'");
  expect_error([&] { metastore.update_query_output_location("nope", "x"); }, ErrorCode::NOT_FOUND, "'nope'");
  expect_error([&] { metastore.insert_query(make_query("")); }, ErrorCode::INVALID_ARGUMENT, "query string");
  expect_error([&] { metastore.insert_query(make_query("SELECT 1", "ghost")); }, ErrorCode::NOT_FOUND,
               "workgroup 'ghost' not found");
  QueryRecord duplicate = make_query("SELECT 1");
  duplicate.id = inserted.id;
  expect_error([&] { metastore.insert_query(duplicate); }, ErrorCode::ALREADY_EXISTS, inserted.id);
}

TEST_F(MetastoreTest, ClientRequestTokenIsIdempotent) {
  Metastore metastore(path_);
  const std::string token = "0123456789abcdef0123456789abcdef";
  QueryRecord record = make_query("SELECT 1");
  record.client_request_token = token;
  QueryInsertResult first = metastore.insert_query(record);
  EXPECT_TRUE(first.created);
  QueryInsertResult again = metastore.insert_query(record);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(metastore.list_queries("primary").ids.size(), 1u);

  auto found = metastore.find_query_by_client_request_token(token);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first.id);
  EXPECT_EQ(found->client_request_token, token);
  EXPECT_FALSE(metastore.find_query_by_client_request_token("other-token-other-token-other-tok").has_value());
  EXPECT_FALSE(metastore.find_query_by_client_request_token("").has_value());

  record.query_string = "SELECT 2";
  expect_error([&] { metastore.insert_query(record); }, ErrorCode::INVALID_ARGUMENT, token);
  // Records without a token never collide.
  metastore.insert_query(make_query("SELECT 3"));
  metastore.insert_query(make_query("SELECT 3"));
  EXPECT_EQ(metastore.list_queries("primary").ids.size(), 3u);
}

TEST_F(MetastoreTest, RecoverInterruptedFailsQueuedAndRunning) {
  std::string queued, running, done;
  {
    Metastore metastore(path_);
    queued = metastore.insert_query(make_query("SELECT 1")).id;
    running = metastore.insert_query(make_query("SELECT 2")).id;
    done = metastore.insert_query(make_query("SELECT 3")).id;
    QueryStateChange change;
    change.state = QueryState::RUNNING;
    metastore.update_query_state(running, change);
    metastore.update_query_state(done, change);
    change.state = QueryState::SUCCEEDED;
    metastore.update_query_state(done, change);
  }
  Metastore reopened(path_);
  EXPECT_EQ(reopened.recover_interrupted("the server stopped while the query was running"), 2);
  for (const auto& id : {queued, running}) {
    QueryRecord record = reopened.get_query(id);
    EXPECT_EQ(record.state, QueryState::FAILED);
    EXPECT_EQ(record.state_change_reason, "the server stopped while the query was running");
    EXPECT_EQ(record.error_message, record.state_change_reason);
    EXPECT_EQ(record.error_category, 1);
    EXPECT_GT(record.completed_at, 0);
  }
  EXPECT_EQ(reopened.get_query(done).state, QueryState::SUCCEEDED);
  EXPECT_EQ(reopened.recover_interrupted("again"), 0);
}

TEST_F(MetastoreTest, PersistsAcrossReopen) {
  std::string named_id, query_id;
  {
    Metastore metastore(path_);
    metastore.create_function({"fn", "mysql", {{"default", "mysql://x"}}, 0});
    DataCatalog catalog;
    catalog.name = "cat";
    catalog.parameters = {{"function", "fn"}};
    metastore.create_data_catalog(catalog);
    WorkGroup workgroup;
    workgroup.name = "wg";
    workgroup.configuration_json = R"({"EnforceWorkGroupConfiguration":true})";
    metastore.create_workgroup(workgroup);
    metastore.create_view({"cat", "db", "v", "SELECT 1", 0, 0}, false);
    NamedQuery named;
    named.name = "n";
    named.query_string = "SELECT 1";
    named_id = metastore.create_named_query(named).id;
    query_id = metastore.insert_query(make_query("SELECT 1", "wg")).id;
    metastore.add_user("alice");
  }
  Metastore metastore(path_);
  EXPECT_EQ(metastore.get_function("fn").properties.at("default"), "mysql://x");
  EXPECT_EQ(metastore.get_data_catalog("cat").parameters.at("function"), "fn");
  EXPECT_EQ(metastore.get_workgroup("wg").configuration_json, R"({"EnforceWorkGroupConfiguration":true})");
  EXPECT_EQ(metastore.get_view("cat", "db", "v").sql, "SELECT 1");
  EXPECT_EQ(metastore.get_named_query(named_id).name, "n");
  EXPECT_EQ(metastore.get_query(query_id).workgroup, "wg");
  ASSERT_EQ(metastore.list_users().items.size(), 1u);
  EXPECT_EQ(metastore.list_workgroups().items.size(), 2u);  // primary is not duplicated
}

TEST_F(MetastoreTest, Users) {
  Metastore metastore(path_);
  User alice = metastore.add_user("alice");
  EXPECT_EQ(alice.access_key_id.size(), 20u);
  EXPECT_EQ(alice.access_key_id.substr(0, 3), "TRB");
  for (char c : alice.access_key_id) EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)));
  EXPECT_EQ(alice.secret_access_key.size(), 40u);
  User bob = metastore.add_user("bob");
  EXPECT_NE(alice.access_key_id, bob.access_key_id);
  EXPECT_NE(alice.secret_access_key, bob.secret_access_key);
  expect_error([&] { metastore.add_user("alice"); }, ErrorCode::ALREADY_EXISTS, "user 'alice' already exists");
  expect_error([&] { metastore.add_user(""); }, ErrorCode::INVALID_ARGUMENT, "user name");

  auto found = metastore.find_user_by_access_key(alice.access_key_id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "alice");
  EXPECT_EQ(found->secret_access_key, alice.secret_access_key);
  EXPECT_FALSE(metastore.find_user_by_access_key("TRBNOTAKEY0000000000").has_value());

  auto users = metastore.list_users();
  ASSERT_EQ(users.items.size(), 2u);
  EXPECT_EQ(users.items[0].name, "alice");
  metastore.delete_user("alice");
  EXPECT_FALSE(metastore.find_user_by_access_key(alice.access_key_id).has_value());
  expect_error([&] { metastore.delete_user("alice"); }, ErrorCode::NOT_FOUND, "user 'alice' not found");
}

TEST_F(MetastoreTest, QueryPaginationWalksNewestFirst) {
  Metastore metastore(path_);
  std::vector<std::string> ids;
  // Pairs share a submission time so the id tie-break is exercised.
  for (int i = 0; i < 25; ++i) ids.push_back(metastore.insert_query(make_query("SELECT " + std::to_string(i), "primary", 1000 + i / 2)).id);
  std::vector<std::string> walked;
  std::string token;
  int pages = 0;
  do {
    IdPage page = metastore.list_queries("primary", 10, token);
    ++pages;
    EXPECT_LE(page.ids.size(), 10u);
    walked.insert(walked.end(), page.ids.begin(), page.ids.end());
    token = page.next_token;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(walked.size(), 25u);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), 25u);
  for (size_t i = 1; i < walked.size(); ++i) {
    QueryRecord previous = metastore.get_query(walked[i - 1]);
    QueryRecord current = metastore.get_query(walked[i]);
    EXPECT_TRUE(previous.submitted_at > current.submitted_at ||
                (previous.submitted_at == current.submitted_at && previous.id > current.id));
  }
  // The same walk again gives the same order.
  IdPage again = metastore.list_queries("primary", 10);
  EXPECT_EQ(std::vector<std::string>(walked.begin(), walked.begin() + 10), again.ids);
  // Exactly one full page leaves no token.
  EXPECT_TRUE(metastore.list_queries("primary", 25).next_token.empty());
  EXPECT_EQ(metastore.list_queries("primary").ids.size(), 25u);  // default 50

  expect_error([&] { metastore.list_queries("primary", 10, "garbage!"); }, ErrorCode::INVALID_ARGUMENT, "NextToken");
  expect_error([&] { metastore.list_queries("primary", 10, "Zm9v"); }, ErrorCode::INVALID_ARGUMENT, "NextToken");
  expect_error([&] { metastore.list_queries("primary", -1); }, ErrorCode::INVALID_ARGUMENT, "MaxResults");
  WorkGroup other;
  other.name = "other";
  metastore.create_workgroup(other);
  expect_error([&] { metastore.list_queries("other", 10, again.next_token); }, ErrorCode::INVALID_ARGUMENT,
               "NextToken");
  expect_error([&] { metastore.list_workgroups(10, again.next_token); }, ErrorCode::INVALID_ARGUMENT, "NextToken");
  EXPECT_TRUE(metastore.list_queries("other").ids.empty());
}

TEST_F(MetastoreTest, EntityPaginationIsStable) {
  Metastore metastore(path_);
  for (int i = 0; i < 25; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "fn%02d", 24 - i);  // inserted out of order
    metastore.create_function({name, "sqlite", {}, 0});
    DataCatalog catalog;
    catalog.name = name;
    metastore.create_data_catalog(catalog);
    NamedQuery named;
    named.name = name;
    named.query_string = "SELECT 1";
    metastore.create_named_query(named);
  }
  std::vector<std::string> names;
  std::string token;
  do {
    auto page = metastore.list_functions(10, token);
    for (const auto& function : page.items) names.push_back(function.name);
    token = page.next_token;
  } while (!token.empty());
  ASSERT_EQ(names.size(), 25u);
  for (int i = 0; i < 25; ++i) {
    char expected[16];
    std::snprintf(expected, sizeof expected, "fn%02d", i);
    EXPECT_EQ(names[static_cast<size_t>(i)], expected);
  }

  auto catalogs = metastore.list_data_catalogs(10);
  auto catalogs2 = metastore.list_data_catalogs(10, catalogs.next_token);
  auto catalogs3 = metastore.list_data_catalogs(10, catalogs2.next_token);
  EXPECT_EQ(catalogs3.items.size(), 5u);
  EXPECT_TRUE(catalogs3.next_token.empty());
  EXPECT_EQ(catalogs2.items.front().name, "fn10");
  // A token of one listing is refused by another.
  expect_error([&] { metastore.list_functions(10, catalogs.next_token); }, ErrorCode::INVALID_ARGUMENT, "NextToken");

  std::set<std::string> named_ids;
  token.clear();
  int pages = 0;
  do {
    IdPage page = metastore.list_named_queries("primary", 10, token);
    named_ids.insert(page.ids.begin(), page.ids.end());
    token = page.next_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(named_ids.size(), 25u);
}

TEST_F(MetastoreTest, ConcurrentInsertsFromFourThreads) {
  Metastore metastore(path_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          QueryRecord record = make_query("SELECT " + std::to_string(t * 1000 + i));
          std::string id = metastore.insert_query(record).id;
          QueryStateChange change;
          change.state = QueryState::SUCCEEDED;
          if (!metastore.update_query_state(id, change)) failures++;
          if (i % 10 == 0) metastore.create_function({"fn-" + std::to_string(t) + "-" + std::to_string(i), "x", {}, 0});
        } catch (const std::exception&) {
          failures++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(metastore.list_queries("primary", 1000).ids.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(metastore.list_functions(1000).items.size(), static_cast<size_t>(kThreads * kPerThread / 10));
}

TEST_F(MetastoreTest, TwoInstancesOnOneFile) {
  Metastore first(path_);
  Metastore second(path_);
  first.add_user("alice");
  EXPECT_EQ(second.list_users().items.size(), 1u);
  expect_error([&] { second.add_user("alice"); }, ErrorCode::ALREADY_EXISTS, "'alice'");
}

TEST_F(MetastoreTest, MigratesAFileFromAnEarlierSchema) {
  // An "earlier binary": version 0 recorded, and only the functions table, holding a row.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    const char* sql =
        "CREATE TABLE schema_version (version INTEGER NOT NULL);"
        "INSERT INTO schema_version VALUES (0);"
        "CREATE TABLE connector_functions (name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, connector_name TEXT NOT "
        "NULL, properties TEXT NOT NULL, created_at INTEGER NOT NULL);"
        "INSERT INTO connector_functions VALUES ('old-fn', 'mysql', '{\"default\":\"mysql://old\"}', 7);";
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    ::chmod(path_.c_str(), 0644);
  }
  {
    Metastore metastore(path_);
    EXPECT_EQ(metastore.schema_version(), Metastore::kSchemaVersion);
    ConnectorFunction old = metastore.get_function("old-fn");
    EXPECT_EQ(old.properties.at("default"), "mysql://old");
    EXPECT_EQ(old.created_at, 7);
    EXPECT_TRUE(metastore.find_workgroup("primary").has_value());
    metastore.insert_query(make_query("SELECT 1"));
    metastore.add_user("alice");
  }
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Opening again is a no-op migration.
  Metastore again(path_);
  EXPECT_EQ(again.schema_version(), Metastore::kSchemaVersion);
  EXPECT_EQ(again.list_queries("primary").ids.size(), 1u);
}

TEST_F(MetastoreTest, RefusesAFileFromANewerSchema) {
  { Metastore metastore(path_); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  expect_error([&] { Metastore metastore(path_); }, ErrorCode::NOT_SUPPORTED, "schema version 999");
}

TEST(SecureRandom, UuidAndStrings) {
  std::string uuid = random_uuid();
  ASSERT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '4');
  EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos);
  EXPECT_NE(random_uuid(), uuid);
  std::string text = random_string("ab", 1000);
  EXPECT_EQ(text.size(), 1000u);
  EXPECT_EQ(text.find_first_not_of("ab"), std::string::npos);
  size_t a_count = static_cast<size_t>(std::count(text.begin(), text.end(), 'a'));
  EXPECT_GT(a_count, 400u);
  EXPECT_LT(a_count, 600u);
}


TEST_F(MetastoreTest, DatabasesTablesPartitions) {
  Metastore metastore(path_);
  Database sales{"awsdatacatalog", "sales", "orders lake", "s3://lake/sales/", {{"owner", "data"}}, 0};
  EXPECT_TRUE(metastore.create_database(sales, false));
  EXPECT_FALSE(metastore.create_database(sales, true));
  expect_error([&] { metastore.create_database(sales, false); }, ErrorCode::ALREADY_EXISTS, "'sales'");
  ASSERT_EQ(metastore.list_databases("AwsDataCatalog").size(), 1u);
  EXPECT_EQ(metastore.find_database("awsdatacatalog", "SALES")->properties.at("owner"), "data");

  ExternalTable orders;
  orders.catalog = "awsdatacatalog";
  orders.database = "sales";
  orders.name = "orders";
  orders.columns = {{"id", "bigint", "the key"}, {"amount", "decimal(10,2)", ""}};
  orders.partition_keys = {{"dt", "string", ""}, {"region", "string", ""}};
  orders.location = "s3://lake/sales/orders/";
  orders.format = "PARQUET";
  orders.properties = {{"parquet.compression", "SNAPPY"}};
  EXPECT_TRUE(metastore.create_table(orders, false));
  EXPECT_FALSE(metastore.create_table(orders, true));
  expect_error([&] { metastore.create_table(orders, false); }, ErrorCode::ALREADY_EXISTS, "sales.orders");
  ExternalTable ghost = orders;
  ghost.database = "nowhere";
  expect_error([&] { metastore.create_table(ghost, false); }, ErrorCode::NOT_FOUND, "'nowhere'");

  auto stored = metastore.find_table("AwsDataCatalog", "Sales", "ORDERS");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->columns[0].comment, "the key");
  EXPECT_EQ(stored->partition_keys[1].name, "region");
  EXPECT_EQ(stored->format, "PARQUET");
  EXPECT_EQ(stored->properties.at("parquet.compression"), "SNAPPY");

  EXPECT_EQ(metastore.add_partitions("awsdatacatalog", "sales", "orders",
                                     {{{"2024-01-01", "east"}, "s3://lake/sales/orders/dt=2024-01-01/region=east/", 0},
                                      {{"2024-01-01", "west"}, "s3://lake/sales/orders/dt=2024-01-01/region=west/", 0}},
                                     false),
            2);
  EXPECT_EQ(metastore.add_partitions("awsdatacatalog", "sales", "orders", {{{"2024-01-01", "east"}, "x", 0}}, true), 0);
  expect_error([&] { metastore.add_partitions("awsdatacatalog", "sales", "orders", {{{"2024-01-01", "east"}, "x", 0}}, false); },
               ErrorCode::ALREADY_EXISTS, "already exists");
  expect_error([&] { metastore.add_partitions("awsdatacatalog", "sales", "orders", {{{"2024-01-01"}, "x", 0}}, false); },
               ErrorCode::INVALID_ARGUMENT, "2 partition keys");
  auto partitions = metastore.list_partitions("awsdatacatalog", "sales", "orders");
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[1].values[1], "west");
  EXPECT_EQ(metastore.drop_partitions("awsdatacatalog", "sales", "orders", {{"2024-01-01", "west"}}, false), 1);
  expect_error([&] { metastore.drop_partitions("awsdatacatalog", "sales", "orders", {{"2024-01-01", "west"}}, false); },
               ErrorCode::NOT_FOUND, "does not exist");

  expect_error([&] { metastore.drop_database("awsdatacatalog", "sales", false, false); }, ErrorCode::INVALID_ARGUMENT,
               "CASCADE");
  EXPECT_TRUE(metastore.drop_table("awsdatacatalog", "sales", "orders", false));
  EXPECT_TRUE(metastore.list_partitions("awsdatacatalog", "sales", "orders").empty());  // went with the table
  EXPECT_FALSE(metastore.drop_table("awsdatacatalog", "sales", "orders", true));
  EXPECT_TRUE(metastore.create_table(orders, false));
  EXPECT_TRUE(metastore.drop_database("awsdatacatalog", "sales", false, true));
  EXPECT_FALSE(metastore.find_table("awsdatacatalog", "sales", "orders").has_value());
  EXPECT_FALSE(metastore.drop_database("awsdatacatalog", "sales", true, false));
}

}  // namespace
}  // namespace tributary::service
