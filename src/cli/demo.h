// `tributary demo`: the recipe's scenario on embedded sources (SQLite as the
// relational source, a DynamoDB JSON export as the key-value source, a CSV
// data lake), running the recipe's federated queries and printing results.
#pragma once
#include <string>

namespace tributary::cli {

// Returns the process exit code. `keep_dir` non-empty: write the data there and keep it.
int run_demo(const std::string& keep_dir);

}  // namespace tributary::cli
