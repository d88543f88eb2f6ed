// The postgresql connector: a PostgreSQL database exposed as a catalog, one schema
// per PostgreSQL schema. See docs/connectors/postgresql.md for properties, the type
// mapping and what is pushed down.
//
// Pieces: postgres_connection_config (properties, URLs), postgres_connection_pool
// (libpq connections, limits), postgres_sql (quoting, types, generated SQL),
// postgres_copy_format (COPY text decoding), and the connector and page source here.
//
// Thread-safety: the connector is thread-safe; a page source holds one pooled
// connection and is used by one thread (cancel() may come from any thread).
#pragma once
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

// Creates a postgresql connector; throws Error(INVALID_ARGUMENT) naming the catalog for
// bad or unknown properties. Does not connect until the first metadata call.
std::shared_ptr<Connector> make_postgres_connector(const std::string& catalog_name,
                                                   const ConnectorProperties& properties);

// Registers `connector.name=postgresql` with the connector factory registry.
void register_postgres_connector();

}  // namespace tributary
