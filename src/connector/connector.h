// The connector SPI: what every source implements (files, sqlite, system,
// later mysql, postgres, dynamodb, ...). Modelled on Trino's SPI and the Athena
// Query Federation SDK: metadata, splits, page sources, pushdown.
//
// Flow: the planner resolves a table with get_table(), offers pushdown with
// apply_pushdown() (the connector says what it enforces; the engine keeps the
// rest), then plan_splits() cuts the scan into independent splits, and workers
// call open() per split and pull chunks with next().
//
// Thread-safety: a Connector is shared by all queries and threads: all its
// methods must be thread-safe. A PageSource is used by one thread at a time.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "vector/vector.h"

namespace tributary {

// Connector-private state of a table that absorbed pushed-down work (an aggregation,
// a join): the connector creates it in apply_aggregation/apply_join and reads it back
// in plan_splits/open. Immutable once created.
class ConnectorTableHandle {
 public:
  virtual ~ConnectorTableHandle() = default;
  // For EXPLAIN, e.g. the generated source SQL.
  virtual std::string describe() const = 0;
};

struct ColumnMetadata {
  std::string name;
  Type type;
  bool nullable = true;
  std::string comment;
};

struct TableMetadata {
  std::string schema;
  std::string name;
  std::vector<ColumnMetadata> columns;
  std::optional<double> row_count;  // estimate, if the source knows it
  std::string location;             // free-form (path, URL), shown in EXPLAIN
  // Set when this "table" is the result of pushed-down work (see apply_aggregation);
  // null for plain tables.
  std::shared_ptr<const ConnectorTableHandle> handle;
  // Returns the index of a column by case-insensitive name, or -1.
  int column_index(const std::string& column) const;
};

// A closed/open interval of one column's values. Unbounded ends ignore the value.
struct Range {
  Value low;
  Value high;
  bool low_unbounded = true;
  bool high_unbounded = true;
  bool low_inclusive = true;
  bool high_inclusive = true;

  static Range equal(const Value& v) {
    Range r;
    r.low = r.high = v;
    r.low_unbounded = r.high_unbounded = false;
    return r;
  }
  bool is_single_value() const {
    return !low_unbounded && !high_unbounded && low_inclusive && high_inclusive && low.compare(high) == 0;
  }
  bool contains(const Value& v) const;
};

// The allowed values of one column: a union of ranges, plus whether NULL is allowed.
// `ranges` empty and !null_allowed means no value passes (the predicate is false).
struct Domain {
  std::vector<Range> ranges;
  bool null_allowed = false;
  bool all = false;  // no restriction on non-null values

  static Domain all_values(bool null_allowed = true) {
    Domain d;
    d.all = true;
    d.null_allowed = null_allowed;
    return d;
  }
  static Domain only_null() {
    Domain d;
    d.null_allowed = true;
    return d;
  }
  bool contains(const Value& v) const;
  // True when some non-null value in [min, max] (inclusive, non-null bounds) may be in the
  // domain: for pruning by min/max statistics (Parquet row groups, partitions).
  bool may_overlap(const Value& min, const Value& max) const;
  bool is_none() const { return !all && ranges.empty() && !null_allowed; }
  // Ranges sorted and merged; single-value ranges stay separate.
  std::string to_string(const std::string& column) const;
};

// Conjunction of per-column domains, keyed by the table's column index.
struct TupleDomain {
  std::map<int, Domain> columns;
  bool none = false;  // a contradiction: no row passes
  bool is_all() const { return !none && columns.empty(); }
};

struct SortItem {
  int column;  // table column index
  bool ascending = true;
  bool nulls_first = false;
};

// What the engine asks of a scan. Column indexes refer to TableMetadata::columns.
// A filter the engine offers beyond the tuple domain: LIKE, OR across columns, NOT,
// comparisons between columns. A tree over the table's columns and constants; the
// connector may translate it (with identical semantics, incl. NULLs) or ignore it.
struct PushedExpression {
  enum class Kind {
    COLUMN,    // column: table column index
    CONSTANT,  // value (may be NULL)
    COMPARE,   // op: "=", "<>", "<", "<=", ">", ">=" over args[0], args[1] (same type)
    LIKE,      // args: value, pattern[, escape] (varchar)
    AND,
    OR,
    NOT,
    IS_NULL,   // args[0] IS NULL
    IN,        // args[0] IN (args[1..]) (constants of args[0]'s type)
  };
  Kind kind = Kind::CONSTANT;
  std::string op;
  int column = -1;
  Type type;  // the result type: boolean for predicates, the column/constant type otherwise
  Value value;
  std::vector<std::shared_ptr<const PushedExpression>> args;
  std::string to_string(const std::vector<std::string>& column_names) const;
};
using PushedExpressionPtr = std::shared_ptr<const PushedExpression>;

struct ScanRequest {
  std::vector<int> columns;               // to produce, in this order (may be empty: count(*))
  TupleDomain constraint;                 // rows outside may be skipped
  // Further conjuncts (each a boolean PushedExpression); rows where one is not TRUE may be
  // skipped. The engine re-checks those the connector does not enforce.
  std::vector<PushedExpressionPtr> expressions;
  std::optional<int64_t> limit;           // only a hint unless the connector enforces it
  std::vector<SortItem> order;            // top-N: with limit, the first `limit` rows in this order
};

// The connector's answer to apply_pushdown().
struct PushdownResult {
  bool constraint_enforced = false;  // true: every returned row satisfies `constraint` exactly
  bool limit_enforced = false;       // true: at most `limit` rows are returned in total
  bool order_enforced = false;       // true: rows come back in `order` (single split)
  // Parallel to ScanRequest::expressions: true where the connector filters exactly by it.
  std::vector<bool> expressions_enforced;
  std::vector<std::string> details;  // for EXPLAIN, e.g. the generated source SQL
};

// An aggregation offered to a source (GROUP BY columns with count/sum/min/max/avg).
struct AggregateItem {
  std::string function;    // "count", "sum", "min", "max", "avg"
  int column = -1;         // table column index; -1 for count(*)
  bool distinct = false;
  Type result_type;        // the type tributary expects back (Trino's result type)
};

struct AggregationRequest {
  std::vector<int> group_columns;  // table column indexes
  std::vector<AggregateItem> aggregates;
};

enum class PushedJoinKind { INNER, LEFT, RIGHT, FULL };

// A join of two tables of the same catalog offered to the source.
struct JoinRequest {
  PushedJoinKind kind = PushedJoinKind::INNER;
  std::vector<std::pair<int, int>> equi_columns;  // (left column index, right column index)
};

class Split {
 public:
  virtual ~Split() = default;
  virtual std::string describe() const = 0;
};

enum class PageStatus { HAVE_DATA, FINISHED, BLOCKED };

// What a page source did at its source, for EXPLAIN ANALYZE and query statistics.
struct SourceMetrics {
  uint64_t requests = 0;         // calls made to the source (API requests, statements)
  double capacity_units = 0;     // read capacity consumed (DynamoDB ConsumedCapacity)
  uint64_t rejected_values = 0;  // values read as NULL because they did not fit the column type
  std::string access_path;       // e.g. "BatchGetItem", "Scan segment 2/4"
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  // Fills `out` (the engine initialized it with the requested columns' types) with
  // 0..capacity rows. FINISHED: no more rows (out.size may still be > 0 on the last call).
  // BLOCKED: nothing yet; wait on blocked_future() and call again.
  // Throws Error(SOURCE_ERROR) naming the source on a source failure.
  virtual PageStatus next(Chunk& out) = 0;
  virtual std::shared_future<void> blocked_future() { return {}; }
  // Bytes pulled from the source so far (for DataScannedInBytes).
  virtual uint64_t bytes_read() const = 0;
  // Counters of this page source so far (read when the split ends).
  virtual SourceMetrics metrics() const { return {}; }
  // Asks the source to stop early (KILL QUERY, closing a file): next() may then throw CANCELLED.
  virtual void cancel() {}
  // Starts fetching the source's data in the background (object-store reads) so that it
  // overlaps with the work on another split; true when it did (or already had). The scan then
  // opens each thread's next split one ahead and prefetches it. Called at most once before
  // next(), idempotent.
  virtual bool prefetch() { return false; }
};

// CREATE EXTERNAL TABLE as a catalog receives it (types as written; the catalog maps them).
struct TableDefinition {
  std::string schema;
  std::string name;
  struct Column {
    std::string name;
    std::string type;
    std::string comment;
  };
  std::vector<Column> columns;
  std::vector<Column> partition_columns;
  std::string location;
  std::string format;  // PARQUET, TEXTFILE, JSON (empty: TEXTFILE)
  std::string serde;   // ROW FORMAT SERDE class, if given
  std::map<std::string, std::string> serde_properties;
  std::map<std::string, std::string> properties;
  std::string comment;
};

// Who writes (CTAS, INSERT INTO): names the files of one statement and says where a table
// without an explicit location goes.
struct WriteContext {
  std::string query_id;          // unique per statement; written files are named after it
  std::string default_location;  // CTAS without external_location (Athena: <results>/tables/<id>/); may be empty
};

// A CREATE TABLE AS or INSERT INTO in progress: rows are written as the query produces them
// (write() is called from one thread at a time), commit() stores what is still open and makes
// it part of the table. Destroyed without commit() (the query failed or was cancelled), it
// deletes what it wrote: the table stays as it was (CREATE TABLE AS: there is none).
class TableWriteSession {
 public:
  virtual ~TableWriteSession() = default;
  virtual void write(const Chunk& rows) = 0;
  // Returns the rows written.
  virtual uint64_t commit() = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;

  // CREATE TABLE AS: `table` holds the query's columns (types as engine type names, e.g.
  // "decimal(12,2)"), the partition columns (also typed, last in the query's order), the
  // location (external_location) and the remaining WITH properties in `properties`
  // (format, write_compression, field_delimiter, ...; list values comma-joined). Checks all of
  // it (and that the location is free) before the query runs. Rows are laid out as columns
  // then partition columns. Default: NOT_SUPPORTED.
  virtual std::unique_ptr<TableWriteSession> begin_create_table_as(const TableDefinition& table,
                                                                   const WriteContext& context);
  // INSERT INTO: rows have the table's columns (as get_table() lists them) and types.
  virtual std::unique_ptr<TableWriteSession> begin_insert(const std::string& schema, const std::string& table,
                                                          const WriteContext& context);

  // DDL of catalogs that own their metadata (the AwsDataCatalog). Default: NOT_SUPPORTED.
  virtual void create_schema(const std::string& schema, const std::string& location,
                             const std::map<std::string, std::string>& properties, bool if_not_exists);
  virtual void drop_schema(const std::string& schema, bool if_exists, bool cascade);
  virtual void create_table(const TableDefinition& table, bool if_not_exists);
  virtual void drop_table(const std::string& schema, const std::string& table, bool if_exists);
  // SHOW CREATE TABLE: the DDL that recreates the table. Default: NOT_SUPPORTED.
  virtual std::string show_create_table(const std::string& schema, const std::string& table);
  // Partitions as "key=value/key=value" paths, in order.
  virtual std::vector<std::string> list_partitions(const std::string& schema, const std::string& table);
  // MSCK REPAIR TABLE: registers the key=value/ folders found under the table's location;
  // returns how many were added.
  virtual int repair_table(const std::string& schema, const std::string& table);
  // values: per partition, (key, value) pairs; location empty = <table location>/k=v/...
  virtual int add_partitions(const std::string& schema, const std::string& table,
                             const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>>& partitions,
                             bool if_not_exists);
  virtual int drop_partitions(const std::string& schema, const std::string& table,
                              const std::vector<std::vector<std::pair<std::string, std::string>>>& partitions,
                              bool if_exists);
  // The connector type, e.g. "sqlite".
  virtual std::string type() const = 0;

  virtual std::vector<std::string> list_schemas() = 0;
  virtual std::vector<std::string> list_tables(const std::string& schema) = 0;
  // Resolves names case-insensitively; nullopt when the schema or table does not exist.
  virtual std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) = 0;

  // Decides which parts of `request` the connector enforces. May rewrite nothing
  // in `request` except to drop parts it cannot use at all. Default: nothing enforced.
  virtual PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) {
    (void)table;
    (void)request;
    return {};
  }
  // Aggregation pushdown: if the source can compute `aggregation` over the rows of
  // `table` that satisfy `request.constraint` with Trino's exact semantics, return a table
  // (with a handle) whose columns are the group columns then one per aggregate, typed as
  // requested; the engine then scans it with an empty constraint. nullopt: not pushed.
  virtual std::optional<TableMetadata> apply_aggregation(const TableMetadata& table, const ScanRequest& request,
                                                         const AggregationRequest& aggregation) {
    return std::nullopt;
  }
  // Join pushdown for two tables of this connector: the returned table's columns are
  // left.request.columns' columns then right.request.columns' columns. nullopt: not pushed.
  virtual std::optional<TableMetadata> apply_join(const TableMetadata& left, const ScanRequest& left_request,
                                                  const TableMetadata& right, const ScanRequest& right_request,
                                                  const JoinRequest& join) {
    return std::nullopt;
  }
  // True when a single-value (or short IN-list) constraint on `column` lets the source
  // fetch rows by key instead of scanning (DynamoDB hash keys, primary keys). The
  // optimizer then prefers to put this table on the probe side of a join, so the other
  // side's keys reach it as a dynamic filter.
  virtual bool supports_key_lookup(const TableMetadata& table, int column) { return false; }
  virtual std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                          int max_parallelism) = 0;
  virtual std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                           const ScanRequest& request) = 0;
};

using ConnectorProperties = std::map<std::string, std::string>;
using ConnectorFactory =
    std::function<std::shared_ptr<Connector>(const std::string& catalog_name, const ConnectorProperties& properties)>;

// Registry of connector types by `connector.name`. Thread-safe after start-up.
void register_connector_factory(const std::string& connector_name, ConnectorFactory factory);
std::shared_ptr<Connector> create_connector(const std::string& catalog_name, const ConnectorProperties& properties);
std::vector<std::string> connector_names();

// Reads a property, throwing Error(INVALID_ARGUMENT) naming the catalog when required and missing.
std::string require_property(const ConnectorProperties& properties, const std::string& key,
                             const std::string& catalog_name);
std::string get_property(const ConnectorProperties& properties, const std::string& key,
                         const std::string& default_value);
// An integer property in [minimum, 1e9], or `default_value` when absent. Throws
// Error(INVALID_ARGUMENT, "<context>: property 'KEY' must be an integer >= MIN, got 'V'").
int integer_property(const ConnectorProperties& properties, const std::string& key, int default_value, int minimum,
                     const std::string& context);
// Throws Error(INVALID_ARGUMENT, "<context>: unknown property 'KEY'. Did you mean ...?") for the
// first key of `properties` that is neither in `known` nor accepted by `also` (key families
// such as table.<schema>.<table>.columns).
void check_property_keys(const ConnectorProperties& properties, const std::vector<std::string>& known,
                         const std::string& context, const std::function<bool(const std::string&)>& also = {});
// A finite number >= 0, or `default_value` when absent. Throws like integer_property.
double non_negative_property(const ConnectorProperties& properties, const std::string& key, double default_value,
                             const std::string& context);

}  // namespace tributary
