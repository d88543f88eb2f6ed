// Tests of src/planner through Engine + EXPLAIN text: predicate pushdown below
// joins, column pruning, TopN, semi/anti joins for IN / EXISTS, constant
// folding, and bind errors with positions and suggestions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "engine/engine.h"

using namespace tributary;
namespace fs = std::filesystem;

namespace {

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tributary_planner_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    write(dir_ + "/data/s1/orders.csv", "id,customer_id,name,amount,note\n1,1,apple,10,x\n2,2,banana,20,y\n3,1,cherry,30,z\n");
    write(dir_ + "/data/s1/customers.csv", "id,city,country\n1,Paris,FR\n2,Oslo,NO\n");
    engine_.add_catalog("files", {{"connector.name", "files"}, {"location", dir_ + "/data"}});
    session_.catalog = "files";
    session_.schema = "s1";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const std::string& path, const std::string& content) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << content;
  }

  std::string explain(const std::string& sql) {
    auto result = engine_.execute("EXPLAIN " + sql, session_);
    EXPECT_EQ(result.chunks.size(), 1u);
    return result.chunks[0].columns[0].get_value(0).to_string();
  }

  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    auto result = engine_.execute(sql, session_);
    for (const auto& chunk : result.chunks)
      for (size_t r = 0; r < chunk.size; r++) {
        std::string row;
        for (size_t k = 0; k < chunk.columns.size(); k++) row += (k ? "|" : "") + chunk.columns[k].get_value(r).to_string();
        out.push_back(row);
      }
    return out;
  }

  std::string error(const std::string& sql) {
    try {
      engine_.execute(sql, session_);
    } catch (const Error& e) {
      return e.full();
    }
    return "no error";
  }

  // Index of the first line containing `needle` at or after line `from`, or -1.
  static int line_of(const std::string& text, const std::string& needle, int from = 0) {
    int line = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      std::string current = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (line >= from && current.find(needle) != std::string::npos) return line;
      if (end == std::string::npos) break;
      start = end + 1;
      line++;
    }
    return -1;
  }
  static size_t indent_of(const std::string& text, int line_index) {
    size_t start = 0;
    for (int i = 0; i < line_index; i++) start = text.find('\n', start) + 1;
    return text.find_first_not_of(' ', start) - start;
  }

  std::string dir_;
  engine::Engine engine_{engine::EngineOptions{2, 64LL << 20}};
  planner::Session session_;
};

}  // namespace

TEST_F(PlannerTest, PredicatePushedBelowJoin) {
  std::string plan = explain(
      "SELECT o.name, c.city FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.amount > 15 AND c.country = 'FR'");
  int join = line_of(plan, "InnerJoin");
  int order_filter = line_of(plan, "predicate: (amount > 15)");
  int customer_filter = line_of(plan, "predicate: (country = 'FR')");
  ASSERT_GE(join, 0) << plan;
  ASSERT_GE(order_filter, 0) << plan;
  ASSERT_GE(customer_filter, 0) << plan;
  // Both filters sit below the join, each directly above its own scan.
  EXPECT_GT(order_filter, join) << plan;
  EXPECT_GT(customer_filter, join) << plan;
  EXPECT_GT(indent_of(plan, order_filter), indent_of(plan, join)) << plan;
  EXPECT_EQ(line_of(plan, "TableScan[files.s1.orders]", order_filter), order_filter + 1) << plan;
  EXPECT_EQ(line_of(plan, "TableScan[files.s1.customers]", customer_filter), customer_filter + 1) << plan;
  EXPECT_NE(plan.find("hash keys: customer_id = id"), std::string::npos) << plan;
  EXPECT_EQ(rows("SELECT o.name, c.city FROM orders o JOIN customers c ON o.customer_id = c.id "
                 "WHERE o.amount > 15 AND c.country = 'FR'"),
            (std::vector<std::string>{"cherry|Paris"}));
}

TEST_F(PlannerTest, ColumnPruningListsOnlyUsedColumns) {
  std::string plan = explain("SELECT name FROM orders WHERE amount > 1");
  EXPECT_NE(plan.find("columns: [name, amount]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("note"), std::string::npos) << plan;
  std::string join_plan = explain("SELECT c.city FROM orders o JOIN customers c ON o.customer_id = c.id");
  EXPECT_NE(join_plan.find("columns: [customer_id]"), std::string::npos) << join_plan;
  EXPECT_NE(join_plan.find("columns: [id, city]"), std::string::npos) << join_plan;
  std::string count_plan = explain("SELECT count(*) FROM orders");
  EXPECT_NE(count_plan.find("columns: []"), std::string::npos) << count_plan;
}

TEST_F(PlannerTest, LimitOverOrderByBecomesTopN) {
  std::string plan = explain("SELECT name FROM orders ORDER BY amount DESC LIMIT 2");
  EXPECT_NE(plan.find("TopN[2]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("- Sort"), std::string::npos) << plan;
  EXPECT_EQ(rows("SELECT name FROM orders ORDER BY amount DESC LIMIT 2"),
            (std::vector<std::string>{"cherry", "banana"}));
  std::string sort_only = explain("SELECT name FROM orders ORDER BY amount");
  EXPECT_EQ(sort_only.find("TopN"), std::string::npos) << sort_only;
}

TEST_F(PlannerTest, InAndExistsSubqueriesBecomeSemiAndAntiJoins) {
  std::string semi = explain("SELECT name FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'FR')");
  EXPECT_NE(semi.find("SemiJoin"), std::string::npos) << semi;
  EXPECT_EQ(rows("SELECT name FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'FR') "
                 "ORDER BY name"),
            (std::vector<std::string>{"apple", "cherry"}));
  std::string anti =
      explain("SELECT city FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.amount > 25)");
  EXPECT_NE(anti.find("AntiJoin"), std::string::npos) << anti;
  EXPECT_EQ(rows("SELECT city FROM customers c WHERE NOT EXISTS "
                 "(SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.amount > 25)"),
            (std::vector<std::string>{"Oslo"}));
  std::string exists =
      explain("SELECT city FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)");
  EXPECT_NE(exists.find("SemiJoin"), std::string::npos) << exists;
}

TEST_F(PlannerTest, ConstantFolding) {
  std::string plan = explain("SELECT 1 + 2");
  EXPECT_NE(plan.find("[_col0 := 3]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("+"), std::string::npos) << plan;
  std::string filter_plan = explain("SELECT name FROM orders WHERE amount > 2 * 5");
  EXPECT_NE(filter_plan.find("(amount > 10)"), std::string::npos) << filter_plan;
  EXPECT_EQ(rows("SELECT 1 + 2, 'a' || 'b', 7 / 2"), (std::vector<std::string>{"3|ab|3"}));
}

TEST_F(PlannerTest, BindErrorsWithPositions) {
  EXPECT_EQ(error("SELECT nme FROM orders"),
            "NOT_FOUND: line 1:8: Column 'nme' cannot be resolved. Did you mean 'name'?");
  EXPECT_EQ(error("SELECT name\nFROM orders\nWHERE amout > 1"),
            "NOT_FOUND: line 3:7: Column 'amout' cannot be resolved. Did you mean 'amount'?");
  EXPECT_EQ(error("SELECT id FROM orders o JOIN customers c ON o.customer_id = c.id"),
            "TYPE_MISMATCH: line 1:8: Column 'id' is ambiguous");
  EXPECT_EQ(error("SELECT name, count(*) FROM orders GROUP BY customer_id"),
            "TYPE_MISMATCH: line 1:8: 'name' must be an aggregate expression or appear in GROUP BY clause");
  EXPECT_EQ(error("SELECT * FROM orders WHERE name = 1"),
            "TYPE_MISMATCH: line 1:33: Cannot apply operator: varchar = integer");
  EXPECT_EQ(error("SELECT * FROM ordrs"),
            "NOT_FOUND: line 1:15: Table 'files.s1.ordrs' does not exist. Did you mean 'orders'?");
}
