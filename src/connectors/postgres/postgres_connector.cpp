#include "connectors/postgres/postgres_connector.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "common/error.h"
#include "common/text.h"
#include "connectors/postgres/postgres_connection_pool.h"
#include "connectors/postgres/postgres_copy_format.h"
#include "connectors/postgres/postgres_sql.h"

namespace tributary {

namespace {

using namespace postgres;
using Clock = std::chrono::steady_clock;

// The state of a pushed-down aggregation or join: a derived relation with its SQL.
class PostgresQueryHandle : public ConnectorTableHandle {
 public:
  explicit PostgresQueryHandle(SourceRelation relation) : relation_(std::move(relation)) {}
  std::string describe() const override { return relation_.subquery; }
  const SourceRelation& relation() const { return relation_; }

 private:
  SourceRelation relation_;
};

class PostgresSplit : public Split {
 public:
  PostgresSplit(std::string table, std::string condition) : table_(std::move(table)), condition_(std::move(condition)) {}
  std::string describe() const override {
    return "postgresql " + table_ + (condition_.empty() ? "" : " WHERE " + condition_);
  }
  const std::string& condition() const { return condition_; }

 private:
  std::string table_;
  std::string condition_;
};

// Streams `COPY (query) TO STDOUT` on one pooled connection, decoding rows into chunks.
// next() waits on the socket at most kSlice, then returns what it has (or BLOCKED),
// so the engine can notice a cancelled query between calls.
class PostgresPageSource : public PageSource {
 public:
  static constexpr auto kSlice = std::chrono::milliseconds(100);

  PostgresPageSource(std::shared_ptr<ConnectionPool> pool, std::string select_sql, std::vector<ValueKind> kinds,
                     std::string table)
      : pool_(std::move(pool)),
        copy_sql_("COPY (" + select_sql + ") TO STDOUT"),
        kinds_(std::move(kinds)),
        table_(std::move(table)) {
    start(false);
  }

  ~PostgresPageSource() override {
    if (!lease_.get()) return;
    if (!finished_) send_cancel();
    if (drain(Clock::now() + std::chrono::seconds(2))) lease_.release();
    else lease_.discard();
    free_cancel();
  }

  PageStatus next(Chunk& out) override {
    if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading " + where());
    if (finished_) {
      out.size = 0;
      return PageStatus::FINISHED;
    }
    size_t capacity = out.columns.empty() ? kChunkCapacity : out.columns[0].capacity();
    size_t rows = 0;
    auto deadline = Clock::now() + kSlice;
    PGconn* conn = lease_.get();
    while (rows < capacity) {
      if (!copy_started_) {
        if (!await_copy_start(deadline)) break;
        conn = lease_.get();
        continue;
      }
      char* buffer = nullptr;
      int n = PQgetCopyData(conn, &buffer, 1);
      if (n > 0) {
        bytes_read_ += (uint64_t)n;
        bool ok = decode_row(std::string_view(buffer, (size_t)n), out, rows);
        PQfreemem(buffer);
        if (!ok) fail_decode();
        rows++;
        continue;
      }
      if (n == 0) {
        if (!wait_readable(deadline)) break;
        if (!PQconsumeInput(conn)) fail_connection();
        continue;
      }
      if (n == -2) fail_copy();
      complete_copy();  // n == -1: the COPY ended: successfully, or cut short by the server
      break;
    }
    out.size = rows;
    if (finished_) return PageStatus::FINISHED;
    if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading " + where());
    return rows == 0 ? PageStatus::BLOCKED : PageStatus::HAVE_DATA;
  }

  uint64_t bytes_read() const override { return bytes_read_.load(); }

  void cancel() override {
    cancelled_ = true;
    send_cancel();
  }

 private:
  std::string where() const { return "table '" + table_ + "' of postgresql catalog '" + pool_->catalog() + "'"; }

  void start(bool fresh) {
    lease_ = pool_->acquire(fresh);
    {
      std::lock_guard<std::mutex> lock(cancel_mutex_);
      cancel_ = PQgetCancel(lease_.get());
    }
    copy_started_ = false;
    if (!PQsendQuery(lease_.get(), copy_sql_.c_str())) {
      if (retry_on_dead_connection()) return;
      fail_connection();
    }
  }

  // A pooled connection may have died while idle (server restart): retry once on a new one.
  bool retry_on_dead_connection() {
    if (retried_ || !lease_.reused() || PQstatus(lease_.get()) == CONNECTION_OK) return false;
    retried_ = true;
    free_cancel();
    lease_.discard();
    start(true);
    return true;
  }

  // Waits (until `deadline`) for the COPY to begin; throws the server's error if the query fails.
  bool await_copy_start(Clock::time_point deadline) {
    PGconn* conn = lease_.get();
    while (PQisBusy(conn)) {
      if (!wait_readable(deadline)) return false;
      if (!PQconsumeInput(conn)) {
        if (retry_on_dead_connection()) return false;
        fail_connection();
      }
    }
    PGresult* result = PQgetResult(conn);
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COPY_OUT) {
      PQclear(result);
      copy_started_ = true;
      return true;
    }
    std::string detail = one_line(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    PQclear(result);
    if (PQstatus(conn) != CONNECTION_OK && retry_on_dead_connection()) return false;
    throw_source_error("query failed", detail);
  }

  bool wait_readable(Clock::time_point deadline) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (remaining <= 0 || cancelled_) return false;
    pollfd fd{PQsocket(lease_.get()), POLLIN, 0};
    if (fd.fd < 0) fail_connection();
    int rc = ::poll(&fd, 1, (int)remaining);
    return rc > 0;
  }

  bool decode_row(std::string_view line, Chunk& out, size_t row) {
    if (!split_copy_row(line, &fields_, &scratch_)) return false;
    size_t expected = out.columns.empty() ? 1 : out.columns.size();
    if (fields_.size() != expected || kinds_.size() != out.columns.size()) return false;
    for (size_t c = 0; c < out.columns.size(); c++) {
      if (!fields_[c]) {
        out.columns[c].set_null(row);
      } else if (!decode_field(*fields_[c], kinds_[c], out.columns[c], row)) {
        bad_value_ = std::string(fields_[c]->substr(0, 64));
        return false;
      }
    }
    return true;
  }

  void finish() {
    finished_ = true;
    bool clean = drain(Clock::now() + std::chrono::seconds(10));
    free_cancel();
    if (clean) lease_.release();
    else lease_.discard();
  }

  // Reads whatever the connection still sends until it is idle. False when it did not get
  // there before `deadline` (then the connection must be closed, not pooled).
  bool drain(Clock::time_point deadline) {
    PGconn* conn = lease_.get();
    if (!conn || PQstatus(conn) != CONNECTION_OK) return false;
    while (true) {
      if (copy_started_) {
        char* buffer = nullptr;
        int n = PQgetCopyData(conn, &buffer, 1);
        if (n > 0) {
          PQfreemem(buffer);
          continue;
        }
        if (n == 0) {
          if (!wait_readable(deadline) || !PQconsumeInput(conn)) return false;
          continue;
        }
        copy_started_ = false;
      }
      while (PQisBusy(conn)) {
        if (!wait_readable(deadline) || !PQconsumeInput(conn)) return false;
      }
      PGresult* result = PQgetResult(conn);
      if (!result) return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
      if (PQresultStatus(result) == PGRES_COPY_OUT) copy_started_ = true;
      PQclear(result);
    }
  }

  // The end of COPY data is not success by itself: a statement timeout, a cancel or a
  // terminated backend also end the stream. Only PGRES_COMMAND_OK means every row came.
  void complete_copy() {
    PGconn* conn = lease_.get();
    copy_started_ = false;
    std::string error;
    while (PGresult* result = PQgetResult(conn)) {
      if (PQresultStatus(result) != PGRES_COMMAND_OK && error.empty())
        error = one_line(PQresultErrorMessage(result));
      PQclear(result);
    }
    if (error.empty() && PQstatus(conn) != CONNECTION_OK) error = one_line(PQerrorMessage(conn));
    if (!error.empty()) {
      finished_ = true;
      free_cancel();
      lease_.discard();
      if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading " + where());
      throw_source_error("query failed while reading table '" + table_ + "'", error);
    }
    finish();
  }

  [[noreturn]] void fail_copy() {
    PGconn* conn = lease_.get();
    PGresult* result = PQgetResult(conn);
    std::string detail = one_line(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (detail.empty()) detail = one_line(PQerrorMessage(conn));
    PQclear(result);
    copy_started_ = false;
    if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading " + where());
    throw_source_error("query failed while reading table '" + table_ + "'", detail);
  }

  [[noreturn]] void fail_connection() {
    std::string detail = one_line(PQerrorMessage(lease_.get()));
    finished_ = true;
    free_cancel();
    lease_.discard();
    if (cancelled_) throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading " + where());
    throw_error(ErrorCode::SOURCE_ERROR,
                pool_->message("connection to " + pool_->settings().connection.endpoint() +
                                   " lost while reading table '" + table_ + "'",
                               detail));
  }

  [[noreturn]] void fail_decode() {
    throw_source_error("cannot decode a row of table '" + table_ + "'",
                       bad_value_.empty() ? "unexpected field count" : "bad value '" + bad_value_ + "'");
  }

  // Closes out the statement (the connection returns to the pool if clean) and throws.
  [[noreturn]] void throw_source_error(const std::string& what, const std::string& detail) {
    finished_ = true;
    send_cancel();
    bool clean = drain(Clock::now() + std::chrono::seconds(2));
    free_cancel();
    if (clean) lease_.release();
    else lease_.discard();
    throw_error(ErrorCode::SOURCE_ERROR, pool_->message(what, detail));
  }

  void send_cancel() {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    if (!cancel_) return;
    char error[256];
    PQcancel(cancel_, error, sizeof error);
  }

  void free_cancel() {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    if (cancel_) PQfreeCancel(cancel_);
    cancel_ = nullptr;
  }

  std::shared_ptr<ConnectionPool> pool_;
  std::string copy_sql_;
  std::vector<ValueKind> kinds_;
  std::string table_;
  Lease lease_;
  std::mutex cancel_mutex_;
  PGcancel* cancel_ = nullptr;  // GUARDED_BY(cancel_mutex_)
  bool copy_started_ = false;
  bool finished_ = false;
  bool retried_ = false;
  std::atomic<bool> cancelled_{false};
  std::atomic<uint64_t> bytes_read_{0};
  std::vector<std::optional<std::string_view>> fields_;
  std::string scratch_;
  std::string bad_value_;
};

const char* kRelkinds = "('r', 'p', 'v', 'm', 'f')";

class PostgresConnector : public Connector {
 public:
  PostgresConnector(std::string catalog, ConnectorSettings settings)
      : catalog_(std::move(catalog)), pool_(std::make_shared<ConnectionPool>(catalog_, std::move(settings))) {}

  std::string type() const override { return "postgresql"; }

  std::vector<std::string> list_schemas() override {
    auto rows = pool_->query(
        "SELECT schema_name::text FROM information_schema.schemata "
        "WHERE schema_name NOT IN ('pg_catalog', 'information_schema') AND schema_name NOT LIKE 'pg\\_toast%' "
        "AND schema_name NOT LIKE 'pg\\_temp\\_%' ORDER BY 1");
    std::vector<std::string> names;
    for (auto& r : rows)
      if (r[0]) names.push_back(to_lower_ascii(*r[0]));
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  }

  std::vector<std::string> list_tables(const std::string& schema) override {
    auto rows = pool_->query(std::string("SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                                         "ON n.oid = c.relnamespace WHERE lower(n.nspname::text) = lower($1::text) "
                                         "AND c.relkind IN ") +
                                 kRelkinds + " ORDER BY 1",
                             {schema});
    std::vector<std::string> names;
    for (auto& r : rows)
      if (r[0]) names.push_back(to_lower_ascii(*r[0]));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    auto found = pool_->query(
        std::string("SELECT n.nspname::text, c.relname::text, c.oid::text, c.reltuples::text, c.relkind::text "
                    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE lower(n.nspname::text) = lower($1::text) AND lower(c.relname::text) = lower($2::text) "
                    "AND c.relkind IN ") +
            kRelkinds + " ORDER BY (n.nspname::text = $1::text) DESC, (c.relname::text = $2::text) DESC LIMIT 1",
        {schema, table});
    if (found.empty()) return std::nullopt;
    SourceRelation relation;
    relation.schema = found[0][0].value_or("");
    relation.name = found[0][1].value_or("");
    std::string oid = found[0][2].value_or("0");
    std::string relkind = found[0][4].value_or("r");
    try {
      relation.reltuples = std::stod(found[0][3].value_or("-1"));
    } catch (...) {
      relation.reltuples = -1;
    }
    // Domains map like their base type.
    auto columns = pool_->query(
        "SELECT a.attname::text, pg_catalog.format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid "
        "END, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), a.attnotnull::text "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        {oid});
    TableMetadata meta;
    meta.schema = to_lower_ascii(relation.schema);
    meta.name = to_lower_ascii(relation.name);
    const auto& c = pool_->settings().connection;
    meta.location = "postgresql://" + c.endpoint() + "/" + relation.schema + "." + relation.name;
    for (auto& r : columns) {
      SourceColumn column;
      column.name = r[0].value_or("");
      column.source_type = r[1].value_or("text");
      TypeMapping mapping = map_postgres_type(column.source_type);
      column.type = mapping.type;
      column.kind = mapping.kind;
      ColumnMetadata cm;
      cm.name = to_lower_ascii(column.name);
      cm.type = column.type;
      cm.nullable = r[2].value_or("false") != "true";
      cm.comment = column.source_type;
      meta.columns.push_back(std::move(cm));
      relation.columns.push_back(std::move(column));
    }
    if (relkind != "v" && relation.reltuples >= 0) meta.row_count = relation.reltuples;
    if (relkind == "r" || relkind == "p" || relkind == "m") {
      auto pk = pool_->query(
          "SELECT a.attname::text FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a "
          "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
          "WHERE i.indrelid = $1::oid AND i.indisprimary AND i.indnkeyatts = 1",
          {oid});
      if (!pk.empty() && pk[0][0]) {
        for (size_t i = 0; i < relation.columns.size(); i++)
          if (relation.columns[i].name == *pk[0][0] && relation.columns[i].kind == ValueKind::INTEGER)
            relation.split_column = (int)i;
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    relations_[meta.schema + "." + meta.name] = relation;
    return meta;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    SourceRelation relation = relation_for(table);
    ScanSql scan = build_scan_sql(relation, request, pushdown());
    PushdownResult result;
    result.constraint_enforced = scan.constraint_enforced;
    result.limit_enforced = scan.limit_enforced;
    result.order_enforced = scan.order_enforced;
    result.expressions_enforced = scan.expressions_enforced;
    result.details.push_back(pool_->redact_text(scan.sql));
    return result;
  }

  std::optional<TableMetadata> apply_aggregation(const TableMetadata& table, const ScanRequest& request,
                                                 const AggregationRequest& aggregation) override {
    if (!pushdown()) return std::nullopt;
    auto derived = build_aggregation_sql(relation_for(table), request, aggregation);
    if (!derived) return std::nullopt;
    return derived_table(table.schema, table.name, table.location, std::move(*derived));
  }

  std::optional<TableMetadata> apply_join(const TableMetadata& left, const ScanRequest& left_request,
                                          const TableMetadata& right, const ScanRequest& right_request,
                                          const JoinRequest& join) override {
    if (!pushdown()) return std::nullopt;
    auto derived = build_join_sql(relation_for(left), left_request, relation_for(right), right_request, join);
    if (!derived) return std::nullopt;
    return derived_table(left.schema, left.name + "_join_" + right.name, left.location, std::move(*derived));
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    SourceRelation relation = relation_for(table);
    std::string name = relation.subquery.empty() ? relation.schema + "." + relation.name : "(pushed-down query)";
    const ConnectorSettings& s = pool_->settings();
    int count = s.split_count;
    if (!relation.subquery.empty() || relation.split_column < 0 || relation.reltuples <= s.split_min_rows ||
        count <= 1 || request.limit || !request.order.empty() || request.constraint.none)
      return {std::make_shared<PostgresSplit>(name, "")};
    std::string key = pg_quote_identifier(relation.columns[relation.split_column].name);
    auto bounds = pool_->query("SELECT min(" + key + ")::text, max(" + key + ")::text FROM " + relation.from_sql());
    if (bounds.empty() || !bounds[0][0] || !bounds[0][1]) return {std::make_shared<PostgresSplit>(name, "")};
    int128 low = std::stoll(*bounds[0][0]), high = std::stoll(*bounds[0][1]);
    int128 width = (high - low + 1) / count;
    if (width < 1) return {std::make_shared<PostgresSplit>(name, "")};
    std::vector<std::shared_ptr<Split>> splits;
    for (int i = 0; i < count; i++) {
      std::string condition;
      if (i > 0) condition = key + " >= " + std::to_string((long long)(low + width * i));
      if (i < count - 1) {
        if (!condition.empty()) condition += " AND ";
        condition += key + " < " + std::to_string((long long)(low + width * (i + 1)));
      }
      splits.push_back(std::make_shared<PostgresSplit>(name, condition));
    }
    return splits;
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    SourceRelation relation = relation_for(table);
    const auto* pg_split = dynamic_cast<const PostgresSplit*>(&split);
    ScanSql scan = build_scan_sql(relation, request, pushdown(), pg_split ? pg_split->condition() : "");
    std::vector<ValueKind> kinds;
    for (int c : request.columns) kinds.push_back(relation.columns.at(c).kind);
    return std::make_unique<PostgresPageSource>(pool_, scan.sql, std::move(kinds), table.schema + "." + table.name);
  }

 private:
  bool pushdown() const { return pool_->settings().pushdown; }

  TableMetadata derived_table(const std::string& schema, const std::string& name, const std::string& location,
                              DerivedQuery derived) {
    SourceRelation relation;
    relation.subquery = derived.sql;
    relation.columns = derived.columns;
    TableMetadata meta;
    meta.schema = schema;
    meta.name = name;
    meta.location = location;
    for (size_t i = 0; i < derived.columns.size(); i++) {
      ColumnMetadata cm;
      cm.name = to_lower_ascii(derived.display_names[i]);
      cm.type = derived.columns[i].type;
      meta.columns.push_back(std::move(cm));
    }
    meta.handle = std::make_shared<PostgresQueryHandle>(std::move(relation));
    return meta;
  }

  SourceRelation relation_for(const TableMetadata& table) {
    if (table.handle) {
      const auto* handle = dynamic_cast<const PostgresQueryHandle*>(table.handle.get());
      if (!handle)
        throw_error(ErrorCode::INTERNAL_ERROR, "postgresql catalog '" + catalog_ + "': foreign table handle");
      return handle->relation();
    }
    std::string key = to_lower_ascii(table.schema) + "." + to_lower_ascii(table.name);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = relations_.find(key);
      if (it != relations_.end() && it->second.columns.size() == table.columns.size()) return it->second;
    }
    if (!get_table(table.schema, table.name))
      throw_error(ErrorCode::NOT_FOUND, "Table '" + catalog_ + "." + table.schema + "." + table.name + "' does not exist");
    std::lock_guard<std::mutex> lock(mutex_);
    const SourceRelation& relation = relations_.at(key);
    if (relation.columns.size() != table.columns.size())
      throw_error(ErrorCode::SOURCE_ERROR, "postgresql catalog '" + catalog_ + "': table '" + table.name +
                                               "' changed while the query was planned");
    return relation;
  }

  const std::string catalog_;
  std::shared_ptr<ConnectionPool> pool_;
  std::mutex mutex_;
  std::unordered_map<std::string, SourceRelation> relations_;  // GUARDED_BY(mutex_)
};

}  // namespace

std::shared_ptr<Connector> make_postgres_connector(const std::string& catalog_name,
                                                   const ConnectorProperties& properties) {
  return std::make_shared<PostgresConnector>(catalog_name, parse_connector_settings(catalog_name, properties));
}

void register_postgres_connector() { register_connector_factory("postgresql", make_postgres_connector); }

}  // namespace tributary
