// The metastore's schema and its migrations. A file records its version in schema_version;
// migrate_metastore brings it to Metastore::kSchemaVersion by running the missing steps in
// order, then makes sure the `primary` workgroup exists. Called once per connection, before
// any other use; the caller owns the connection.
#pragma once
#include <sqlite3.h>

#include <string>

namespace tributary::service {

// Throws NOT_SUPPORTED for a file from a newer binary, INTERNAL_ERROR when SQLite fails
// (nothing is changed then: the whole migration is one transaction).
void migrate_metastore(sqlite3* db, const std::string& path);

// The version recorded in the file; 0 for a file without one.
int read_schema_version(sqlite3* db);

}  // namespace tributary::service
