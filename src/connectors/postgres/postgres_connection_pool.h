// Connections of one postgresql catalog: a bounded pool of libpq connections with
// the catalog's session settings, a limit on concurrently running statements, a
// request rate limit, and error messages that name the catalog and never the password.
//
// acquire() blocks while max-concurrent-queries connections are in use (up to the
// query timeout), then hands out an idle connection or opens a new one. A Lease
// returns its connection on destruction only when it is clean (CONNECTION_OK and
// PQTRANS_IDLE) and fewer than pool-size connections are idle; otherwise it closes it.
// Thread-safe.
#pragma once
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/postgres_connection_config.h"

namespace tributary::postgres {

class ConnectionPool;

// One connection borrowed from the pool. Movable, not copyable; used by one thread.
class Lease {
 public:
  Lease() = default;
  Lease(ConnectionPool* pool, PGconn* conn, bool reused) : pool_(pool), conn_(conn), reused_(reused) {}
  Lease(Lease&& other) noexcept { *this = std::move(other); }
  Lease& operator=(Lease&& other) noexcept;
  ~Lease() { release(); }
  PGconn* get() const { return conn_; }
  // True when the connection came from the idle list (it may have died since).
  bool reused() const { return reused_; }
  // Returns the connection (if clean) and the concurrency slot now.
  void release();
  // Closes the connection instead of returning it.
  void discard();

 private:
  ConnectionPool* pool_ = nullptr;
  PGconn* conn_ = nullptr;
  bool reused_ = false;
};

using Row = std::vector<std::optional<std::string>>;

class ConnectionPool {
 public:
  ConnectionPool(std::string catalog, ConnectorSettings settings);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Borrows a connection (see above). `fresh` skips idle connections. Throws
  // Error(SOURCE_ERROR) when the server cannot be reached or the wait times out.
  Lease acquire(bool fresh = false);

  // Runs a metadata query with bound text parameters and returns all rows as text.
  // Retries once on a fresh connection when a pooled connection turns out dead.
  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {});

  // "postgresql catalog 'NAME': <what>: <libpq message>", password redacted.
  std::string message(const std::string& what, const std::string& detail) const;
  [[noreturn]] void fail(const std::string& what, PGconn* conn) const;
  std::string redact_text(const std::string& text) const;

  const std::string& catalog() const { return catalog_; }
  const ConnectorSettings& settings() const { return settings_; }
  size_t idle_count();

 private:
  friend class Lease;
  PGconn* connect();
  void give_back(PGconn* conn);
  void wait_for_rate_limit();

  const std::string catalog_;
  const ConnectorSettings settings_;
  std::mutex mutex_;
  std::condition_variable slot_free_;
  std::vector<PGconn*> idle_;  // GUARDED_BY(mutex_)
  int in_use_ = 0;             // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point next_request_{};  // GUARDED_BY(mutex_)
};

// libpq's message as one line (newlines and tabs collapsed).
std::string one_line(const char* message);

}  // namespace tributary::postgres
