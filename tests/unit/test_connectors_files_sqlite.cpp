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
