// Error: the one exception hierarchy of tributary. Every user-visible failure
// carries an ErrorCode (mapped to Athena's error shape by the service) and,
// for SQL text errors, a 1-based line and column.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace tributary {

enum class ErrorCode {
  SYNTAX_ERROR,
  NOT_FOUND,
  TYPE_MISMATCH,
  INVALID_ARGUMENT,
  NUMERIC_OUT_OF_RANGE,
  DIVISION_BY_ZERO,
  INVALID_CAST,
  NOT_SUPPORTED,
  SOURCE_ERROR,
  LIMIT_EXCEEDED,
  CANCELLED,
  ACCESS_DENIED,
  ALREADY_EXISTS,
  INTERNAL_ERROR,
};

const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, int line = 0, int column = 0);
  ErrorCode code() const { return code_; }
  int line() const { return line_; }
  int column() const { return column_; }
  // The bare message, without code or position.
  const std::string& message() const { return message_; }
  // "CODE: line L:C: message" — the form printed by the CLI.
  std::string full() const;

 private:
  ErrorCode code_;
  std::string message_;
  int line_;
  int column_;
};

[[noreturn]] void throw_error(ErrorCode code, std::string message, int line = 0, int column = 0);

// The closest candidate to `name` by edit distance (case-insensitive), or "" if none is close.
std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates);
// " Did you mean 'x'?" or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace tributary
