#include "service/sqlite_statement.h"

namespace tributary::service {

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw_error(ErrorCode::INTERNAL_ERROR, "metastore: " + text);
  }
}

Transaction::Transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  exec(db_, "COMMIT");
  done_ = true;
}

bool is_unique_violation(int constraint) {
  return constraint == SQLITE_CONSTRAINT_PRIMARYKEY || constraint == SQLITE_CONSTRAINT_UNIQUE;
}

}  // namespace tributary::service
