// Trino LIKE patterns for SQL sources: rewrites a pattern (with Trino's optional ESCAPE
// character) into one that means exactly the same with `ESCAPE '!'`, the escape every SQL
// connector sends explicitly (MySQL and PostgreSQL differ in their default escape).
#pragma once
#include <optional>
#include <string>

namespace tributary {

// nullopt when Trino itself would reject the pattern (bad escape use): the engine then
// keeps the predicate and raises Trino's error.
std::optional<std::string> like_pattern_with_bang_escape(const std::string& pattern,
                                                         const std::optional<std::string>& escape);

}  // namespace tributary
