#include "cli/service_commands.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "connector/builtin_connectors.h"
#include "service/catalogs.h"
#include "service/metastore.h"

namespace tributary::cli {

namespace {

std::string metastore_path(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return (std::filesystem::path(data_dir) / "metastore.db").string();
}

}  // namespace

std::string default_data_dir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (const char* env = std::getenv("TRIBUTARY_DATA_DIR"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.tributary";
}

int user_command(const std::string& data_dir, const std::string& action, const std::string& name,
                 const std::string& access_key_id, const std::string& secret_access_key, std::ostream& out) {
  service::Metastore metastore(metastore_path(data_dir));
  if (action == "add") {
    service::User user;
    if (!access_key_id.empty() || !secret_access_key.empty()) {
      if (access_key_id.empty() || secret_access_key.empty())
        throw_error(ErrorCode::INVALID_ARGUMENT, "--access-key-id and --secret-access-key go together");
      user = metastore.import_user(name, access_key_id, secret_access_key);
    } else {
      user = metastore.add_user(name);
    }
    out << "User " << user.name << " added. Its key pair (shown once; the secret is stored for SigV4 checks):\n"
        << "aws_access_key_id = " << user.access_key_id << "\n"
        << "aws_secret_access_key = " << user.secret_access_key << "\n";
    return 0;
  }
  if (action == "list") {
    for (const auto& user : metastore.list_users(1 << 20).items) out << user.name << "\t" << user.access_key_id << "\n";
    return 0;
  }
  if (action == "delete") {
    metastore.delete_user(name);
    out << "User " << name << " deleted\n";
    return 0;
  }
  throw_error(ErrorCode::INVALID_ARGUMENT, "Unknown user action '" + action + "' (add, list, delete)");
}

int function_command(const std::string& data_dir, const std::string& action, const std::string& name,
                     const std::string& connector, const std::vector<std::string>& properties, std::ostream& out) {
  service::Metastore metastore(metastore_path(data_dir));
  auto parse_properties = [&](std::map<std::string, std::string> base) {
    for (const auto& text : properties) {
      size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0)
        throw_error(ErrorCode::INVALID_ARGUMENT, "--property takes KEY=VALUE, got '" + text + "'");
      base[service::normalize_function_property(text.substr(0, eq))] = text.substr(eq + 1);
    }
    return base;
  };
  auto print = [&](const service::ConnectorFunction& f) {
    out << "Function " << f.name << " (connector " << f.connector_name << ")\n";
    out << "  arn:aws:lambda:us-east-1:000000000000:function:" << f.name << "\n";
    for (const auto& [key, value] : f.properties) out << "  " << key << " = " << service::redact_property(key, value) << "\n";
  };
  if (action == "create" || action == "update") {
    service::ConnectorFunction function;
    function.name = name;
    auto existing = metastore.find_function(name);
    if (action == "update") {
      if (!existing) metastore.get_function(name);  // throws NOT_FOUND
      function.connector_name = connector.empty() ? existing->connector_name : connector;
      function.properties = parse_properties(existing->properties);
    } else {
      if (connector.empty())
        throw_error(ErrorCode::INVALID_ARGUMENT, "--connector is required (mysql, postgresql, dynamodb, sqlite, files)");
      function.connector_name = connector;
      function.properties = parse_properties({});
    }
    // Check the configuration now: an unknown connector or property fails here, not at query time.
    auto probe = service::connector_properties(function);
    register_builtin_connectors();
    create_connector("function_check", probe);
    auto stored = action == "create" ? metastore.create_function(function) : metastore.update_function(function);
    out << (action == "create" ? "Created " : "Updated ");
    print(stored);
    return 0;
  }
  if (action == "list") {
    for (const auto& f : metastore.list_functions(1 << 20).items) out << f.name << "\t" << f.connector_name << "\n";
    return 0;
  }
  if (action == "show") {
    print(metastore.get_function(name));
    return 0;
  }
  if (action == "delete") {
    metastore.delete_function(name);
    out << "Function " << name << " deleted\n";
    return 0;
  }
  throw_error(ErrorCode::INVALID_ARGUMENT, "Unknown function action '" + action +
                                               "' (create, update, list, show, delete)");
}

std::string install_aws_cli_waiter(const std::string& home) {
  namespace fs = std::filesystem;
  std::string base = home;
  if (base.empty()) {
    const char* env = std::getenv("HOME");
    base = env && *env ? env : ".";
  }
  fs::path dir = fs::path(base) / ".aws" / "models" / "athena" / "2017-05-18";
  fs::create_directories(dir);
  fs::path file = dir / "waiters-2.json";
  std::ofstream out(file);
  out << R"({
  "version": 2,
  "waiters": {
    "QueryExecutionCompleted": {
      "description": "Wait until a query execution has finished: SUCCEEDED succeeds; FAILED or CANCELLED fail the wait.",
      "operation": "GetQueryExecution",
      "delay": 1,
      "maxAttempts": 3600,
      "acceptors": [
        {"state": "success", "matcher": "path", "argument": "QueryExecution.Status.State", "expected": "SUCCEEDED"},
        {"state": "failure", "matcher": "path", "argument": "QueryExecution.Status.State", "expected": "FAILED"},
        {"state": "failure", "matcher": "path", "argument": "QueryExecution.Status.State", "expected": "CANCELLED"}
      ]
    }
  }
}
)";
  if (!out) throw_error(ErrorCode::INVALID_ARGUMENT, "Cannot write " + file.string());
  return file.string();
}

}  // namespace tributary::cli
