// Lexer: SQL text -> tokens with line/column. Unquoted identifiers and
// keywords are lower-cased; "quoted" identifiers keep their case ("" escapes a quote);
// 'strings' use '' as escape. Comments: -- to end of line, /* ... */.
#pragma once
#include <string>
#include <vector>

#include "sql/ast.h"

namespace tributary::sql {

enum class TokenType { IDENTIFIER, QUOTED_IDENTIFIER, STRING, INTEGER, DECIMAL, DOUBLE, OPERATOR, PARAMETER, END };

struct Token {
  TokenType type;
  std::string text;  // lower-cased for identifiers/keywords
  Location location;
  std::string original;  // the text as written (for error messages)
};

// Throws Error(SYNTAX_ERROR) with the position of an unterminated string/comment or a stray character.
std::vector<Token> tokenize(const std::string& sql);

}  // namespace tributary::sql
