// PostgreSQL dialect pieces that need no server: identifier and literal quoting,
// the type mapping from format_type() strings, and the generator of the SQL text
// a scan, a pushed-down aggregation or a pushed-down join sends to the source.
//
// Literals are inlined (COPY cannot take bind parameters) through the single
// quoting function pg_quote_literal(); the session runs with
// standard_conforming_strings=on, so only the single quote needs doubling.
// Identifiers always go through pg_quote_identifier().
//
// ScanRequest::expressions (LIKE, AND/OR/NOT, IS NULL, IN, comparisons) are translated node
// by node with the domain rules (values as tributary reads them, text under COLLATE "C",
// NaN guards for floats, LIKE with an explicit ESCAPE '!'); one untranslatable node keeps
// the whole conjunct in tributary.
//
// Everything here is pure and thread-safe.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/connector.h"

namespace tributary::postgres {

// How a column's text form (COPY text format) is decoded, and which pushdowns are exact.
enum class ValueKind {
  INTEGER,            // smallint, integer, bigint
  REAL,               // real (float4)
  DOUBLE,             // double precision
  NUMERIC,            // numeric(p,s): exact; 'NaN' reads as NULL
  NUMERIC_UNBOUNDED,  // numeric: decimal(38,9), rounded; values that do not fit read as NULL
  BOOLEAN,
  TEXT,               // text, varchar(n): byte-exact comparisons (with COLLATE "C" for order)
  CHAR,               // character(n): blank-padded, PostgreSQL ignores the padding: no pushdown
  OTHER_TEXT,         // uuid, json, time, interval, arrays, ...: PostgreSQL's text form, no pushdown
  BYTEA,
  DATE,               // +-infinity read as NULL
  TIMESTAMP,          // timestamp(p); +-infinity read as NULL
  TIMESTAMPTZ,        // timestamp(p) with time zone, read in UTC; +-infinity read as NULL
};

struct TypeMapping {
  Type type;
  ValueKind kind;
};

// Maps a PostgreSQL format_type() string ("numeric(10,2)", "character varying(20)",
// "timestamp(3) with time zone", "integer[]") to tributary's type. Never throws:
// anything unknown becomes varchar (PostgreSQL's text form).
TypeMapping map_postgres_type(const std::string& format_type);

// "name" with embedded double quotes doubled.
std::string pg_quote_identifier(std::string_view name);
// 'text' with embedded single quotes doubled (standard_conforming_strings=on).
// PostgreSQL text cannot hold NUL bytes: try_ returns nullopt, the other throws
// Error(INVALID_ARGUMENT).
std::optional<std::string> try_pg_quote_literal(std::string_view text);
std::string pg_quote_literal(std::string_view text);

// A column of a source relation: its name as stored in PostgreSQL (case kept) and mapping.
struct SourceColumn {
  std::string name;
  std::string source_type;  // format_type() text
  Type type;
  ValueKind kind;
};

// A relation SQL can read from: a table (schema + name) or a derived query (pushed-down
// aggregation/join) whose output columns are named c0..cN.
struct SourceRelation {
  std::string schema;
  std::string name;
  std::string subquery;  // non-empty for derived relations
  std::vector<SourceColumn> columns;
  int split_column = -1;  // single-column integer primary key, or -1
  double reltuples = -1;  // pg_class.reltuples, -1 when unknown

  // The FROM item: "schema"."name" or (subquery) AS "q".
  std::string from_sql() const;
};

struct ScanSql {
  std::string sql;  // SELECT ... (without COPY)
  bool constraint_enforced = false;
  bool limit_enforced = false;
  bool order_enforced = false;
  std::vector<bool> expressions_enforced;  // parallel to ScanRequest::expressions
};

// The WHERE condition for one column's domain with tributary's semantics (values that
// read as NULL behave as NULL), or nullopt when it cannot be expressed exactly. An
// empty string means "no restriction".
std::optional<std::string> domain_sql(const SourceColumn& column, const std::string& qualified, const Domain& domain);

// Trino's LIKE pattern (optional escape character) rewritten for `LIKE ... ESCAPE '!'`
// (PostgreSQL's default escape is a backslash): '!' is doubled; with a Trino escape e:
// e% -> !%, e_ -> !_, ee -> e (as a literal). nullopt when Trino rejects the pattern.
std::optional<std::string> pg_like_pattern(const std::string& pattern, const std::optional<std::string>& escape);

// One ScanRequest expression (a boolean conjunct) as a PostgreSQL condition with Trino's
// exact semantics incl. NULLs; nullopt when any node cannot be translated exactly.
std::optional<std::string> expression_sql(const SourceRelation& relation, const PushedExpression& expression);

// Builds the scan query. `extra_condition` (a split's key range) is ANDed in.
// With pushdown disabled only the projection is pushed.
ScanSql build_scan_sql(const SourceRelation& relation, const ScanRequest& request, bool pushdown,
                       const std::string& extra_condition = "");

// A pushed-down aggregation or join: the SQL of a derived relation and its columns (c0..cN).
struct DerivedQuery {
  std::string sql;
  std::vector<SourceColumn> columns;
  std::vector<std::string> display_names;  // column names presented to the engine
};

std::optional<DerivedQuery> build_aggregation_sql(const SourceRelation& relation, const ScanRequest& request,
                                                  const AggregationRequest& aggregation);
std::optional<DerivedQuery> build_join_sql(const SourceRelation& left, const ScanRequest& left_request,
                                           const SourceRelation& right, const ScanRequest& right_request,
                                           const JoinRequest& join);

}  // namespace tributary::postgres
