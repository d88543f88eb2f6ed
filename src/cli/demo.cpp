#include "cli/demo.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/output_format.h"
#include "common/error.h"
#include "engine/engine.h"

namespace tributary::cli {

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path);
  out << text;
}

void create_orders_db(const std::string& path) {
  sqlite3* db = nullptr;
  std::filesystem::remove(path);
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw_error(ErrorCode::SOURCE_ERROR, "cannot create " + path);
  const char* sql =
      "CREATE TABLE sample_orders (order_id INT PRIMARY KEY, customer_id INT, product_name VARCHAR(255), "
      "quantity INT, price DECIMAL(10,2), order_date DATE);"
      "INSERT INTO sample_orders VALUES"
      " (1001, 101, 'Laptop Pro 15', 1, '1299.99', '2024-01-15'),"
      " (1002, 102, 'Wireless Mouse', 2, '29.99', '2024-01-16'),"
      " (1003, 103, 'Mechanical Keyboard', 1, '129.99', '2024-01-17'),"
      " (1004, 101, '4K Monitor', 1, '399.99', '2024-01-18'),"
      " (1005, 104, 'Noise-Canceling Headphones', 1, '249.99', '2024-01-19'),"
      " (1006, 105, 'USB-C Hub', 3, '79.99', '2024-01-20');";
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message ? message : "unknown";
    sqlite3_free(message);
    sqlite3_close(db);
    throw_error(ErrorCode::SOURCE_ERROR, "demo database: " + error);
  }
  sqlite3_close(db);
}

}  // namespace

int run_demo(const std::string& keep_dir) {
  namespace fs = std::filesystem;
  auto started = std::chrono::steady_clock::now();
  fs::path dir = keep_dir.empty() ? fs::temp_directory_path() / ("tributary-demo-" + std::to_string(::getpid()))
                                  : fs::path(keep_dir);
  fs::create_directories(dir);
  try {
    create_orders_db((dir / "orders.db").string());
    write_file(dir / "dynamodb" / "default" / "orders-demo.json",
               R"({"Item": {"order_id": {"S": "1001"}, "status": {"S": "shipped"}, "tracking_number": {"S": "TRK123456789"}, "carrier": {"S": "FedEx"}, "ship_date": {"S": "2024-01-16"}}}
{"Item": {"order_id": {"S": "1002"}, "status": {"S": "processing"}, "tracking_number": {"S": "TRK987654321"}, "carrier": {"S": "UPS"}, "ship_date": {"S": "2024-01-17"}}}
{"Item": {"order_id": {"S": "1003"}, "status": {"S": "delivered"}, "tracking_number": {"S": "TRK456789123"}, "carrier": {"S": "USPS"}, "ship_date": {"S": "2024-01-18"}}}
)");
    write_file(dir / "lake" / "default" / "product_categories.csv",
               "product_name,category\nLaptop Pro 15,computers\nWireless Mouse,accessories\n"
               "Mechanical Keyboard,accessories\n4K Monitor,displays\nNoise-Canceling Headphones,audio\n"
               "USB-C Hub,accessories\n");

    engine::Engine engine;
    engine.add_catalog("mysql_catalog",
                       {{"connector.name", "sqlite"}, {"database", (dir / "orders.db").string()}, {"schema", "analytics_db"}});
    engine.add_catalog("dynamodb_catalog", {{"connector.name", "files"}, {"location", (dir / "dynamodb").string()}});
    engine.add_catalog("lake", {{"connector.name", "files"}, {"location", (dir / "lake").string()}});
    planner::Session session;
    session.catalog = "lake";
    session.schema = "default";

    struct Step {
      const char* title;
      const char* sql;
    };
    const Step steps[] = {
        {"Step 8: federated join of MySQL orders with DynamoDB tracking",
         "SELECT mysql_orders.order_id, mysql_orders.customer_id, mysql_orders.product_name, mysql_orders.quantity,\n"
         "       mysql_orders.price, mysql_orders.order_date, ddb_tracking.status as shipment_status,\n"
         "       ddb_tracking.tracking_number, ddb_tracking.carrier, ddb_tracking.ship_date\n"
         "FROM mysql_catalog.analytics_db.sample_orders mysql_orders\n"
         "LEFT JOIN dynamodb_catalog.default.Orders-demo ddb_tracking\n"
         "ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id\n"
         "ORDER BY mysql_orders.order_date DESC\nLIMIT 10"},
        {"Step 9: the federated view",
         "CREATE OR REPLACE VIEW default.order_analytics AS\n"
         "SELECT mysql_orders.order_id, mysql_orders.customer_id, mysql_orders.product_name, mysql_orders.quantity,\n"
         "       mysql_orders.price, mysql_orders.order_date, COALESCE(ddb_tracking.status, 'pending') as shipment_status,\n"
         "       ddb_tracking.tracking_number, ddb_tracking.carrier, ddb_tracking.ship_date,\n"
         "       (mysql_orders.quantity * mysql_orders.price) as total_amount\n"
         "FROM mysql_catalog.analytics_db.sample_orders mysql_orders\n"
         "LEFT JOIN dynamodb_catalog.default.Orders-demo ddb_tracking\n"
         "ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id"},
        {"Step 10: revenue by shipment status over the view",
         "SELECT COUNT(*) as total_orders, SUM(total_amount) as total_revenue, AVG(total_amount) as avg_order_value,\n"
         "       shipment_status, COUNT(DISTINCT customer_id) as unique_customers\n"
         "FROM default.order_analytics\nWHERE order_date >= DATE('2024-01-01')\n"
         "GROUP BY shipment_status\nORDER BY total_revenue DESC"},
        {"Validation 2: cross-source counts",
         "SELECT COUNT(*) as record_count, COUNT(DISTINCT mysql_orders.customer_id) as unique_customers,\n"
         "       COUNT(DISTINCT ddb_tracking.carrier) as carriers_used\n"
         "FROM mysql_catalog.analytics_db.sample_orders mysql_orders\n"
         "LEFT JOIN dynamodb_catalog.default.Orders-demo ddb_tracking\n"
         "ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id"},
        {"Validation 3: products over the view",
         "SELECT product_name, COUNT(*) as order_count, AVG(total_amount) as avg_amount, MAX(order_date) as latest_order\n"
         "FROM default.order_analytics\nGROUP BY product_name\nORDER BY order_count DESC, product_name"},
        {"Data lake: revenue by product category (three sources in one query)",
         "SELECT c.category, count(*) AS orders, sum(v.total_amount) AS revenue\n"
         "FROM default.order_analytics v JOIN lake.default.product_categories c ON v.product_name = c.product_name\n"
         "GROUP BY c.category ORDER BY revenue DESC"},
    };
    for (const auto& step : steps) {
      std::cout << "== " << step.title << "\n" << step.sql << ";\n\n";
      auto result = engine.execute(step.sql, session);
      if (result.is_query) {
        write_result(result, OutputFormat::ALIGNED, std::cout);
      } else {
        std::cout << result.update_type << "\n";
      }
      std::cout << "\n";
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    std::cout << "Demo finished in " << (long long)ms << " ms (data in " << dir.string() << ")\n";
  } catch (const Error& e) {
    std::cerr << e.full() << "\n";
    if (keep_dir.empty()) fs::remove_all(dir);
    return 1;
  }
  if (keep_dir.empty()) fs::remove_all(dir);
  return 0;
}

}  // namespace tributary::cli
