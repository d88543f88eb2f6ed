#include "connector/builtin_connectors.h"

#include "connectors/dynamodb/dynamodb_connector.h"
#include "connectors/files/files_connector.h"
#include "connectors/mysql/mysql_connector.h"
#include "connectors/postgres/postgres_connector.h"
#include "connectors/sqlite/sqlite_connector.h"

namespace tributary {

void register_builtin_connectors() {
  register_files_connector();
  register_sqlite_connector();
  register_mysql_connector();
  register_postgres_connector();
  register_dynamodb_connector();
}

}  // namespace tributary
