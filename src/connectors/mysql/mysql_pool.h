// Connections of one mysql catalog: a bounded pool of idle connections, a counting
// semaphore limiting concurrent source queries (max-concurrent-queries), a rate limit
// on new queries (requests-per-second), and KILL QUERY for cancellation.
//
// Every connection: charset utf8mb4, TCP, connect/read/write timeouts, and the session
// settings the SQL builder relies on: sql_mode='NO_BACKSLASH_ESCAPES' (only '' escapes
// in literals), time_zone='+00:00' (TIMESTAMP columns read in UTC), and on MariaDB
// max_statement_time = query-timeout.
//
// Thread-safety: MysqlPool is thread-safe. A Lease is owned by one thread; it returns
// its connection to the pool only through release_clean() (result fully consumed);
// destroying a lease otherwise closes the connection.
#pragma once
#include <mysql.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_config.h"

namespace tributary {

class MysqlPool;

// One open connection; closes on destruction.
class MysqlConnection {
 public:
  explicit MysqlConnection(MYSQL* mysql) : mysql_(mysql) {}
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;
  MYSQL* get() const { return mysql_; }

 private:
  MYSQL* mysql_;
};

class MysqlPool : public std::enable_shared_from_this<MysqlPool> {
 public:
  explicit MysqlPool(MysqlConfig config);
  ~MysqlPool();

  class Lease {
   public:
    Lease() = default;
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept;
    ~Lease();
    MYSQL* get() const { return connection_ ? connection_->get() : nullptr; }
    unsigned long thread_id() const { return connection_ ? mysql_thread_id(connection_->get()) : 0; }
    // Sends `sql` (text protocol) once; never re-sent (pooled connections are pinged when
    // handed out instead). Throws SOURCE_ERROR.
    void query(const std::string& sql);
    // Runs a small query and returns all rows (NULL fields as nullopt). Throws SOURCE_ERROR.
    std::vector<std::vector<std::optional<std::string>>> fetch_all(const std::string& sql);
    // The connection is idle and clean: give it back to the pool.
    void release_clean();

   private:
    friend class MysqlPool;
    std::shared_ptr<MysqlPool> pool_;
    std::unique_ptr<MysqlConnection> connection_;
    bool reused_ = false;
  };

  // Waits for a concurrency slot (at most connect-timeout + query-timeout) and the rate
  // limit, then hands out an idle or new connection. Throws SOURCE_ERROR.
  Lease acquire();
  // Runs KILL QUERY `thread_id` on a separate connection; errors are ignored (best effort).
  void kill_query(unsigned long thread_id);
  // Throws Error(SOURCE_ERROR, "mysql catalog 'NAME': <what>: <server message>"), password redacted.
  [[noreturn]] void fail(MYSQL* mysql, const std::string& what) const;
  const MysqlConfig& config() const { return config_; }
  bool is_mariadb() const;

 private:
  std::unique_ptr<MysqlConnection> connect(bool for_kill = false) const;
  void release_slot();
  void give_back(std::unique_ptr<MysqlConnection> connection);

  const MysqlConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable slot_freed_;
  int in_use_ = 0;                                       // GUARDED_BY(mutex_)
  std::vector<std::unique_ptr<MysqlConnection>> idle_;   // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point next_request_;   // GUARDED_BY(mutex_)
  mutable std::optional<bool> mariadb_;                  // GUARDED_BY(mutex_)
};

}  // namespace tributary
