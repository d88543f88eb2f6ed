// The sqlite connector: one SQLite database file exposed as one schema.
//
// Catalog properties:
//   connector.name=sqlite
//   database=/abs/file.db     (required; opened read-only, must exist)
//   schema=NAME               (optional; the schema the file appears as, default "main")
//   busy-timeout-ms=5000      (optional; how long to wait on a locked database)
//
// Table and column names are presented in lower case (Trino style) and resolved
// case-insensitively; generated SQL uses the names as stored in the database.
//
// Type mapping from the declared column type (see sqlite_column_type()):
//   contains INT        -> bigint, except exactly INT / INTEGER -> integer
//                          (an INTEGER PRIMARY KEY is the 64-bit rowid: bigint),
//                          TINYINT -> tinyint, SMALLINT -> smallint
//   DECIMAL(p,s)/NUMERIC(p,s) -> decimal(p,s); bare DECIMAL/NUMERIC -> decimal(38,9)
//   REAL/FLOAT/DOUBLE   -> double
//   CHAR/CLOB/TEXT/VARCHAR(n) -> varchar(n) or varchar
//   BLOB                -> varbinary
//   DATE                -> date (stored as 'YYYY-MM-DD' text)
//   DATETIME/TIMESTAMP  -> timestamp(3) (ISO text, unix seconds, or julian day)
//   BOOLEAN/BOOL        -> boolean (0/1, or 'true'/'false' text)
//   no type / other     -> varchar
// SQLite is dynamically typed: a stored value that does not fit the declared
// type (text 'abc' in an INTEGER column, 3.5 in an INTEGER column, an integer
// outside INTEGER's range, a BLOB in a text column) reads as NULL.
//
// Pushdown: projection; the TupleDomain on integer, double, text-affinity
// varchar and date columns as a WHERE clause with bound parameters, guarded by
// typeof() so that values read as NULL behave as NULL; LIMIT and top-N ORDER BY
// when the whole constraint was pushed. Decimal, timestamp and boolean domains
// are left to the engine.
//
// Thread-safety: the connector is thread-safe; each page source owns its own
// read-only connection.
#pragma once
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

// Quotes an SQLite identifier: wraps in double quotes and doubles embedded '"'.
std::string sqlite_quote_identifier(const std::string& name);

// The tributary type for an SQLite declared column type (e.g. "VARCHAR(20)").
Type sqlite_column_type(const std::string& declared_type, bool integer_primary_key = false);

// Creates a sqlite connector; throws Error(INVALID_ARGUMENT) naming the catalog
// when `database` is missing or the file does not exist.
std::shared_ptr<Connector> make_sqlite_connector(const std::string& catalog_name,
                                                 const ConnectorProperties& properties);

// Registers `connector.name=sqlite` with the connector factory registry.
void register_sqlite_connector();

}  // namespace tributary
