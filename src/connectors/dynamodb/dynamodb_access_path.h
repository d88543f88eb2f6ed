// Chooses how to read a DynamoDB table for a ScanRequest, without talking to a server:
//   equality on the hash key (and on the range key, if any)      -> GetItem
//   several single values on the key (an IN list, a dynamic filter) -> BatchGetItem
//   single hash-key values plus an optional sort-key range          -> Query (one per value)
//   the same on a GSI/LSI's keys, when the index projects every
//   needed attribute                                                 -> Query on the index
//   otherwise                                                        -> Scan (parallel segments)
// The remaining domains become a FilterExpression where DynamoDB can evaluate them
// (Scan/Query, non-key attributes of the queried index); whatever is not translated
// exactly is re-checked on the read rows (ScanPlan::residual), so a plan always
// enforces the whole constraint when pushdown is on.
//
// Thread-safety: pure functions over immutable inputs.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "connector/connector.h"
#include "connectors/dynamodb/dynamodb_expressions.h"
#include "connectors/dynamodb/dynamodb_schema.h"

namespace tributary::dynamodb {

enum class AccessKind { EMPTY, GET_ITEM, BATCH_GET_ITEM, QUERY, SCAN };

const char* access_kind_name(AccessKind kind);

struct AccessPath {
  AccessKind kind = AccessKind::SCAN;
  std::string index_name;                  // QUERY on a secondary index; empty for the table
  int hash_column = -1;                    // QUERY: the (index's) hash key column
  int range_column = -1;                   // QUERY: the (index's) range key column
  std::vector<nlohmann::json> keys;        // GET/BATCH_GET: full primary keys {"attr": {"S": ..}}
  std::vector<nlohmann::json> hash_values; // QUERY: one Query per typed hash-key value
  std::optional<Range> range;              // QUERY: sort-key condition
  std::set<int> enforced_columns;          // columns whose domains the key access enforces exactly
};

// Picks the access path. `max_keys` bounds GetItem/BatchGetItem keys and Query values.
AccessPath choose_access_path(const TableDescription& table, const ScanRequest& request, size_t max_keys = 10000);

struct ScanOptions {
  bool pushdown = true;
  int scan_segments = 0;  // 0 = from table size and cores
  int cores = 1;
};

// Everything a page source needs besides the split: expressions and what to re-check.
struct ScanPlan {
  AccessPath path;
  ExpressionBuilder builder;          // names/values of the filter and projection
  std::string filter_expression;      // Scan/Query; empty = none
  std::string projection_expression;  // empty = whole items
  std::vector<int> read_columns;      // table columns read: request.columns, then residual-only ones
  std::vector<std::pair<int, Domain>> residual;  // (position in read_columns, domain) re-checked per row
  bool constraint_enforced = false;
  bool count_only = false;            // Scan with Select=COUNT (no columns, nothing to re-check)
  int segments = 1;                   // SCAN
  bool limit_enforced = false;
  // "dynamodb Scan on T (4 segments, filter: #n0 = :v0)" and the placeholders, for EXPLAIN.
  std::vector<std::string> describe(const TableDescription& table) const;
};

ScanPlan plan_scan(const TableDescription& table, const ScanRequest& request, const ScanOptions& options);

// Segments for a Scan: the explicit setting, else about one per 4 MB of table, at most 4 per
// core, at least 1; 1 when a LIMIT is enforced (stop early in one stream).
int choose_scan_segments(const TableDescription& table, const ScanOptions& options);

}  // namespace tributary::dynamodb
