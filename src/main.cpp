// The `tributary` binary: query, shell, demo, sqllogictest.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/demo.h"
#include "cli/output_format.h"
#include "cli/shell.h"
#include "cli/sqllogictest.h"
#include "common/error.h"
#include "engine/engine.h"
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
  query->add_option("--catalog", catalog, "Session catalog");
  query->add_option("--schema", schema, "Session schema");
  query->add_option("--output-format", output_format, "ALIGNED, CSV, CSV_HEADER, TSV or JSON");
  query->add_option("--file,-f", file, "Read SQL from a file");
  query->add_option("--threads", threads, "Worker threads (default: all cores)");
  query->add_option("sql", sql, "SQL text");

  auto* shell = app.add_subcommand("shell", "Interactive SQL shell");
  shell->add_option("--config-dir", config_dir, "Directory with catalog/NAME.properties files");
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (*demo) return cli::run_demo(demo_dir);
    if (*slt) return cli::run_sqllogictest(test_files, verbose);
    engine::EngineOptions options;
    options.threads = threads;
    engine::Engine engine(options);
    if (!config_dir.empty()) engine.load_config_dir(config_dir);
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
