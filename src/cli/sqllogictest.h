// Our sqllogictest runner (DuckDB-style files). Directives:
//   statement ok | statement error [substring]      followed by SQL up to a blank line
//   query <types> [rowsort|nosort]                  SQL, then `----`, then expected rows
//                                                   (tab-separated; NULL; (empty) for '')
//   query error [substring]                         same as statement error
//   catalog <name> <connector> key=value ...        registers a catalog
//   use <catalog>.<schema>                          sets the session defaults
//   exec <shell command>                            runs a setup command (sh -c)
// ${TEST_DIR} expands to the test file's directory, ${TMP} to a fresh temp dir, and
// ${NAME} to the environment variable NAME (an unset one fails the file).
#pragma once
#include <string>
#include <vector>

namespace tributary::cli {

// Runs the files; prints failures and a summary line. Returns 0 if all passed.
int run_sqllogictest(const std::vector<std::string>& files, bool verbose);

}  // namespace tributary::cli
