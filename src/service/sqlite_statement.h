// The metastore's thin layer over the SQLite C API: a prepared statement with chained binds,
// exec of statement lists, and an IMMEDIATE transaction guard. Every failure of SQLite is
// Error(INTERNAL_ERROR) with SQLite's message. Objects belong to one connection and are
// used by one thread at a time (the metastore's mutex).
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/error.h"

namespace tributary::service {

// A prepared statement; binds by 1-based position, reads by 0-based column.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db);
      sqlite3_finalize(stmt_);
      throw_error(ErrorCode::INTERNAL_ERROR, "metastore: cannot prepare statement: " + message);
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& value) {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bind(int index, int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind_null(int index) {
    check(sqlite3_bind_null(stmt_, index));
    return *this;
  }

  // True while a row is available. A constraint violation returns its extended code through
  // `constraint` when given, otherwise throws.
  bool step(int* constraint = nullptr) {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    int extended = sqlite3_extended_errcode(db_);
    if (constraint && (rc & 0xff) == SQLITE_CONSTRAINT) {
      *constraint = extended;
      sqlite3_reset(stmt_);
      return false;
    }
    throw_error(ErrorCode::INTERNAL_ERROR, std::string("metastore: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
  }
  // Runs an INSERT; returns the constraint violation's extended code, or 0.
  int insert() {
    int constraint = 0;
    step(&constraint);
    return constraint;
  }

  std::string text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw_error(ErrorCode::INTERNAL_ERROR, std::string("metastore: bind: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs one or more statements without results.
void exec(sqlite3* db, const char* sql);

// BEGIN IMMEDIATE takes the write lock up front, so a read-then-write sequence cannot be
// interleaved with another process's writer (e.g. `tributary user add` beside the server).
class Transaction {
 public:
  // Throws INTERNAL_ERROR when the lock cannot be taken within the busy timeout.
  explicit Transaction(sqlite3* db);
  // Rolls back unless committed.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Throws INTERNAL_ERROR; every statement that returned a row must be finished first.
  void commit();

 private:
  sqlite3* db_;
  bool done_ = false;
};

// A PRIMARY KEY or UNIQUE violation (extended result code from Statement::insert()).
bool is_unique_violation(int constraint);

}  // namespace tributary::service
