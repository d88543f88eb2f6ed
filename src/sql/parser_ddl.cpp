// Athena's Hive DDL: CREATE/DROP DATABASE, CREATE EXTERNAL TABLE, DROP TABLE, MSCK REPAIR
// TABLE, SHOW PARTITIONS (parsed in parser.cpp), ALTER TABLE ADD/DROP PARTITION.
#include <cctype>

#include "sql/parser_impl.h"

namespace tributary::sql {

std::string Parser::string_literal(const char* what) {
  if (peek().type != TokenType::STRING) fail_expecting(what);
  return next().text;
}

// ('key' = 'value', ...)
std::map<std::string, std::string> Parser::property_list() {
  std::map<std::string, std::string> properties;
  expect("(");
  do {
    std::string key = string_literal("property name (a string)");
    expect("=");
    properties[key] = string_literal("property value (a string)");
  } while (accept(","));
  expect(")");
  return properties;
}

// A column type as written, up to the next ',' or ')' at nesting depth 0 (decimal(10,2),
// array<string>, map<string,int>, struct<a:int,b:string>).
std::string Parser::hive_type() {
  const Token& first = peek();
  if (first.type == TokenType::END || is(",") || is(")")) fail_expecting("column type");
  size_t start = offset_of(first);
  int depth = 0;
  while (peek().type != TokenType::END) {
    if (depth == 0 && (is(",") || is(")") || is("comment"))) break;
    if (is("(") || is("<")) depth++;
    if (is(")") || is(">")) depth--;
    if (is(">>")) depth -= 2;
    next();
  }
  size_t end = peek().type == TokenType::END ? sql_.size() : offset_of(peek());
  std::string text = sql_.substr(start, end - start);
  while (!text.empty() && std::isspace((unsigned char)text.back())) text.pop_back();
  return text;
}

// (name type [COMMENT 'text'], ...)
std::vector<ColumnDefinition> Parser::column_definitions() {
  std::vector<ColumnDefinition> columns;
  expect("(");
  do {
    ColumnDefinition column;
    column.location = peek().location;
    column.name = name_part(true);
    column.type = hive_type();
    if (accept("comment")) column.comment = string_literal("comment (a string)");
    columns.push_back(column);
  } while (accept(","));
  expect(")");
  return columns;
}

// PARTITION (key = 'value', ...) [LOCATION 'uri']
PartitionSpec Parser::partition_spec() {
  PartitionSpec spec;
  expect("partition");
  expect("(");
  do {
    std::string key = name_part(true);
    expect("=");
    std::string value;
    if (peek().type == TokenType::STRING || peek().type == TokenType::INTEGER || peek().type == TokenType::DECIMAL)
      value = next().text;
    else
      fail_expecting("partition value");
    spec.values.emplace_back(key, value);
  } while (accept(","));
  expect(")");
  if (accept("location")) spec.location = string_literal("location (a string)");
  return spec;
}

// CREATE TABLE [IF NOT EXISTS] name [(column, ...)] [COMMENT 'c'] [WITH (key = value, ...)]
//   AS query [WITH [NO] DATA]          (Athena's CTAS; values are literals or ARRAY[literals])
StatementPtr Parser::parse_create_table_as(StatementPtr stmt) {
  expect("table");
  stmt->kind = StatementKind::CREATE_TABLE_AS;
  if (accept("if")) {
    expect("not");
    expect("exists");
    stmt->if_not_exists = true;
  }
  stmt->name = qualified_name();
  if (accept("(")) {
    do {
      stmt->column_names.push_back(name_part(true));
      if (!is(",") && !is(")"))
        fail_expecting("',' or ')' (CREATE TABLE AS takes column names only; the query gives the types)");
    } while (accept(","));
    expect(")");
  }
  if (accept("comment")) stmt->comment = string_literal("comment (a string)");
  if (accept("with")) {
    expect("(");
    do {
      Location key_location = peek().location;
      std::string key = name_part(true);
      for (auto& ch : key) ch = (char)std::tolower((unsigned char)ch);
      if (stmt->with_properties.count(key) || stmt->with_list_properties.count(key))
        throw_error(ErrorCode::SYNTAX_ERROR, "Duplicate property '" + key + "'", key_location.line,
                    key_location.column);
      expect("=");
      auto scalar = [&]() -> std::string {
        bool negative = accept("-");
        const Token& token = peek();
        if (token.type == TokenType::STRING || token.type == TokenType::INTEGER || token.type == TokenType::DECIMAL)
          return (negative ? "-" : "") + next().text;
        if (!negative && (is("true") || is("false"))) return next().text;
        fail_expecting("property value (a string, number, boolean or ARRAY[...])");
      };
      if (accept("array")) {
        expect("[");
        std::vector<std::string> values;
        if (!is("]")) {
          do values.push_back(scalar());
          while (accept(","));
        }
        expect("]");
        stmt->with_list_properties[key] = values;
      } else {
        stmt->with_properties[key] = scalar();
      }
    } while (accept(","));
    expect(")");
  }
  expect("as");
  bool parenthesized = accept("(");
  stmt->query = query();
  if (parenthesized) expect(")");
  if (accept("with")) {
    stmt->with_data = !accept("no");
    expect("data");
  }
  return stmt;
}

// INSERT INTO name [(column, ...)] query
StatementPtr Parser::parse_insert(StatementPtr stmt) {
  expect("into");
  stmt->kind = StatementKind::INSERT;
  stmt->name = qualified_name();
  // "(" starts a column list unless it starts the query: INSERT INTO t (SELECT ...).
  if (is("(") && !is("select", 1) && !is("with", 1) && !is("values", 1)) {
    next();
    do stmt->column_names.push_back(name_part(true));
    while (accept(","));
    expect(")");
  }
  if (!(is("select") || is("with") || is("values") || is("(") || is("table"))) fail_expecting("SELECT, VALUES, WITH");
  stmt->query = query();
  return stmt;
}

StatementPtr Parser::parse_create(StatementPtr stmt) {
  // CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [COMMENT 'c'] [LOCATION 'uri'] [WITH DBPROPERTIES (...)]
  if (accept("database") || accept("schema")) {
    stmt->kind = StatementKind::CREATE_SCHEMA;
    if (accept("if")) {
      expect("not");
      expect("exists");
      stmt->if_not_exists = true;
    }
    stmt->name = qualified_name();
    while (true) {
      if (accept("comment")) {
        stmt->comment = string_literal("comment (a string)");
      } else if (accept("location")) {
        stmt->location_uri = string_literal("location (a string)");
      } else if (accept("with")) {
        if (!accept("dbproperties")) expect("properties");
        stmt->properties = property_list();
      } else {
        break;
      }
    }
    return stmt;
  }
  // CREATE EXTERNAL TABLE [IF NOT EXISTS] name (columns) [COMMENT 'c'] [PARTITIONED BY (columns)]
  //   [ROW FORMAT DELIMITED FIELDS TERMINATED BY 'x' [ESCAPED BY 'x'] [LINES TERMINATED BY 'x']
  //    [NULL DEFINED AS 'x'] | ROW FORMAT SERDE 'class' [WITH SERDEPROPERTIES (...)]]
  //   [STORED AS format] LOCATION 'uri' [TBLPROPERTIES (...)]
  if (!accept("external")) {
    if (is("table")) return parse_create_table_as(stmt);
    fail_expecting("DATABASE, SCHEMA, [EXTERNAL] TABLE, [OR REPLACE] VIEW");
  }
  expect("table");
  stmt->kind = StatementKind::CREATE_TABLE;
  if (accept("if")) {
    expect("not");
    expect("exists");
    stmt->if_not_exists = true;
  }
  stmt->name = qualified_name();
  stmt->columns = column_definitions();
  while (peek().type != TokenType::END && !is(";")) {
    if (accept("comment")) {
      stmt->comment = string_literal("comment (a string)");
    } else if (accept("partitioned")) {
      expect("by");
      stmt->partition_columns = column_definitions();
    } else if (accept("row")) {
      expect("format");
      if (accept("serde")) {
        stmt->row_format_serde = string_literal("SerDe class name (a string)");
        if (accept("with")) {
          expect("serdeproperties");
          for (auto& [k, v] : property_list()) stmt->serde_properties[k] = v;
        }
      } else {
        expect("delimited");
        while (true) {
          if (accept("fields")) {
            expect("terminated");
            expect("by");
            stmt->serde_properties["field.delim"] = string_literal("delimiter (a string)");
            if (accept("escaped")) {
              expect("by");
              stmt->serde_properties["escape.delim"] = string_literal("escape character (a string)");
            }
          } else if (accept("lines")) {
            expect("terminated");
            expect("by");
            stmt->serde_properties["line.delim"] = string_literal("line delimiter (a string)");
          } else if (accept("collection") || accept("map")) {
            if (tokens_[pos_ - 1].text == "map") expect("keys");
            else expect("items");
            expect("terminated");
            expect("by");
            string_literal("delimiter (a string)");
          } else if (accept("null")) {
            expect("defined");
            expect("as");
            stmt->serde_properties["serialization.null.format"] = string_literal("null format (a string)");
          } else {
            break;
          }
        }
      }
    } else if (accept("stored")) {
      expect("as");
      if (accept("inputformat")) {
        std::string input = string_literal("input format class (a string)");
        expect("outputformat");
        string_literal("output format class (a string)");
        std::string lower_input;
        for (char c : input) lower_input += (char)std::tolower((unsigned char)c);
        stmt->stored_as = lower_input.find("parquet") != std::string::npos ? "PARQUET" : "TEXTFILE";
      } else {
        std::string format = identifier("file format (PARQUET, TEXTFILE, JSON, ORC, AVRO)");
        for (auto& c : format) c = (char)std::toupper((unsigned char)c);
        stmt->stored_as = format;
      }
    } else if (accept("location")) {
      stmt->location_uri = string_literal("location (a string)");
    } else if (accept("tblproperties")) {
      stmt->properties = property_list();
    } else {
      fail_expecting("COMMENT, PARTITIONED BY, ROW FORMAT, STORED AS, LOCATION, TBLPROPERTIES");
    }
  }
  if (stmt->location_uri.empty()) fail_expecting("LOCATION 's3://bucket/prefix/'");
  return stmt;
}

StatementPtr Parser::parse_drop(StatementPtr stmt) {
  if (accept("view")) {
    stmt->kind = StatementKind::DROP_VIEW;
  } else if (accept("table")) {
    stmt->kind = StatementKind::DROP_TABLE;
  } else if (accept("database") || accept("schema")) {
    stmt->kind = StatementKind::DROP_SCHEMA;
  } else {
    fail_expecting("VIEW, TABLE, DATABASE, SCHEMA");
  }
  if (accept("if")) {
    expect("exists");
    stmt->if_exists = true;
  }
  stmt->name = qualified_name();
  if (stmt->kind == StatementKind::DROP_SCHEMA) {
    if (accept("cascade")) stmt->cascade = true;
    else accept("restrict");
  }
  return stmt;
}

// ALTER TABLE name ADD [IF NOT EXISTS] PARTITION (...) [LOCATION '...'] [PARTITION ...]...
// ALTER TABLE name DROP [IF EXISTS] PARTITION (...) [, PARTITION (...)]...
StatementPtr Parser::parse_alter_table(StatementPtr stmt) {
  expect("table");
  stmt->name = qualified_name();
  if (accept("add")) {
    stmt->kind = StatementKind::ADD_PARTITIONS;
    if (accept("if")) {
      expect("not");
      expect("exists");
      stmt->if_not_exists = true;
    }
    do {
      stmt->partitions.push_back(partition_spec());
    } while (is("partition"));
    return stmt;
  }
  if (accept("drop")) {
    stmt->kind = StatementKind::DROP_PARTITIONS;
    if (accept("if")) {
      expect("exists");
      stmt->if_exists = true;
    }
    do {
      stmt->partitions.push_back(partition_spec());
    } while (accept(","));
    return stmt;
  }
  fail_expecting("ADD PARTITION, DROP PARTITION");
}

}  // namespace tributary::sql
