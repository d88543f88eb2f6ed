// Parser: recursive descent over the lexer's tokens, producing the AST.
// Throws Error(SYNTAX_ERROR) with line and column: "mismatched input 'x'. Expecting: ...".
#pragma once
#include <string>
#include <vector>

#include "sql/ast.h"

namespace tributary::sql {

// Parses one statement (a trailing ';' is allowed).
StatementPtr parse_statement(const std::string& sql);
// One statement of a script: its text padded with newlines/spaces so that positions in
// errors are positions in the whole script, and where it starts.
struct StatementText {
  std::string text;
  int line;
  int column;
};

// Splits a script on ';' outside strings, quoted identifiers and comments. Pieces that
// hold only whitespace and comments are dropped.
std::vector<StatementText> split_statements(const std::string& sql);

// Splits a script into statements (split_statements) and parses each.
std::vector<StatementPtr> parse_script(const std::string& sql);
// Parses a standalone expression (tests, computed properties).
ExprPtr parse_expression(const std::string& sql);

}  // namespace tributary::sql
