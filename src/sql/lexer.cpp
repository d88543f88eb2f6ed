#include "sql/lexer.h"

#include <cctype>

#include "common/error.h"

namespace tributary::sql {

std::vector<Token> tokenize(const std::string& sql) {
  std::vector<Token> tokens;
  size_t i = 0, n = sql.size();
  int line = 1, column = 1;
  auto advance = [&](size_t count) {
    for (size_t k = 0; k < count && i < n; k++, i++) {
      if (sql[i] == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  };
  while (i < n) {
    char c = sql[i];
    if (std::isspace((unsigned char)c)) {
      advance(1);
      continue;
    }
    Location loc{line, column};
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') advance(1);
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      advance(2);
      while (i < n && !(sql[i] == '*' && i + 1 < n && sql[i + 1] == '/')) advance(1);
      if (i >= n) throw_error(ErrorCode::SYNTAX_ERROR, "Unterminated comment", loc.line, loc.column);
      advance(2);
      continue;
    }
    if (std::isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
      size_t start = i;
      while (i < n && (std::isalnum((unsigned char)sql[i]) || sql[i] == '_' || sql[i] == '$' ||
                       (unsigned char)sql[i] >= 0x80))
        advance(1);
      std::string original = sql.substr(start, i - start);
      std::string word = original;
      for (auto& ch : word) ch = (char)std::tolower((unsigned char)ch);
      tokens.push_back({TokenType::IDENTIFIER, word, loc, original});
      continue;
    }
    if (c == '"' || c == '`') {
      char quote = c;
      advance(1);
      std::string text;
      while (true) {
        if (i >= n) throw_error(ErrorCode::SYNTAX_ERROR, "Unterminated quoted identifier", loc.line, loc.column);
        if (sql[i] == quote) {
          if (i + 1 < n && sql[i + 1] == quote) {
            text += quote;
            advance(2);
            continue;
          }
          advance(1);
          break;
        }
        text += sql[i];
        advance(1);
      }
      if (text.empty()) throw_error(ErrorCode::SYNTAX_ERROR, "Zero-length delimited identifier not allowed", loc.line, loc.column);
      tokens.push_back({TokenType::QUOTED_IDENTIFIER, text, loc});
      continue;
    }
    if (c == '\'') {
      advance(1);
      std::string text;
      while (true) {
        if (i >= n) throw_error(ErrorCode::SYNTAX_ERROR, "Unterminated string literal", loc.line, loc.column);
        if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            text += '\'';
            advance(2);
            continue;
          }
          advance(1);
          break;
        }
        text += sql[i];
        advance(1);
      }
      tokens.push_back({TokenType::STRING, text, loc});
      continue;
    }
    if (std::isdigit((unsigned char)c) || (c == '.' && i + 1 < n && std::isdigit((unsigned char)sql[i + 1]))) {
      size_t start = i;
      bool is_decimal = false, is_double = false;
      while (i < n && std::isdigit((unsigned char)sql[i])) advance(1);
      if (i < n && sql[i] == '.') {
        is_decimal = true;
        advance(1);
        while (i < n && std::isdigit((unsigned char)sql[i])) advance(1);
      }
      if (i < n && (sql[i] == 'e' || sql[i] == 'E')) {
        size_t save = i;
        int save_col = column;
        advance(1);
        if (i < n && (sql[i] == '+' || sql[i] == '-')) advance(1);
        if (i < n && std::isdigit((unsigned char)sql[i])) {
          is_double = true;
          while (i < n && std::isdigit((unsigned char)sql[i])) advance(1);
        } else {
          i = save;
          column = save_col;
        }
      }
      if (i < n && (std::isalpha((unsigned char)sql[i]) || sql[i] == '_')) {
        // "Orders-1a2b3c": a resource-name suffix right after an adjacent '-' is a word.
        bool after_hyphen = !tokens.empty() && tokens.back().type == TokenType::OPERATOR &&
                            tokens.back().text == "-" && tokens.back().location.line == loc.line &&
                            tokens.back().location.column == loc.column - 1;
        if (after_hyphen) {
          while (i < n && (std::isalnum((unsigned char)sql[i]) || sql[i] == '_')) advance(1);
          std::string word = sql.substr(start, i - start);
          for (auto& ch : word) ch = (char)std::tolower((unsigned char)ch);
          tokens.push_back({TokenType::IDENTIFIER, word, loc});
          continue;
        }
        throw_error(ErrorCode::SYNTAX_ERROR, "Invalid numeric literal '" + sql.substr(start, i - start + 1) + "'",
                    loc.line, loc.column);
      }
      tokens.push_back({is_double ? TokenType::DOUBLE : is_decimal ? TokenType::DECIMAL : TokenType::INTEGER,
                        sql.substr(start, i - start), loc});
      continue;
    }
    if (c == '?') {
      advance(1);
      tokens.push_back({TokenType::PARAMETER, "?", loc});
      continue;
    }
    static const char* two_char[] = {"<>", "<=", ">=", "!=", "||", "=>", "->"};
    bool matched = false;
    for (const char* op : two_char) {
      if (i + 1 < n && sql[i] == op[0] && sql[i + 1] == op[1]) {
        tokens.push_back({TokenType::OPERATOR, op, loc});
        advance(2);
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (std::string("+-*/%(),.;=<>[]:").find(c) != std::string::npos) {
      tokens.push_back({TokenType::OPERATOR, std::string(1, c), loc});
      advance(1);
      continue;
    }
    throw_error(ErrorCode::SYNTAX_ERROR, std::string("Unexpected character '") + c + "'", loc.line, loc.column);
  }
  tokens.push_back({TokenType::END, "", {line, column}});
  return tokens;
}

}  // namespace tributary::sql
