// The abstract syntax tree of tributary's SQL dialect (Trino/Athena).
// Produced by Parser, consumed by the planner's binder. Plain structs with
// shared_ptr children; every node keeps the line/column where it started so
// bind errors can point at it. Unquoted identifiers are lower-cased by the
// lexer (Trino is case-insensitive); quoted identifiers keep their case.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tributary::sql {

struct Location {
  int line = 0;
  int column = 0;
};

struct Query;
struct Expr;
struct Statement;
using ExprPtr = std::shared_ptr<Expr>;
using QueryPtr = std::shared_ptr<Query>;

enum class ExprKind {
  LITERAL,
  IDENTIFIER,       // name = [catalog?, schema?, table?, column] parts
  STAR,             // `*` or `t.*` (only in select lists and count(*))
  FUNCTION_CALL,
  BINARY,           // op: + - * / % || = <> < <= > >=
  UNARY_MINUS,
  AND,
  OR,
  NOT,
  IS_NULL,          // negated: IS NOT NULL
  IS_DISTINCT_FROM, // negated: IS NOT DISTINCT FROM
  BETWEEN,          // args: value, low, high; negated
  IN_LIST,          // args: value, items...; negated
  IN_SUBQUERY,      // args: value; subquery; negated
  EXISTS,           // subquery
  SCALAR_SUBQUERY,  // subquery
  LIKE,             // args: value, pattern[, escape]; negated
  CASE,             // operand (optional), whens, else
  CAST,             // args[0], type_name, try_cast
  EXTRACT,          // text = field, args[0]
  PARAMETER,        // `?`, parameter_index
  ROW,              // (a, b) in IN lists / VALUES
  ARRAY,            // ARRAY[...] (table properties)
};

enum class LiteralKind { NULL_, BOOLEAN, INTEGER, DECIMAL, DOUBLE, STRING, TYPED, INTERVAL };

struct WindowFrameBound {
  enum Kind { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING } kind = CURRENT_ROW;
  ExprPtr offset;
};

struct OrderItem {
  ExprPtr expr;
  bool ascending = true;
  std::optional<bool> nulls_first;  // default: NULLS LAST (Trino)
};

struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  bool has_frame = false;
  bool rows = true;  // ROWS (true) or RANGE (false)
  WindowFrameBound start, end;
};

struct Expr {
  ExprKind kind = ExprKind::LITERAL;
  Location location;
  // LITERAL
  LiteralKind literal_kind = LiteralKind::NULL_;
  std::string text;         // literal text / typed literal value / EXTRACT field / interval value
  std::string type_name;    // TYPED literal type (DATE, TIMESTAMP, DECIMAL...), CAST target, INTERVAL unit
  std::string interval_end_unit;  // INTERVAL '1-2' YEAR TO MONTH
  bool interval_negative = false;
  // IDENTIFIER / FUNCTION_CALL / STAR qualifier
  std::vector<std::string> name;
  std::string op;           // BINARY operator
  std::vector<ExprPtr> args;
  bool distinct = false;    // FUNCTION_CALL(DISTINCT ...)
  bool negated = false;
  bool try_cast = false;
  bool count_star = false;  // count(*)
  ExprPtr filter;           // aggregate FILTER (WHERE ...)
  std::shared_ptr<WindowSpec> window;
  bool ignore_nulls = false;
  QueryPtr subquery;
  ExprPtr operand;          // CASE operand
  std::vector<std::pair<ExprPtr, ExprPtr>> whens;
  ExprPtr else_result;
  int parameter_index = 0;
};

struct SelectItem {
  ExprPtr expr;             // STAR for `*` / `t.*`
  std::string alias;        // empty if none
  Location location;
};

struct Relation;
using RelationPtr = std::shared_ptr<Relation>;

enum class JoinType { INNER, LEFT, RIGHT, FULL, CROSS };

struct Relation {
  enum Kind { TABLE, SUBQUERY, JOIN, VALUES, TABLE_FUNCTION } kind = TABLE;
  Location location;
  std::vector<std::string> name;         // TABLE: qualified name parts; TABLE_FUNCTION: function name
  std::string alias;
  std::vector<std::string> column_aliases;
  QueryPtr subquery;                     // SUBQUERY / VALUES (as a query)
  JoinType join_type = JoinType::INNER;
  RelationPtr left, right;
  ExprPtr on;
  std::vector<std::string> using_columns;
  bool natural = false;
  std::vector<ExprPtr> function_args;    // TABLE_FUNCTION
};

struct QuerySpec {
  bool distinct = false;
  std::vector<SelectItem> select;
  RelationPtr from;  // may be null: SELECT 1
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
};

struct QueryBody;
using QueryBodyPtr = std::shared_ptr<QueryBody>;

struct QueryBody {
  enum Kind { SPEC, SET_OPERATION, VALUES, NESTED } kind = SPEC;
  Location location;
  QuerySpec spec;
  // SET_OPERATION
  enum SetOp { UNION, INTERSECT, EXCEPT } set_op = UNION;
  bool all = false;
  QueryBodyPtr left, right;
  // VALUES: rows of expressions (a ROW expr or a single value per row)
  std::vector<std::vector<ExprPtr>> rows;
  // NESTED: a parenthesized query with its own ORDER BY / LIMIT
  QueryPtr nested;
};

struct WithItem {
  std::string name;
  std::vector<std::string> column_aliases;
  QueryPtr query;
  Location location;
};

struct Query {
  std::vector<WithItem> with;
  bool recursive = false;  // WITH RECURSIVE
  QueryBodyPtr body;
  std::vector<OrderItem> order_by;
  ExprPtr limit;   // null = no limit; LIMIT ALL = null
  ExprPtr offset;
  Location location;
};

enum class StatementKind {
  QUERY,
  SHOW_CATALOGS,
  SHOW_SCHEMAS,
  SHOW_TABLES,
  SHOW_COLUMNS,     // also DESCRIBE
  SHOW_FUNCTIONS,
  EXPLAIN,
  EXPLAIN_ANALYZE,
  USE,
  CREATE_VIEW,
  DROP_VIEW,
  SHOW_CREATE_VIEW,
  SHOW_VIEWS,
  // Athena's Hive DDL for the AwsDataCatalog
  CREATE_SCHEMA,      // CREATE DATABASE|SCHEMA
  DROP_SCHEMA,
  CREATE_TABLE,       // CREATE EXTERNAL TABLE (columns, PARTITIONED BY, ROW FORMAT, STORED AS, LOCATION, TBLPROPERTIES)
  DROP_TABLE,
  SHOW_PARTITIONS,
  REPAIR_TABLE,       // MSCK REPAIR TABLE
  ADD_PARTITIONS,     // ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (k='v', ...) [LOCATION '...'] ...
  DROP_PARTITIONS,    // ALTER TABLE t DROP [IF EXISTS] PARTITION (k='v', ...), ...
  CREATE_TABLE_AS,    // CREATE TABLE [IF NOT EXISTS] t [(column names)] [WITH (k = v, ...)] AS query [WITH [NO] DATA]
  INSERT,             // INSERT INTO t [(columns)] query
  SHOW_CREATE_TABLE,  // SHOW CREATE TABLE t
};

// A column of CREATE EXTERNAL TABLE: the type as written (Hive spellings such as string,
// int, array<string> are kept verbatim; the catalog maps them).
struct ColumnDefinition {
  std::string name;
  std::string type;
  std::string comment;
  Location location;
};

struct PartitionSpec {
  std::vector<std::pair<std::string, std::string>> values;  // key = 'value', in the order written
  std::string location;
};

struct Statement {
  StatementKind kind = StatementKind::QUERY;
  Location location;
  QueryPtr query;
  std::vector<std::string> name;  // SHOW SCHEMAS FROM c / SHOW TABLES FROM c.s / SHOW COLUMNS FROM t / USE c.s / view name
  std::string like_pattern;
  bool has_like = false;
  std::shared_ptr<Statement> inner;  // EXPLAIN
  bool or_replace = false;
  bool if_exists = false;
  std::string original_sql;          // view definition text
  // DDL (CREATE DATABASE / EXTERNAL TABLE, DROP, partitions)
  bool if_not_exists = false;
  bool cascade = false;
  std::vector<ColumnDefinition> columns;
  std::vector<ColumnDefinition> partition_columns;
  std::string comment;
  std::string location_uri;                            // LOCATION 'uri'
  std::string stored_as;                               // PARQUET, TEXTFILE, JSON, ... (upper case)
  std::string row_format_serde;                        // ROW FORMAT SERDE 'class'
  std::map<std::string, std::string> serde_properties; // ROW FORMAT DELIMITED ... / WITH SERDEPROPERTIES
  std::map<std::string, std::string> properties;       // TBLPROPERTIES / WITH DBPROPERTIES
  std::vector<PartitionSpec> partitions;
  // CREATE TABLE AS: WITH (key = value) table properties: strings, numbers and booleans as text,
  // ARRAY['a', 'b'] as a list (partitioned_by, bucketed_by); keys lower-cased.
  std::map<std::string, std::string> with_properties;
  std::map<std::string, std::vector<std::string>> with_list_properties;
  bool with_data = true;                  // WITH NO DATA: create the table only
  std::vector<std::string> column_names;  // CREATE TABLE t (a, b) AS / INSERT INTO t (a, b)
};
using StatementPtr = std::shared_ptr<Statement>;

// Renders an expression back to SQL-ish text (column names for unnamed select items, EXPLAIN).
std::string expr_to_string(const Expr& expr);

}  // namespace tributary::sql
