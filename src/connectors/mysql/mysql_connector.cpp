#include "connectors/mysql/mysql_connector.h"

#include <atomic>
#include <cctype>
#include <charconv>
#include <mutex>
#include <unordered_map>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "common/text.h"
#include "connectors/mysql/mysql_config.h"
#include "connectors/mysql/mysql_pool.h"
#include "connectors/mysql/mysql_sql.h"

namespace tributary {

namespace {

constexpr double kSplitRowThreshold = 100000;
const char* const kSystemSchemas = "('information_schema', 'mysql', 'performance_schema', 'sys')";

// ---------------------------------------------------------------- field parsing
// Text-protocol fields are parsed in place; none of these allocate.

bool parse_int64(const char* s, size_t n, int64_t* out) {
  auto [end, ec] = std::from_chars(s, s + n, *out);
  return ec == std::errc() && end == s + n;
}

// MySQL's canonical decimal text ("-123.45") at `scale`, rounding extra digits half away from zero.
bool parse_decimal_field(const char* s, size_t n, int scale, int128* out) {
  size_t i = 0;
  bool negative = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  int128 v = 0;
  int digits = 0, fraction = 0;
  bool point = false, any = false, round_up = false;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any = true;
    if (point && fraction == scale) {  // beyond the scale: only the first dropped digit matters
      if (!round_up && fraction == scale && c >= '5') round_up = true;
      fraction++;
      continue;
    }
    if (point) fraction++;
    if (v != 0 || c != '0') digits++;
    if (digits > 38) return false;
    v = v * 10 + (c - '0');
  }
  if (!any) return false;
  if (fraction > scale) fraction = scale;
  for (; fraction < scale; fraction++) {
    if (++digits > 38 && v != 0) return false;
    v *= 10;
  }
  if (round_up) v += 1;
  *out = negative ? -v : v;
  return true;
}

bool two_digits(const char* s, unsigned* out) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
  *out = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
  return true;
}

// 'YYYY-MM-DD', a valid calendar date (zero dates and zero parts are not).
bool parse_date_field(const char* s, size_t n, int64_t* days) {
  if (n < 10 || s[4] != '-' || s[7] != '-') return false;
  unsigned y1, y2, m, d;
  if (!two_digits(s, &y1) || !two_digits(s + 2, &y2) || !two_digits(s + 5, &m) || !two_digits(s + 8, &d))
    return false;
  int64_t y = y1 * 100 + y2;
  if (y == 0 || !datetime::valid_date(y, m, d)) return false;
  *days = datetime::days_from_civil(y, m, d);
  return true;
}

// 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
bool parse_datetime_field(const char* s, size_t n, int64_t* micros) {
  int64_t days;
  if (n < 19 || !parse_date_field(s, 10, &days) || s[10] != ' ' || s[13] != ':' || s[16] != ':') return false;
  unsigned h, mi, se;
  if (!two_digits(s + 11, &h) || !two_digits(s + 14, &mi) || !two_digits(s + 17, &se) || h > 23 || mi > 59 ||
      se > 59)
    return false;
  int64_t fraction = 0;
  if (n > 19) {
    if (s[19] != '.' || n > 26 || n == 20) return false;
    int64_t scale = 100000;
    for (size_t i = 20; i < n; i++, scale /= 10) {
      if (s[i] < '0' || s[i] > '9') return false;
      fraction += (s[i] - '0') * scale;
    }
  }
  *micros = days * datetime::kMicrosPerDay + ((int64_t)h * 3600 + mi * 60 + se) * datetime::kMicrosPerSecond + fraction;
  return true;
}

// ---------------------------------------------------------------- page source

class MysqlSplit : public Split {
 public:
  MysqlSplit(std::string table, std::string condition) : table_(std::move(table)), condition_(std::move(condition)) {}
  std::string describe() const override {
    return "mysql " + table_ + (condition_.empty() ? "" : " WHERE " + condition_);
  }
  const std::string& condition() const { return condition_; }

 private:
  std::string table_;
  std::string condition_;
};

class MysqlPageSource : public PageSource {
 public:
  MysqlPageSource(std::shared_ptr<MysqlPool> pool, std::string sql, std::vector<MysqlOutput> outputs)
      : pool_(std::move(pool)), sql_(std::move(sql)), outputs_(std::move(outputs)) {
    for (const auto& o : outputs_) field_count_ += o.exprs.size();
  }
  ~MysqlPageSource() override { abandon(); }

  PageStatus next(Chunk& out) override {
    if (cancelled_) throw_cancelled();
    if (finished_) {
      out.size = 0;
      return PageStatus::FINISHED;
    }
    try {
      if (!result_) start();
      size_t capacity = out.columns.empty() ? kChunkCapacity : out.columns[0].capacity();
      size_t row = 0;
      uint64_t bytes = 0;
      while (row < capacity) {
        MYSQL_ROW fields = mysql_fetch_row(result_);
        if (!fields) {
          if (mysql_errno(lease_.get())) {
            if (cancelled_) throw_cancelled();
            pool_->fail(lease_.get(), "error while reading rows");
          }
          mysql_free_result(result_);  // fully consumed: nothing left to skip
          result_ = nullptr;
          lease_.release_clean();
          finished_ = true;
          break;
        }
        unsigned long* lengths = mysql_fetch_lengths(result_);
        size_t field = 0;
        for (size_t c = 0; c < outputs_.size(); c++) {
          read(outputs_[c], out.columns[c], row, fields + field, lengths + field);
          field += outputs_[c].exprs.size();
        }
        for (size_t f = 0; f < field_count_; f++) bytes += lengths[f];
        row++;
      }
      bytes_read_.fetch_add(bytes, std::memory_order_relaxed);
      out.size = row;
    } catch (const Error& e) {
      abandon();
      if (cancelled_ && e.code() != ErrorCode::CANCELLED) throw_cancelled();
      throw;
    }
    return finished_ ? PageStatus::FINISHED : PageStatus::HAVE_DATA;
  }

  uint64_t bytes_read() const override { return bytes_read_.load(std::memory_order_relaxed); }

  void cancel() override {
    cancelled_ = true;
    pool_->kill_query(thread_id_.load());
  }

 private:
  [[noreturn]] void throw_cancelled() const {
    throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading mysql catalog '" + pool_->config().catalog + "'");
  }

  void start() {
    lease_ = pool_->acquire();
    thread_id_ = lease_.thread_id();
    if (cancelled_) throw_cancelled();
    lease_.query(sql_);
    thread_id_ = lease_.thread_id();  // query() may have reconnected
    result_ = mysql_use_result(lease_.get());
    if (!result_) pool_->fail(lease_.get(), "cannot read result");
    // A scan that needs no column (count(*)) selects the constant 1.
    if (mysql_num_fields(result_) != std::max<size_t>(field_count_, 1))
      throw_error(ErrorCode::INTERNAL_ERROR, "mysql catalog '" + pool_->config().catalog +
                                                 "': unexpected field count in the result of " + sql_);
  }

  // Drops an unfinished result without reading the rest of it: the connection is closed.
  void abandon() {
    if (result_) {
      // mysql_free_result would otherwise read (skip) every remaining row first.
      lease_.get()->status = MYSQL_STATUS_READY;
      mysql_free_result(result_);
      result_ = nullptr;
    }
    lease_ = MysqlPool::Lease();  // not clean: closes the connection, frees the slot
  }

  [[noreturn]] void out_of_range(const MysqlOutput& output, const char* s, unsigned long n) const {
    throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "mysql catalog '" + pool_->config().catalog + "': value " +
                                                     std::string(s, std::min<unsigned long>(n, 80)) +
                                                     " does not fit " + output.type.to_string());
  }

  void read(const MysqlOutput& output, Vector& vec, size_t row, MYSQL_ROW fields, const unsigned long* lengths) {
    const char* s = fields[0];
    unsigned long n = lengths[0];
    if (!s) {
      vec.set_null(row);
      return;
    }
    bool ok = false;
    const Type& type = output.type;
    if (output.kind != MysqlReadKind::VALUE) {
      int64_t count = 0;
      if (!fields[1] || !parse_int64(fields[1], lengths[1], &count)) out_of_range(output, s, n);
      if (count == 0) {
        vec.set_null(row);
        return;
      }
      if (output.kind == MysqlReadKind::AVG_INTEGER) {
        int128 sum;
        if (!parse_decimal_field(s, n, 0, &sum)) out_of_range(output, s, n);
        vec.data<double>()[row] = decimal::to_double(sum, 0) / (double)count;
      } else {
        int128 sum;
        if (!parse_decimal_field(s, n, type.scale, &sum)) out_of_range(output, s, n);
        vec.data<int128>()[row] = decimal::divide_round(sum, count);
      }
      vec.set_null(row, false);
      return;
    }
    switch (type.id) {
      case TypeId::BOOLEAN:
        if (output.bit) {
          uint64_t bits = 0;
          for (unsigned long i = 0; i < n; i++) bits = (bits << 8) | (unsigned char)s[i];
          vec.data<uint8_t>()[row] = bits != 0;
          ok = true;
        }
        break;
      case TypeId::TINYINT:
      case TypeId::SMALLINT:
      case TypeId::INTEGER:
      case TypeId::BIGINT: {
        int64_t v;
        if (output.bit) {
          uint64_t bits = 0;
          for (unsigned long i = 0; i < n; i++) bits = (bits << 8) | (unsigned char)s[i];
          ok = n <= 8 && bits <= (uint64_t)INT64_MAX;
          v = (int64_t)bits;
        } else {
          ok = parse_int64(s, n, &v) && v >= integer_min(type.id) && v <= integer_max(type.id);
        }
        if (ok) vec.data<int64_t>()[row] = v;
        break;
      }
      case TypeId::REAL: {
        float f;
        auto [end, ec] = std::from_chars(s, s + n, f);
        ok = ec == std::errc() && end == s + n;
        if (ok) vec.data<double>()[row] = f;
        break;
      }
      case TypeId::DOUBLE: {
        double d;
        auto [end, ec] = std::from_chars(s, s + n, d);
        ok = ec == std::errc() && end == s + n;
        if (ok) vec.data<double>()[row] = d;
        break;
      }
      case TypeId::DECIMAL: {
        int128 v;
        ok = parse_decimal_field(s, n, type.scale, &v) && decimal::fits(v, type.precision);
        if (ok) vec.data<int128>()[row] = v;
        break;
      }
      case TypeId::VARCHAR:
      case TypeId::VARBINARY:
        vec.data<std::string_view>()[row] = vec.add_string(std::string_view(s, n));
        ok = true;
        break;
      case TypeId::DATE: {
        int64_t days;
        ok = n == 10 && parse_date_field(s, n, &days);
        if (ok) vec.data<int64_t>()[row] = days;
        break;
      }
      case TypeId::TIMESTAMP: {
        int64_t micros;
        ok = parse_datetime_field(s, n, &micros);
        if (ok) vec.data<int64_t>()[row] = micros;
        break;
      }
      default: break;
    }
    if (!ok && output.strict) out_of_range(output, s, n);
    vec.set_null(row, !ok);
  }

  std::shared_ptr<MysqlPool> pool_;
  const std::string sql_;
  const std::vector<MysqlOutput> outputs_;
  size_t field_count_ = 0;
  MysqlPool::Lease lease_;
  MYSQL_RES* result_ = nullptr;
  bool finished_ = false;
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<unsigned long> thread_id_{0};
  std::atomic<bool> cancelled_{false};
};

// ---------------------------------------------------------------- connector

class MysqlConnector : public Connector {
 public:
  explicit MysqlConnector(MysqlConfig config)
      : config_(config), pool_(std::make_shared<MysqlPool>(std::move(config))) {}

  std::string type() const override { return "mysql"; }

  std::vector<std::string> list_schemas() override {
    auto rows = fetch("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN " +
                      std::string(kSystemSchemas) + " ORDER BY SCHEMA_NAME");
    std::vector<std::string> names;
    for (auto& row : rows)
      if (row[0]) names.push_back(to_lower_ascii(*row[0]));
    return names;
  }

  std::vector<std::string> list_tables(const std::string& schema) override {
    auto rows = fetch("SELECT TABLE_NAME FROM information_schema.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER(" +
                      mysql_quote_literal(schema) + ") AND TABLE_SCHEMA NOT IN " + kSystemSchemas +
                      " ORDER BY TABLE_NAME");
    std::vector<std::string> names;
    for (auto& row : rows)
      if (row[0] && (names.empty() || names.back() != to_lower_ascii(*row[0]))) names.push_back(to_lower_ascii(*row[0]));
    return names;
  }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    auto tables = fetch(
        "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, TABLE_TYPE FROM information_schema.TABLES WHERE "
        "LOWER(TABLE_SCHEMA) = LOWER(" +
        mysql_quote_literal(schema) + ") AND LOWER(TABLE_NAME) = LOWER(" + mysql_quote_literal(table) +
        ") AND TABLE_SCHEMA NOT IN " + kSystemSchemas + " ORDER BY TABLE_SCHEMA, TABLE_NAME LIMIT 1");
    if (tables.empty() || !tables[0][0] || !tables[0][1]) return std::nullopt;
    MysqlTable source;
    source.schema = *tables[0][0];
    source.name = *tables[0][1];
    TableMetadata meta;
    meta.schema = to_lower_ascii(source.schema);
    meta.name = to_lower_ascii(source.name);
    meta.location = "mysql://" + config_.address() + "/" + source.schema + "." + source.name;
    if (tables[0][2] && (!tables[0][3] || *tables[0][3] != "VIEW")) {
      try {
        meta.row_count = std::stod(*tables[0][2]);
      } catch (...) {
      }
    }
    auto columns = fetch(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, COLUMN_KEY FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
        mysql_quote_literal(source.schema) + " AND TABLE_NAME = " + mysql_quote_literal(source.name) +
        " ORDER BY ORDINAL_POSITION");
    int primary_columns = 0, primary_index = -1;
    for (auto& row : columns) {
      MysqlColumn column;
      column.name = row[0].value_or("");
      column.column_type = to_lower_ascii(row[1].value_or(""));
      column.charset = to_lower_ascii(row[3].value_or(""));
      column.type = mysql_column_type(column.column_type);
      column.bit = column.column_type.rfind("bit", 0) == 0;
      if (row[4] && *row[4] == "PRI") {
        primary_columns++;
        primary_index = (int)source.columns.size();
      }
      meta.columns.push_back({to_lower_ascii(column.name), column.type, row[2].value_or("YES") != "NO", column.column_type});
      source.columns.push_back(std::move(column));
    }
    if (primary_columns == 1 && source.columns[primary_index].type.is_integer() && !source.columns[primary_index].bit)
      source.integer_key = primary_index;
    std::lock_guard<std::mutex> lock(mutex_);
    sources_[key(meta.schema, meta.name)] = source;
    return meta;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    MysqlScan scan = build_mysql_scan(source_for(table), table, request, dialect());
    PushdownResult result;
    result.constraint_enforced = scan.constraint_enforced;
    result.limit_enforced = scan.limit_enforced;
    result.order_enforced = scan.order_enforced;
    result.expressions_enforced = scan.expressions_enforced;
    result.details.push_back(config_.redact(scan.query.sql()));
    return result;
  }

  std::optional<TableMetadata> apply_aggregation(const TableMetadata& table, const ScanRequest& request,
                                                 const AggregationRequest& aggregation) override {
    if (!config_.pushdown || table.handle) return std::nullopt;
    return build_mysql_aggregation(source_for(table), table, request, aggregation, dialect());
  }

  std::optional<TableMetadata> apply_join(const TableMetadata& left, const ScanRequest& left_request,
                                          const TableMetadata& right, const ScanRequest& right_request,
                                          const JoinRequest& join) override {
    if (!config_.pushdown || left.handle || right.handle) return std::nullopt;
    return build_mysql_join(source_for(left), left, left_request, source_for(right), right, right_request, join,
                            dialect());
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    std::string name = table.schema + "." + table.name;
    std::vector<std::shared_ptr<Split>> splits;
    int wanted = config_.split_count > 0 ? config_.split_count : max_parallelism;
    if (table.handle || wanted < 2 || !table.row_count || *table.row_count <= kSplitRowThreshold) {
      splits.push_back(std::make_shared<MysqlSplit>(name, ""));
      return splits;
    }
    MysqlTable source = source_for(table);
    MysqlScan scan = build_mysql_scan(source, table, request, dialect());
    if (source.integer_key < 0 || scan.limit_enforced || scan.order_enforced) {
      splits.push_back(std::make_shared<MysqlSplit>(name, ""));
      return splits;
    }
    std::string pk = mysql_quote_identifier(source.columns[source.integer_key].name);
    auto rows = fetch("SELECT MIN(" + pk + "), MAX(" + pk + ") FROM " + mysql_quote_identifier(source.schema) + "." +
                      mysql_quote_identifier(source.name));
    int64_t low, high;
    if (rows.empty() || !rows[0][0] || !rows[0][1] || !parse_int64(rows[0][0]->data(), rows[0][0]->size(), &low) ||
        !parse_int64(rows[0][1]->data(), rows[0][1]->size(), &high) || high - (int128)low < wanted) {
      splits.push_back(std::make_shared<MysqlSplit>(name, ""));
      return splits;
    }
    // Boundaries b_1..b_{n-1}; split i reads [b_i, b_{i+1}), the first and last are open-ended
    // so rows inserted outside [min, max] meanwhile are still read exactly once.
    int128 span = (int128)high - low + 1;
    std::vector<int64_t> bounds;
    for (int i = 1; i < wanted; i++) bounds.push_back((int64_t)(low + span * i / wanted));
    for (int i = 0; i < wanted; i++) {
      std::string condition;
      if (i > 0) condition = pk + " >= " + std::to_string(bounds[i - 1]);
      if (i < wanted - 1) condition += (condition.empty() ? "" : " AND ") + pk + " < " + std::to_string(bounds[i]);
      splits.push_back(std::make_shared<MysqlSplit>(name, condition));
    }
    return splits;
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    MysqlScan scan = build_mysql_scan(table.handle ? MysqlTable() : source_for(table), table, request, dialect());
    auto* mysql_split = dynamic_cast<const MysqlSplit*>(&split);
    std::string sql = scan.query.sql(mysql_split ? mysql_split->condition() : "");
    return std::make_unique<MysqlPageSource>(pool_, std::move(sql), scan.query.outputs);
  }

 private:
  static std::string key(const std::string& schema, const std::string& table) {
    return to_lower_ascii(schema) + "." + to_lower_ascii(table);
  }

  std::vector<std::vector<std::optional<std::string>>> fetch(const std::string& sql) {
    MysqlPool::Lease lease = pool_->acquire();
    auto rows = lease.fetch_all(sql);
    lease.release_clean();
    return rows;
  }

  MysqlDialect dialect() {
    std::lock_guard<std::mutex> lock(dialect_mutex_);
    if (dialect_) return *dialect_;
    MysqlDialect d;
    d.pushdown = config_.pushdown;
    if (d.pushdown) {
      for (const char* collation : {"utf8mb4_nopad_bin", "utf8mb4_0900_bin"}) {
        if (!fetch(std::string("SHOW COLLATION LIKE '") + collation + "'").empty()) {
          d.exact_collation = collation;
          break;
        }
      }
    }
    dialect_ = d;
    return d;
  }

  MysqlTable source_for(const TableMetadata& table) {
    if (table.handle) return MysqlTable();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = sources_.find(key(table.schema, table.name));
      if (it != sources_.end() && it->second.columns.size() == table.columns.size()) return it->second;
    }
    if (!get_table(table.schema, table.name))
      throw_error(ErrorCode::NOT_FOUND,
                  "Table '" + config_.catalog + "." + table.schema + "." + table.name + "' does not exist");
    std::lock_guard<std::mutex> lock(mutex_);
    MysqlTable source = sources_.at(key(table.schema, table.name));
    if (source.columns.size() != table.columns.size())
      throw_error(ErrorCode::SOURCE_ERROR, "mysql catalog '" + config_.catalog + "': table '" + table.name +
                                               "' changed while the query was planned");
    return source;
  }

  const MysqlConfig config_;
  std::shared_ptr<MysqlPool> pool_;
  std::mutex mutex_;
  std::unordered_map<std::string, MysqlTable> sources_;  // GUARDED_BY(mutex_)
  std::mutex dialect_mutex_;
  std::optional<MysqlDialect> dialect_;  // GUARDED_BY(dialect_mutex_)
};

}  // namespace

std::shared_ptr<Connector> make_mysql_connector(const std::string& catalog_name, const ConnectorProperties& properties) {
  return std::make_shared<MysqlConnector>(make_mysql_config(catalog_name, properties));
}

void register_mysql_connector() {
  register_connector_factory("mysql", make_mysql_connector);
  register_connector_factory("mariadb", make_mysql_connector);
}

}  // namespace tributary
