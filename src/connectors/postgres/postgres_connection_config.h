// Catalog properties of the postgresql connector and the connection URL forms it accepts:
//   connection-url=jdbc:postgresql://HOST[:PORT]/DB[?user=..&password=..&sslmode=..]
//   connection-user / connection-password (override the URL's user/password)
//   default=postgres://jdbc:postgresql://HOST:5432/DB?user=..&password=..   (Athena form)
// URL query values are percent-decoded ('+' stays '+'), so passwords may hold any
// character as %XX. Errors never contain the password. Pure and thread-safe.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "connector/connector.h"

namespace tributary::postgres {

struct ConnectionConfig {
  std::string host = "localhost";
  int port = 5432;
  std::string database;
  std::string user;
  std::string password;
  // Extra libpq keywords from the URL (sslmode, application_name, ...).
  std::map<std::string, std::string> options;
  // "HOST:PORT/DB" for messages (never the password).
  std::string endpoint() const;
};

struct ConnectorSettings {
  ConnectionConfig connection;
  int pool_size = 4;
  int max_concurrent_queries = 4;
  int connect_timeout_seconds = 10;
  int query_timeout_seconds = 300;  // statement_timeout; 0 = none
  double requests_per_second = 0;   // 0 = unlimited
  bool pushdown = true;
  int split_count = 4;
  // Tables with more estimated rows than this are split by primary-key ranges.
  double split_min_rows = 100000;
};

// Percent-decodes `text`; throws Error(INVALID_ARGUMENT) on a malformed escape.
std::string percent_decode(const std::string& text);

// Parses either URL form. Throws Error(INVALID_ARGUMENT) naming `catalog` (never the password).
ConnectionConfig parse_connection_url(const std::string& url, const std::string& catalog);

// Reads and validates all catalog properties; unknown keys are an error with a suggestion.
ConnectorSettings parse_connector_settings(const std::string& catalog, const ConnectorProperties& properties);

// Replaces every occurrence of `secret` (and its percent-encoded form) in `text` with ****.
std::string redact(std::string text, const std::string& secret);

// The property keys the connector accepts.
const std::vector<std::string>& known_property_keys();

}  // namespace tributary::postgres
