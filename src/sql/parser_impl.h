// The recursive-descent Parser behind parser.h, internal to src/sql. Statements, queries
// and relations are defined in parser.cpp; expressions, literals, type names and window
// specifications in expression_parser.cpp.
#pragma once
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "sql/ast.h"
#include "sql/lexer.h"

namespace tributary::sql {

// One parse of one SQL text (which must outlive the Parser). Not thread-safe.
// Every method throws Error(SYNTAX_ERROR) with the line and column of the offending token.
class Parser {
 public:
  explicit Parser(const std::string& sql) : sql_(sql), tokens_(tokenize(sql)) {}

  StatementPtr statement() {
    auto stmt = parse_statement_inner();
    accept(";");
    if (peek().type != TokenType::END) fail_expecting("<EOF>");
    return stmt;
  }

  ExprPtr standalone_expression() {
    auto e = expression();
    if (peek().type != TokenType::END) fail_expecting("<EOF>");
    return e;
  }

  ExprPtr expression();

 private:
  const std::string& sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int parameter_count_ = 0;

  const Token& peek(size_t ahead = 0) const {
    size_t p = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[p];
  }

  const Token& next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) pos_++;
    return t;
  }

  // Keyword or operator match (keywords are unquoted identifiers).
  bool is(const std::string& text, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    if (t.type == TokenType::IDENTIFIER || t.type == TokenType::OPERATOR) return t.text == text;
    return false;
  }

  bool accept(const std::string& text) {
    if (is(text)) {
      next();
      return true;
    }
    return false;
  }

  [[noreturn]] void fail_expecting(const std::string& expected) {
    const Token& t = peek();
    std::string got = t.type == TokenType::END ? "<EOF>" : (t.original.empty() ? t.text : t.original);
    if (t.type == TokenType::STRING) got = "'" + t.text + "'";
    throw_error(ErrorCode::SYNTAX_ERROR, "mismatched input '" + got + "'. Expecting: " + expected, t.location.line,
                t.location.column);
  }

  void expect(const std::string& text) {
    if (!accept(text)) fail_expecting("'" + text + "'");
  }

  // Words that cannot be used as unquoted identifiers (Trino's reserved words that matter here).
  static const std::set<std::string>& reserved_words();

  // Statements, queries and relations (parser.cpp).
  bool is_identifier_token(size_t ahead = 0) const;
  std::string identifier(const char* what = "identifier");
  std::string name_part(bool after_dot);
  std::vector<std::string> qualified_name();
  StatementPtr parse_statement_inner();
  // Athena's Hive DDL (parser_ddl.cpp).
  StatementPtr parse_create(StatementPtr stmt);
  StatementPtr parse_create_table_as(StatementPtr stmt);
  StatementPtr parse_insert(StatementPtr stmt);
  StatementPtr parse_drop(StatementPtr stmt);
  StatementPtr parse_alter_table(StatementPtr stmt);
  std::string string_literal(const char* what);
  std::map<std::string, std::string> property_list();
  std::string hive_type();
  std::vector<ColumnDefinition> column_definitions();
  PartitionSpec partition_spec();
  size_t offset_of(const Token& t) const;
  QueryPtr query();
  void parse_limit_offset(Query& q);
  ExprPtr primary_number();
  std::vector<OrderItem> order_items();
  QueryBodyPtr set_expression();
  QueryBodyPtr intersect_expression();
  QueryBodyPtr query_primary();
  std::vector<std::vector<ExprPtr>> values_rows();
  void query_spec(QuerySpec& spec);
  RelationPtr relation_list();
  RelationPtr joined_relation();
  RelationPtr aliased_relation();

  // Expressions, literals, type names and windows (expression_parser.cpp).
  ExprPtr make(ExprKind kind, Location loc);
  ExprPtr or_expression();
  ExprPtr and_expression();
  ExprPtr not_expression();
  ExprPtr predicate();
  ExprPtr value_expression();
  ExprPtr additive();
  ExprPtr multiplicative();
  ExprPtr unary();
  ExprPtr postfix(ExprPtr e);
  ExprPtr literal(LiteralKind kind, const Token& t);
  static bool is_interval_unit(const std::string& w);
  ExprPtr primary();
  std::string type_name();
  ExprPtr identifier_or_call();
  WindowFrameBound frame_bound();
  std::shared_ptr<WindowSpec> window_spec();
};

}  // namespace tributary::sql
