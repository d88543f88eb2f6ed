#include "connectors/postgres/postgres_connection_pool.h"

#include <algorithm>
#include <thread>

#include "common/error.h"

namespace tributary::postgres {

std::string one_line(const char* message) {
  std::string out;
  bool space = false;
  for (const char* p = message ? message : ""; *p; p++) {
    char c = *p;
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = other.pool_;
    conn_ = other.conn_;
    reused_ = other.reused_;
    other.pool_ = nullptr;
    other.conn_ = nullptr;
  }
  return *this;
}

void Lease::release() {
  if (!pool_) return;
  pool_->give_back(conn_);
  pool_ = nullptr;
  conn_ = nullptr;
}

void Lease::discard() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  release();
}

ConnectionPool::ConnectionPool(std::string catalog, ConnectorSettings settings)
    : catalog_(std::move(catalog)), settings_(std::move(settings)) {}

ConnectionPool::~ConnectionPool() {
  for (PGconn* c : idle_) PQfinish(c);
}

std::string ConnectionPool::redact_text(const std::string& text) const {
  return redact(text, settings_.connection.password);
}

std::string ConnectionPool::message(const std::string& what, const std::string& detail) const {
  return redact_text("postgresql catalog '" + catalog_ + "': " + what + (detail.empty() ? "" : ": " + detail));
}

void ConnectionPool::fail(const std::string& what, PGconn* conn) const {
  throw_error(ErrorCode::SOURCE_ERROR, message(what, conn ? one_line(PQerrorMessage(conn)) : ""));
}

size_t ConnectionPool::idle_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return idle_.size();
}

PGconn* ConnectionPool::connect() {
  const ConnectionConfig& c = settings_.connection;
  std::vector<std::string> keys = {"host", "port", "connect_timeout", "client_encoding", "application_name"};
  std::vector<std::string> values = {c.host, std::to_string(c.port), std::to_string(settings_.connect_timeout_seconds),
                                     "UTF8", "tributary"};
  if (!c.database.empty()) keys.push_back("dbname"), values.push_back(c.database);
  if (!c.user.empty()) keys.push_back("user"), values.push_back(c.user);
  if (!c.password.empty()) keys.push_back("password"), values.push_back(c.password);
  for (const auto& [k, v] : c.options) {
    auto it = std::find(keys.begin(), keys.end(), k);
    if (it != keys.end()) values[it - keys.begin()] = v;
    else keys.push_back(k), values.push_back(v);
  }
  std::vector<const char*> key_ptrs, value_ptrs;
  for (size_t i = 0; i < keys.size(); i++) {
    key_ptrs.push_back(keys[i].c_str());
    value_ptrs.push_back(values[i].c_str());
  }
  key_ptrs.push_back(nullptr);
  value_ptrs.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(key_ptrs.data(), value_ptrs.data(), 0);
  if (!conn) throw_error(ErrorCode::SOURCE_ERROR, message("cannot connect to " + c.endpoint(), "out of memory"));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = one_line(PQerrorMessage(conn));
    PQfinish(conn);
    throw_error(ErrorCode::SOURCE_ERROR,
                message("cannot connect to " + c.endpoint() + (c.user.empty() ? "" : " as user '" + c.user + "'"),
                        detail));
  }
  // Server notices would otherwise go to stderr; errors reach the user through results.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::string setup =
      "SET DateStyle = 'ISO'; SET extra_float_digits = 3; SET TimeZone = 'UTC'; "
      "SET standard_conforming_strings = on; SET bytea_output = 'hex'; SET IntervalStyle = 'postgres'; "
      "SET statement_timeout = " +
      std::to_string((long long)settings_.query_timeout_seconds * 1000);
  PGresult* result = PQexec(conn, setup.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) {
    std::string detail = one_line(PQerrorMessage(conn));
    PQfinish(conn);
    throw_error(ErrorCode::SOURCE_ERROR, message("cannot set up session on " + c.endpoint(), detail));
  }
  return conn;
}

void ConnectionPool::wait_for_rate_limit() {
  if (settings_.requests_per_second <= 0) return;
  std::chrono::steady_clock::time_point start;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    start = std::max(now, next_request_);
    next_request_ = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double>(1.0 / settings_.requests_per_second));
  }
  std::this_thread::sleep_until(start);
}

Lease ConnectionPool::acquire(bool fresh) {
  PGconn* conn = nullptr;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [&] { return in_use_ < settings_.max_concurrent_queries; };
    if (settings_.query_timeout_seconds > 0) {
      if (!slot_free_.wait_for(lock, std::chrono::seconds(settings_.query_timeout_seconds), ready))
        throw_error(ErrorCode::SOURCE_ERROR,
                    message("timed out waiting for one of " + std::to_string(settings_.max_concurrent_queries) +
                                " connections (max-concurrent-queries)",
                            ""));
    } else {
      slot_free_.wait(lock, ready);
    }
    in_use_++;
    while (!fresh && !idle_.empty() && !conn) {
      conn = idle_.back();
      idle_.pop_back();
      if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        conn = nullptr;
      }
    }
  }
  bool reused = conn != nullptr;
  try {
    wait_for_rate_limit();
    if (!conn) conn = connect();
  } catch (...) {
    give_back(nullptr);
    throw;
  }
  return Lease(this, conn, reused);
}

void ConnectionPool::give_back(PGconn* conn) {
  bool keep = conn && PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_use_--;
    if (keep && (int)idle_.size() < settings_.pool_size) {
      idle_.push_back(conn);
      conn = nullptr;
    }
  }
  slot_free_.notify_one();
  if (conn) PQfinish(conn);
}

std::vector<Row> ConnectionPool::query(const std::string& sql, const std::vector<std::string>& params) {
  for (int attempt = 0;; attempt++) {
    Lease lease = acquire(attempt > 0);
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* result =
        PQexecParams(lease.get(), sql.c_str(), (int)params.size(), nullptr, values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      std::vector<Row> rows;
      int n = PQntuples(result), m = PQnfields(result);
      for (int i = 0; i < n; i++) {
        Row row;
        for (int j = 0; j < m; j++) {
          if (PQgetisnull(result, i, j)) row.push_back(std::nullopt);
          else row.push_back(std::string(PQgetvalue(result, i, j), PQgetlength(result, i, j)));
        }
        rows.push_back(std::move(row));
      }
      PQclear(result);
      return rows;
    }
    std::string detail = one_line(result ? PQresultErrorMessage(result) : PQerrorMessage(lease.get()));
    if (detail.empty()) detail = one_line(PQerrorMessage(lease.get()));
    PQclear(result);
    bool dead = PQstatus(lease.get()) != CONNECTION_OK;
    if (dead) lease.discard();
    if (dead && lease.reused() && attempt == 0) continue;
    throw_error(ErrorCode::SOURCE_ERROR, message("metadata query failed", detail));
  }
}

}  // namespace tributary::postgres
