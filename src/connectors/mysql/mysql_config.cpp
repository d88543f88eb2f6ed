#include "connectors/mysql/mysql_config.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/error.h"
#include "common/text.h"

namespace tributary {

namespace {

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && to_lower_ascii(s.substr(0, prefix.size())) == prefix;
}

[[noreturn]] void invalid(const std::string& catalog, const std::string& message) {
  throw_error(ErrorCode::INVALID_ARGUMENT, "mysql catalog '" + catalog + "': " + message);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool mysql_url_decode(const std::string& text, std::string* out) {
  out->clear();
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '%') {
      *out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    *out += (char)(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string MysqlConfig::redact(const std::string& text) const {
  if (password.empty()) return text;
  std::string out = text;
  // Longest form first: the %-encoded form contains no raw special characters.
  std::string encoded;
  for (unsigned char c : password) {
    static const char* digits = "0123456789ABCDEF";
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += (char)c;
    } else {
      encoded += '%';
      encoded += digits[c >> 4];
      encoded += digits[c & 15];
    }
  }
  for (const std::string& secret : {encoded, password}) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "****");
      pos += 4;
    }
  }
  return out;
}

void parse_mysql_connection_url(const std::string& url, const std::string& catalog, MysqlConfig* config) {
  std::string rest = url;
  // Shown in errors: the URL without its query string (where a password may be).
  std::string shown = url.substr(0, url.find('?'));
  auto at = shown.find('@');
  if (at != std::string::npos) {
    auto scheme_end = shown.find("://");
    shown = shown.substr(0, scheme_end == std::string::npos ? 0 : scheme_end + 3) + "****@" + shown.substr(at + 1);
  }
  if (starts_with_ci(rest, "mysql://jdbc:")) rest = rest.substr(8);  // Athena: mysql://jdbc:mysql://...
  if (starts_with_ci(rest, "jdbc:")) rest = rest.substr(5);
  if (starts_with_ci(rest, "mysql://")) {
    rest = rest.substr(8);
  } else if (starts_with_ci(rest, "mariadb://")) {
    rest = rest.substr(10);
  } else {
    invalid(catalog, "connection URL '" + shown +
                         "' must start with jdbc:mysql://, jdbc:mariadb:// or mysql://jdbc:mysql:// (Athena form)");
  }
  size_t authority_end = rest.find_first_of("/?");
  std::string authority = rest.substr(0, authority_end);
  std::string path, query;
  if (authority_end != std::string::npos) {
    std::string tail = rest.substr(authority_end);
    size_t q = tail.find('?');
    if (tail[0] == '/') path = tail.substr(1, q == std::string::npos ? std::string::npos : q - 1);
    if (q != std::string::npos) query = tail.substr(q + 1);
  }
  size_t user_end = authority.rfind('@');
  if (user_end != std::string::npos) {
    std::string credentials = authority.substr(0, user_end);
    authority = authority.substr(user_end + 1);
    size_t colon = credentials.find(':');
    std::string user = credentials.substr(0, colon);
    std::string password = colon == std::string::npos ? "" : credentials.substr(colon + 1);
    if (!mysql_url_decode(user, &config->user) || !mysql_url_decode(password, &config->password))
      invalid(catalog, "connection URL '" + shown + "' has a malformed %-escape in its credentials");
  }
  std::string host = authority;
  if (!host.empty() && host[0] == '[') {  // [IPv6]:port
    size_t close = host.find(']');
    if (close == std::string::npos) invalid(catalog, "connection URL '" + shown + "' has a malformed host");
    std::string port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port[0] == ':') authority = "x" + port;
    else authority = "x";
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos) {
    std::string port = authority.substr(colon + 1);
    if (host == authority) host = authority.substr(0, colon);
    bool digits = !port.empty() && port.size() <= 5 &&
                  std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
      invalid(catalog, "connection URL '" + shown + "' has an invalid port '" + port + "'");
    config->port = std::stoi(port);
  }
  if (host.empty()) invalid(catalog, "connection URL '" + shown + "' names no host");
  config->host = host;
  if (!mysql_url_decode(path, &config->database))
    invalid(catalog, "connection URL '" + shown + "' has a malformed %-escape in its database");
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = pair.find('=');
    std::string key = to_lower_ascii(pair.substr(0, eq));
    std::string value;
    if (!mysql_url_decode(eq == std::string::npos ? "" : pair.substr(eq + 1), &value))
      invalid(catalog, "connection URL '" + shown + "' has a malformed %-escape in parameter '" + key + "'");
    if (key == "user") config->user = value;
    if (key == "password") config->password = value;
    // Other JDBC parameters (useSSL, serverTimezone, ...) do not apply to libmariadb; ignored.
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
}

MysqlConfig make_mysql_config(const std::string& catalog, const ConnectorProperties& properties) {
  static const std::vector<std::string> known = {
      "connector.name", "connection-url",         "connection-user", "connection-password", "default",
      "pool-size",      "max-concurrent-queries", "connect-timeout", "query-timeout",       "requests-per-second",
      "pushdown",       "split-count"};
  MysqlConfig config;
  config.catalog = catalog;
  check_property_keys(properties, known, "mysql catalog '" + catalog + "'");
  bool has_url = properties.count("connection-url") > 0, has_default = properties.count("default") > 0;
  if (has_url && has_default)
    invalid(catalog, "set either 'connection-url' (Trino form) or 'default' (Athena form), not both");
  if (!has_url && !has_default)
    invalid(catalog, "missing property 'connection-url' (e.g. jdbc:mysql://host:3306/db) or 'default' "
                     "(e.g. mysql://jdbc:mysql://host:3306/db?user=u&password=p)");
  const std::string& url = properties.at(has_url ? "connection-url" : "default");
  parse_mysql_connection_url(url, catalog, &config);
  if (properties.count("connection-user")) config.user = properties.at("connection-user");
  if (properties.count("connection-password")) config.password = properties.at("connection-password");
  if (config.user.empty())
    invalid(catalog, "no user: set 'connection-user' or user=... in the connection string");
  const std::string context = "mysql catalog '" + catalog + "'";
  config.pool_size = integer_property(properties, "pool-size", 4, 1, context);
  config.max_concurrent_queries = integer_property(properties, "max-concurrent-queries", config.pool_size, 1, context);
  config.connect_timeout_seconds = integer_property(properties, "connect-timeout", 10, 1, context);
  config.query_timeout_seconds = integer_property(properties, "query-timeout", 300, 1, context);
  config.split_count = integer_property(properties, "split-count", 0, 0, context);
  config.requests_per_second =
      non_negative_property(properties, "requests-per-second", config.requests_per_second, context);
  std::string pushdown = to_lower_ascii(get_property(properties, "pushdown", "true"));
  if (pushdown != "true" && pushdown != "false")
    invalid(catalog, "property 'pushdown' must be true or false, got '" + pushdown + "'");
  config.pushdown = pushdown == "true";
  return config;
}

}  // namespace tributary
