// Tests of src/engine through engine::Engine: properties files and config
// directories, metadata statements, catalog errors, EXPLAIN / EXPLAIN ANALYZE,
// the per-query memory limit, cancellation, concurrent execute() calls and
// equal answers for one and two worker threads over byte-range splits.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "common/error.h"
#include "engine/engine.h"

using namespace tributary;
using tributary::engine::Engine;
using tributary::engine::EngineOptions;
using tributary::engine::StatementResult;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tributary_engine_XXXXXX";
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

using Rows = std::vector<std::vector<std::string>>;

Rows rows_of(const StatementResult& result) {
  Rows rows;
  for (const auto& chunk : result.chunks)
    for (size_t r = 0; r < chunk.size; r++) {
      std::vector<std::string> row;
      for (const auto& column : chunk.columns) row.push_back(column.get_value(r).to_string());
      rows.push_back(row);
    }
  return rows;
}

std::string single_text(const StatementResult& result) {
  Rows rows = rows_of(result);
  EXPECT_EQ(rows.size(), 1u);
  return rows.empty() ? "" : rows[0][0];
}

// The thrown Error's full text ("CODE: line L:C: message"), or "no error".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.full();
  }
  return "no error";
}

// A files catalog "files" over <dir>/data with schema s1: orders(id, name, amount), customers(id, city).
class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir / "data/s1/orders.csv", "id,name,amount\n1,apple,10\n2,banana,20\n3,cherry,30\n4,apple,5\n");
    write_file(dir / "data/s1/customers.csv", "id,city\n1,Paris\n2,Oslo\n");
    engine.add_catalog("files", {{"connector.name", "files"}, {"location", dir / "data"}});
    session.catalog = "files";
    session.schema = "s1";
  }

  StatementResult run(const std::string& sql) { return engine.execute(sql, session); }

  TempDir dir;
  Engine engine{EngineOptions{2, 64LL << 20}};
  planner::Session session;
};

}  // namespace

// ---------------------------------------------------------------- properties and config

TEST(EngineProperties, CommentsAndEnvExpansion) {
  TempDir dir;
  ::setenv("TRIBUTARY_TEST_BASE", "/srv/base", 1);
  write_file(dir / "a.properties",
             "# a comment\n! another comment\n\n  connector.name = files  \nlocation=${ENV:TRIBUTARY_TEST_BASE}/data\n"
             "csv.header: true\nmixed=a${ENV:TRIBUTARY_TEST_BASE}b\n");
  auto properties = engine::read_properties_file(dir / "a.properties");
  EXPECT_EQ(properties.size(), 4u);
  EXPECT_EQ(properties["connector.name"], "files");
  EXPECT_EQ(properties["location"], "/srv/base/data");
  EXPECT_EQ(properties["csv.header"], "true");
  EXPECT_EQ(properties["mixed"], "a/srv/baseb");
}

TEST(EngineProperties, Errors) {
  TempDir dir;
  ::unsetenv("TRIBUTARY_TEST_SURELY_UNSET");
  write_file(dir / "unset.properties", "password=${ENV:TRIBUTARY_TEST_SURELY_UNSET}\n");
  EXPECT_EQ(error_of([&] { engine::read_properties_file(dir / "unset.properties"); }),
            "INVALID_FUNCTION_ARGUMENT: Environment variable 'TRIBUTARY_TEST_SURELY_UNSET' referenced in " +
                (dir / "unset.properties") + " is not set");
  write_file(dir / "open.properties", "x=${ENV:OOPS\n");
  EXPECT_EQ(error_of([&] { engine::read_properties_file(dir / "open.properties"); }),
            "INVALID_FUNCTION_ARGUMENT: Unterminated ${ENV:...} in " + (dir / "open.properties"));
  write_file(dir / "bad.properties", "just some words\n");
  EXPECT_EQ(error_of([&] { engine::read_properties_file(dir / "bad.properties"); }),
            "INVALID_FUNCTION_ARGUMENT: Malformed line in " + (dir / "bad.properties") + ": just some words");
  EXPECT_EQ(error_of([&] { engine::read_properties_file(dir / "missing.properties"); }),
            "NOT_FOUND: Cannot read properties file " + (dir / "missing.properties"));
}

TEST(EngineProperties, LoadConfigDir) {
  TempDir dir;
  ::setenv("TRIBUTARY_TEST_DATA", (dir / "data").c_str(), 1);
  write_file(dir / "data/sales/items.csv", "sku,qty\nA,1\nB,2\nC,3\n");
  write_file(dir / "conf/catalog/shop.properties", "# files catalog\nconnector.name=files\nlocation=${ENV:TRIBUTARY_TEST_DATA}\n");
  write_file(dir / "conf/catalog/README.txt", "not a catalog");
  Engine engine(EngineOptions{1, 64LL << 20});
  engine.load_config_dir(dir / "conf");
  EXPECT_EQ(engine.catalog_names(), (std::vector<std::string>{"shop", "system"}));
  planner::Session session;
  auto result = engine.execute("SELECT sum(qty), count(*) FROM shop.sales.items", session);
  EXPECT_EQ(rows_of(result), (Rows{{"6", "3"}}));
  EXPECT_EQ(error_of([&] { engine.load_config_dir(dir / "nowhere"); }),
            "NOT_FOUND: Config directory " + (dir / "nowhere") + " has no catalog/ folder");
  EXPECT_EQ(error_of([&] { engine.add_catalog("system", {{"connector.name", "files"}}); }),
            "ALREADY_EXISTS: Catalog 'system' is reserved");
  engine.drop_catalog("SHOP");
  EXPECT_EQ(engine.catalog_names(), (std::vector<std::string>{"system"}));
}

// ---------------------------------------------------------------- metadata and errors

TEST_F(EngineTest, ShowCatalogsIncludesSystem) {
  auto result = run("SHOW CATALOGS");
  EXPECT_EQ(result.names, (std::vector<std::string>{"Catalog"}));
  EXPECT_EQ(rows_of(result), (Rows{{"files"}, {"system"}}));
  EXPECT_EQ(rows_of(run("SHOW CATALOGS LIKE 'sys%'")), (Rows{{"system"}}));
  EXPECT_EQ(rows_of(run("SHOW TABLES")), (Rows{{"customers"}, {"orders"}}));
  auto describe = rows_of(run("DESCRIBE orders"));
  ASSERT_EQ(describe.size(), 3u);
  EXPECT_EQ(describe[0][0], "id");
  EXPECT_EQ(describe[0][1], "bigint");
  EXPECT_EQ(describe[1][0], "name");
  EXPECT_EQ(describe[1][1], "varchar");
}

TEST_F(EngineTest, SimpleQueryResult) {
  auto result = run("SELECT name, sum(amount) AS total FROM orders GROUP BY name ORDER BY total DESC");
  EXPECT_EQ(result.names, (std::vector<std::string>{"name", "total"}));
  EXPECT_EQ(result.types[1], Type::bigint());
  EXPECT_EQ(rows_of(result), (Rows{{"cherry", "30"}, {"banana", "20"}, {"apple", "15"}}));
  EXPECT_EQ(result.row_count(), 3u);
  EXPECT_EQ(result.stats.rows, 3u);
}

TEST_F(EngineTest, UnknownCatalogSuggestsNearest) {
  EXPECT_EQ(error_of([&] { run("SELECT * FROM fils.s1.orders"); }),
            "NOT_FOUND: line 1:15: Catalog 'fils' does not exist. Did you mean 'files'?");
  EXPECT_EQ(error_of([&] { run("SELECT * FROM zzzzzz.s1.orders"); }),
            "NOT_FOUND: line 1:15: Catalog 'zzzzzz' does not exist.");
  EXPECT_EQ(error_of([&] { run("SELECT * FROM ordrs"); }),
            "NOT_FOUND: line 1:15: Table 'files.s1.ordrs' does not exist. Did you mean 'orders'?");
  EXPECT_EQ(error_of([&] { run("SHOW SCHEMAS FROM fils"); }),
            "NOT_FOUND: line 1:1: Catalog 'fils' does not exist. Did you mean 'files'?");
}

TEST_F(EngineTest, ExplainAnalyzeShowsOutputRowCounts) {
  std::string text = single_text(run("EXPLAIN ANALYZE SELECT name FROM orders WHERE amount > 5"));
  EXPECT_NE(text.find("Elapsed: "), std::string::npos) << text;
  EXPECT_NE(text.find("TableScan[files.s1.orders] {output: 4 rows"), std::string::npos) << text;
  EXPECT_NE(text.find("Filter {output: 3 rows"), std::string::npos) << text;
  std::string plain = single_text(run("EXPLAIN SELECT name FROM orders"));
  EXPECT_NE(plain.find("TableScan[files.s1.orders]"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("output:"), std::string::npos) << plain;
}

TEST_F(EngineTest, ExplainShowsSqliteConstraintPushdown) {
  std::string db_path = dir / "shop.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE items (id INTEGER, name TEXT, price REAL);"
                         "INSERT INTO items VALUES (1, 'a', 1.5), (2, 'b', 2.5), (3, 'c', 3.5);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  engine.add_catalog("lite", {{"connector.name", "sqlite"}, {"database", db_path}});
  std::string text = single_text(run("EXPLAIN SELECT name FROM lite.main.items WHERE id > 1"));
  EXPECT_NE(text.find("TableScan[lite.main.items]"), std::string::npos) << text;
  EXPECT_NE(text.find("constraint: id > 1 (enforced by source)"), std::string::npos) << text;
  // The source filters by id, so only name travels back.
  EXPECT_NE(text.find("source: SELECT \"name\" FROM \"items\" WHERE (\"id\" > ?"), std::string::npos) << text;
  EXPECT_EQ(rows_of(run("SELECT name FROM lite.main.items WHERE id > 1 ORDER BY name")), (Rows{{"b"}, {"c"}}));
}

// ---------------------------------------------------------------- limits, cancellation, threads

namespace {

// An engine with a 1 MB per-query limit over files.s1.strings: 200k distinct strings.
class MemoryLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string csv = "s\n";
    for (int i = 0; i < 200000; i++) csv += "distinct-value-" + std::to_string(i) + "\n";
    write_file(dir / "data/s1/strings.csv", csv);
    engine.add_catalog("files", {{"connector.name", "files"}, {"location", dir / "data"}});
  }

  // The error code and message of `sql`, or "no error".
  std::string failure(const std::string& sql) {
    try {
      engine.execute(sql, session);
    } catch (const Error& e) {
      return std::string(error_code_name(e.code())) + " " + e.message();
    }
    return "no error";
  }

  TempDir dir;
  Engine engine{EngineOptions{2, 1LL << 20}};
  planner::Session session;
};

}  // namespace

TEST_F(MemoryLimitTest, GroupByOverManyKeysExceedsLimit) {
  EXPECT_EQ(failure("SELECT count(*) FROM (SELECT s FROM files.s1.strings GROUP BY s)"),
            "LIMIT_EXCEEDED Query exceeded per-query memory limit of 1MB");
  EXPECT_EQ(failure("SELECT DISTINCT s FROM files.s1.strings"),
            "LIMIT_EXCEEDED Query exceeded per-query memory limit of 1MB");
  // A small query still fits in the same engine afterwards.
  EXPECT_EQ(rows_of(engine.execute("SELECT count(*) FROM files.s1.strings", session)), (Rows{{"200000"}}));
}

TEST_F(MemoryLimitTest, JoinBuildSideExceedsLimit) {
  EXPECT_EQ(failure("SELECT count(*) FROM files.s1.strings a JOIN files.s1.strings b ON a.s = b.s"),
            "LIMIT_EXCEEDED Query exceeded per-query memory limit of 1MB");
}

// count(DISTINCT x) keeps its distinct set inside the aggregate state
// (function/distinct_aggregate.cpp), which is not accounted to the query's
// MemoryTracker: 200k distinct strings (several MB) pass a 1 MB limit.
TEST_F(MemoryLimitTest, CountDistinctExceedsLimit) {
  EXPECT_EQ(failure("SELECT count(DISTINCT s) FROM files.s1.strings"),
            "LIMIT_EXCEEDED Query exceeded per-query memory limit of 1MB");
}

TEST(EngineLimits, CancellationStopsSlowQuery) {
  TempDir dir;
  std::string a = "x\n", b = "y\n", c = "z\n";
  for (int i = 0; i < 3000; i++) a += std::to_string(i) + "\n";
  for (int i = 0; i < 3000; i++) b += std::to_string(i) + "\n";
  for (int i = 0; i < 20; i++) c += std::to_string(i) + "\n";
  write_file(dir / "data/s1/a.csv", a);
  write_file(dir / "data/s1/b.csv", b);
  write_file(dir / "data/s1/c.csv", c);
  Engine engine(EngineOptions{2, 1LL << 30});
  engine.add_catalog("files", {{"connector.name", "files"}, {"location", dir / "data"}});
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};
  std::string outcome;
  auto start = std::chrono::steady_clock::now();
  std::thread worker([&] {
    planner::Session session;
    session.catalog = "files";
    session.schema = "s1";
    try {
      // 180 million joined rows: seconds of work, far more than the 100 ms before cancelling.
      engine.execute("SELECT count(*), sum(x * y + z) FROM a CROSS JOIN b CROSS JOIN c WHERE (x + y + z) % 7 = 3",
                     session, &cancel);
      outcome = "finished";
    } catch (const Error& e) {
      outcome = e.full();
    }
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(done.load());
  cancel = true;
  worker.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(outcome, "CANCELLED: Query was cancelled by the user");
  EXPECT_LT(seconds, 2.1);
}

TEST(EngineLimits, ConcurrentExecuteGivesCorrectResults) {
  TempDir dir;
  std::string csv = "k,v\n";
  for (int i = 0; i < 10000; i++) csv += std::to_string(i % 10) + "," + std::to_string(i) + "\n";
  write_file(dir / "data/s1/t.csv", csv);
  Engine engine(EngineOptions{2, 256LL << 20});
  engine.add_catalog("files", {{"connector.name", "files"}, {"location", dir / "data"}});
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      planner::Session session;
      session.catalog = "files";
      session.schema = "s1";
      std::string out;
      for (int round = 0; round < 5; round++) {
        try {
          auto rows = rows_of(engine.execute(
              "SELECT k, count(*), sum(v) FROM t WHERE k = " + std::to_string(t) + " GROUP BY k", session));
          out = rows.size() == 1 ? rows[0][0] + "," + rows[0][1] + "," + rows[0][2] : "bad row count";
        } catch (const Error& e) {
          out = e.full();
        }
        if (round == 0) results[t] = out;
        else if (out != results[t]) results[t] = "differs: " + out;
      }
    });
  }
  for (auto& th : threads) th.join();
  // sum of i for i % 10 == t, i < 10000: 1000 * t + 10 * (0 + 1 + ... + 999) = 1000 t + 4995000
  EXPECT_EQ(results[0], "0,1000,4995000");
  EXPECT_EQ(results[1], "1,1000,4996000");
  EXPECT_EQ(results[2], "2,1000,4997000");
  EXPECT_EQ(results[3], "3,1000,4998000");
}

TEST(EngineLimits, OneAndTwoThreadsAgreeOverByteRangeSplits) {
  TempDir dir;
  std::string csv = "id,grp,payload\n";
  std::map<int, std::pair<int64_t, int64_t>> expected;  // grp -> (count, sum id)
  for (int i = 0; i < 100000; i++) {
    int grp = (i * 7) % 13;
    csv += std::to_string(i) + "," + std::to_string(grp) + ",payload-padding-text-" + std::to_string(i) + "\n";
    expected[grp].first++;
    expected[grp].second += i;
  }
  ASSERT_GT(csv.size(), 3u << 20);  // more than three 1 MB splits
  write_file(dir / "data/s1/wide.csv", csv);
  Rows want;
  for (const auto& [grp, stats] : expected)
    want.push_back({std::to_string(grp), std::to_string(stats.first), std::to_string(stats.second)});
  const std::string sql = "SELECT grp, count(*), sum(id) FROM files.s1.wide GROUP BY grp ORDER BY grp";
  std::vector<Rows> answers;
  for (int threads : {1, 2}) {
    Engine engine(EngineOptions{threads, 256LL << 20});
    engine.add_catalog("files",
                       {{"connector.name", "files"}, {"location", dir / "data"}, {"files.split-size", "1048576"}});
    planner::Session session;
    auto result = engine.execute(sql, session);
    answers.push_back(rows_of(result));
    EXPECT_EQ(result.stats.rows_scanned, 100000u) << threads;
    std::string analyzed = single_text(engine.execute("EXPLAIN ANALYZE " + sql, session));
    EXPECT_NE(analyzed.find("splits: 4"), std::string::npos) << analyzed;
  }
  EXPECT_EQ(answers[0], want);
  EXPECT_EQ(answers[1], want);
  EXPECT_EQ(answers[0], answers[1]);
}
