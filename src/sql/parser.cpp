// Statements, queries and relations of the recursive-descent Parser (parser_impl.h),
// and parser.h's entry points: parse_statement, parse_expression, parse_script.
#include "sql/parser.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "sql/lexer.h"
#include "sql/parser_impl.h"

namespace tributary::sql {

// Words that cannot be used as unquoted identifiers (Trino's reserved words that matter here).
const std::set<std::string>& Parser::reserved_words() {
  static const std::set<std::string> words = {
      "select", "from", "where", "group", "by", "having", "order", "limit", "offset", "join", "on", "using",
      "and", "or", "not", "as", "union", "intersect", "except", "all", "distinct", "case", "when", "then",
      "else", "end", "in", "is", "null", "like", "between", "exists", "cross", "inner", "left", "right",
      "full", "outer", "natural", "with", "values", "true", "false", "cast", "escape", "fetch", "window",
      "over", "filter", "create", "drop", "describe", "extract", "table"};
  return words;
}

bool Parser::is_identifier_token(size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.type == TokenType::QUOTED_IDENTIFIER) return true;
  return t.type == TokenType::IDENTIFIER && !reserved_words().count(t.text);
}

std::string Parser::identifier(const char* what) {
  if (!is_identifier_token()) fail_expecting(what);
  return next().text;
}

// An identifier part of a qualified name: after '.', reserved words are allowed too
// (catalog.default.table). Hyphenated unquoted names written without spaces
// (Orders-abc123, as AWS resources are named) are joined into one identifier.
std::string Parser::name_part(bool after_dot) {
  const Token& t = peek();
  if (!(t.type == TokenType::QUOTED_IDENTIFIER || t.type == TokenType::IDENTIFIER)) fail_expecting("identifier");
  if (!after_dot && t.type == TokenType::IDENTIFIER && reserved_words().count(t.text)) fail_expecting("identifier");
  Token first = next();
  std::string text = first.text;
  if (first.type == TokenType::IDENTIFIER) {
    int end_column = first.location.column + (int)first.text.size();
    while (is("-") && peek().location.line == first.location.line && peek().location.column == end_column &&
           (peek(1).type == TokenType::IDENTIFIER || peek(1).type == TokenType::INTEGER) &&
           peek(1).location.column == end_column + 1) {
      next();
      const Token& part = next();
      text += "-" + part.text;
      end_column = part.location.column + (int)part.text.size();
    }
  }
  return text;
}

std::vector<std::string> Parser::qualified_name() {
  std::vector<std::string> parts;
  parts.push_back(name_part(false));
  while (is(".") && (peek(1).type == TokenType::IDENTIFIER || peek(1).type == TokenType::QUOTED_IDENTIFIER)) {
    next();
    parts.push_back(name_part(true));
  }
  return parts;
}

StatementPtr Parser::parse_statement_inner() {
  auto stmt = std::make_shared<Statement>();
  stmt->location = peek().location;
  if (accept("explain")) {
    stmt->kind = accept("analyze") ? StatementKind::EXPLAIN_ANALYZE : StatementKind::EXPLAIN;
    if (accept("(")) {  // EXPLAIN (TYPE DISTRIBUTED, FORMAT TEXT): options accepted and ignored
      int depth = 1;
      while (depth > 0 && peek().type != TokenType::END) {
        if (is("(")) depth++;
        if (is(")")) depth--;
        next();
      }
    }
    stmt->inner = parse_statement_inner();
    return stmt;
  }
  if (accept("show")) {
    if (accept("catalogs")) {
      stmt->kind = StatementKind::SHOW_CATALOGS;
    } else if (accept("schemas") || accept("databases")) {
      stmt->kind = StatementKind::SHOW_SCHEMAS;
      if (accept("from") || accept("in")) stmt->name = qualified_name();
    } else if (accept("tables")) {
      stmt->kind = StatementKind::SHOW_TABLES;
      if (accept("from") || accept("in")) stmt->name = qualified_name();
    } else if (accept("partitions")) {
      stmt->kind = StatementKind::SHOW_PARTITIONS;
      if (!accept("from")) accept("in");
      stmt->name = qualified_name();
    } else if (accept("views")) {
      stmt->kind = StatementKind::SHOW_VIEWS;
      if (accept("from") || accept("in")) stmt->name = qualified_name();
    } else if (accept("columns")) {
      stmt->kind = StatementKind::SHOW_COLUMNS;
      if (!accept("from")) expect("in");
      stmt->name = qualified_name();
    } else if (accept("functions")) {
      stmt->kind = StatementKind::SHOW_FUNCTIONS;
    } else if (accept("create")) {
      if (accept("table")) {
        stmt->kind = StatementKind::SHOW_CREATE_TABLE;
      } else {
        if (!accept("view")) fail_expecting("TABLE, VIEW");
        stmt->kind = StatementKind::SHOW_CREATE_VIEW;
      }
      stmt->name = qualified_name();
    } else {
      fail_expecting("CATALOGS, SCHEMAS, TABLES, VIEWS, COLUMNS, FUNCTIONS, PARTITIONS, CREATE TABLE, CREATE VIEW");
    }
    if (accept("like")) {
      if (peek().type != TokenType::STRING) fail_expecting("string");
      stmt->like_pattern = next().text;
      stmt->has_like = true;
    }
    return stmt;
  }
  if (accept("describe") || accept("desc")) {
    stmt->kind = StatementKind::SHOW_COLUMNS;
    stmt->name = qualified_name();
    return stmt;
  }
  if (accept("use")) {
    stmt->kind = StatementKind::USE;
    stmt->name = qualified_name();
    return stmt;
  }
  if (is("create")) {
    size_t start_token = pos_;
    next();
    if (accept("or")) {
      expect("replace");
      stmt->or_replace = true;
    }
    if (!accept("view")) {
      if (stmt->or_replace) fail_expecting("VIEW");
      return parse_create(stmt);
    }
    (void)start_token;
    stmt->kind = StatementKind::CREATE_VIEW;
    stmt->name = qualified_name();
    expect("as");
    size_t query_start = offset_of(peek());
    stmt->query = query();
    size_t query_end = peek().type == TokenType::END ? sql_.size() : offset_of(peek());
    stmt->original_sql = sql_.substr(query_start, query_end - query_start);
    while (!stmt->original_sql.empty() &&
           (std::isspace((unsigned char)stmt->original_sql.back()) || stmt->original_sql.back() == ';'))
      stmt->original_sql.pop_back();
    return stmt;
  }
  if (accept("drop")) return parse_drop(stmt);
  if (accept("alter")) return parse_alter_table(stmt);
  if (accept("insert")) return parse_insert(stmt);
  if (accept("msck")) {
    expect("repair");
    expect("table");
    stmt->kind = StatementKind::REPAIR_TABLE;
    stmt->name = qualified_name();
    return stmt;
  }
  if (is("select") || is("with") || is("values") || is("(") || is("table")) {
    stmt->kind = StatementKind::QUERY;
    stmt->query = query();
    return stmt;
  }
  fail_expecting("ALTER, CREATE, DESCRIBE, DROP, EXPLAIN, INSERT, MSCK, SELECT, SHOW, USE, VALUES, WITH");
}

size_t Parser::offset_of(const Token& t) const {
  size_t offset = 0;
  int line = 1;
  while (line < t.location.line && offset < sql_.size()) {
    if (sql_[offset] == '\n') line++;
    offset++;
  }
  return offset + t.location.column - 1;
}

QueryPtr Parser::query() {
  auto q = std::make_shared<Query>();
  q->location = peek().location;
  if (accept("with")) {
    q->recursive = accept("recursive");
    do {
      WithItem item;
      item.location = peek().location;
      item.name = identifier("CTE name");
      if (accept("(")) {
        do item.column_aliases.push_back(identifier()); while (accept(","));
        expect(")");
      }
      expect("as");
      expect("(");
      item.query = query();
      expect(")");
      q->with.push_back(std::move(item));
    } while (accept(","));
  }
  q->body = set_expression();
  if (accept("order")) {
    expect("by");
    q->order_by = order_items();
  }
  parse_limit_offset(*q);
  return q;
}

void Parser::parse_limit_offset(Query& q) {
  for (int round = 0; round < 2; round++) {
    if (accept("offset")) {
      q.offset = primary_number();
      if (!accept("rows")) accept("row");
    }
    if (accept("limit")) {
      if (!accept("all")) q.limit = primary_number();
    } else if (accept("fetch")) {
      if (!accept("first")) expect("next");
      if (is("row") || is("rows")) {
        auto one = std::make_shared<Expr>();
        one->literal_kind = LiteralKind::INTEGER;
        one->text = "1";
        q.limit = one;
      } else {
        q.limit = primary_number();
      }
      if (!accept("rows")) expect("row");
      if (!accept("only")) {
        expect("with");
        expect("ties");
      }
    }
  }
}

ExprPtr Parser::primary_number() {
  auto e = std::make_shared<Expr>();
  e->location = peek().location;
  if (peek().type == TokenType::INTEGER) {
    e->literal_kind = LiteralKind::INTEGER;
    e->text = next().text;
    return e;
  }
  if (peek().type == TokenType::PARAMETER) {
    next();
    e->kind = ExprKind::PARAMETER;
    e->parameter_index = parameter_count_++;
    return e;
  }
  fail_expecting("integer");
}

std::vector<OrderItem> Parser::order_items() {
  std::vector<OrderItem> items;
  do {
    OrderItem item;
    item.expr = expression();
    if (accept("desc")) {
      item.ascending = false;
    } else {
      accept("asc");
    }
    if (accept("nulls")) {
      if (accept("first")) {
        item.nulls_first = true;
      } else {
        expect("last");
        item.nulls_first = false;
      }
    }
    items.push_back(item);
  } while (accept(","));
  return items;
}

// UNION/EXCEPT (left-assoc) over INTERSECT (binds tighter).
QueryBodyPtr Parser::set_expression() {
  auto left = intersect_expression();
  while (is("union") || is("except")) {
    auto op = std::make_shared<QueryBody>();
    op->location = peek().location;
    op->kind = QueryBody::SET_OPERATION;
    op->set_op = next().text == "union" ? QueryBody::UNION : QueryBody::EXCEPT;
    if (accept("all")) {
      op->all = true;
    } else {
      accept("distinct");
    }
    op->left = left;
    op->right = intersect_expression();
    left = op;
  }
  return left;
}

QueryBodyPtr Parser::intersect_expression() {
  auto left = query_primary();
  while (is("intersect")) {
    auto op = std::make_shared<QueryBody>();
    op->location = next().location;
    op->kind = QueryBody::SET_OPERATION;
    op->set_op = QueryBody::INTERSECT;
    if (accept("all")) {
      op->all = true;
    } else {
      accept("distinct");
    }
    op->left = left;
    op->right = query_primary();
    left = op;
  }
  return left;
}

QueryBodyPtr Parser::query_primary() {
  auto body = std::make_shared<QueryBody>();
  body->location = peek().location;
  if (accept("select")) {
    body->kind = QueryBody::SPEC;
    query_spec(body->spec);
    return body;
  }
  if (accept("values")) {
    body->kind = QueryBody::VALUES;
    body->rows = values_rows();
    return body;
  }
  if (accept("table")) {
    body->kind = QueryBody::SPEC;
    SelectItem star;
    star.expr = std::make_shared<Expr>();
    star.expr->kind = ExprKind::STAR;
    body->spec.select.push_back(star);
    auto rel = std::make_shared<Relation>();
    rel->location = peek().location;
    rel->name = qualified_name();
    body->spec.from = rel;
    return body;
  }
  if (accept("(")) {
    body->kind = QueryBody::NESTED;
    body->nested = query();
    expect(")");
    return body;
  }
  fail_expecting("SELECT, VALUES, TABLE, '('");
}

std::vector<std::vector<ExprPtr>> Parser::values_rows() {
  std::vector<std::vector<ExprPtr>> rows;
  do {
    auto e = expression();
    if (e->kind == ExprKind::ROW) {
      rows.push_back(e->args);
    } else {
      rows.push_back({e});
    }
  } while (accept(","));
  return rows;
}

void Parser::query_spec(QuerySpec& spec) {
  if (accept("distinct")) {
    spec.distinct = true;
  } else {
    accept("all");
  }
  do {
    SelectItem item;
    item.location = peek().location;
    if (is("*")) {
      next();
      item.expr = std::make_shared<Expr>();
      item.expr->kind = ExprKind::STAR;
      item.expr->location = item.location;
    } else {
      item.expr = expression();
      if (item.expr->kind == ExprKind::IDENTIFIER && is(".") && is("*", 1)) {
        next();
        next();
        auto star = std::make_shared<Expr>();
        star->kind = ExprKind::STAR;
        star->name = item.expr->name;
        star->location = item.location;
        item.expr = star;
      } else if (accept("as")) {
        item.alias = identifier("alias");
      } else if (is_identifier_token()) {
        item.alias = identifier();
      }
    }
    spec.select.push_back(item);
  } while (accept(","));
  if (accept("from")) {
    spec.from = relation_list();
  }
  if (accept("where")) spec.where = expression();
  if (accept("group")) {
    expect("by");
    if (!accept("all")) accept("distinct");
    do spec.group_by.push_back(expression()); while (accept(","));
  }
  if (accept("having")) spec.having = expression();
}

RelationPtr Parser::relation_list() {
  auto left = joined_relation();
  while (accept(",")) {
    auto join = std::make_shared<Relation>();
    join->kind = Relation::JOIN;
    join->join_type = JoinType::CROSS;
    join->location = peek().location;
    join->left = left;
    join->right = joined_relation();
    left = join;
  }
  return left;
}

RelationPtr Parser::joined_relation() {
  auto left = aliased_relation();
  while (true) {
    Location loc = peek().location;
    JoinType type;
    bool natural = accept("natural");
    if (accept("cross")) {
      expect("join");
      type = JoinType::CROSS;
    } else if (accept("join")) {
      type = JoinType::INNER;
    } else if (accept("inner")) {
      expect("join");
      type = JoinType::INNER;
    } else if (accept("left")) {
      accept("outer");
      expect("join");
      type = JoinType::LEFT;
    } else if (accept("right")) {
      accept("outer");
      expect("join");
      type = JoinType::RIGHT;
    } else if (accept("full")) {
      accept("outer");
      expect("join");
      type = JoinType::FULL;
    } else {
      if (natural) fail_expecting("JOIN");
      return left;
    }
    auto join = std::make_shared<Relation>();
    join->kind = Relation::JOIN;
    join->join_type = type;
    join->location = loc;
    join->natural = natural;
    join->left = left;
    join->right = aliased_relation();
    if (type != JoinType::CROSS && !natural) {
      if (accept("on")) {
        join->on = expression();
      } else if (accept("using")) {
        expect("(");
        do join->using_columns.push_back(identifier()); while (accept(","));
        expect(")");
      } else {
        fail_expecting("ON, USING");
      }
    }
    left = join;
  }
}

RelationPtr Parser::aliased_relation() {
  auto rel = std::make_shared<Relation>();
  rel->location = peek().location;
  if (accept("(")) {
    if (is("select") || is("with") || is("values") || is("(") || is("table")) {
      rel->kind = Relation::SUBQUERY;
      rel->subquery = query();
      expect(")");
    } else {
      rel = relation_list();
      expect(")");
      if (!is("as") && !is_identifier_token()) return rel;
      // An alias on a parenthesized join is not supported by Trino either.
      fail_expecting("')'");
    }
  } else if (accept("values")) {
    rel->kind = Relation::SUBQUERY;
    rel->subquery = std::make_shared<Query>();
    rel->subquery->body = std::make_shared<QueryBody>();
    rel->subquery->body->kind = QueryBody::VALUES;
    rel->subquery->body->rows = values_rows();
  } else if (accept("table")) {
    expect("(");
    rel->kind = Relation::TABLE_FUNCTION;
    rel->name = qualified_name();
    expect("(");
    if (!is(")")) {
      do rel->function_args.push_back(expression()); while (accept(","));
    }
    expect(")");
    expect(")");
  } else {
    rel->name = qualified_name();
    if (is("(")) {  // table function: read_csv('...')
      next();
      rel->kind = Relation::TABLE_FUNCTION;
      if (!is(")")) {
        do rel->function_args.push_back(expression()); while (accept(","));
      }
      expect(")");
    } else {
      rel->kind = Relation::TABLE;
    }
  }
  if (accept("as")) {
    rel->alias = identifier("alias");
  } else if (is_identifier_token() && !is("tablesample")) {
    rel->alias = identifier();
  }
  if (!rel->alias.empty() && accept("(")) {
    do rel->column_aliases.push_back(identifier()); while (accept(","));
    expect(")");
  }
  return rel;
}

StatementPtr parse_statement(const std::string& sql) {
  Parser parser(sql);
  return parser.statement();
}

ExprPtr parse_expression(const std::string& sql) {
  Parser parser(sql);
  return parser.standalone_expression();
}

std::vector<StatementText> split_statements(const std::string& sql) {
  std::vector<StatementText> out;
  size_t i = 0, n = sql.size();
  int line = 1, column = 1;
  size_t start = 0;
  int start_line = 1, start_column = 1;
  bool has_content = false;  // anything besides whitespace and comments
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
  auto flush = [&](size_t end) {
    if (has_content) {
      // Pad so positions inside the statement are the script's positions.
      std::string text = std::string(start_line - 1, '\n') + std::string(start_column - 1, ' ') +
                         sql.substr(start, end - start);
      out.push_back({text, start_line, start_column});
    }
    has_content = false;
  };
  while (i < n) {
    char c = sql[i];
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') advance(1);
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      advance(2);
      while (i < n && !(sql[i] == '*' && i + 1 < n && sql[i + 1] == '/')) advance(1);
      advance(2);
      continue;
    }
    if (c == ';') {
      flush(i);
      advance(1);
      start = i;
      start_line = line;
      start_column = column;
      continue;
    }
    if (!std::isspace((unsigned char)c)) {
      if (!has_content) {
        // The statement starts at its first meaningful character.
        start = i;
        start_line = line;
        start_column = column;
      }
      has_content = true;
    }
    if (c == '\'' || c == '"' || c == '`') {
      char quote = c;
      advance(1);
      while (i < n) {
        if (sql[i] == quote) {
          if (i + 1 < n && sql[i + 1] == quote) {
            advance(2);
            continue;
          }
          break;
        }
        advance(1);
      }
      advance(1);
      continue;
    }
    advance(1);
  }
  flush(n);
  return out;
}

std::vector<StatementPtr> parse_script(const std::string& sql) {
  std::vector<StatementPtr> out;
  for (const auto& statement : split_statements(sql)) out.push_back(parse_statement(statement.text));
  return out;
}

}  // namespace tributary::sql
