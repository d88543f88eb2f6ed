#include "sql/parser.h"

#include <set>

#include "common/error.h"
#include "sql/lexer.h"

namespace tributary::sql {

namespace {

// Words that cannot be used as unquoted identifiers (Trino's reserved words that matter here).
const std::set<std::string>& reserved_words() {
  static const std::set<std::string> words = {
      "select", "from", "where", "group", "by", "having", "order", "limit", "offset", "join", "on", "using",
      "and", "or", "not", "as", "union", "intersect", "except", "all", "distinct", "case", "when", "then",
      "else", "end", "in", "is", "null", "like", "between", "exists", "cross", "inner", "left", "right",
      "full", "outer", "natural", "with", "values", "true", "false", "cast", "escape", "fetch", "window",
      "over", "filter", "create", "drop", "describe", "extract", "table"};
  return words;
}

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

  bool is_identifier_token(size_t ahead = 0) const {
    const Token& t = peek(ahead);
    if (t.type == TokenType::QUOTED_IDENTIFIER) return true;
    return t.type == TokenType::IDENTIFIER && !reserved_words().count(t.text);
  }

  std::string identifier(const char* what = "identifier") {
    if (!is_identifier_token()) fail_expecting(what);
    return next().text;
  }

  // An identifier part of a qualified name: after '.', reserved words are allowed too
  // (catalog.default.table). Hyphenated unquoted names written without spaces
  // (Orders-abc123, as AWS resources are named) are joined into one identifier.
  std::string name_part(bool after_dot) {
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

  std::vector<std::string> qualified_name() {
    std::vector<std::string> parts;
    parts.push_back(name_part(false));
    while (is(".") && (peek(1).type == TokenType::IDENTIFIER || peek(1).type == TokenType::QUOTED_IDENTIFIER)) {
      next();
      parts.push_back(name_part(true));
    }
    return parts;
  }

  StatementPtr parse_statement_inner() {
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
      } else if (accept("columns")) {
        stmt->kind = StatementKind::SHOW_COLUMNS;
        if (!accept("from")) expect("in");
        stmt->name = qualified_name();
      } else if (accept("functions")) {
        stmt->kind = StatementKind::SHOW_FUNCTIONS;
      } else if (accept("create")) {
        expect("view");
        stmt->kind = StatementKind::SHOW_CREATE_VIEW;
        stmt->name = qualified_name();
      } else {
        fail_expecting("CATALOGS, SCHEMAS, TABLES, COLUMNS, FUNCTIONS");
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
        pos_ = start_token;
        fail_expecting("VIEW");
      }
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
    if (accept("drop")) {
      expect("view");
      stmt->kind = StatementKind::DROP_VIEW;
      if (accept("if")) {
        expect("exists");
        stmt->if_exists = true;
      }
      stmt->name = qualified_name();
      return stmt;
    }
    if (is("select") || is("with") || is("values") || is("(") || is("table")) {
      stmt->kind = StatementKind::QUERY;
      stmt->query = query();
      return stmt;
    }
    fail_expecting("ALTER, CREATE, DESCRIBE, DROP, EXPLAIN, SELECT, SHOW, USE, VALUES, WITH");
  }

  size_t offset_of(const Token& t) const {
    size_t offset = 0;
    int line = 1;
    while (line < t.location.line && offset < sql_.size()) {
      if (sql_[offset] == '\n') line++;
      offset++;
    }
    return offset + t.location.column - 1;
  }

  QueryPtr query() {
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

  void parse_limit_offset(Query& q) {
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

  ExprPtr primary_number() {
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

  std::vector<OrderItem> order_items() {
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
  QueryBodyPtr set_expression() {
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

  QueryBodyPtr intersect_expression() {
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

  QueryBodyPtr query_primary() {
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

  std::vector<std::vector<ExprPtr>> values_rows() {
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

  void query_spec(QuerySpec& spec) {
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

  RelationPtr relation_list() {
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

  RelationPtr joined_relation() {
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

  RelationPtr aliased_relation() {
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

  // ---------------- expressions ----------------

  ExprPtr make(ExprKind kind, Location loc) {
    auto e = std::make_shared<Expr>();
    e->kind = kind;
    e->location = loc;
    return e;
  }

 public:
  ExprPtr expression() { return or_expression(); }

 private:
  ExprPtr or_expression() {
    auto left = and_expression();
    while (is("or")) {
      auto e = make(ExprKind::OR, next().location);
      e->args = {left, and_expression()};
      left = e;
    }
    return left;
  }

  ExprPtr and_expression() {
    auto left = not_expression();
    while (is("and")) {
      auto e = make(ExprKind::AND, next().location);
      e->args = {left, not_expression()};
      left = e;
    }
    return left;
  }

  ExprPtr not_expression() {
    if (is("not")) {
      auto e = make(ExprKind::NOT, next().location);
      e->args = {not_expression()};
      return e;
    }
    return predicate();
  }

  ExprPtr predicate() {
    auto value = value_expression();
    while (true) {
      Location loc = peek().location;
      static const std::set<std::string> comparisons = {"=", "<>", "!=", "<", "<=", ">", ">="};
      if (peek().type == TokenType::OPERATOR && comparisons.count(peek().text)) {
        std::string op = next().text;
        if (op == "!=") op = "<>";
        auto e = make(ExprKind::BINARY, loc);
        e->op = op;
        e->args = {value, value_expression()};
        value = e;
        continue;
      }
      if (accept("is")) {
        bool negated = accept("not");
        if (accept("null")) {
          auto e = make(ExprKind::IS_NULL, loc);
          e->negated = negated;
          e->args = {value};
          value = e;
          continue;
        }
        if (accept("distinct")) {
          expect("from");
          auto e = make(ExprKind::IS_DISTINCT_FROM, loc);
          e->negated = negated;
          e->args = {value, value_expression()};
          value = e;
          continue;
        }
        if (is("true") || is("false")) {
          // x IS [NOT] TRUE/FALSE -> (x IS NOT DISTINCT FROM true)
          auto lit = make(ExprKind::LITERAL, peek().location);
          lit->literal_kind = LiteralKind::BOOLEAN;
          lit->text = next().text;
          auto e = make(ExprKind::IS_DISTINCT_FROM, loc);
          e->negated = !negated;
          e->args = {value, lit};
          value = e;
          continue;
        }
        fail_expecting("NULL, DISTINCT, TRUE, FALSE");
      }
      bool negated = false;
      if (is("not") && (is("between", 1) || is("in", 1) || is("like", 1))) {
        next();
        negated = true;
      }
      if (accept("between")) {
        auto e = make(ExprKind::BETWEEN, loc);
        e->negated = negated;
        auto low = value_expression();
        expect("and");
        auto high = value_expression();
        e->args = {value, low, high};
        value = e;
        continue;
      }
      if (accept("in")) {
        expect("(");
        if (is("select") || is("with") || is("values")) {
          auto e = make(ExprKind::IN_SUBQUERY, loc);
          e->negated = negated;
          e->args = {value};
          e->subquery = query();
          expect(")");
          value = e;
          continue;
        }
        auto e = make(ExprKind::IN_LIST, loc);
        e->negated = negated;
        e->args.push_back(value);
        do e->args.push_back(expression()); while (accept(","));
        expect(")");
        value = e;
        continue;
      }
      if (accept("like")) {
        auto e = make(ExprKind::LIKE, loc);
        e->negated = negated;
        e->args = {value, value_expression()};
        if (accept("escape")) e->args.push_back(value_expression());
        value = e;
        continue;
      }
      if (negated) fail_expecting("BETWEEN, IN, LIKE");
      return value;
    }
  }

  ExprPtr value_expression() {
    auto left = additive();
    while (is("||")) {
      auto e = make(ExprKind::BINARY, next().location);
      e->op = "||";
      e->args = {left, additive()};
      left = e;
    }
    return left;
  }

  ExprPtr additive() {
    auto left = multiplicative();
    while (is("+") || is("-")) {
      auto e = make(ExprKind::BINARY, peek().location);
      e->op = next().text;
      e->args = {left, multiplicative()};
      left = e;
    }
    return left;
  }

  ExprPtr multiplicative() {
    auto left = unary();
    while (is("*") || is("/") || is("%")) {
      auto e = make(ExprKind::BINARY, peek().location);
      e->op = next().text;
      e->args = {left, unary()};
      left = e;
    }
    return left;
  }

  ExprPtr unary() {
    if (is("-")) {
      Location loc = next().location;
      auto operand = unary();
      if (operand->kind == ExprKind::LITERAL &&
          (operand->literal_kind == LiteralKind::INTEGER || operand->literal_kind == LiteralKind::DECIMAL ||
           operand->literal_kind == LiteralKind::DOUBLE) &&
          operand->text[0] != '-') {
        operand->text = "-" + operand->text;
        operand->location = loc;
        return operand;
      }
      if (operand->kind == ExprKind::LITERAL && operand->literal_kind == LiteralKind::INTERVAL) {
        operand->interval_negative = !operand->interval_negative;
        return operand;
      }
      auto e = make(ExprKind::UNARY_MINUS, loc);
      e->args = {operand};
      return e;
    }
    if (accept("+")) return unary();
    return postfix(primary());
  }

  ExprPtr postfix(ExprPtr e) {
    while (is("at") && is("time", 1)) {
      // AT TIME ZONE 'UTC': timestamps carry no zone here; accepted for UTC only.
      next();
      next();
      expect("zone");
      value_expression();
    }
    return e;
  }

  ExprPtr literal(LiteralKind kind, const Token& t) {
    auto e = make(ExprKind::LITERAL, t.location);
    e->literal_kind = kind;
    e->text = t.text;
    return e;
  }

  static bool is_interval_unit(const std::string& w) {
    static const std::set<std::string> units = {"year", "month", "day", "hour", "minute", "second",
                                                "years", "months", "days", "hours", "minutes", "seconds", "week", "weeks"};
    return units.count(w) > 0;
  }

  ExprPtr primary() {
    const Token& t = peek();
    Location loc = t.location;
    switch (t.type) {
      case TokenType::INTEGER: return literal(LiteralKind::INTEGER, next());
      case TokenType::DECIMAL: return literal(LiteralKind::DECIMAL, next());
      case TokenType::DOUBLE: return literal(LiteralKind::DOUBLE, next());
      case TokenType::STRING: return literal(LiteralKind::STRING, next());
      case TokenType::PARAMETER: {
        next();
        auto e = make(ExprKind::PARAMETER, loc);
        e->parameter_index = parameter_count_++;
        return e;
      }
      case TokenType::OPERATOR:
        if (t.text == "(") {
          next();
          if (is("select") || is("with") || is("values")) {
            auto e = make(ExprKind::SCALAR_SUBQUERY, loc);
            e->subquery = query();
            expect(")");
            return e;
          }
          auto first = expression();
          if (accept(",")) {
            auto row = make(ExprKind::ROW, loc);
            row->args.push_back(first);
            do row->args.push_back(expression()); while (accept(","));
            expect(")");
            return row;
          }
          expect(")");
          return first;
        }
        fail_expecting("expression");
      case TokenType::QUOTED_IDENTIFIER: return identifier_or_call();
      case TokenType::END: fail_expecting("expression");
      case TokenType::IDENTIFIER: break;
    }
    const std::string& w = t.text;
    if (w == "null") {
      next();
      return make(ExprKind::LITERAL, loc);
    }
    if (w == "true" || w == "false") return literal(LiteralKind::BOOLEAN, next());
    if ((w == "date" || w == "timestamp" || w == "decimal" || w == "time" || w == "real" || w == "double" ||
         w == "bigint" || w == "integer" || w == "varchar" || w == "boolean" || w == "char" || w == "tinyint" ||
         w == "smallint") &&
        peek(1).type == TokenType::STRING) {
      std::string type = next().text;
      auto e = literal(LiteralKind::TYPED, next());
      e->type_name = type;
      e->location = loc;
      return e;
    }
    if (w == "interval" && (peek(1).type == TokenType::STRING || is("-", 1) || is("+", 1))) {
      next();
      bool negative = false;
      if (accept("-")) negative = true;
      else accept("+");
      if (peek().type != TokenType::STRING) fail_expecting("string");
      auto e = literal(LiteralKind::INTERVAL, next());
      e->location = loc;
      e->interval_negative = negative;
      if (!is_interval_unit(peek().text)) fail_expecting("YEAR, MONTH, DAY, HOUR, MINUTE, SECOND");
      e->type_name = next().text;
      if (accept("to")) {
        if (!is_interval_unit(peek().text)) fail_expecting("YEAR, MONTH, DAY, HOUR, MINUTE, SECOND");
        e->interval_end_unit = next().text;
      }
      return e;
    }
    if (w == "case") {
      next();
      auto e = make(ExprKind::CASE, loc);
      if (!is("when")) e->operand = expression();
      if (!is("when")) fail_expecting("WHEN");
      while (accept("when")) {
        auto cond = expression();
        expect("then");
        e->whens.push_back({cond, expression()});
      }
      if (accept("else")) e->else_result = expression();
      expect("end");
      return e;
    }
    if (w == "cast" || (w == "try_cast" && is("(", 1))) {
      bool try_cast = next().text == "try_cast";
      expect("(");
      auto e = make(ExprKind::CAST, loc);
      e->try_cast = try_cast;
      e->args = {expression()};
      expect("as");
      e->type_name = type_name();
      expect(")");
      return e;
    }
    if (w == "extract" && is("(", 1)) {
      next();
      expect("(");
      auto e = make(ExprKind::EXTRACT, loc);
      e->text = identifier("field");
      expect("from");
      e->args = {expression()};
      expect(")");
      return e;
    }
    if (w == "exists" && is("(", 1)) {
      next();
      expect("(");
      auto e = make(ExprKind::EXISTS, loc);
      e->subquery = query();
      expect(")");
      return e;
    }
    if (w == "array" && is("[", 1)) {
      next();
      next();
      auto e = make(ExprKind::ARRAY, loc);
      if (!is("]")) {
        do e->args.push_back(expression()); while (accept(","));
      }
      expect("]");
      return e;
    }
    if ((w == "current_date" || w == "current_timestamp" || w == "localtimestamp" || w == "current_time" ||
         w == "localtime") &&
        !is("(", 1)) {
      next();
      auto e = make(ExprKind::FUNCTION_CALL, loc);
      e->name = {w};
      return e;
    }
    if (w == "row" && is("(", 1)) {
      next();
      next();
      auto row = make(ExprKind::ROW, loc);
      do row->args.push_back(expression()); while (accept(","));
      expect(")");
      return row;
    }
    if (w == "position" && is("(", 1)) {
      // position(needle IN haystack) -> strpos(haystack, needle)
      size_t save = pos_;
      next();
      next();
      auto needle = value_expression();
      if (accept("in")) {
        auto haystack = value_expression();
        expect(")");
        auto e = make(ExprKind::FUNCTION_CALL, loc);
        e->name = {"strpos"};
        e->args = {haystack, needle};
        return e;
      }
      pos_ = save;
    }
    if ((w == "substring" || w == "substr") && is("(", 1)) {
      size_t save = pos_;
      next();
      next();
      auto value = expression();
      if (accept("from")) {
        auto e = make(ExprKind::FUNCTION_CALL, loc);
        e->name = {"substr"};
        e->args = {value, expression()};
        if (accept("for")) e->args.push_back(expression());
        expect(")");
        return e;
      }
      pos_ = save;
    }
    if (w == "trim" && is("(", 1) && (is("both", 2) || is("leading", 2) || is("trailing", 2))) {
      next();
      next();
      std::string mode = next().text;
      ExprPtr chars;
      if (!is("from")) chars = value_expression();
      expect("from");
      auto value = expression();
      expect(")");
      auto e = make(ExprKind::FUNCTION_CALL, loc);
      e->name = {mode == "both" ? "trim" : mode == "leading" ? "ltrim" : "rtrim"};
      e->args = {value};
      if (chars) e->args.push_back(chars);
      return e;
    }
    if (reserved_words().count(w) && !(w == "left" || w == "right") ) fail_expecting("expression");
    return identifier_or_call();
  }

  std::string type_name() {
    std::string name = identifier("type");
    if (name == "double" && accept("precision")) return "double";
    if (name == "interval") {
      std::string from = next().text;
      expect("to");
      std::string to = next().text;
      return "interval" + from + "to" + to;
    }
    if (name == "timestamp" || name == "time") {
      std::string out = name;
      if (accept("(")) {
        out += "(" + next().text + ")";
        expect(")");
      }
      if (accept("with")) {
        expect("time");
        expect("zone");
      } else if (is("without")) {
        next();
        expect("time");
        expect("zone");
      }
      return out;
    }
    if (accept("(")) {
      name += "(";
      bool first = true;
      do {
        if (!first) name += ",";
        first = false;
        if (peek().type != TokenType::INTEGER) fail_expecting("integer");
        name += next().text;
      } while (accept(","));
      expect(")");
      name += ")";
    }
    return name;
  }

  ExprPtr identifier_or_call() {
    Location loc = peek().location;
    std::vector<std::string> parts;
    parts.push_back(next().text);
    while (is(".") && (peek(1).type == TokenType::IDENTIFIER || peek(1).type == TokenType::QUOTED_IDENTIFIER)) {
      next();
      parts.push_back(next().text);
    }
    if (is("(")) {
      next();
      auto e = make(ExprKind::FUNCTION_CALL, loc);
      e->name = parts;
      if (accept("*")) {
        e->count_star = true;
      } else if (!is(")")) {
        if (accept("distinct")) {
          e->distinct = true;
        } else {
          accept("all");
        }
        do e->args.push_back(expression()); while (accept(","));
        if (is("order")) {  // ordered aggregate arguments: accepted, ignored ordering
          next();
          expect("by");
          order_items();
        }
      }
      expect(")");
      if (is("ignore") && is("nulls", 1)) {
        next();
        next();
        e->ignore_nulls = true;
      } else if (is("respect") && is("nulls", 1)) {
        next();
        next();
      }
      if (accept("filter")) {
        expect("(");
        expect("where");
        e->filter = expression();
        expect(")");
      }
      if (accept("over")) {
        e->window = window_spec();
      }
      return e;
    }
    auto e = make(ExprKind::IDENTIFIER, loc);
    e->name = parts;
    return e;
  }

  WindowFrameBound frame_bound() {
    WindowFrameBound bound;
    if (accept("unbounded")) {
      if (accept("preceding")) {
        bound.kind = WindowFrameBound::UNBOUNDED_PRECEDING;
      } else {
        expect("following");
        bound.kind = WindowFrameBound::UNBOUNDED_FOLLOWING;
      }
      return bound;
    }
    if (accept("current")) {
      expect("row");
      bound.kind = WindowFrameBound::CURRENT_ROW;
      return bound;
    }
    bound.offset = value_expression();
    if (accept("preceding")) {
      bound.kind = WindowFrameBound::PRECEDING;
    } else {
      expect("following");
      bound.kind = WindowFrameBound::FOLLOWING;
    }
    return bound;
  }

  std::shared_ptr<WindowSpec> window_spec() {
    auto w = std::make_shared<WindowSpec>();
    expect("(");
    if (accept("partition")) {
      expect("by");
      do w->partition_by.push_back(expression()); while (accept(","));
    }
    if (accept("order")) {
      expect("by");
      w->order_by = order_items();
    }
    if (is("rows") || is("range") || is("groups")) {
      std::string unit = next().text;
      if (unit == "groups") fail_expecting("ROWS, RANGE");
      w->has_frame = true;
      w->rows = unit == "rows";
      if (accept("between")) {
        w->start = frame_bound();
        expect("and");
        w->end = frame_bound();
      } else {
        w->start = frame_bound();
        w->end.kind = WindowFrameBound::CURRENT_ROW;
      }
    }
    expect(")");
    return w;
  }
};

}  // namespace

StatementPtr parse_statement(const std::string& sql) {
  Parser parser(sql);
  return parser.statement();
}

ExprPtr parse_expression(const std::string& sql) {
  Parser parser(sql);
  return parser.standalone_expression();
}

std::vector<StatementPtr> parse_script(const std::string& sql) {
  // Split on ';' outside quotes and comments, keeping line numbers by padding with newlines.
  std::vector<StatementPtr> out;
  std::string current;
  int line_offset = 0;
  size_t i = 0;
  auto flush = [&]() {
    bool blank = true;
    for (char c : current)
      if (!std::isspace((unsigned char)c)) blank = false;
    if (!blank) out.push_back(parse_statement(std::string(line_offset, '\n') + current));
  };
  int start_line = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      char q = c;
      current += c;
      i++;
      while (i < sql.size()) {
        current += sql[i];
        if (sql[i] == '\n') start_line++;
        if (sql[i] == q) {
          if (i + 1 < sql.size() && sql[i + 1] == q) {
            current += sql[++i];
          } else {
            i++;
            break;
          }
        }
        i++;
      }
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') current += sql[i++];
      continue;
    }
    if (c == ';') {
      flush();
      current.clear();
      line_offset = start_line;
      i++;
      continue;
    }
    if (c == '\n') start_line++;
    current += c;
    i++;
  }
  flush();
  return out;
}

}  // namespace tributary::sql
