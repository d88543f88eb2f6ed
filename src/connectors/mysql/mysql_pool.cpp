#include "connectors/mysql/mysql_pool.h"

#include <errmsg.h>

#include <thread>

#include "common/error.h"

namespace tributary {

namespace {

// libmariadb's one-time initialization is not thread-safe; do it once.
void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

}  // namespace

MysqlConnection::~MysqlConnection() {
  if (mysql_) mysql_close(mysql_);
}

MysqlPool::MysqlPool(MysqlConfig config) : config_(std::move(config)) { init_library(); }

MysqlPool::~MysqlPool() = default;

void MysqlPool::fail(MYSQL* mysql, const std::string& what) const {
  std::string message = "mysql catalog '" + config_.catalog + "': " + what;
  if (mysql && mysql_errno(mysql)) message += ": " + std::string(mysql_error(mysql));
  throw_error(ErrorCode::SOURCE_ERROR, config_.redact(message));
}

std::unique_ptr<MysqlConnection> MysqlPool::connect(bool for_kill) const {
  MYSQL* mysql = mysql_init(nullptr);
  if (!mysql) throw_error(ErrorCode::SOURCE_ERROR, "mysql catalog '" + config_.catalog + "': out of memory");
  auto connection = std::make_unique<MysqlConnection>(mysql);
  unsigned int connect_timeout = (unsigned)config_.connect_timeout_seconds;
  unsigned int read_timeout = for_kill ? connect_timeout : (unsigned)config_.query_timeout_seconds;
  unsigned int protocol = MYSQL_PROTOCOL_TCP;
  mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!mysql_real_connect(mysql, config_.host.c_str(), config_.user.c_str(), config_.password.c_str(),
                          config_.database.empty() ? nullptr : config_.database.c_str(), (unsigned)config_.port,
                          nullptr, 0)) {
    unsigned int code = mysql_errno(mysql);
    if (code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR || code == CR_UNKNOWN_HOST ||
        code == CR_SERVER_LOST || code == CR_SERVER_GONE_ERROR)
      fail(mysql, "cannot connect to MySQL server at " + config_.address());
    fail(mysql, "cannot connect to " + config_.address() + " as user '" + config_.user + "'");
  }
  if (for_kill) return connection;
  bool mariadb = std::string(mysql_get_server_info(mysql)).find("MariaDB") != std::string::npos;
  std::string settings = "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES', time_zone = '+00:00'";
  if (mariadb) settings += ", max_statement_time = " + std::to_string(config_.query_timeout_seconds);
  if (mysql_real_query(mysql, settings.data(), settings.size()) != 0)
    fail(mysql, "cannot set session settings on " + config_.address());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    mariadb_ = mariadb;
  }
  return connection;
}

bool MysqlPool::is_mariadb() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return mariadb_.value_or(true);
}

MysqlPool::Lease MysqlPool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  auto wait = std::chrono::seconds(config_.connect_timeout_seconds + config_.query_timeout_seconds);
  if (!slot_freed_.wait_for(lock, wait, [&] { return in_use_ < config_.max_concurrent_queries; }))
    throw_error(ErrorCode::SOURCE_ERROR, "mysql catalog '" + config_.catalog + "': no free connection slot after " +
                                             std::to_string(wait.count()) + " s (max-concurrent-queries=" +
                                             std::to_string(config_.max_concurrent_queries) + ")");
  in_use_++;
  if (config_.requests_per_second > 0) {
    auto now = std::chrono::steady_clock::now();
    auto slot = std::max(now, next_request_);
    next_request_ = slot + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(1.0 / config_.requests_per_second));
    if (slot > now) {
      lock.unlock();
      std::this_thread::sleep_until(slot);
      lock.lock();
    }
  }
  Lease lease;
  lease.pool_ = shared_from_this();
  // A pooled connection may have died while idle (server restart, wait_timeout): check it
  // now, because a statement is never re-sent once it went out (it may have been killed
  // on purpose, or have run partly).
  while (!idle_.empty()) {
    auto candidate = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    if (mysql_ping(candidate->get()) == 0) {
      lease.connection_ = std::move(candidate);
      lease.reused_ = true;
      return lease;
    }
    candidate.reset();
    lock.lock();
  }
  lock.unlock();
  try {
    lease.connection_ = connect();
  } catch (...) {
    // `lease` releases the slot as it unwinds.
    throw;
  }
  return lease;
}

void MysqlPool::release_slot() {
  std::lock_guard<std::mutex> lock(mutex_);
  in_use_--;
  slot_freed_.notify_one();
}

void MysqlPool::give_back(std::unique_ptr<MysqlConnection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if ((int)idle_.size() < config_.pool_size) idle_.push_back(std::move(connection));
  // Otherwise the connection closes here (outside the pool's bound).
}

void MysqlPool::kill_query(unsigned long thread_id) {
  if (thread_id == 0) return;
  try {
    auto connection = connect(true);
    std::string sql = "KILL QUERY " + std::to_string(thread_id);
    mysql_real_query(connection->get(), sql.data(), sql.size());
  } catch (const Error&) {
    // Best effort: the read timeout still bounds the query.
  }
}

MysqlPool::Lease& MysqlPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    this->~Lease();
    new (this) Lease(std::move(other));
  }
  return *this;
}

MysqlPool::Lease::~Lease() {
  if (!pool_) return;
  connection_.reset();  // not released clean: close it
  pool_->release_slot();
  pool_.reset();
}

void MysqlPool::Lease::release_clean() {
  if (!pool_) return;
  if (connection_) pool_->give_back(std::move(connection_));
  pool_->release_slot();
  pool_.reset();
}

void MysqlPool::Lease::query(const std::string& sql) {
  if (mysql_real_query(get(), sql.data(), sql.size()) == 0) return;
  pool_->fail(get(), "query failed");
}

std::vector<std::vector<std::optional<std::string>>> MysqlPool::Lease::fetch_all(const std::string& sql) {
  query(sql);
  MYSQL_RES* result = mysql_store_result(get());
  if (!result) {
    if (mysql_field_count(get()) == 0) return {};
    pool_->fail(get(), "cannot read result");
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  unsigned int fields = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    std::vector<std::optional<std::string>> values;
    for (unsigned int i = 0; i < fields; i++) {
      if (row[i]) values.emplace_back(std::string(row[i], lengths[i]));
      else values.emplace_back(std::nullopt);
    }
    rows.push_back(std::move(values));
  }
  mysql_free_result(result);
  return rows;
}

}  // namespace tributary
