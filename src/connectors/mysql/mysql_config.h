// Catalog properties of the mysql connector, and the connection string forms it accepts.
//
//   Trino style:  connection-url=jdbc:mysql://HOST:PORT[/DB][?params]
//                 connection-user=USER   connection-password=SECRET
//   Athena style: default=mysql://jdbc:mysql://HOST:PORT/DB?user=USER&password=SECRET
//                 (user/password in the query string, %XX-decoded; '+' stays '+')
//
// Optional: pool-size (4), max-concurrent-queries (= pool-size), connect-timeout (10 s),
// query-timeout (300 s), requests-per-second (0 = unlimited), pushdown (true),
// split-count (0 = the engine's parallelism).
//
// The password never appears in an error message: redact() replaces it by ****.
#pragma once
#include <string>

#include "connector/connector.h"

namespace tributary {

struct MysqlConfig {
  std::string catalog;
  std::string host;
  int port = 3306;
  std::string database;  // default database from the URL ("" = none)
  std::string user;
  std::string password;
  int pool_size = 4;
  int max_concurrent_queries = 4;
  int connect_timeout_seconds = 10;
  int query_timeout_seconds = 300;
  double requests_per_second = 0;  // 0 = unlimited
  bool pushdown = true;
  int split_count = 0;  // 0 = engine parallelism

  // `text` with every occurrence of the password (raw and %-encoded) replaced by ****.
  std::string redact(const std::string& text) const;
  // "HOST:PORT".
  std::string address() const { return host + ":" + std::to_string(port); }
};

// Parses a connection URL ("jdbc:mysql://...", "mysql://jdbc:mysql://...", "jdbc:mariadb://...",
// "mysql://HOST..."). Fills host, port, database and, when present in the query string
// or as user:password@ in the authority, user and password. Throws Error(INVALID_ARGUMENT)
// naming `catalog` (with the password redacted) when malformed.
void parse_mysql_connection_url(const std::string& url, const std::string& catalog, MysqlConfig* config);

// Decodes %XX escapes; returns false on a malformed escape.
bool mysql_url_decode(const std::string& text, std::string* out);

// Validates and reads all catalog properties. Throws Error(INVALID_ARGUMENT) naming the
// catalog for unknown keys (with a suggestion), bad numbers, or a missing URL.
MysqlConfig make_mysql_config(const std::string& catalog, const ConnectorProperties& properties);

}  // namespace tributary
