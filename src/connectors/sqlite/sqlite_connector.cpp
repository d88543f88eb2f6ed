#include "connectors/sqlite/sqlite_connector.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "common/text.h"

namespace tributary {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = (char)std::toupper((unsigned char)c);
  return s;
}

bool iequals(const std::string& a, const std::string& b) { return to_lower_ascii(a) == to_lower_ascii(b); }

// One read-only connection; closes on destruction.
class Database {
 public:
  Database(const std::string& catalog, const std::string& path, int busy_timeout_ms) : catalog_(catalog) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      if (db_) sqlite3_close(db_);
      db_ = nullptr;
      throw_error(ErrorCode::SOURCE_ERROR,
                  "SQLite catalog '" + catalog + "' cannot open database '" + path + "': " + msg);
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
  }
  ~Database() {
    if (db_) sqlite3_close(db_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }

  // Prepares `sql`; throws SOURCE_ERROR naming the catalog, or returns nullptr when `allow_failure`.
  sqlite3_stmt* prepare(const std::string& sql, bool allow_failure = false) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), (int)sql.size(), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      if (stmt) sqlite3_finalize(stmt);
      if (allow_failure) return nullptr;
      fail("cannot prepare query");
    }
    return stmt;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw_error(ErrorCode::SOURCE_ERROR,
                "SQLite catalog '" + catalog_ + "': " + what + ": " + std::string(sqlite3_errmsg(db_)));
  }

 private:
  std::string catalog_;
  sqlite3* db_ = nullptr;
};

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  explicit Statement(sqlite3_stmt* s) : stmt(s) {}
  ~Statement() {
    if (stmt) sqlite3_finalize(stmt);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
};

std::string column_text(sqlite3_stmt* stmt, int i) {
  const unsigned char* t = sqlite3_column_text(stmt, i);
  return t ? std::string((const char*)t, sqlite3_column_bytes(stmt, i)) : std::string();
}

// Names as stored in the database, behind the lower-case names we present.
struct SourceTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<bool> text_affinity;  // declared type gives TEXT affinity
};

bool has_text_affinity(const std::string& declared) {
  std::string u = upper(declared);
  if (u.find("INT") != std::string::npos) return false;
  return u.find("CHAR") != std::string::npos || u.find("CLOB") != std::string::npos ||
         u.find("TEXT") != std::string::npos;
}

// 'YYYY-MM-DD' exactly, a valid calendar date.
bool parse_iso_date(const char* s, size_t n, int64_t* days) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  unsigned m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  if (!datetime::valid_date(y, m, d)) return false;
  *days = datetime::days_from_civil(y, m, d);
  return true;
}

enum class PushKind { NONE, INTEGER, DOUBLE, TEXT, DATE };

PushKind push_kind(const Type& type, bool text_affinity) {
  if (type.is_integer()) return PushKind::INTEGER;
  if (type.id == TypeId::DOUBLE) return PushKind::DOUBLE;
  if (type.id == TypeId::VARCHAR && text_affinity) return PushKind::TEXT;
  if (type.id == TypeId::DATE) return PushKind::DATE;
  return PushKind::NONE;
}

// An SQL expression that is 1 exactly when the page source reads a non-NULL value
// from the column, and 0 otherwise (never NULL).
std::string valid_expression(const std::string& q, const Type& type, PushKind kind) {
  switch (kind) {
    case PushKind::INTEGER:
      if (type.id == TypeId::BIGINT) return "typeof(" + q + ") = 'integer'";
      return "(typeof(" + q + ") = 'integer' AND " + q + " BETWEEN " + std::to_string(integer_min(type.id)) +
             " AND " + std::to_string(integer_max(type.id)) + ")";
    case PushKind::DOUBLE: return "typeof(" + q + ") IN ('integer', 'real')";
    case PushKind::TEXT: return "typeof(" + q + ") = 'text'";
    case PushKind::DATE: return "(typeof(" + q + ") = 'text' AND coalesce(date(" + q + ") = " + q + ", 0))";
    case PushKind::NONE: break;
  }
  return "0";
}

// Converts a domain bound to the value bound as parameter, if its type matches the column's class.
bool bindable(const Value& v, PushKind kind, Value* out) {
  if (v.is_null) return false;
  switch (kind) {
    case PushKind::INTEGER:
      if (!v.type.is_integer()) return false;
      *out = Value::integer(v.i);
      return true;
    case PushKind::DOUBLE:
      if (v.type.is_integer()) {
        *out = Value::integer(v.i);
        return true;
      }
      if (v.type.physical() != PhysicalType::F64) return false;
      *out = Value::floating(v.d);
      return true;
    case PushKind::TEXT:
      if (v.type.id != TypeId::VARCHAR) return false;
      *out = Value::string(v.s);
      return true;
    case PushKind::DATE:
      if (v.type.id != TypeId::DATE) return false;
      *out = Value::string(datetime::format_date(v.i));
      return true;
    case PushKind::NONE: break;
  }
  return false;
}

struct BuiltQuery {
  std::string sql;
  std::vector<Value> binds;
  bool constraint_enforced = false;
  bool limit_pushed = false;
  bool order_pushed = false;
};

// Translates one domain; false when any part cannot be expressed with identical semantics.
bool translate_domain(const Domain& domain, const std::string& q, const Type& type, PushKind kind,
                      std::vector<Value>* binds, std::string* out) {
  if (kind == PushKind::NONE) return false;
  std::string valid = valid_expression(q, type, kind);
  std::string collate = kind == PushKind::TEXT ? " COLLATE BINARY" : "";
  if (domain.is_none()) {
    *out = "0";
    return true;
  }
  std::vector<std::string> disjuncts;
  if (domain.null_allowed) disjuncts.push_back("NOT " + valid);
  if (domain.all) {
    if (domain.null_allowed) {
      *out = "";
      return true;
    }
    disjuncts.push_back(valid);
  } else if (!domain.ranges.empty()) {
    std::vector<std::string> terms;
    std::vector<Value> singles;
    std::vector<Value> local_binds;
    for (const auto& r : domain.ranges) {
      Value b;
      if (r.is_single_value()) {
        if (!bindable(r.low, kind, &b)) return false;
        singles.push_back(b);
        continue;
      }
      std::string term;
      if (!r.low_unbounded) {
        if (!bindable(r.low, kind, &b)) return false;
        term = q + collate + (r.low_inclusive ? " >= ?" : " > ?");
        local_binds.push_back(b);
      }
      if (!r.high_unbounded) {
        if (!bindable(r.high, kind, &b)) return false;
        if (!term.empty()) term += " AND ";
        term += q + collate + (r.high_inclusive ? " <= ?" : " < ?");
        local_binds.push_back(b);
      }
      if (term.empty()) term = "1";
      terms.push_back(term);
    }
    std::string in_list;
    if (singles.size() == 1) {
      in_list = q + collate + " = ?";
    } else if (singles.size() > 1) {
      in_list = q + collate + " IN (";
      for (size_t i = 0; i < singles.size(); i++) in_list += i ? ", ?" : "?";
      in_list += ")";
    }
    // Parameters follow the text order: the IN list comes first.
    std::string ranges_sql;
    if (!in_list.empty()) {
      ranges_sql = in_list;
      for (auto& s : singles) binds->push_back(s);
    }
    size_t parts = terms.size() + (in_list.empty() ? 0 : 1);
    for (auto& t : terms) {
      bool wrap = parts > 1 && t.find(" AND ") != std::string::npos;
      ranges_sql += (ranges_sql.empty() ? "" : " OR ") + (wrap ? "(" + t + ")" : t);
    }
    for (auto& b : local_binds) binds->push_back(b);
    if (parts > 1) ranges_sql = "(" + ranges_sql + ")";
    disjuncts.push_back("(" + ranges_sql + " AND " + valid + ")");
  }
  if (disjuncts.empty()) {
    *out = "0";
    return true;
  }
  if (disjuncts.size() == 1) {
    *out = disjuncts[0];
  } else {
    *out = "(" + disjuncts[0] + " OR " + disjuncts[1] + ")";
  }
  return true;
}

BuiltQuery build_query(const TableMetadata& table, const SourceTable& source, const ScanRequest& request) {
  BuiltQuery query;
  std::string sql = "SELECT ";
  if (request.columns.empty()) {
    sql += "1";
  } else {
    for (size_t i = 0; i < request.columns.size(); i++) {
      if (i) sql += ", ";
      sql += sqlite_quote_identifier(source.columns.at(request.columns[i]));
    }
  }
  sql += " FROM " + sqlite_quote_identifier(source.name);

  std::vector<std::string> conjuncts;
  bool all_pushed = true;
  if (request.constraint.none) {
    conjuncts.push_back("0");
  } else {
    for (const auto& [index, domain] : request.constraint.columns) {
      if (index < 0 || index >= (int)table.columns.size()) {
        all_pushed = false;
        continue;
      }
      const Type& type = table.columns[index].type;
      std::string q = sqlite_quote_identifier(source.columns[index]);
      std::vector<Value> binds;
      std::string expr;
      if (translate_domain(domain, q, type, push_kind(type, source.text_affinity[index]), &binds, &expr)) {
        if (!expr.empty()) conjuncts.push_back(expr);
        for (auto& b : binds) query.binds.push_back(std::move(b));
      } else {
        all_pushed = false;
      }
    }
  }
  for (size_t i = 0; i < conjuncts.size(); i++) sql += (i ? " AND " : " WHERE ") + conjuncts[i];
  query.constraint_enforced = all_pushed;

  if (all_pushed && request.limit) {
    bool order_ok = true;
    std::string order_sql;
    for (const auto& item : request.order) {
      if (item.column < 0 || item.column >= (int)table.columns.size()) {
        order_ok = false;
        break;
      }
      const Type& type = table.columns[item.column].type;
      PushKind kind = push_kind(type, source.text_affinity[item.column]);
      if (kind == PushKind::NONE) {
        order_ok = false;
        break;
      }
      std::string q = sqlite_quote_identifier(source.columns[item.column]);
      if (!order_sql.empty()) order_sql += ", ";
      // Rows read as NULL (including mistyped values) sort as NULLs.
      order_sql += "NOT " + valid_expression(q, type, kind) + (item.nulls_first ? " DESC, " : " ASC, ");
      order_sql += q + (kind == PushKind::TEXT ? " COLLATE BINARY" : "") + (item.ascending ? " ASC" : " DESC");
    }
    if (order_ok) {
      if (!order_sql.empty()) {
        sql += " ORDER BY " + order_sql;
        query.order_pushed = true;
      }
      sql += " LIMIT " + std::to_string(std::max<int64_t>(0, *request.limit));
      query.limit_pushed = true;
    }
  }
  query.sql = std::move(sql);
  return query;
}

class SqliteSplit : public Split {
 public:
  explicit SqliteSplit(std::string table) : table_(std::move(table)) {}
  std::string describe() const override { return "sqlite table " + table_; }

 private:
  std::string table_;
};

class SqlitePageSource : public PageSource {
 public:
  SqlitePageSource(const std::string& catalog, const std::string& path, int busy_timeout_ms,
                   const TableMetadata& table, const BuiltQuery& query, const ScanRequest& request)
      : db_(catalog, path, busy_timeout_ms), catalog_(catalog), table_name_(table.name) {
    for (int c : request.columns) types_.push_back(table.columns.at(c).type);
    stmt_ = db_.prepare(query.sql);
    for (size_t i = 0; i < query.binds.size(); i++) {
      const Value& v = query.binds[i];
      int rc;
      switch (v.type.physical()) {
        case PhysicalType::I64: rc = sqlite3_bind_int64(stmt_, (int)i + 1, v.i); break;
        case PhysicalType::F64: rc = sqlite3_bind_double(stmt_, (int)i + 1, v.d); break;
        default: rc = sqlite3_bind_text(stmt_, (int)i + 1, v.s.data(), (int)v.s.size(), SQLITE_TRANSIENT); break;
      }
      if (rc != SQLITE_OK) db_.fail("cannot bind parameter for table '" + table_name_ + "'");
    }
  }
  ~SqlitePageSource() override {
    if (stmt_) sqlite3_finalize(stmt_);
  }

  PageStatus next(Chunk& out) override {
    out.size = 0;
    if (done_) return PageStatus::FINISHED;
    size_t capacity = out.columns.empty() ? kChunkCapacity : out.columns[0].capacity();
    size_t row = 0;
    while (row < capacity) {
      if (cancelled_.load(std::memory_order_relaxed))
        throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading SQLite table '" + table_name_ + "'");
      int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_DONE) {
        done_ = true;
        break;
      }
      if (rc == SQLITE_INTERRUPT)
        throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading SQLite table '" + table_name_ + "'");
      if (rc != SQLITE_ROW) db_.fail("error reading table '" + table_name_ + "'");
      for (size_t c = 0; c < types_.size(); c++) read_value(out.columns[c], c, row);
      row++;
    }
    out.size = row;
    return done_ ? PageStatus::FINISHED : PageStatus::HAVE_DATA;
  }

  uint64_t bytes_read() const override { return bytes_read_; }
  void cancel() override {
    cancelled_ = true;
    sqlite3_interrupt(db_.handle());
  }

 private:
  void read_value(Vector& vec, size_t c, size_t row) {
    int col = (int)c;
    int storage = sqlite3_column_type(stmt_, col);
    if (storage == SQLITE_NULL) {
      vec.set_null(row);
      return;
    }
    const Type& type = types_[c];
    bool ok = false;
    if (storage == SQLITE_INTEGER || storage == SQLITE_FLOAT) bytes_read_ += 8;
    switch (type.id) {
      case TypeId::TINYINT:
      case TypeId::SMALLINT:
      case TypeId::INTEGER:
      case TypeId::BIGINT:
        if (storage == SQLITE_INTEGER) {
          int64_t v = sqlite3_column_int64(stmt_, col);
          if (v >= integer_min(type.id) && v <= integer_max(type.id)) {
            vec.data<int64_t>()[row] = v;
            ok = true;
          }
        }
        break;
      case TypeId::REAL:
      case TypeId::DOUBLE:
        if (storage == SQLITE_INTEGER || storage == SQLITE_FLOAT) {
          double d = sqlite3_column_double(stmt_, col);
          vec.data<double>()[row] = type.id == TypeId::REAL ? (double)(float)d : d;
          ok = true;
        }
        break;
      case TypeId::DECIMAL: {
        int128 v = 0;
        if (storage == SQLITE_INTEGER) {
          v = (int128)sqlite3_column_int64(stmt_, col) * decimal::pow10(type.scale);
          ok = decimal::fits(v, type.precision);
        } else if (storage == SQLITE_FLOAT || storage == SQLITE_TEXT) {
          // The text form of a REAL is its shortest round-trip decimal (%!.15g), so 0.1 stays 0.1.
          const char* t = (const char*)sqlite3_column_text(stmt_, col);
          int n = sqlite3_column_bytes(stmt_, col);
          if (storage == SQLITE_TEXT) bytes_read_ += n;
          ok = t && decimal::parse(std::string_view(t, n), type.scale, &v) && decimal::fits(v, type.precision);
        }
        if (ok) vec.data<int128>()[row] = v;
        break;
      }
      case TypeId::VARCHAR:
        if (storage != SQLITE_BLOB) {
          const char* t = (const char*)sqlite3_column_text(stmt_, col);
          int n = sqlite3_column_bytes(stmt_, col);
          if (storage == SQLITE_TEXT) bytes_read_ += n;
          vec.data<std::string_view>()[row] = vec.add_string(std::string_view(t ? t : "", n));
          ok = true;
        }
        break;
      case TypeId::VARBINARY: {
        const void* b = sqlite3_column_blob(stmt_, col);
        int n = sqlite3_column_bytes(stmt_, col);
        if (storage == SQLITE_TEXT || storage == SQLITE_BLOB) bytes_read_ += n;
        vec.data<std::string_view>()[row] = vec.add_string(std::string_view(b ? (const char*)b : "", n));
        ok = true;
        break;
      }
      case TypeId::DATE:
        if (storage == SQLITE_TEXT) {
          const char* t = (const char*)sqlite3_column_text(stmt_, col);
          int n = sqlite3_column_bytes(stmt_, col);
          bytes_read_ += n;
          int64_t days;
          if (parse_iso_date(t, n, &days)) {
            vec.data<int64_t>()[row] = days;
            ok = true;
          }
        }
        break;
      case TypeId::TIMESTAMP: {
        int64_t micros = 0;
        if (storage == SQLITE_TEXT) {
          const char* t = (const char*)sqlite3_column_text(stmt_, col);
          int n = sqlite3_column_bytes(stmt_, col);
          bytes_read_ += n;
          ok = datetime::parse_timestamp(std::string_view(t, n), &micros);
        } else if (storage == SQLITE_INTEGER) {  // unix seconds
          int64_t s = sqlite3_column_int64(stmt_, col);
          ok = s > -9000000000000LL && s < 9000000000000LL;
          micros = s * datetime::kMicrosPerSecond;
        } else if (storage == SQLITE_FLOAT) {  // julian day number
          double jd = sqlite3_column_double(stmt_, col);
          double ms = std::round((jd - 2440587.5) * 86400000.0);
          ok = std::isfinite(ms) && std::fabs(ms) < 9e15;
          micros = (int64_t)ms * 1000;
        }
        if (ok) vec.data<int64_t>()[row] = micros;
        break;
      }
      case TypeId::BOOLEAN:
        if (storage == SQLITE_INTEGER) {
          vec.data<uint8_t>()[row] = sqlite3_column_int64(stmt_, col) != 0;
          ok = true;
        } else if (storage == SQLITE_TEXT) {
          std::string t = to_lower_ascii(column_text(stmt_, col));
          bytes_read_ += t.size();
          if (t == "true" || t == "t" || t == "1") {
            vec.data<uint8_t>()[row] = 1;
            ok = true;
          } else if (t == "false" || t == "f" || t == "0") {
            vec.data<uint8_t>()[row] = 0;
            ok = true;
          }
        }
        break;
      default: break;
    }
    vec.set_null(row, !ok);
  }

  Database db_;
  std::string catalog_;
  std::string table_name_;
  std::vector<Type> types_;
  sqlite3_stmt* stmt_ = nullptr;
  bool done_ = false;
  uint64_t bytes_read_ = 0;
  std::atomic<bool> cancelled_{false};
};

class SqliteConnector : public Connector {
 public:
  SqliteConnector(std::string catalog, std::string path, std::string schema, int busy_timeout_ms)
      : catalog_(std::move(catalog)),
        path_(std::move(path)),
        schema_(to_lower_ascii(schema)),
        busy_timeout_ms_(busy_timeout_ms) {}

  std::string type() const override { return "sqlite"; }

  std::vector<std::string> list_schemas() override { return {schema_}; }

  std::vector<std::string> list_tables(const std::string& schema) override {
    if (!iequals(schema, schema_)) return {};
    Database db(catalog_, path_, busy_timeout_ms_);
    Statement stmt(db.prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY name"));
    std::vector<std::string> names;
    int rc;
    while ((rc = sqlite3_step(stmt.stmt)) == SQLITE_ROW) names.push_back(to_lower_ascii(column_text(stmt.stmt, 0)));
    if (rc != SQLITE_DONE) db.fail("cannot list tables");
    return names;
  }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    if (!iequals(schema, schema_)) return std::nullopt;
    Database db(catalog_, path_, busy_timeout_ms_);
    SourceTable source;
    {
      Statement stmt(db.prepare(
          "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?) ORDER BY name "
          "LIMIT 1"));
      sqlite3_bind_text(stmt.stmt, 1, table.data(), (int)table.size(), SQLITE_TRANSIENT);
      int rc = sqlite3_step(stmt.stmt);
      if (rc == SQLITE_DONE) return std::nullopt;
      if (rc != SQLITE_ROW) db.fail("cannot read table '" + table + "'");
      source.name = column_text(stmt.stmt, 0);
    }
    TableMetadata meta;
    meta.schema = schema_;
    meta.name = to_lower_ascii(source.name);
    meta.location = path_ + "#" + source.name;
    {
      Statement stmt(db.prepare("SELECT name, type, pk, \"notnull\" FROM pragma_table_info(?) ORDER BY cid"));
      sqlite3_bind_text(stmt.stmt, 1, source.name.data(), (int)source.name.size(), SQLITE_TRANSIENT);
      struct Raw {
        std::string name, declared;
        int pk, notnull;
      };
      std::vector<Raw> raws;
      int pk_count = 0, rc;
      while ((rc = sqlite3_step(stmt.stmt)) == SQLITE_ROW) {
        Raw r{column_text(stmt.stmt, 0), column_text(stmt.stmt, 1), sqlite3_column_int(stmt.stmt, 2),
              sqlite3_column_int(stmt.stmt, 3)};
        if (r.pk) pk_count++;
        raws.push_back(std::move(r));
      }
      if (rc != SQLITE_DONE) db.fail("cannot read columns of table '" + source.name + "'");
      for (const auto& r : raws) {
        bool rowid_alias = pk_count == 1 && r.pk && upper(r.declared) == "INTEGER";
        ColumnMetadata column;
        column.name = to_lower_ascii(r.name);
        column.type = sqlite_column_type(r.declared, rowid_alias);
        column.nullable = !(r.notnull || rowid_alias);
        column.comment = r.declared;
        meta.columns.push_back(std::move(column));
        source.columns.push_back(r.name);
        source.text_affinity.push_back(has_text_affinity(r.declared));
      }
    }
    if (sqlite3_stmt* s = db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", true)) {
      Statement stmt(s);
      sqlite3_bind_text(s, 1, source.name.data(), (int)source.name.size(), SQLITE_TRANSIENT);
      if (sqlite3_step(s) == SQLITE_ROW) {
        std::string stat = column_text(s, 0);
        try {
          meta.row_count = (double)std::stoll(stat);
        } catch (...) {
        }
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    sources_[meta.name] = std::move(source);
    return meta;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    BuiltQuery query = build_query(table, source_for(table), request);
    PushdownResult result;
    result.constraint_enforced = query.constraint_enforced;
    result.limit_enforced = query.limit_pushed;
    result.order_enforced = query.order_pushed;
    result.details.push_back(query.sql);
    return result;
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    (void)request;
    (void)max_parallelism;
    return {std::make_shared<SqliteSplit>(table.name)};
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    (void)split;
    BuiltQuery query = build_query(table, source_for(table), request);
    return std::make_unique<SqlitePageSource>(catalog_, path_, busy_timeout_ms_, table, query, request);
  }

 private:
  SourceTable source_for(const TableMetadata& table) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = sources_.find(to_lower_ascii(table.name));
      if (it != sources_.end() && it->second.columns.size() == table.columns.size()) return it->second;
    }
    if (!get_table(table.schema, table.name))
      throw_error(ErrorCode::NOT_FOUND,
                  "Table '" + catalog_ + "." + table.schema + "." + table.name + "' does not exist");
    std::lock_guard<std::mutex> lock(mutex_);
    SourceTable source = sources_.at(to_lower_ascii(table.name));
    if (source.columns.size() != table.columns.size())
      throw_error(ErrorCode::SOURCE_ERROR, "SQLite catalog '" + catalog_ + "': table '" + table.name +
                                               "' changed while the query was planned");
    return source;
  }

  const std::string catalog_;
  const std::string path_;
  const std::string schema_;
  const int busy_timeout_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, SourceTable> sources_;  // GUARDED_BY(mutex_)
};

}  // namespace

std::string sqlite_quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Type sqlite_column_type(const std::string& declared_type, bool integer_primary_key) {
  std::string u;
  for (char c : declared_type) u += (char)std::toupper((unsigned char)c);
  while (!u.empty() && u.back() == ' ') u.pop_back();
  while (!u.empty() && u.front() == ' ') u.erase(u.begin());
  if (u.empty()) return Type::varchar();
  std::string base = u.substr(0, u.find('('));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  std::vector<int> args;
  auto paren = u.find('(');
  if (paren != std::string::npos) {
    size_t i = paren + 1;
    while (i < u.size()) {
      while (i < u.size() && (u[i] == ' ' || u[i] == ',')) i++;
      if (i < u.size() && std::isdigit((unsigned char)u[i])) {
        int v = 0;
        while (i < u.size() && std::isdigit((unsigned char)u[i])) v = v * 10 + (u[i++] - '0');
        args.push_back(v);
      } else {
        break;
      }
    }
  }
  if (base == "BOOLEAN" || base == "BOOL") return Type::boolean();
  if (base == "DATE") return Type::date();
  if (base == "DATETIME" || base.rfind("TIMESTAMP", 0) == 0) return Type::timestamp(3);
  if (u.find("INT") != std::string::npos) {
    if (base == "INT" || base == "INTEGER") return integer_primary_key ? Type::bigint() : Type::integer();
    if (base == "TINYINT") return Type::tinyint();
    if (base == "SMALLINT") return Type::smallint();
    return Type::bigint();
  }
  if (base == "DECIMAL" || base == "NUMERIC") {
    if (args.empty()) return Type::decimal(38, 9);
    int p = std::clamp(args[0], 1, 38);
    int s = args.size() > 1 ? std::clamp(args[1], 0, p) : 0;
    return Type::decimal(p, s);
  }
  if (u.find("CHAR") != std::string::npos || u.find("CLOB") != std::string::npos ||
      u.find("TEXT") != std::string::npos) {
    if (!args.empty() && args[0] > 0) return Type::varchar(args[0]);
    return Type::varchar();
  }
  if (u.find("BLOB") != std::string::npos) return Type::varbinary();
  if (u.find("REAL") != std::string::npos || u.find("FLOA") != std::string::npos ||
      u.find("DOUB") != std::string::npos)
    return Type::double_();
  return Type::varchar();
}

std::shared_ptr<Connector> make_sqlite_connector(const std::string& catalog_name,
                                                 const ConnectorProperties& properties) {
  std::string path = require_property(properties, "database", catalog_name);
  std::string schema = get_property(properties, "schema", "main");
  if (schema.empty())
    throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog_name + "': property 'schema' must not be empty");
  std::string timeout_text = get_property(properties, "busy-timeout-ms", "5000");
  int timeout = 0;
  try {
    size_t used = 0;
    timeout = std::stoi(timeout_text, &used);
    if (used != timeout_text.size() || timeout < 0) throw std::invalid_argument("bad");
  } catch (...) {
    throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog_name +
                                                 "': property 'busy-timeout-ms' must be a non-negative integer, got '" +
                                                 timeout_text + "'");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "Catalog '" + catalog_name + "': SQLite database file '" + path + "' does not exist");
  return std::make_shared<SqliteConnector>(catalog_name, path, schema, timeout);
}

void register_sqlite_connector() { register_connector_factory("sqlite", make_sqlite_connector); }

}  // namespace tributary
