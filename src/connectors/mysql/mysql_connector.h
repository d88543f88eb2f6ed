// The mysql connector (`connector.name=mysql`): MySQL and MariaDB through libmariadb.
//
// Properties and connection strings: see mysql_config.h. Schemas are the server's
// databases (minus information_schema, mysql, performance_schema, sys); tables and
// views come from information_schema, names presented in lower case and resolved
// case-insensitively; generated SQL uses the names as stored.
//
// Reading streams with mysql_use_result (text protocol) and converts each field's
// bytes straight into vectors; values that do not fit the mapped type (zero dates,
// DECIMAL(p>38) beyond 38 digits, BIT(64) above 2^63) read as NULL. A table with a
// single-column integer primary key and more than 100,000 estimated rows is read as
// `split-count` primary-key ranges on separate connections.
//
// Pushdown (projection, TupleDomain, LIMIT, top-N, aggregations, joins) follows the
// exactness rules of mysql_sql.h; EXPLAIN shows the generated SQL.
//
// Thread-safety: the connector is thread-safe; each page source leases its own connection.
#pragma once
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

// Creates a mysql connector; throws Error(INVALID_ARGUMENT) naming the catalog for bad
// properties. Does not connect until first used.
std::shared_ptr<Connector> make_mysql_connector(const std::string& catalog_name, const ConnectorProperties& properties);

// Registers `connector.name=mysql` (and the alias `mariadb`).
void register_mysql_connector();

}  // namespace tributary
