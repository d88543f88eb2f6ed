// Tests of the connector SPI helpers (connector.cpp), the files connector
// (CSV/TSV/JSON lines/DynamoDB JSON, compression, byte-range splits) and the
// sqlite connector (type mapping, pushdown SQL, quoting).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "common/datetime.h"
#include "common/error.h"
#include "connector/builtin_connectors.h"
#include "connector/connector.h"
#include "connectors/files/files_connector.h"
#include "connectors/sqlite/sqlite_connector.h"

using namespace tributary;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tributary_conn_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

void write_gzip(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, content.data(), (unsigned)content.size());
  gzclose(f);
}

void write_zstd(const std::string& path, const std::string& content) {
  std::string out(ZSTD_compressBound(content.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), content.data(), content.size(), 3);
  out.resize(n);
  write_file(path, out);
}

using Rows = std::vector<std::vector<std::string>>;

// Reads the whole table through plan_splits/open/next; values in Trino's text form.
Rows read_table(Connector& c, const TableMetadata& t, ScanRequest request, int parallelism = 1,
                size_t* split_count = nullptr, uint64_t* bytes = nullptr) {
  if (request.columns.empty())
    for (size_t i = 0; i < t.columns.size(); i++) request.columns.push_back((int)i);
  std::vector<Type> types;
  for (int i : request.columns) types.push_back(t.columns[i].type);
  Rows rows;
  auto splits = c.plan_splits(t, request, parallelism);
  if (split_count) *split_count = splits.size();
  for (auto& split : splits) {
    auto source = c.open(t, *split, request);
    Chunk chunk(types);
    while (true) {
      PageStatus status = source->next(chunk);
      for (size_t r = 0; r < chunk.size; r++) {
        std::vector<std::string> row;
        for (size_t k = 0; k < chunk.columns.size(); k++) row.push_back(chunk.columns[k].get_value(r).to_string());
        rows.push_back(row);
      }
      if (status == PageStatus::FINISHED) break;
    }
    if (bytes) *bytes += source->bytes_read();
  }
  return rows;
}

std::string schema_of(const TableMetadata& t) {
  std::string s;
  for (const auto& c : t.columns) s += (s.empty() ? "" : ", ") + c.name + " " + c.type.to_string();
  return s;
}

std::string error_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message();
  }
  return "(no error)";
}

std::shared_ptr<Connector> files_catalog(const std::string& location, ConnectorProperties extra = {}) {
  extra["connector.name"] = "files";
  extra["location"] = location;
  return create_connector("lake", extra);
}

struct Registered {
  Registered() { register_builtin_connectors(); }
} registered;

}  // namespace

// ---------------------------------------------------------------- connector.cpp

TEST(ConnectorSpi, ColumnIndexIsCaseInsensitive) {
  TableMetadata t;
  t.columns = {{"order_id", Type::bigint()}, {"Price", Type::decimal(10, 2)}};
  EXPECT_EQ(t.column_index("ORDER_ID"), 0);
  EXPECT_EQ(t.column_index("price"), 1);
  EXPECT_EQ(t.column_index("missing"), -1);
}

TEST(ConnectorSpi, DomainContainsAndToString) {
  Range r;
  r.low = Value::integer(10);
  r.high = Value::integer(20);
  r.low_unbounded = r.high_unbounded = false;
  r.high_inclusive = false;
  Domain d;
  d.ranges = {r};
  EXPECT_TRUE(d.contains(Value::integer(10)));
  EXPECT_FALSE(d.contains(Value::integer(20)));
  EXPECT_FALSE(d.contains(Value::null()));
  EXPECT_EQ(d.to_string("price"), "price >= 10 AND price < 20");

  Domain in;
  in.ranges = {Range::equal(Value::string("b")), Range::equal(Value::string("a"))};
  EXPECT_EQ(in.to_string("status"), "status IN ('a','b')");
  EXPECT_TRUE(in.contains(Value::string("a")));
  EXPECT_FALSE(in.contains(Value::string("c")));

  EXPECT_EQ(Domain::only_null().to_string("x"), "x IS NULL");
  EXPECT_TRUE(Domain::only_null().contains(Value::null()));
  EXPECT_EQ(Domain::all_values(false).to_string("x"), "x IS NOT NULL");
  Domain none;
  EXPECT_TRUE(none.is_none());
  EXPECT_EQ(none.to_string("x"), "false");
}

TEST(ConnectorSpi, RegistrySuggestsConnectorNames) {
  std::string msg = error_message([] { create_connector("x", {{"connector.name", "sqllite"}}); });
  EXPECT_EQ(msg, "Unknown connector 'sqllite' for catalog 'x'. Did you mean 'sqlite'?");
  msg = error_message([] { create_connector("x", {}); });
  EXPECT_NE(msg.find("'x'"), std::string::npos);
  EXPECT_NE(msg.find("connector.name"), std::string::npos);
  auto names = connector_names();
  EXPECT_TRUE(std::find(names.begin(), names.end(), "files") != names.end());
  EXPECT_EQ(get_property({{"a", "1"}}, "b", "dflt"), "dflt");
}

// ---------------------------------------------------------------- files: CSV

TEST(FilesConnector, CsvQuotingNullsAndInference) {
  TempDir dir;
  write_file(dir / "sales/orders.csv",
             "Order_ID,customer,amount,order_date,shipped,note,created\r\n"
             "1,\"Smith, John\",10.5,2024-01-15,true,\"said \"\"hi\"\"\",2024-01-15 10:20:30\r\n"
             "2,Alice,,2024-02-01,false,\"line one\nline two\",2024-02-01 00:00:00.250\r\n"
             "3,,7,2024-03-31,true,,\r\n");
  auto c = files_catalog(dir.path());
  EXPECT_EQ(c->type(), "files");
  EXPECT_EQ(c->list_schemas(), std::vector<std::string>{"sales"});
  EXPECT_EQ(c->list_tables("sales"), std::vector<std::string>{"orders"});
  auto t = c->get_table("SALES", "Orders");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(schema_of(*t),
            "order_id bigint, customer varchar, amount double, order_date date, shipped boolean, note varchar, "
            "created timestamp(3)");
  Rows rows = read_table(*c, *t, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "Smith, John", "10.5", "2024-01-15", "true", "said \"hi\"",
                                               "2024-01-15 10:20:30.000"}));
  EXPECT_EQ(rows[1][2], "NULL");
  EXPECT_EQ(rows[1][5], "line one\nline two");
  EXPECT_EQ(rows[1][6], "2024-02-01 00:00:00.250");
  EXPECT_EQ(rows[2][1], "NULL");
  EXPECT_EQ(rows[2][2], "7.0");
  EXPECT_EQ(rows[2][6], "NULL");
  EXPECT_FALSE(c->get_table("sales", "nope").has_value());
  EXPECT_FALSE(c->get_table("nope", "orders").has_value());
}

TEST(FilesConnector, ProjectionLimitAndDetails) {
  TempDir dir;
  std::string csv = "a,b,c\n";
  for (int i = 0; i < 5000; i++) csv += std::to_string(i) + ",x" + std::to_string(i) + "," + std::to_string(i * 2) + "\n";
  write_file(dir / "s/t.csv", csv);
  auto c = files_catalog(dir.path());
  auto t = c->get_table("s", "t");
  ASSERT_TRUE(t);
  ScanRequest request;
  request.columns = {2, 0};
  request.limit = 10;
  PushdownResult pushdown = c->apply_pushdown(*t, request);
  EXPECT_FALSE(pushdown.constraint_enforced);
  EXPECT_FALSE(pushdown.limit_enforced);
  ASSERT_EQ(pushdown.details.size(), 1u);
  EXPECT_NE(pushdown.details[0].find("files: " + dir.path() + "/s/t.csv (csv, 1 file,"), std::string::npos);
  Rows rows = read_table(*c, *t, request);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[3], (std::vector<std::string>{"6", "3"}));
  ASSERT_TRUE(t->row_count.has_value());
  EXPECT_NEAR(*t->row_count, 5000, 1000);  // estimated from the sampled rows' average size
}

TEST(FilesConnector, TsvGzipAndExplicitSchema) {
  TempDir dir;
  write_file(dir / "s/people.tsv", "name\tage\tcity\nAnn\t31\t\"Paris\"\nBob\t\t Rome\n");
  write_gzip(dir / "s/prices.csv.gz", "sku,price\nA1,10.25\nB2,0.10\nC3,abc\n");
  write_file(dir / "s/prices.schema", "# explicit\nsku varchar(10)\nprice decimal(10,2)\n");
  auto c = files_catalog(dir.path());
  EXPECT_EQ(c->list_tables("s"), (std::vector<std::string>{"people", "prices"}));
  auto people = c->get_table("s", "people");
  ASSERT_TRUE(people);
  EXPECT_EQ(schema_of(*people), "name varchar, age bigint, city varchar");
  Rows rows = read_table(*c, *people, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][2], "\"Paris\"");  // TSV has no quoting
  EXPECT_EQ(rows[1][1], "NULL");
  EXPECT_EQ(rows[1][2], " Rome");

  auto prices = c->get_table("s", "prices");
  ASSERT_TRUE(prices);
  EXPECT_EQ(schema_of(*prices), "sku varchar(10), price decimal(10,2)");
  uint64_t rejected_before = files_rejected_values(*c);
  uint64_t bytes = 0;
  rows = read_table(*c, *prices, {}, 1, nullptr, &bytes);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "10.25");
  EXPECT_EQ(rows[1][1], "0.10");
  EXPECT_EQ(rows[2][1], "NULL");  // 'abc' is not a decimal: NULL and counted
  EXPECT_EQ(files_rejected_values(*c), rejected_before + 1);
  EXPECT_EQ(bytes, fs::file_size(dir / "s/prices.csv.gz"));
}

TEST(FilesConnector, ColumnsFromCatalogProperty) {
  TempDir dir;
  write_file(dir / "s/t.csv", "1|2.5|x\n2|3.75|y\n");
  auto c = files_catalog(dir.path(), {{"csv.delimiter", "|"},
                                      {"csv.header", "false"},
                                      {"table.s.t.columns", "id integer, amount decimal(5,2), tag varchar"}});
  auto t = c->get_table("s", "t");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "id integer, amount decimal(5,2), tag varchar");
  Rows rows = read_table(*c, *t, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "3.75", "y"}));
}

TEST(FilesConnector, ByteRangeSplitsReadEveryRowOnce) {
  TempDir dir;
  std::string csv = "id,name,value\n";
  const int n = 200000;
  for (int i = 0; i < n; i++)
    csv += std::to_string(i) + ",name_" + std::to_string(i % 977) + "," + std::to_string(i * 0.5) + "\n";
  ASSERT_GT(csv.size(), 4u << 20);
  write_file(dir / "big/rows.csv", csv);
  auto c = files_catalog(dir.path());
  auto t = c->get_table("big", "rows");
  ASSERT_TRUE(t);
  ScanRequest request;
  request.columns = {0};
  size_t splits = 0;
  uint64_t bytes = 0;
  Rows rows = read_table(*c, *t, request, 4, &splits, &bytes);
  EXPECT_EQ(splits, 4u);
  ASSERT_EQ(rows.size(), (size_t)n);
  std::set<std::string> ids;
  for (auto& r : rows) ids.insert(r[0]);
  EXPECT_EQ(ids.size(), (size_t)n);
  EXPECT_TRUE(ids.count("0") && ids.count(std::to_string(n - 1)));
  EXPECT_GE(bytes, csv.size());
  EXPECT_LT(bytes, csv.size() + 4 * 70000);

  // csv.split=false: one split per file, same rows.
  auto whole = files_catalog(dir.path(), {{"csv.split", "false"}});
  rows = read_table(*whole, *whole->get_table("big", "rows"), request, 4, &splits);
  EXPECT_EQ(splits, 1u);
  EXPECT_EQ(rows.size(), (size_t)n);
}

TEST(FilesConnector, FolderOfFilesIsOneTable) {
  TempDir dir;
  write_file(dir / "s/events/part-0.csv", "id,kind\n1,a\n2,b\n");
  write_file(dir / "s/events/part-1.csv", "id,kind\n3,c\n");
  write_file(dir / "s/events/_SUCCESS", "");
  auto c = files_catalog(dir.path());
  auto t = c->get_table("s", "events");
  ASSERT_TRUE(t);
  Rows rows = read_table(*c, *t, {}, 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "c"}));
}

// ---------------------------------------------------------------- files: JSON

TEST(FilesConnector, JsonLinesWithNestedValues) {
  TempDir dir;
  write_zstd(dir / "logs/events.jsonl.zst",
             "{\"id\": 1, \"user\": {\"name\": \"ann\", \"tags\": [1,2]}, \"score\": 1.5, \"ok\": true, \"msg\": \"a\\\"b\\u00e9\"}\n"
             "\n"
             "{\"id\": 2, \"score\": 2, \"ok\": false, \"msg\": null, \"extra\": [\"x\"]}\n");
  auto c = files_catalog(dir.path());
  auto t = c->get_table("logs", "events");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "id bigint, user varchar, score double, ok boolean, msg varchar, extra varchar");
  Rows rows = read_table(*c, *t, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "{\"name\": \"ann\", \"tags\": [1,2]}", "1.5", "true",
                                               "a\"b\xc3\xa9", "NULL"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "NULL", "2.0", "false", "NULL", "[\"x\"]"}));
}

TEST(FilesConnector, DynamoDbJsonExport) {
  TempDir dir;
  write_file(dir / "ddb/tracking.json",
             "{\"Item\":{\"order_id\":{\"N\":\"1001\"},\"status\":{\"S\":\"SHIPPED\"},\"express\":{\"BOOL\":true},"
             "\"dims\":{\"M\":{\"w\":{\"N\":\"2.5\"},\"unit\":{\"S\":\"kg\"}}},\"events\":{\"L\":[{\"S\":\"a\"},{\"N\":\"3\"}]},"
             "\"weight\":{\"N\":\"2.25\"},\"blob\":{\"B\":\"aGk=\"}}}\n"
             "{\"Item\":{\"order_id\":{\"N\":\"1002\"},\"status\":{\"S\":\"PENDING\"},\"express\":{\"BOOL\":false},"
             "\"weight\":{\"N\":\"7\"},\"note\":{\"NULL\":true}}}\n");
  auto c = files_catalog(dir.path());
  auto t = c->get_table("ddb", "tracking");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t),
            "order_id bigint, status varchar, express boolean, dims varchar, events varchar, weight double, "
            "blob varbinary, note varchar");
  ScanRequest request;
  request.columns = {0, 1, 2, 3, 4, 5, 7};
  Rows rows = read_table(*c, *t, request);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1001", "SHIPPED", "true", "{\"unit\":\"kg\",\"w\":2.5}",
                                               "[\"a\",3]", "2.25", "NULL"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1002", "PENDING", "false", "NULL", "NULL", "7.0", "NULL"}));
  auto details = c->apply_pushdown(*t, request).details;
  ASSERT_EQ(details.size(), 1u);
  EXPECT_NE(details[0].find("dynamodb-json"), std::string::npos);
}

// ---------------------------------------------------------------- files: errors

TEST(FilesConnector, PropertyAndFileErrors) {
  TempDir dir;
  std::string msg = error_message([&] { create_connector("lake", {{"connector.name", "files"}}); });
  EXPECT_EQ(msg, "Catalog 'lake' is missing required property 'location'");
  msg = error_message([&] { files_catalog(dir / "missing"); });
  EXPECT_NE(msg.find("Catalog 'lake'"), std::string::npos);
  EXPECT_NE(msg.find("existing directory"), std::string::npos);
  msg = error_message([&] { files_catalog(dir.path(), {{"csv.delimiter", "ab"}}); });
  EXPECT_EQ(msg, "Catalog 'lake': property 'csv.delimiter' must be a single character, got 'ab'");
  msg = error_message([&] { files_catalog(dir.path(), {{"csv.heder", "true"}}); });
  EXPECT_NE(msg.find("unknown property 'csv.heder'. Did you mean 'csv.header'?"), std::string::npos);
  msg = error_message([&] { files_catalog(dir.path(), {{"csv.header", "maybe"}}); });
  EXPECT_NE(msg.find("must be true or false"), std::string::npos);

  write_file(dir / "s/t.csv", "a\n1\n");
  write_file(dir / "s/bad.csv", "a\n1\n");
  write_file(dir / "s/bad.schema", "a notatype\n");
  auto c = files_catalog(dir.path());
  msg = error_message([&] { c->get_table("s", "bad"); });
  EXPECT_NE(msg.find("lake.s.bad"), std::string::npos);
  EXPECT_NE(msg.find("notatype"), std::string::npos);

  auto t = c->get_table("s", "t");
  ASSERT_TRUE(t);
  ScanRequest request;
  request.columns = {0};
  auto splits = c->plan_splits(*t, request, 1);
  fs::remove(dir / "s/t.csv");
  msg = error_message([&] { c->open(*t, *splits[0], request); });
  EXPECT_NE(msg.find("lake.s.t"), std::string::npos);
  EXPECT_NE(msg.find("t.csv"), std::string::npos);
}

// ---------------------------------------------------------------- sqlite

namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " in " << sql;
}

std::string make_sample_db(const TempDir& dir) {
  std::string path = dir / "shop.db";
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  exec(db,
       "CREATE TABLE Sample_Orders (order_id INTEGER PRIMARY KEY, qty INT, price DECIMAL(10,2), "
       "status VARCHAR(20), order_date DATE, weight REAL, data BLOB, flag BOOLEAN, created DATETIME, misc)");
  exec(db,
       "INSERT INTO Sample_Orders VALUES "
       "(1, 5, '19.99', 'shipped', '2024-01-15', 1.5, x'0102', 1, '2024-01-15 10:00:00', 'a'),"
       "(2, 'abc', 10.1, 'pending', '2024-02-01', 2, NULL, 0, NULL, 42),"
       "(3, NULL, '123456.78', NULL, '2024-03-10', NULL, NULL, NULL, NULL, NULL),"
       "(4, 7, 5, 'shipped', 'not a date', 3.25, NULL, 'true', NULL, 1.5)");
  exec(db, "CREATE TABLE \"we\"\"ird\" (\"col\"\"q\" TEXT, n BIGINT)");
  exec(db, "INSERT INTO \"we\"\"ird\" VALUES ('x', 1), ('y', 2)");
  sqlite3_close(db);
  return path;
}

int64_t datetime_days(const char* text) {
  int64_t days = 0;
  datetime::parse_date(text, &days);
  return days;
}

std::shared_ptr<Connector> sqlite_catalog(const std::string& path) {
  return create_connector("shop", {{"connector.name", "sqlite"}, {"database", path}, {"schema", "sales"}});
}

}  // namespace

TEST(SqliteConnector, QuotingAndTypeMapping) {
  EXPECT_EQ(sqlite_quote_identifier("order_id"), "\"order_id\"");
  EXPECT_EQ(sqlite_quote_identifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(sqlite_column_type("INTEGER"), Type::integer());
  EXPECT_EQ(sqlite_column_type("INTEGER", true), Type::bigint());
  EXPECT_EQ(sqlite_column_type("BIGINT"), Type::bigint());
  EXPECT_EQ(sqlite_column_type("unsigned big int"), Type::bigint());
  EXPECT_EQ(sqlite_column_type("TINYINT"), Type::tinyint());
  EXPECT_EQ(sqlite_column_type("numeric(12, 3)"), Type::decimal(12, 3));
  EXPECT_EQ(sqlite_column_type("VARCHAR(20)"), Type::varchar(20));
  EXPECT_EQ(sqlite_column_type("TEXT"), Type::varchar());
  EXPECT_EQ(sqlite_column_type("DOUBLE PRECISION"), Type::double_());
  EXPECT_EQ(sqlite_column_type("BLOB"), Type::varbinary());
  EXPECT_EQ(sqlite_column_type("DATE"), Type::date());
  EXPECT_EQ(sqlite_column_type("DATETIME"), Type::timestamp(3));
  EXPECT_EQ(sqlite_column_type("BOOLEAN"), Type::boolean());
  EXPECT_EQ(sqlite_column_type(""), Type::varchar());
}

TEST(SqliteConnector, MetadataAndContents) {
  TempDir dir;
  auto c = sqlite_catalog(make_sample_db(dir));
  EXPECT_EQ(c->type(), "sqlite");
  EXPECT_EQ(c->list_schemas(), std::vector<std::string>{"sales"});
  EXPECT_EQ(c->list_tables("sales"), (std::vector<std::string>{"sample_orders", "we\"ird"}));
  EXPECT_FALSE(c->get_table("main", "sample_orders").has_value());
  auto t = c->get_table("sales", "SAMPLE_ORDERS");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t),
            "order_id bigint, qty integer, price decimal(10,2), status varchar(20), order_date date, weight double, "
            "data varbinary, flag boolean, created timestamp(3), misc varchar");
  uint64_t bytes = 0;
  Rows rows = read_table(*c, *t, {}, 1, nullptr, &bytes);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][2], "19.99");
  EXPECT_EQ(rows[0][4], "2024-01-15");
  EXPECT_EQ(rows[0][7], "true");
  EXPECT_EQ(rows[0][8], "2024-01-15 10:00:00.000");
  EXPECT_EQ(rows[1][1], "NULL");   // text 'abc' in an INT column
  EXPECT_EQ(rows[1][2], "10.10");  // REAL 10.1 converts exactly
  EXPECT_EQ(rows[1][5], "2.0");
  EXPECT_EQ(rows[1][9], "42");
  EXPECT_EQ(rows[2][2], "123456.78");
  EXPECT_EQ(rows[2][3], "NULL");
  EXPECT_EQ(rows[3][4], "NULL");  // 'not a date'
  EXPECT_EQ(rows[3][7], "true");
  EXPECT_GT(bytes, 50u);
}

TEST(SqliteConnector, PushdownSqlAndFilteredResults) {
  TempDir dir;
  auto c = sqlite_catalog(make_sample_db(dir));
  auto t = c->get_table("sales", "sample_orders");
  ASSERT_TRUE(t);
  int date_col = t->column_index("order_date"), status_col = t->column_index("status");

  ScanRequest request;
  request.columns = {0, 2};
  Range from;
  from.low = Value::integer(datetime_days("2024-01-20"), Type::date());
  from.low_unbounded = false;
  Domain dates;
  dates.ranges = {from};
  request.constraint.columns[date_col] = dates;
  request.limit = 10;
  PushdownResult result = c->apply_pushdown(*t, request);
  EXPECT_TRUE(result.constraint_enforced);
  EXPECT_TRUE(result.limit_enforced);
  ASSERT_EQ(result.details.size(), 1u);
  EXPECT_EQ(result.details[0].rfind("SELECT \"order_id\", \"price\" FROM \"Sample_Orders\" WHERE (\"order_date\" >= ?", 0),
            0u)
      << result.details[0];
  EXPECT_NE(result.details[0].find(" LIMIT 10"), std::string::npos);
  Rows rows = read_table(*c, *t, request);
  ASSERT_EQ(rows.size(), 2u);  // 'not a date' reads as NULL and is not >= anything
  EXPECT_EQ(rows[0], (std::vector<std::string>{"2", "10.10"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"3", "123456.78"}));

  // IN list plus NULL on a text column; top-N by order_id descending.
  ScanRequest in_request;
  in_request.columns = {0};
  Domain statuses;
  statuses.ranges = {Range::equal(Value::string("shipped")), Range::equal(Value::string("gone"))};
  statuses.null_allowed = true;
  in_request.constraint.columns[status_col] = statuses;
  in_request.limit = 2;
  in_request.order = {SortItem{0, false, false}};
  result = c->apply_pushdown(*t, in_request);
  EXPECT_TRUE(result.constraint_enforced);
  EXPECT_TRUE(result.order_enforced);
  EXPECT_NE(result.details[0].find("\"status\" COLLATE BINARY IN (?, ?)"), std::string::npos) << result.details[0];
  EXPECT_NE(result.details[0].find("ORDER BY"), std::string::npos);
  rows = read_table(*c, *t, in_request);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "4");
  EXPECT_EQ(rows[1][0], "3");

  // A text value in an integer column is NULL for the engine, so `qty >= 0` must not return it.
  ScanRequest qty_request;
  qty_request.columns = {0, 1};
  Range nonneg;
  nonneg.low = Value::integer(0, Type::integer());
  nonneg.low_unbounded = false;
  Domain qty;
  qty.ranges = {nonneg};
  qty_request.constraint.columns[t->column_index("qty")] = qty;
  rows = read_table(*c, *t, qty_request);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "5"}));

  // Decimal domains are left to the engine, and then no LIMIT is pushed either.
  ScanRequest price_request;
  price_request.columns = {0};
  Domain price;
  price.ranges = {Range::equal(Value::decimal(1999, Type::decimal(10, 2)))};
  price_request.constraint.columns[t->column_index("price")] = price;
  price_request.limit = 1;
  result = c->apply_pushdown(*t, price_request);
  EXPECT_FALSE(result.constraint_enforced);
  EXPECT_FALSE(result.limit_enforced);
  EXPECT_EQ(result.details[0], "SELECT \"order_id\" FROM \"Sample_Orders\"");

  // Contradiction.
  ScanRequest none_request;
  none_request.constraint.none = true;
  EXPECT_TRUE(read_table(*c, *t, none_request).empty());
}

TEST(SqliteConnector, QuotedIdentifiersRoundTrip) {
  TempDir dir;
  auto c = sqlite_catalog(make_sample_db(dir));
  auto t = c->get_table("sales", "WE\"IRD");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "col\"q varchar, n bigint");
  ScanRequest request;
  request.columns = {0};
  Domain n;
  n.ranges = {Range::equal(Value::integer(2))};
  request.constraint.columns[1] = n;
  auto result = c->apply_pushdown(*t, request);
  EXPECT_EQ(result.details[0].rfind("SELECT \"col\"\"q\" FROM \"we\"\"ird\" WHERE", 0), 0u) << result.details[0];
  Rows rows = read_table(*c, *t, request);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "y");
}

TEST(SqliteConnector, Errors) {
  TempDir dir;
  std::string msg = error_message([&] {
    create_connector("shop", {{"connector.name", "sqlite"}, {"database", dir / "nope.db"}});
  });
  EXPECT_EQ(msg, "Catalog 'shop': SQLite database file '" + (dir / "nope.db") + "' does not exist");
  msg = error_message([&] { create_connector("shop", {{"connector.name", "sqlite"}}); });
  EXPECT_EQ(msg, "Catalog 'shop' is missing required property 'database'");
  std::string path = make_sample_db(dir);
  msg = error_message([&] {
    create_connector("shop", {{"connector.name", "sqlite"}, {"database", path}, {"busy-timeout-ms", "soon"}});
  });
  EXPECT_NE(msg.find("busy-timeout-ms"), std::string::npos);
}

// ---------------------------------------------------------------- files: Hive partitions

#include <cstdlib>

#include "aws/s3_client.h"
#include "connectors/files/partitions.h"

namespace {

Domain one_value(const Value& v) {
  Domain d;
  d.ranges.push_back(Range::equal(v));
  return d;
}

PushedExpressionPtr pushed_column(int column, const Type& type) {
  auto e = std::make_shared<PushedExpression>();
  e->kind = PushedExpression::Kind::COLUMN;
  e->column = column;
  e->type = type;
  return e;
}

PushedExpressionPtr pushed_constant(const Value& value) {
  auto e = std::make_shared<PushedExpression>();
  e->kind = PushedExpression::Kind::CONSTANT;
  e->value = value;
  e->type = value.type;
  return e;
}

PushedExpressionPtr pushed(PushedExpression::Kind kind, std::vector<PushedExpressionPtr> args, std::string op = "") {
  auto e = std::make_shared<PushedExpression>();
  e->kind = kind;
  e->op = std::move(op);
  e->type = Type::boolean();
  e->args = std::move(args);
  return e;
}

PushedExpressionPtr equals(int column, const Value& value) {
  return pushed(PushedExpression::Kind::COMPARE, {pushed_column(column, value.type), pushed_constant(value)}, "=");
}

ErrorCode error_code(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::INTERNAL_ERROR;
}

std::vector<std::string> column(const Rows& rows, size_t index) {
  std::vector<std::string> values;
  for (const auto& r : rows) values.push_back(r.at(index));
  return values;
}

}  // namespace

TEST(Partitions, FolderNamesEscapingAndTypes) {
  using namespace files;
  auto folder = parse_partition_folder("Year=2024");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->key, "year");
  EXPECT_EQ(folder->value, "2024");
  EXPECT_EQ(parse_partition_folder("region=us%2Feast%3A1")->value, "us/east:1");
  EXPECT_EQ(parse_partition_folder("k=a=b")->value, "a=b");
  EXPECT_EQ(parse_partition_folder("k=")->value, "");
  EXPECT_FALSE(parse_partition_folder("=x"));
  EXPECT_FALSE(parse_partition_folder("plain"));
  EXPECT_EQ(unescape_path_name("100%"), "100%");
  EXPECT_EQ(unescape_path_name("%zz%4"), "%zz%4");
  EXPECT_EQ(unescape_path_name("%41%62"), "Ab");
  EXPECT_EQ(escape_path_name("a/b=c d%"), "a%2Fb%3Dc d%25");
  EXPECT_EQ(unescape_path_name(escape_path_name("x:y/z\x01#")), "x:y/z\x01#");

  // DuckDB's hive_types_autocast: BIGINT or DATE only when every value reads back the same.
  EXPECT_EQ(infer_partition_type({"2024", "-5", "0"}), Type::bigint());
  EXPECT_EQ(infer_partition_type({"9223372036854775807", "-9223372036854775808"}), Type::bigint());
  EXPECT_EQ(infer_partition_type({"9223372036854775808"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"01", "12"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"+5"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"-0"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"1.5", "2"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"2024-03-01", kHiveDefaultPartition}), Type::date());
  EXPECT_EQ(infer_partition_type({"2024-02-30"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"2024-3-1"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({"2024", "2024-01-01"}), Type::varchar());
  EXPECT_EQ(infer_partition_type({kHiveDefaultPartition}), Type::varchar());
  EXPECT_EQ(infer_partition_type({""}), Type::varchar());
  EXPECT_EQ(infer_partition_type({}), Type::varchar());

  EXPECT_TRUE(partition_value(kHiveDefaultPartition, Type::bigint()).is_null);
  EXPECT_EQ(partition_value("12", Type::bigint()).i, 12);
  EXPECT_EQ(partition_value("2024-03-01", Type::date()).to_string(), "2024-03-01");
  EXPECT_EQ(partition_value("", Type::varchar()).to_string(), "");
  EXPECT_TRUE(partition_value("x", Type::bigint()).is_null);  // a declared type the folder does not fit
}

TEST(Partitions, PruningIsThreeValued) {
  using namespace files;
  using Kind = PushedExpression::Kind;
  // Table columns 0..1 come from the files; 2 = year (bigint), 3 = month (varchar).
  std::map<int, Value> p2024 = {{2, Value::integer(2024)}, {3, Value::string("02")}};
  std::map<int, Value> pnull = {{2, Value::null(Type::bigint())}, {3, Value::string("01")}};
  TupleDomain year2023;
  year2023.columns[2] = one_value(Value::integer(2023));
  EXPECT_FALSE(partition_may_match(p2024, year2023));
  EXPECT_FALSE(partition_may_match(pnull, year2023));
  TupleDomain year_null;
  year_null.columns[2] = Domain::only_null();
  EXPECT_FALSE(partition_may_match(p2024, year_null));
  EXPECT_TRUE(partition_may_match(pnull, year_null));
  TupleDomain on_data;
  on_data.columns[0] = one_value(Value::integer(1));
  EXPECT_TRUE(partition_may_match(p2024, on_data));

  auto year_or_month = pushed(Kind::OR, {equals(2, Value::integer(2023)), equals(3, Value::string("02"))});
  EXPECT_TRUE(is_partition_expression(*year_or_month, p2024));
  EXPECT_TRUE(evaluate_partition_expression(*year_or_month, p2024).b);
  // NULL = 2023 is unknown, '01' = '02' false: unknown, so the partition is skipped.
  EXPECT_TRUE(evaluate_partition_expression(*year_or_month, pnull).is_null);
  auto negated = pushed(Kind::NOT, {equals(2, Value::integer(2024))});
  EXPECT_TRUE(evaluate_partition_expression(*negated, pnull).is_null);
  EXPECT_FALSE(evaluate_partition_expression(*negated, p2024).b);
  auto is_null = pushed(Kind::IS_NULL, {pushed_column(2, Type::bigint())});
  EXPECT_TRUE(evaluate_partition_expression(*is_null, pnull).b);
  auto in_list = pushed(Kind::IN, {pushed_column(2, Type::bigint()), pushed_constant(Value::integer(2023)),
                                   pushed_constant(Value::null(Type::bigint()))});
  EXPECT_TRUE(evaluate_partition_expression(*in_list, p2024).is_null);
  auto like = pushed(Kind::LIKE, {pushed_column(3, Type::varchar()), pushed_constant(Value::string("0%"))});
  EXPECT_FALSE(is_partition_expression(*like, p2024));
  EXPECT_FALSE(is_partition_expression(*equals(0, Value::integer(1)), p2024));

  ScanRequest request;
  request.constraint.columns[2] = one_value(Value::integer(2024));
  request.expressions = {year_or_month, like};
  auto decided = partition_pushdown({2, 3}, request);
  EXPECT_TRUE(decided.constraint_enforced);
  EXPECT_EQ(decided.expressions_enforced, (std::vector<bool>{true, false}));
  EXPECT_TRUE(partition_may_match(p2024, request));
  EXPECT_FALSE(partition_may_match(pnull, request));
  request.constraint.columns[0] = one_value(Value::integer(1));
  EXPECT_FALSE(partition_pushdown({2, 3}, request).constraint_enforced);
  EXPECT_FALSE(partition_pushdown({}, request).constraint_enforced);
}

TEST(FilesConnector, HivePartitionedCsvFolder) {
  TempDir dir;
  write_file(dir / "s/t/year=2023/month=12/a.csv", "id,v\n1,x\n2,y\n");
  write_file(dir / "s/t/year=2024/month=01/a.csv", "id,v\n3,z\n");
  write_file(dir / "s/t/year=2024/notes.csv", "id,v\n8,above the partitions\n");
  write_file(dir / "s/t/year=__HIVE_DEFAULT_PARTITION__/month=01/a.csv", "id,v\n4,w\n");
  write_file(dir / "s/t/loose.csv", "id,v\n9,beside the partitions\n");
  write_file(dir / "s/t/year=2024/_SUCCESS", "");
  auto c = files_catalog(dir.path());
  EXPECT_EQ(c->list_tables("s"), std::vector<std::string>{"t"});
  auto t = c->get_table("s", "t");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "id bigint, v varchar, year bigint, month varchar");
  EXPECT_EQ(t->columns[2].comment, "partition key");
  Rows rows = read_table(*c, *t, {});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "x", "2023", "12"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "z", "2024", "01"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"4", "w", "NULL", "01"}));

  // A constraint on a partition column prunes folders and is enforced.
  ScanRequest request;
  request.columns = {0, 3, 2};
  request.constraint.columns[2] = one_value(Value::integer(2024));
  PushdownResult pushdown = c->apply_pushdown(*t, request);
  EXPECT_TRUE(pushdown.constraint_enforced);
  ASSERT_EQ(pushdown.details.size(), 2u);
  EXPECT_NE(pushdown.details[0].find("(csv, 1 file, 9 B), partitions: 1 of 3 after pruning"), std::string::npos)
      << pushdown.details[0];
  EXPECT_EQ(pushdown.details[1], "ignored: 2 data files outside the partition folders");
  size_t splits = 0;
  uint64_t bytes = 0;
  rows = read_table(*c, *t, request, 1, &splits, &bytes);
  EXPECT_EQ(splits, 1u);
  EXPECT_EQ(rows, (Rows{{"3", "01", "2024"}}));
  EXPECT_EQ(bytes, fs::file_size(dir / "s/t/year=2024/month=01/a.csv"));  // partition values cost no bytes

  // Only partition columns; and a constraint on a file column is not enforced.
  request = {};
  request.columns = {2};
  EXPECT_EQ(column(read_table(*c, *t, request), 0), (std::vector<std::string>{"2023", "2023", "2024", "NULL"}));
  request.constraint.columns[0] = one_value(Value::integer(3));
  pushdown = c->apply_pushdown(*t, request);
  EXPECT_FALSE(pushdown.constraint_enforced);
  EXPECT_NE(pushdown.details[0].find("partitions: 3 of 3 after pruning"), std::string::npos);

  // A partition expression is enforced; a LIMIT is then honoured per split.
  request = {};
  request.columns = {0};
  request.expressions = {pushed(PushedExpression::Kind::NOT, {equals(3, Value::string("01"))})};
  pushdown = c->apply_pushdown(*t, request);
  EXPECT_EQ(pushdown.expressions_enforced, std::vector<bool>{true});
  EXPECT_EQ(column(read_table(*c, *t, request), 0), (std::vector<std::string>{"1", "2"}));
  request.limit = 1;
  EXPECT_EQ(read_table(*c, *t, request).size(), 1u);

  // Partition folders of two keys at one level.
  write_file(dir / "s/bad/a=1/x.csv", "x\n1\n");
  write_file(dir / "s/bad/b=2/x.csv", "x\n2\n");
  std::string msg = error_message([&] { c->get_table("s", "bad"); });
  EXPECT_NE(msg.find("b=2' does not match the partition keys (a)"), std::string::npos) << msg;
}

TEST(FilesConnector, HivePartitionsOfJsonAndShadowedColumns) {
  TempDir dir;
  write_file(dir / "s/logs/level=error/a.jsonl", "{\"msg\": \"down\", \"level\": \"ignored\"}\n");
  write_gzip(dir / "s/logs/level=warn/a.jsonl.gz", "{\"msg\": \"disk\"}\n");
  write_file(dir / "s/dup/region=west/p.csv", "id,region,n\n1,from-file,5\n");
  auto c = files_catalog(dir.path());
  auto logs = c->get_table("s", "logs");
  ASSERT_TRUE(logs);
  EXPECT_EQ(schema_of(*logs), "msg varchar, level varchar");
  EXPECT_EQ(read_table(*c, *logs, {}), (Rows{{"down", "error"}, {"disk", "warn"}}));
  auto dup = c->get_table("s", "dup");
  ASSERT_TRUE(dup);
  EXPECT_EQ(schema_of(*dup), "id bigint, n bigint, region varchar");
  EXPECT_EQ(read_table(*c, *dup, {}), (Rows{{"1", "5", "west"}}));
}

// ---------------------------------------------------------------- files: path tables

TEST(PathConnector, FilesFoldersAndGlobs) {
  TempDir dir;
  write_file(dir / "data/a.csv", "id,name\n1,x\n");
  write_file(dir / "data/b.csv", "id,name\n2,y\n");
  write_file(dir / "data/c.txt", "id,name\n3,z\n");
  write_file(dir / "data/d.jsonl", "{\"k\": 1}\n");
  write_gzip(dir / "data/e.data.gz", "{\"k\": 2}\n");
  auto c = make_path_connector("paths", {});
  EXPECT_TRUE(c->list_schemas().empty());
  EXPECT_TRUE(c->list_tables("csv").empty());

  auto t = c->get_table("csv", dir / "data/a.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, dir / "data/a.csv");
  EXPECT_EQ(schema_of(*t), "id bigint, name varchar");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1", "x"}}));
  // A folder: its files of the format (c.txt has no CSV extension, d.jsonl is JSON).
  for (std::string folder : {dir / "data", dir / "data/"}) {
    t = c->get_table("csv", folder);
    ASSERT_TRUE(t);
    EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1", "x"}, {"2", "y"}})) << folder;
    EXPECT_NE(c->apply_pushdown(*t, {}).details[0].find("files: " + folder + " (csv, 2 files,"), std::string::npos);
  }
  // A glob; a file named explicitly is read in the requested format whatever its extension.
  t = c->get_table("csv", dir / "data/*.csv");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1", "x"}, {"2", "y"}}));
  t = c->get_table("csv", dir / "data/c.*");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"3", "z"}}));
  t = c->get_table("csv", dir / "data/c.txt");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"3", "z"}}));
  t = c->get_table("json", dir / "data/e.data.gz");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"2"}}));
  t = c->get_table("json", dir / "data");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1"}}));
  t = c->get_table("auto", dir / "data/d.jsonl");
  EXPECT_EQ(schema_of(*t), "k bigint");
  t = c->get_table("AUTO", dir / "data/*");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1", "x"}, {"2", "y"}}));  // the first file's family

  EXPECT_EQ(error_code([&] { c->get_table("auto", dir / "data/c.txt"); }), ErrorCode::INVALID_ARGUMENT);
  EXPECT_NE(error_message([&] { c->get_table("auto", dir / "data/c.txt"); }).find("cannot tell the format"),
            std::string::npos);
  EXPECT_EQ(error_message([&] { c->get_table("csv", dir / "data/missing.csv"); }),
            "Path '" + (dir / "data/missing.csv") + "': no such file or folder");
  EXPECT_EQ(error_code([&] { c->get_table("csv", dir / "data/missing.csv"); }), ErrorCode::NOT_FOUND);
  EXPECT_EQ(error_code([&] { c->get_table("parquet", dir / "data/*.csv"); }), ErrorCode::NOT_FOUND);
  EXPECT_EQ(error_code([&] { c->get_table("parquet", dir / "data"); }), ErrorCode::NOT_FOUND);
  EXPECT_EQ(error_code([&] { c->get_table("xml", dir / "data"); }), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(error_code([&] { c->get_table("csv", dir / "*/a.csv"); }), ErrorCode::INVALID_ARGUMENT);
  EXPECT_NE(error_message([&] { make_path_connector("paths", {{"csv.heder", "true"}}); }).find("Did you mean"),
            std::string::npos);
}

TEST(PathConnector, FolderWithHivePartitions) {
  TempDir dir;
  write_file(dir / "p/k=1/a.csv", "id\n1\n2\n");
  write_file(dir / "p/k=2/a.csv", "id\n3\n");
  auto c = make_path_connector("paths", {{"csv.delimiter", ","}});
  auto t = c->get_table("csv", dir / "p");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "id bigint, k bigint");
  ScanRequest request;
  request.columns = {1, 0};
  request.constraint.columns[1] = one_value(Value::integer(2));
  EXPECT_TRUE(c->apply_pushdown(*t, request).constraint_enforced);
  EXPECT_EQ(read_table(*c, *t, request), (Rows{{"2", "3"}}));
}

TEST(PathConnector, AllowedRootsResolveDotsAndSymlinks) {
  TempDir dir;
  write_file(dir / "allowed/a.csv", "id\n1\n");
  write_file(dir / "allowed/p/k=1/x.csv", "id\n1\n");
  write_file(dir / "secret/s.csv", "id\n42\n");
  write_file(dir / "other/o.csv", "id\n7\n");
  fs::create_directories(dir / "links");
  fs::create_symlink(dir / "secret/s.csv", dir / "links/link.csv");
  fs::create_directory_symlink(dir / "secret", dir / "allowed/p/k=2");
  write_file(dir / "mixed/a.csv", "id\n1\n");
  fs::create_symlink(dir / "secret/s.csv", dir / "mixed/b.csv");
  auto c = make_path_connector("paths", {{"local.allowed-roots", (dir / "allowed") + ":" + (dir / "mixed")}});
  auto t = c->get_table("csv", dir / "allowed/a.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1"}}));
  for (std::string refused : {dir / "secret/s.csv", dir / "allowed/../secret/s.csv", dir / "secret",
                              dir / "secret/*.csv", dir / "secret/missing.csv", dir / "allowed/p/k=2/s.csv"}) {
    EXPECT_EQ(error_code([&] { c->get_table("csv", refused); }), ErrorCode::ACCESS_DENIED) << refused;
    EXPECT_NE(error_message([&] { c->get_table("csv", refused); }).find("local path '" + refused + "' is outside"),
              std::string::npos)
        << refused;
  }
  EXPECT_EQ(error_code([&] { c->get_table("csv", dir / "allowed/missing.csv"); }), ErrorCode::NOT_FOUND);
  EXPECT_EQ(error_code([&] { c->get_table("csv", "relative/a.csv"); }), ErrorCode::INVALID_ARGUMENT);
  // A folder inside a root holding a symlink to a file outside.
  EXPECT_EQ(error_code([&] { c->get_table("csv", dir / "mixed"); }), ErrorCode::ACCESS_DENIED);
  // A partition folder that is a symlink out of the root: refused when a scan lists it.
  t = c->get_table("csv", dir / "allowed/p");
  ASSERT_TRUE(t);
  EXPECT_EQ(error_code([&] { read_table(*c, *t, {}); }), ErrorCode::ACCESS_DENIED);
  ScanRequest only_k1;
  only_k1.constraint.columns[1] = one_value(Value::integer(1));
  EXPECT_EQ(read_table(*c, *t, only_k1), (Rows{{"1", "1"}}));

  auto none = make_path_connector("paths", {{"local.allowed-roots", ""}});
  EXPECT_EQ(error_code([&] { none->get_table("csv", dir / "allowed/a.csv"); }), ErrorCode::ACCESS_DENIED);
  EXPECT_EQ(error_code([&] { make_path_connector("paths", {{"local.allowed-roots", "relative"}}); }),
            ErrorCode::INVALID_ARGUMENT);
  // Without the property (the CLI) any local path is read.
  auto any = make_path_connector("paths", {});
  EXPECT_EQ(read_table(*any, *any->get_table("csv", dir / "links/link.csv"), {}), (Rows{{"42"}}));
}

TEST(PathConnector, S3PathsOnS3rver) {
  const char* endpoint = std::getenv("TRIBUTARY_S3_ENDPOINT");
  if (!endpoint || !*endpoint) GTEST_SKIP() << "TRIBUTARY_S3_ENDPOINT not set (scripts/services.sh start s3rver)";
  aws::S3Client::Options options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.credentials = aws::Credentials{"S3RVER", "S3RVER", ""};
  aws::S3Client client(options);
  std::string bucket = "path-tables-" + std::to_string(getpid());
  client.create_bucket(bucket);
  client.put_object(bucket, "p/year=2024/a.csv", "id,v\n1,x\n");
  client.put_object(bucket, "p/year=2025/a.csv", "id,v\n2,y\n");
  client.put_object(bucket, "p/_SUCCESS", "");  // s3rver lists a prefix only beside an object
  client.put_object(bucket, "one.json", "{\"a\": 5}\n");
  auto c = make_path_connector("paths", {{"s3.endpoint", endpoint},
                                         {"s3.access-key", "S3RVER"},
                                         {"s3.secret-key", "S3RVER"},
                                         {"s3.region", "us-east-1"}});
  std::string root = "s3://" + bucket;
  auto t = c->get_table("csv", root + "/p/");
  ASSERT_TRUE(t);
  EXPECT_EQ(schema_of(*t), "id bigint, v varchar, year bigint");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"1", "x", "2024"}, {"2", "y", "2025"}}));
  ScanRequest request;
  request.constraint.columns[2] = one_value(Value::integer(2025));
  EXPECT_NE(c->apply_pushdown(*t, request).details[0].find("partitions: 1 of 2 after pruning"), std::string::npos);
  EXPECT_EQ(read_table(*c, *t, request), (Rows{{"2", "y", "2025"}}));
  t = c->get_table("auto", root + "/one.json");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"5"}}));
  t = c->get_table("json", root + "/*.json");
  EXPECT_EQ(read_table(*c, *t, {}), (Rows{{"5"}}));
  EXPECT_EQ(error_code([&] { c->get_table("csv", root + "/nothing/here.csv"); }), ErrorCode::NOT_FOUND);
}
