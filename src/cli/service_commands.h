// The service-side commands of the `tributary` binary: user and connector-function
// management on a data directory's metastore, and `aws-cli-setup` (installs the
// QueryExecutionCompleted waiter model for the aws CLI).
#pragma once
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace tributary::cli {

// The data directory: explicit value, else $TRIBUTARY_DATA_DIR, else ~/.tributary.
std::string default_data_dir(const std::string& explicit_dir);

// `tributary user add|list|delete`. Returns the exit code.
int user_command(const std::string& data_dir, const std::string& action, const std::string& name,
                 const std::string& access_key_id, const std::string& secret_access_key, std::ostream& out);

// `tributary function create|update|list|show|delete`. Properties are KEY=VALUE texts.
int function_command(const std::string& data_dir, const std::string& action, const std::string& name,
                     const std::string& connector, const std::vector<std::string>& properties, std::ostream& out);

// Writes ~/.aws/models/athena/2017-05-18/waiters-2.json (or under `home`), so that
// `aws athena wait query-execution-completed` works. Returns the path written.
std::string install_aws_cli_waiter(const std::string& home);

}  // namespace tributary::cli
