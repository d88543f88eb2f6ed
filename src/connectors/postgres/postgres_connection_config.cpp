#include "connectors/postgres/postgres_connection_config.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/text.h"

namespace tributary::postgres {

namespace {

[[noreturn]] void invalid(const std::string& catalog, const std::string& message) {
  throw_error(ErrorCode::INVALID_ARGUMENT, "postgresql catalog '" + catalog + "': " + message);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ConnectionConfig::endpoint() const {
  return host + ":" + std::to_string(port) + (database.empty() ? "" : "/" + database);
}

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw_error(ErrorCode::INVALID_ARGUMENT, "malformed percent-escape in connection URL");
    out += (char)(hi * 16 + lo);
    i += 2;
  }
  return out;
}

ConnectionConfig parse_connection_url(const std::string& raw_url, const std::string& catalog) {
  std::string url = raw_url;
  // Athena's form prefixes the JDBC URL with the source type: postgres://jdbc:postgresql://...
  for (const char* prefix : {"postgres://", "postgresql://"}) {
    std::string p = prefix;
    if (url.rfind(p + "jdbc:", 0) == 0) url = url.substr(p.size());
  }
  std::string scheme;
  if (url.rfind("jdbc:postgresql://", 0) == 0) scheme = "jdbc:postgresql://";
  else if (url.rfind("postgresql://", 0) == 0) scheme = "postgresql://";
  else if (url.rfind("postgres://", 0) == 0) scheme = "postgres://";
  else
    invalid(catalog, "connection URL must start with jdbc:postgresql:// (or the Athena form "
                     "postgres://jdbc:postgresql://)");
  std::string rest = url.substr(scheme.size());
  std::string query;
  size_t qpos = rest.find('?');
  if (qpos != std::string::npos) {
    query = rest.substr(qpos + 1);
    rest = rest.substr(0, qpos);
  }
  ConnectionConfig config;
  // user:password@ in the authority (postgresql:// URLs).
  size_t at = rest.rfind('@', rest.find('/'));
  if (at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    config.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string::npos) config.password = percent_decode(userinfo.substr(colon + 1));
  }
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) config.database = percent_decode(rest.substr(slash + 1));
  while (!config.database.empty() && config.database.back() == '/') config.database.pop_back();
  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) invalid(catalog, "malformed host in connection URL");
    config.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else {
    size_t colon = authority.rfind(':');
    config.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (config.host.empty()) invalid(catalog, "connection URL has no host");
  if (!port_text.empty()) {
    bool ok = port_text.size() <= 5 && std::all_of(port_text.begin(), port_text.end(), ::isdigit);
    int port = ok ? std::stoi(port_text) : 0;
    if (port <= 0 || port > 65535) invalid(catalog, "invalid port '" + port_text + "' in connection URL");
    config.port = port;
  }
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? query.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value;
    try {
      value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
    } catch (const Error&) {
      invalid(catalog, "malformed percent-escape in the value of URL parameter '" + key + "'");
    }
    std::string k = to_lower_ascii(key);
    if (k == "user") config.user = value;
    else if (k == "password") config.password = value;
    else if (k == "sslmode" || k == "sslrootcert" || k == "sslcert" || k == "sslkey" || k == "target_session_attrs")
      config.options[k] = value;
    else if (k == "applicationname" || k == "application_name") config.options["application_name"] = value;
    // Other JDBC parameters (loginTimeout, socketTimeout, ...) have catalog properties or no libpq equivalent.
  }
  return config;
}

const std::vector<std::string>& known_property_keys() {
  static const std::vector<std::string> keys = {
      "connector.name", "connection-url", "connection-user",       "connection-password", "default",
      "pool-size",      "max-concurrent-queries", "connect-timeout", "query-timeout",     "requests-per-second",
      "pushdown",       "split-count",    "split-min-rows"};
  return keys;
}

ConnectorSettings parse_connector_settings(const std::string& catalog, const ConnectorProperties& properties) {
  check_property_keys(properties, known_property_keys(), "postgresql catalog '" + catalog + "'");
  ConnectorSettings s;
  auto url = properties.find("connection-url");
  auto athena = properties.find("default");
  if (url != properties.end() && athena != properties.end())
    invalid(catalog, "set either 'connection-url' or 'default', not both");
  if (url == properties.end() && athena == properties.end())
    invalid(catalog, "missing required property 'connection-url' (or the Athena form 'default')");
  s.connection = parse_connection_url(url != properties.end() ? url->second : athena->second, catalog);
  if (auto it = properties.find("connection-user"); it != properties.end()) s.connection.user = it->second;
  if (auto it = properties.find("connection-password"); it != properties.end()) s.connection.password = it->second;
  const std::string context = "postgresql catalog '" + catalog + "'";
  s.pool_size = integer_property(properties, "pool-size", 4, 1, context);
  s.max_concurrent_queries = integer_property(properties, "max-concurrent-queries", s.pool_size, 1, context);
  s.connect_timeout_seconds = integer_property(properties, "connect-timeout", 10, 1, context);
  s.query_timeout_seconds = integer_property(properties, "query-timeout", 300, 0, context);
  s.split_count = integer_property(properties, "split-count", s.pool_size, 1, context);
  s.split_min_rows = integer_property(properties, "split-min-rows", 100000, 0, context);
  s.requests_per_second =
      non_negative_property(properties, "requests-per-second", s.requests_per_second, context);
  if (auto it = properties.find("pushdown"); it != properties.end()) {
    std::string v = to_lower_ascii(it->second);
    if (v == "true") s.pushdown = true;
    else if (v == "false") s.pushdown = false;
    else invalid(catalog, "property 'pushdown' must be true or false, got '" + it->second + "'");
  }
  return s;
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  auto replace_all = [&](const std::string& needle) {
    if (needle.empty()) return;
    size_t pos = 0;
    while ((pos = text.find(needle, pos)) != std::string::npos) {
      text.replace(pos, needle.size(), "****");
      pos += 4;
    }
  };
  replace_all(secret);
  std::string encoded;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : secret) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') encoded += (char)c;
    else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  if (encoded != secret) replace_all(encoded);
  return text;
}

}  // namespace tributary::postgres
