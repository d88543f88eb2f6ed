// MySQL dialect for the mysql connector: the one quoting function for identifiers and
// the one for string literals, the type mapping, and the SQL builder that turns a
// TableMetadata + ScanRequest (and aggregations, joins) into source SQL. Nothing here
// talks to a server, so all of it is unit-tested without one.
//
// Quoting scheme: identifiers in backticks (a backtick doubled); values as literals
// in single quotes with a quote doubled. Every session runs with
// sql_mode='NO_BACKSLASH_ESCAPES', so a backslash is an ordinary character and the
// doubled quote is the only escape. Strings with a NUL or other control byte are
// sent as _utf8mb4 X'hex' instead. The text protocol is used (not prepared
// statements) because it streams with mysql_use_result.
//
// Exactness rules (what is pushed, see docs/connectors/mysql.md):
//   strings   only VARCHAR/TEXT columns, compared under a NO PAD binary collation
//             (utf8mb4_nopad_bin on MariaDB, utf8mb4_0900_bin on MySQL 8) found at connect;
//             none found -> string predicates stay in tributary
//   doubles   only constants exactly representable in the column type (REAL: float)
//   dates     'YYYY-MM-DD' literals, with a guard so zero dates ('0000-00-00',
//             '2024-00-10'), which read as NULL, behave as NULL
//   years     YEAR columns only against constants 1901..2155 (MySQL reads 24 as 2024)
//   others    BIT, ENUM, SET, TIME, JSON, BINARY, CHAR and DECIMAL(p>38) stay in tributary
// Expressions (ScanRequest::expressions: LIKE, AND/OR/NOT, IS NULL, IN, comparisons with a
// constant or between two columns of one class) follow the same rules node by node, with
// MySQL's three-valued logic; dates compare as NULL when zero, LIKE runs under the NO PAD
// binary collation with an explicit ESCAPE '!'. One untranslatable node keeps the whole
// conjunct in tributary.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"

namespace tributary {

// `name` in backticks with embedded backticks doubled. Throws INVALID_ARGUMENT on a NUL byte.
std::string mysql_quote_identifier(const std::string& name);
// A string literal valid under NO_BACKSLASH_ESCAPES: 'it''s', or _utf8mb4 X'..' for control bytes.
std::string mysql_quote_literal(const std::string& value);

// The tributary type for an information_schema COLUMNS.COLUMN_TYPE such as
// "int(10) unsigned", "decimal(10,2)", "tinyint(1)", "datetime(6)", "enum('a','b')".
Type mysql_column_type(const std::string& column_type);

// How a column's source values are compared in the source (decides what is pushed).
enum class MysqlClass { NONE, INTEGER, DECIMAL, REAL, DOUBLE, STRING, DATE, TIMESTAMP };

struct MysqlColumn {
  std::string name;         // as stored in the server
  std::string column_type;  // COLUMN_TYPE, lower case
  std::string charset;      // CHARACTER_SET_NAME, "" for non-strings
  Type type;                // mysql_column_type(column_type)
  bool bit = false;         // BIT(n): raw big-endian bytes on the wire
};

struct MysqlTable {
  std::string schema;  // as stored
  std::string name;    // as stored
  std::vector<MysqlColumn> columns;
  int integer_key = -1;  // index of a single-column integer primary key, or -1
};

// What the connected server supports; decided once per catalog.
struct MysqlDialect {
  std::string exact_collation;  // NO PAD binary utf8mb4 collation, "" if none
  bool pushdown = true;         // false: nothing is pushed (catalog property pushdown=false)
};

// How one output column is read from its result field(s).
enum class MysqlReadKind {
  VALUE,        // one field parsed as `type`
  AVG_INTEGER,  // two fields SUM, COUNT -> double sum / count
  AVG_DECIMAL,  // two fields SUM, COUNT -> decimal sum / count rounded half away from zero
};

struct MysqlOutput {
  Type type;
  MysqlReadKind kind = MysqlReadKind::VALUE;
  std::vector<std::string> exprs;  // select-list expressions (1, or 2 for AVG_*)
  bool bit = false;                // BIT source column
  bool strict = false;             // a value that does not fit `type` is an error, not NULL
};

// A SELECT in parts; sql() assembles it with an optional extra condition (a split range).
struct MysqlQuery {
  std::vector<MysqlOutput> outputs;
  std::string from;                     // "`db`.`t`" or a join
  std::vector<std::string> conditions;  // AND-ed
  std::string group_by;                 // "" or "e1, e2"
  std::string order_by;                 // "" or "e1 ASC, ..."
  std::optional<int64_t> limit;
  std::string sql(const std::string& extra_condition = "") const;
};

// Source SQL behind a table that absorbed an aggregation or a join.
class MysqlQueryHandle : public ConnectorTableHandle {
 public:
  explicit MysqlQueryHandle(MysqlQuery query) : query_(std::move(query)) {}
  std::string describe() const override { return query_.sql(); }
  const MysqlQuery& query() const { return query_; }

 private:
  MysqlQuery query_;
};

struct MysqlScan {
  MysqlQuery query;
  bool constraint_enforced = false;
  bool limit_enforced = false;
  bool order_enforced = false;
  std::vector<bool> expressions_enforced;  // parallel to ScanRequest::expressions
};

MysqlClass mysql_class(const MysqlColumn& column, const MysqlDialect& dialect);

// Trino's LIKE pattern (optional escape character) rewritten for MySQL's `LIKE ... ESCAPE '!'`:
// '!' is doubled; with a Trino escape e: e% -> !%, e_ -> !_, ee -> e (as a literal).
// nullopt when Trino rejects the pattern (bad escape): the engine then reports the error.
std::optional<std::string> mysql_like_pattern(const std::string& pattern, const std::optional<std::string>& escape);

// One ScanRequest expression (a boolean conjunct) as a MySQL condition over `source`
// (columns referenced through `alias`), with Trino's exact semantics incl. NULLs; nullopt
// when any node cannot be translated exactly.
std::optional<std::string> mysql_expression_sql(const PushedExpression& expression, const MysqlTable& source,
                                                const std::string& alias, const MysqlDialect& dialect);

// The scan of `table` (a plain table described by `source`, or one with a MysqlQueryHandle).
MysqlScan build_mysql_scan(const MysqlTable& source, const TableMetadata& table, const ScanRequest& request,
                           const MysqlDialect& dialect);

// Aggregation pushdown; nullopt when any part cannot run in MySQL with Trino's semantics.
std::optional<TableMetadata> build_mysql_aggregation(const MysqlTable& source, const TableMetadata& table,
                                                     const ScanRequest& request,
                                                     const AggregationRequest& aggregation,
                                                     const MysqlDialect& dialect);

// Join pushdown of two plain tables of one catalog; nullopt when not exact.
std::optional<TableMetadata> build_mysql_join(const MysqlTable& left_source, const TableMetadata& left,
                                              const ScanRequest& left_request, const MysqlTable& right_source,
                                              const TableMetadata& right, const ScanRequest& right_request,
                                              const JoinRequest& join, const MysqlDialect& dialect);

}  // namespace tributary
