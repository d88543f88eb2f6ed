// The `tributary` binary: query, shell, demo, sqllogictest, serve, user, function, aws-cli-setup.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/demo.h"
#include "cli/output_format.h"
#include "cli/service_commands.h"
#include "cli/shell.h"
#include "cli/sqllogictest.h"
#include "common/error.h"
#include "engine/engine.h"
#include "service/catalogs.h"
#include "service/metastore.h"
#include "service/server.h"
#include "sql/parser.h"

using namespace tributary;

namespace {
// Ctrl-C during `tributary query` cancels the running statement (and its source queries);
// a second Ctrl-C exits at once.
std::atomic<bool> g_cancel{false};
void on_sigint(int) {
  if (g_cancel.exchange(true)) std::_Exit(130);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tributary: a federated SQL engine (Trino/Athena dialect)"};
  app.require_subcommand(1);

  std::string config_dir, catalog, schema, output_format = "ALIGNED", file, sql;
  int threads = 0;
  auto* query = app.add_subcommand("query", "Run one SQL statement (or a file of statements) and print the result");
  query->add_option("--config-dir", config_dir, "Directory with catalog/NAME.properties files");
  std::string query_data_dir;
  query->add_option("--data-dir", query_data_dir,
                    "Attach the metastore of a `tributary serve` data directory: its AwsDataCatalog (databases, "
                    "external tables, views) and data catalogs");
  query->add_option("--catalog", catalog, "Session catalog");
  query->add_option("--schema", schema, "Session schema");
  query->add_option("--output-format", output_format, "ALIGNED, CSV, CSV_HEADER, TSV or JSON");
  query->add_option("--file,-f", file, "Read SQL from a file");
  query->add_option("--threads", threads, "Worker threads (default: all cores)");
  query->add_option("sql", sql, "SQL text");

  auto* shell = app.add_subcommand("shell", "Interactive SQL shell");
  shell->add_option("--config-dir", config_dir, "Directory with catalog/NAME.properties files");
  shell->add_option("--data-dir", query_data_dir, "Attach the metastore of a `tributary serve` data directory");
  shell->add_option("--catalog", catalog, "Session catalog");
  shell->add_option("--schema", schema, "Session schema");

  std::string demo_dir;
  auto* demo = app.add_subcommand("demo", "Run the Athena federated-query recipe on embedded sources");
  demo->add_option("--keep-dir", demo_dir, "Write the demo data here and keep it");

  std::vector<std::string> test_files;
  bool verbose = false;
  auto* slt = app.add_subcommand("sqllogictest", "Run sqllogictest files");
  slt->add_option("files", test_files, "Test files")->required();
  slt->add_flag("--verbose,-v", verbose, "Print every passing case");

  service::ServerOptions server_options;
  std::string auth_mode = "sigv4";
  auto* serve = app.add_subcommand("serve", "Serve the Athena API (aws athena --endpoint-url http://HOST:PORT)");
  serve->add_option("--data-dir", server_options.data_dir,
                    "Metastore, default results folder and logs (default: $TRIBUTARY_DATA_DIR or ~/.tributary)");
  serve->add_option("--config-dir", server_options.config_dir, "catalog/*.properties and function/*.properties");
  serve->add_option("--http-port", server_options.http_port, "Port (default 8080; 0 picks a free one)");
  serve->add_option("--host", server_options.host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--auth", auth_mode, "sigv4 (verify signatures against `tributary user` keys) or none")
      ->check(CLI::IsMember({"sigv4", "none"}));
  serve->add_option("--max-concurrent-queries", server_options.max_concurrent_queries,
                    "Queries running at once (the rest wait QUEUED)");
  serve->add_option("--threads", server_options.threads, "Engine worker threads per query (default: all cores)");
  serve->add_option("--results-location", server_options.results_location,
                    "Default output folder: s3://bucket/prefix/ or file:///dir/ (default: DATA_DIR/results/)");
  serve->add_option("--s3-endpoint", server_options.s3_endpoint,
                    "S3 endpoint for s3:// result locations (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL)");
  serve->add_option("--local-root", server_options.local_roots,
                    "A local folder API users may use for table locations and OutputLocation (repeatable; "
                    "default: only DATA_DIR/results/, otherwise s3:// only)");

  std::string data_dir, user_action, user_name, access_key_id, secret_access_key;
  auto* user = app.add_subcommand("user", "Manage the access keys the server accepts (SigV4)");
  user->add_option("action", user_action, "add, list or delete")->required();
  user->add_option("name", user_name, "User name");
  user->add_option("--data-dir", data_dir, "Data directory of the server");
  user->add_option("--access-key-id", access_key_id, "With add: use this key pair instead of a new one");
  user->add_option("--secret-access-key", secret_access_key, "With add: the secret of --access-key-id");

  std::string function_action, function_name, connector_name;
  std::vector<std::string> function_properties;
  auto* function = app.add_subcommand("function", "Manage connector functions (the Lambda connectors of Athena)");
  function->add_option("action", function_action, "create, update, list, show or delete")->required();
  function->add_option("name", function_name, "Function name (as in arn:aws:lambda:...:function:NAME)");
  function->add_option("--connector", connector_name, "mysql, postgresql, dynamodb, sqlite or files");
  function->add_option("--property,-p", function_properties,
                       "KEY=VALUE (repeatable), e.g. default=mysql://jdbc:mysql://HOST:3306/db?user=u&password=p");
  function->add_option("--data-dir", data_dir, "Data directory of the server");

  std::string aws_home;
  auto* aws_setup = app.add_subcommand(
      "aws-cli-setup", "Install the QueryExecutionCompleted waiter for `aws athena wait query-execution-completed`");
  aws_setup->add_option("--home", aws_home, "Home directory holding .aws (default: $HOME)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (*demo) return cli::run_demo(demo_dir);
    if (*slt) return cli::run_sqllogictest(test_files, verbose);
    if (*serve) {
      server_options.data_dir = cli::default_data_dir(server_options.data_dir);
      server_options.auth = auth_mode == "sigv4";
      return service::run_server(server_options);
    }
    if (*user) {
      if (user_action != "list" && user_name.empty()) {
        std::cerr << "tributary user " << user_action << " needs a NAME\n";
        return 2;
      }
      return cli::user_command(cli::default_data_dir(data_dir), user_action, user_name, access_key_id,
                               secret_access_key, std::cout);
    }
    if (*function) {
      if (function_action != "list" && function_name.empty()) {
        std::cerr << "tributary function " << function_action << " needs a NAME\n";
        return 2;
      }
      return cli::function_command(cli::default_data_dir(data_dir), function_action, function_name, connector_name,
                                   function_properties, std::cout);
    }
    if (*aws_setup) {
      std::cout << "Installed the Athena QueryExecutionCompleted waiter: " << cli::install_aws_cli_waiter(aws_home)
                << "\n";
      return 0;
    }
    engine::EngineOptions options;
    options.threads = threads;
    engine::Engine engine(options);
    // With --data-dir the metastore's catalogs (AwsDataCatalog, LAMBDA/FEDERATED catalogs) and
    // views are attached, as `tributary serve` sees them.
    std::unique_ptr<service::Metastore> metastore;
    std::unique_ptr<service::ServiceCatalogs> service_catalogs;
    if (!query_data_dir.empty()) {
      metastore = std::make_unique<service::Metastore>(query_data_dir + "/metastore.db");
      engine.set_view_store(std::make_shared<service::MetastoreViewStore>(*metastore));
      service_catalogs = std::make_unique<service::ServiceCatalogs>(*metastore, engine, config_dir);
      service_catalogs->sync();
      if (catalog.empty()) catalog = "awsdatacatalog";
      if (schema.empty()) schema = "default";
    } else if (!config_dir.empty()) {
      engine.load_config_dir(config_dir);
    }
    planner::Session session;
    session.catalog = catalog;
    session.schema = schema;
    if (*shell) return cli::run_shell(engine, session);
    cli::OutputFormat format;
    try {
      format = cli::parse_output_format(output_format);
    } catch (const Error& e) {
      std::cerr << e.message() << "\n";
      return 2;
    }
    if (!file.empty()) {
      std::ifstream in(file);
      if (!in) {
        std::cerr << "Cannot read " << file << "\n";
        return 2;
      }
      std::stringstream buffer;
      buffer << in.rdbuf();
      sql = buffer.str();
    }
    if (sql.empty()) {
      std::cerr << "No SQL given: pass \"SQL\" or --file F\n";
      return 2;
    }
    // A file may hold several statements; each runs in order.
    std::signal(SIGINT, on_sigint);
    for (const auto& statement : sql::split_statements(sql)) {
      auto result = engine.execute(statement.text, session, &g_cancel);
      if (result.is_query) cli::write_result(result, format, std::cout);
      if (result.update_count >= 0) std::cerr << result.update_type << ": " << result.update_count << " rows\n";
      if (result.stats.rejected_values)
        std::cerr << "Warning: " << result.stats.rejected_values
                  << " source values did not fit their column type and were read as NULL\n";
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << e.full() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "INTERNAL_ERROR: " << e.what() << "\n";
    return 1;
  }
}
