// Hive-style partitions: folders named `key=value` below a table's folder, whose values
// become columns of every row of the files inside. This file holds what every reader of such
// folders shares (the files connector, path tables, and the lake catalog): folder names,
// value escaping, the types inferred for keys, and pruning by a scan's filters.
//
// All functions are pure and thread-safe; none throws except where noted.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "connector/connector.h"

namespace tributary::files {

// The folder value Hive (and Spark, DuckDB, Athena's CTAS) writes for a NULL partition value.
inline constexpr const char* kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Hive's FileUtils.escapePathName: '%XX' for control characters and "#%'*/:=?\{[]^ .
std::string escape_path_name(std::string_view text);
// The inverse: every '%' followed by two hex digits becomes that byte; anything else
// (a lone '%', '%zz') stays as it is.
std::string unescape_path_name(std::string_view text);

struct PartitionFolder {
  std::string key;    // unescaped, lower case (column names are)
  std::string value;  // unescaped; kHiveDefaultPartition for NULL
};
// `name` as a partition folder: "key=value" with a non-empty key (the value may be empty).
// nullopt for any other folder name.
std::optional<PartitionFolder> parse_partition_folder(std::string_view name);

// The type of a partition key from all its (unescaped) folder values, as DuckDB's
// hive_types_autocast decides it: BIGINT when every value is an integer written the way
// BIGINT prints it (no '+', no leading zeros: `month=03` is not), else DATE when every value
// is a valid YYYY-MM-DD date, else VARCHAR. kHiveDefaultPartition values are NULL and do not
// count; a key with only NULLs is VARCHAR.
Type infer_partition_type(const std::vector<std::string>& values);

// One folder value as a value of `type`: NULL for kHiveDefaultPartition, or when the text
// does not convert to `type` (a declared type in a metastore may not fit every folder).
Value partition_value(const std::string& value, const Type& type);

// Pruning. `values` maps table column indexes of partition columns to this partition's
// values. False when the partition's values prove that no row satisfies `constraint`.
bool partition_may_match(const std::map<int, Value>& values, const TupleDomain& constraint);

// True when `expression` reads only columns in `values` and uses only what
// evaluate_partition_expression understands (comparisons, IN, IS NULL, AND/OR/NOT,
// constants; not LIKE): it is then exactly decided per partition.
bool is_partition_expression(const PushedExpression& expression, const std::map<int, Value>& values);
// SQL's three-valued result of a partition expression for one partition: a boolean Value,
// or NULL (unknown). Call only when is_partition_expression() holds.
Value evaluate_partition_expression(const PushedExpression& expression, const std::map<int, Value>& values);

// Which parts of a scan request partition pruning decides exactly, for apply_pushdown():
// the constraint when it restricts only partition columns, and each expression that is a
// partition expression. `partition_columns` are table column indexes.
struct PartitionPushdown {
  bool constraint_enforced = false;
  std::vector<bool> expressions_enforced;  // parallel to ScanRequest::expressions
};
PartitionPushdown partition_pushdown(const std::vector<int>& partition_columns, const ScanRequest& request);

// True when the partition with `values` may hold rows of `request`: its constraint and its
// partition expressions (those evaluating to FALSE or NULL rule the partition out).
bool partition_may_match(const std::map<int, Value>& values, const ScanRequest& request);

}  // namespace tributary::files
