// Tests of src/sql: parse_statement for every statement kind, expression
// precedence, literals, identifiers (quoted, lower-cased, hyphenated AWS
// resource names), comments, syntax errors with exact positions, parse_script.
#include <gtest/gtest.h>

#include "common/error.h"
#include "sql/parser.h"

using namespace tributary;
using namespace tributary::sql;

namespace {

std::string expr_text(const std::string& sql) { return expr_to_string(*parse_expression(sql)); }

QueryPtr query_of(const std::string& sql) {
  auto stmt = parse_statement(sql);
  EXPECT_EQ(stmt->kind, StatementKind::QUERY);
  return stmt->query;
}

const QuerySpec& spec_of(const QueryPtr& q) {
  EXPECT_EQ(q->body->kind, QueryBody::SPEC);
  return q->body->spec;
}

// "CODE: line L:C: message" of the error parse_statement throws, or "no error".
std::string syntax_error(const std::string& sql) {
  try {
    parse_statement(sql);
  } catch (const Error& e) {
    return e.full();
  }
  return "no error";
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); i++) out += (i ? "." : "") + parts[i];
  return out;
}


TEST(ParserDdl, CreateExternalTableAthenaStyle) {
  auto stmt = parse_statement(
      "CREATE EXTERNAL TABLE IF NOT EXISTS sales.orders (\n"
      "  `order_id` int COMMENT 'the key',\n"
      "  amount decimal(10,2),\n"
      "  tags array<string>,\n"
      "  attrs map<string,int>\n"
      ")\n"
      "COMMENT 'orders from the shop'\n"
      "PARTITIONED BY (dt string, region string)\n"
      "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'\n"
      "STORED AS TEXTFILE\n"
      "LOCATION 's3://lake/sales/orders/'\n"
      "TBLPROPERTIES ('skip.header.line.count'='1', 'has_encrypted_data'='false')");
  EXPECT_EQ(stmt->kind, StatementKind::CREATE_TABLE);
  EXPECT_TRUE(stmt->if_not_exists);
  EXPECT_EQ(stmt->name, (std::vector<std::string>{"sales", "orders"}));
  ASSERT_EQ(stmt->columns.size(), 4u);
  EXPECT_EQ(stmt->columns[0].name, "order_id");
  EXPECT_EQ(stmt->columns[0].type, "int");
  EXPECT_EQ(stmt->columns[0].comment, "the key");
  EXPECT_EQ(stmt->columns[1].type, "decimal(10,2)");
  EXPECT_EQ(stmt->columns[2].type, "array<string>");
  EXPECT_EQ(stmt->columns[3].type, "map<string,int>");
  ASSERT_EQ(stmt->partition_columns.size(), 2u);
  EXPECT_EQ(stmt->partition_columns[1].name, "region");
  EXPECT_EQ(stmt->comment, "orders from the shop");
  EXPECT_EQ(stmt->serde_properties.at("field.delim"), ",");
  EXPECT_EQ(stmt->stored_as, "TEXTFILE");
  EXPECT_EQ(stmt->location_uri, "s3://lake/sales/orders/");
  EXPECT_EQ(stmt->properties.at("skip.header.line.count"), "1");
}

TEST(ParserDdl, CreateTableAsSelectAthenaStyle) {
  auto stmt = parse_statement(
      "CREATE TABLE IF NOT EXISTS lake.daily\n"
      "WITH (format = 'PARQUET', external_location = 's3://b/daily/', write_compression = 'ZSTD',\n"
      "      partitioned_by = ARRAY['dt', 'region'], bucket_count = 4)\n"
      "AS SELECT id, amount, dt, region FROM src WITH NO DATA");
  EXPECT_EQ(stmt->kind, StatementKind::CREATE_TABLE_AS);
  EXPECT_TRUE(stmt->if_not_exists);
  EXPECT_FALSE(stmt->with_data);
  EXPECT_EQ(stmt->name, (std::vector<std::string>{"lake", "daily"}));
  EXPECT_EQ(stmt->with_properties.at("format"), "PARQUET");
  EXPECT_EQ(stmt->with_properties.at("external_location"), "s3://b/daily/");
  EXPECT_EQ(stmt->with_properties.at("bucket_count"), "4");
  EXPECT_EQ(stmt->with_list_properties.at("partitioned_by"), (std::vector<std::string>{"dt", "region"}));
  ASSERT_TRUE(stmt->query);
  auto plain = parse_statement("CREATE TABLE t (a, b) AS (SELECT 1, 2)");
  EXPECT_EQ(plain->column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(plain->with_data);
  try {
    parse_statement("CREATE TABLE t WITH (format = 'PARQUET', FORMAT = 'JSON') AS SELECT 1 x");
    FAIL() << "duplicate property accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("Duplicate property 'format'"), std::string::npos) << e.message();
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.column(), 42);
  }
  EXPECT_THROW(parse_statement("CREATE TABLE t (a int) AS SELECT 1"), Error);
}

TEST(ParserDdl, InsertInto) {
  auto stmt = parse_statement("INSERT INTO lake.t (id, name) SELECT 1, 'a'");
  EXPECT_EQ(stmt->kind, StatementKind::INSERT);
  EXPECT_EQ(stmt->name, (std::vector<std::string>{"lake", "t"}));
  EXPECT_EQ(stmt->column_names, (std::vector<std::string>{"id", "name"}));
  auto values = parse_statement("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  EXPECT_TRUE(values->column_names.empty());
  ASSERT_TRUE(values->query);
  auto nested = parse_statement("INSERT INTO t (SELECT * FROM u)");
  EXPECT_TRUE(nested->column_names.empty());
  try {
    parse_statement("INSERT t VALUES (1)");
    FAIL() << "INSERT without INTO accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("Expecting: 'into'"), std::string::npos) << e.message();
  }
}

TEST(ParserDdl, ParquetSerdeDatabasesPartitions) {
  auto parquet = parse_statement(
      "CREATE EXTERNAL TABLE t (id bigint) STORED AS PARQUET LOCATION 's3://b/t/' TBLPROPERTIES ('parquet.compression'='SNAPPY')");
  EXPECT_EQ(parquet->stored_as, "PARQUET");
  auto serde = parse_statement(
      "CREATE EXTERNAL TABLE j (id bigint) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
      "WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://b/j/'");
  EXPECT_EQ(serde->row_format_serde, "org.openx.data.jsonserde.JsonSerDe");
  EXPECT_EQ(serde->serde_properties.at("ignore.malformed.json"), "true");
  auto database = parse_statement("CREATE DATABASE IF NOT EXISTS lake COMMENT 'c' LOCATION 's3://b/' WITH DBPROPERTIES ('a'='b')");
  EXPECT_EQ(database->kind, StatementKind::CREATE_SCHEMA);
  EXPECT_TRUE(database->if_not_exists);
  EXPECT_EQ(database->location_uri, "s3://b/");
  EXPECT_EQ(parse_statement("DROP DATABASE IF EXISTS lake CASCADE")->cascade, true);
  EXPECT_EQ(parse_statement("DROP TABLE IF EXISTS lake.t")->kind, StatementKind::DROP_TABLE);
  EXPECT_EQ(parse_statement("MSCK REPAIR TABLE lake.t")->kind, StatementKind::REPAIR_TABLE);
  EXPECT_EQ(parse_statement("SHOW PARTITIONS lake.t")->kind, StatementKind::SHOW_PARTITIONS);
  auto add = parse_statement(
      "ALTER TABLE lake.t ADD IF NOT EXISTS PARTITION (dt = '2024-01-01', region = 'east') LOCATION 's3://b/t/x/' "
      "PARTITION (dt = '2024-01-02', region = 'west')");
  EXPECT_EQ(add->kind, StatementKind::ADD_PARTITIONS);
  EXPECT_TRUE(add->if_not_exists);
  ASSERT_EQ(add->partitions.size(), 2u);
  EXPECT_EQ(add->partitions[0].values[1], (std::pair<std::string, std::string>{"region", "east"}));
  EXPECT_EQ(add->partitions[0].location, "s3://b/t/x/");
  auto drop = parse_statement("ALTER TABLE lake.t DROP IF EXISTS PARTITION (dt = '2024-01-01'), PARTITION (dt = '2024-01-02')");
  EXPECT_EQ(drop->kind, StatementKind::DROP_PARTITIONS);
  EXPECT_EQ(drop->partitions.size(), 2u);
  EXPECT_EQ(syntax_error("CREATE EXTERNAL TABLE t (id int) STORED AS PARQUET"),
            "SYNTAX_ERROR: line 1:51: mismatched input '<EOF>'. Expecting: LOCATION 's3://bucket/prefix/'");
  EXPECT_EQ(syntax_error("CREATE TABLE t WITH (format 'PARQUET') AS SELECT 1"),
            "SYNTAX_ERROR: line 1:29: mismatched input ''PARQUET''. Expecting: '='");
}

}  // namespace

// ---------------------------------------------------------------- statements

TEST(SqlParserStatement, SelectWithAllClauses) {
  auto q = query_of(
      "SELECT DISTINCT a, b AS bee, c cee, t.* FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 "
      "ORDER BY a DESC NULLS FIRST, b LIMIT 10 OFFSET 5");
  const auto& spec = spec_of(q);
  EXPECT_TRUE(spec.distinct);
  ASSERT_EQ(spec.select.size(), 4u);
  EXPECT_EQ(spec.select[0].alias, "");
  EXPECT_EQ(spec.select[1].alias, "bee");
  EXPECT_EQ(spec.select[2].alias, "cee");
  EXPECT_EQ(spec.select[3].expr->kind, ExprKind::STAR);
  EXPECT_EQ(join(spec.select[3].expr->name), "t");
  ASSERT_TRUE(spec.from);
  EXPECT_EQ(spec.from->kind, Relation::TABLE);
  EXPECT_EQ(join(spec.from->name), "t");
  EXPECT_EQ(expr_to_string(*spec.where), "(a > 1)");
  ASSERT_EQ(spec.group_by.size(), 2u);
  EXPECT_EQ(expr_to_string(*spec.having), "(count(*) > 1)");
  ASSERT_EQ(q->order_by.size(), 2u);
  EXPECT_FALSE(q->order_by[0].ascending);
  EXPECT_EQ(q->order_by[0].nulls_first, std::optional<bool>(true));
  EXPECT_TRUE(q->order_by[1].ascending);
  EXPECT_FALSE(q->order_by[1].nulls_first.has_value());
  EXPECT_EQ(q->limit->text, "10");
  EXPECT_EQ(q->offset->text, "5");
}

TEST(SqlParserStatement, SelectWithoutFromAndLimitAll) {
  auto q = query_of("SELECT 1 LIMIT ALL;");
  EXPECT_FALSE(spec_of(q).from);
  EXPECT_FALSE(q->limit);
  auto fetch = query_of("SELECT x FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY");
  EXPECT_EQ(fetch->offset->text, "2");
  EXPECT_EQ(fetch->limit->text, "3");
}

TEST(SqlParserStatement, Joins) {
  auto q = query_of("SELECT * FROM a JOIN b USING (id, k) LEFT OUTER JOIN c ON b.x = c.x NATURAL JOIN d CROSS JOIN e");
  auto top = spec_of(q).from;
  ASSERT_EQ(top->kind, Relation::JOIN);
  EXPECT_EQ(top->join_type, JoinType::CROSS);
  EXPECT_EQ(join(top->right->name), "e");
  auto natural = top->left;
  EXPECT_EQ(natural->join_type, JoinType::INNER);
  EXPECT_TRUE(natural->natural);
  EXPECT_FALSE(natural->on);
  auto left = natural->left;
  EXPECT_EQ(left->join_type, JoinType::LEFT);
  EXPECT_EQ(expr_to_string(*left->on), "(b.x = c.x)");
  auto inner = left->left;
  EXPECT_EQ(inner->join_type, JoinType::INNER);
  EXPECT_EQ(inner->using_columns, (std::vector<std::string>{"id", "k"}));
  EXPECT_EQ(join(inner->left->name), "a");

  auto comma = spec_of(query_of("SELECT * FROM a x, b AS y (p, q)")).from;
  EXPECT_EQ(comma->join_type, JoinType::CROSS);
  EXPECT_EQ(comma->left->alias, "x");
  EXPECT_EQ(comma->right->alias, "y");
  EXPECT_EQ(comma->right->column_aliases, (std::vector<std::string>{"p", "q"}));
  auto full = spec_of(query_of("SELECT * FROM a FULL JOIN b ON true RIGHT JOIN c ON false")).from;
  EXPECT_EQ(full->join_type, JoinType::RIGHT);
  EXPECT_EQ(full->left->join_type, JoinType::FULL);
}

TEST(SqlParserStatement, SetOperationPrecedence) {
  // INTERSECT binds tighter than UNION.
  auto q = query_of("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  ASSERT_EQ(q->body->kind, QueryBody::SET_OPERATION);
  EXPECT_EQ(q->body->set_op, QueryBody::UNION);
  EXPECT_FALSE(q->body->all);
  EXPECT_EQ(q->body->left->kind, QueryBody::SPEC);
  ASSERT_EQ(q->body->right->kind, QueryBody::SET_OPERATION);
  EXPECT_EQ(q->body->right->set_op, QueryBody::INTERSECT);

  auto q2 = query_of("SELECT 1 INTERSECT SELECT 2 UNION ALL SELECT 3");
  EXPECT_EQ(q2->body->set_op, QueryBody::UNION);
  EXPECT_TRUE(q2->body->all);
  EXPECT_EQ(q2->body->left->set_op, QueryBody::INTERSECT);
  EXPECT_EQ(q2->body->right->kind, QueryBody::SPEC);

  // EXCEPT is left-associative: (1 EXCEPT 2) EXCEPT 3.
  auto q3 = query_of("SELECT 1 EXCEPT SELECT 2 EXCEPT DISTINCT SELECT 3 ORDER BY 1");
  EXPECT_EQ(q3->body->set_op, QueryBody::EXCEPT);
  EXPECT_EQ(q3->body->left->set_op, QueryBody::EXCEPT);
  EXPECT_EQ(q3->body->right->kind, QueryBody::SPEC);
  EXPECT_EQ(q3->order_by.size(), 1u);

  auto nested = query_of("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2)");
  EXPECT_EQ(nested->body->left->kind, QueryBody::NESTED);
  EXPECT_TRUE(nested->body->left->nested->limit);
}

TEST(SqlParserStatement, WithAndValues) {
  auto q = query_of("WITH x (a) AS (SELECT 1), y AS (SELECT 2) SELECT * FROM x");
  ASSERT_EQ(q->with.size(), 2u);
  EXPECT_EQ(q->with[0].name, "x");
  EXPECT_EQ(q->with[0].column_aliases, (std::vector<std::string>{"a"}));
  EXPECT_EQ(q->with[1].name, "y");
  EXPECT_FALSE(q->recursive);

  auto v = query_of("VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  ASSERT_EQ(v->body->kind, QueryBody::VALUES);
  ASSERT_EQ(v->body->rows.size(), 3u);
  EXPECT_EQ(v->body->rows[2].size(), 2u);
  EXPECT_EQ(expr_to_string(*v->body->rows[2][1]), "'c'");
  auto single = query_of("VALUES 1, 2");
  EXPECT_EQ(single->body->rows.size(), 2u);
  EXPECT_EQ(single->body->rows[1].size(), 1u);

  auto from_values = spec_of(query_of("SELECT * FROM (VALUES (1, 2)) AS t (a, b)")).from;
  EXPECT_EQ(from_values->kind, Relation::SUBQUERY);
  EXPECT_EQ(from_values->alias, "t");
  EXPECT_EQ(from_values->column_aliases.size(), 2u);
}

TEST(SqlParserStatement, ShowDescribeUse) {
  EXPECT_EQ(parse_statement("SHOW CATALOGS")->kind, StatementKind::SHOW_CATALOGS);
  auto schemas = parse_statement("SHOW SCHEMAS FROM hive LIKE 'sales%'");
  EXPECT_EQ(schemas->kind, StatementKind::SHOW_SCHEMAS);
  EXPECT_EQ(join(schemas->name), "hive");
  EXPECT_TRUE(schemas->has_like);
  EXPECT_EQ(schemas->like_pattern, "sales%");
  auto tables = parse_statement("SHOW TABLES IN hive.sales");
  EXPECT_EQ(tables->kind, StatementKind::SHOW_TABLES);
  EXPECT_EQ(join(tables->name), "hive.sales");
  EXPECT_FALSE(tables->has_like);
  auto columns = parse_statement("SHOW COLUMNS FROM orders");
  EXPECT_EQ(columns->kind, StatementKind::SHOW_COLUMNS);
  EXPECT_EQ(join(columns->name), "orders");
  auto describe = parse_statement("DESCRIBE c.s.\"MixedCase\"");
  EXPECT_EQ(describe->kind, StatementKind::SHOW_COLUMNS);
  EXPECT_EQ(join(describe->name), "c.s.MixedCase");
  EXPECT_EQ(parse_statement("SHOW FUNCTIONS")->kind, StatementKind::SHOW_FUNCTIONS);
  auto show_view = parse_statement("SHOW CREATE VIEW v1");
  EXPECT_EQ(show_view->kind, StatementKind::SHOW_CREATE_VIEW);
  EXPECT_EQ(join(show_view->name), "v1");
  auto use = parse_statement("USE Files.Sales");
  EXPECT_EQ(use->kind, StatementKind::USE);
  EXPECT_EQ(join(use->name), "files.sales");
}

TEST(SqlParserStatement, ExplainAndExplainAnalyze) {
  auto explain = parse_statement("EXPLAIN SELECT 1");
  EXPECT_EQ(explain->kind, StatementKind::EXPLAIN);
  ASSERT_TRUE(explain->inner);
  EXPECT_EQ(explain->inner->kind, StatementKind::QUERY);
  auto analyze = parse_statement("EXPLAIN ANALYZE SELECT 1");
  EXPECT_EQ(analyze->kind, StatementKind::EXPLAIN_ANALYZE);
  EXPECT_EQ(analyze->inner->kind, StatementKind::QUERY);
  auto with_options = parse_statement("EXPLAIN (TYPE DISTRIBUTED, FORMAT TEXT) SELECT 1");
  EXPECT_EQ(with_options->kind, StatementKind::EXPLAIN);
  EXPECT_EQ(with_options->inner->kind, StatementKind::QUERY);
}

TEST(SqlParserStatement, CreateAndDropView) {
  auto create = parse_statement("CREATE OR REPLACE VIEW s.v AS SELECT a  FROM t WHERE x = 'y;z' ;");
  EXPECT_EQ(create->kind, StatementKind::CREATE_VIEW);
  EXPECT_TRUE(create->or_replace);
  EXPECT_EQ(join(create->name), "s.v");
  EXPECT_EQ(create->original_sql, "SELECT a  FROM t WHERE x = 'y;z'");
  ASSERT_TRUE(create->query);
  auto multi_line = parse_statement("CREATE VIEW v AS\nSELECT a,\n  b FROM t\n");
  EXPECT_FALSE(multi_line->or_replace);
  EXPECT_EQ(multi_line->original_sql, "SELECT a,\n  b FROM t");
  auto drop = parse_statement("DROP VIEW IF EXISTS c.s.v");
  EXPECT_EQ(drop->kind, StatementKind::DROP_VIEW);
  EXPECT_TRUE(drop->if_exists);
  EXPECT_EQ(join(drop->name), "c.s.v");
  auto drop_plain = parse_statement("DROP VIEW v");
  EXPECT_FALSE(drop_plain->if_exists);
}

// ---------------------------------------------------------------- expressions

TEST(SqlParserExpression, BooleanPrecedence) {
  EXPECT_EQ(expr_text("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(expr_text("a AND b OR c"), "((a AND b) OR c)");
  EXPECT_EQ(expr_text("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(expr_text("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(expr_text("(a OR b) AND c"), "((a OR b) AND c)");
}

TEST(SqlParserExpression, ArithmeticComparisonAndConcat) {
  EXPECT_EQ(expr_text("a = b || c"), "(a = (b || c))");
  EXPECT_EQ(expr_text("a || b + c"), "(a || (b + c))");
  EXPECT_EQ(expr_text("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(expr_text("10 - 4 - 3"), "((10 - 4) - 3)");
  EXPECT_EQ(expr_text("a % 2 <> 0"), "((a % 2) <> 0)");
  EXPECT_EQ(expr_text("a != b"), "(a <> b)");
}

TEST(SqlParserExpression, UnaryMinusFoldsIntoLiterals) {
  auto literal = parse_expression("-5");
  EXPECT_EQ(literal->kind, ExprKind::LITERAL);
  EXPECT_EQ(literal->literal_kind, LiteralKind::INTEGER);
  EXPECT_EQ(literal->text, "-5");
  auto dec = parse_expression("-1.50");
  EXPECT_EQ(dec->literal_kind, LiteralKind::DECIMAL);
  EXPECT_EQ(dec->text, "-1.50");
  auto dbl = parse_expression("-1e3");
  EXPECT_EQ(dbl->literal_kind, LiteralKind::DOUBLE);
  EXPECT_EQ(dbl->text, "-1e3");
  EXPECT_EQ(parse_expression("-x")->kind, ExprKind::UNARY_MINUS);
  EXPECT_EQ(expr_text("- 2 * 3"), "(-2 * 3)");
  EXPECT_EQ(expr_text("1 - -2"), "(1 - -2)");
  EXPECT_EQ(expr_text("--5\n7"), "7");  // a comment, not two minus signs
}

TEST(SqlParserExpression, Predicates) {
  auto not_distinct = parse_expression("a IS NOT DISTINCT FROM b");
  EXPECT_EQ(not_distinct->kind, ExprKind::IS_DISTINCT_FROM);
  EXPECT_TRUE(not_distinct->negated);
  EXPECT_EQ(expr_text("a IS DISTINCT FROM b"), "(a IS DISTINCT FROM b)");
  EXPECT_EQ(expr_text("x IS NOT NULL"), "(x IS NOT NULL)");
  EXPECT_EQ(expr_text("x IS TRUE"), "(x IS NOT DISTINCT FROM true)");
  EXPECT_EQ(expr_text("x BETWEEN 1 AND 10 AND y"), "((x BETWEEN 1 AND 10) AND y)");
  EXPECT_EQ(expr_text("x NOT BETWEEN a + 1 AND b"), "(x NOT BETWEEN (a + 1) AND b)");
  auto in_list = parse_expression("x NOT IN (1, 2, 3)");
  EXPECT_EQ(in_list->kind, ExprKind::IN_LIST);
  EXPECT_TRUE(in_list->negated);
  EXPECT_EQ(in_list->args.size(), 4u);
  EXPECT_EQ(expr_to_string(*in_list), "(x NOT IN (1, 2, 3))");
  auto in_subquery = parse_expression("x IN (SELECT y FROM t)");
  EXPECT_EQ(in_subquery->kind, ExprKind::IN_SUBQUERY);
  EXPECT_TRUE(in_subquery->subquery);
  auto like = parse_expression("name LIKE 'a!%' ESCAPE '!'");
  EXPECT_EQ(like->kind, ExprKind::LIKE);
  ASSERT_EQ(like->args.size(), 3u);
  EXPECT_EQ(like->args[2]->text, "!");
  EXPECT_EQ(expr_text("name NOT LIKE 'x%'"), "(name NOT LIKE 'x%')");
  EXPECT_EQ(parse_expression("EXISTS (SELECT 1)")->kind, ExprKind::EXISTS);
  EXPECT_EQ(parse_expression("(SELECT max(a) FROM t)")->kind, ExprKind::SCALAR_SUBQUERY);
}

TEST(SqlParserExpression, CaseBothForms) {
  auto simple = parse_expression("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END");
  EXPECT_EQ(simple->kind, ExprKind::CASE);
  ASSERT_TRUE(simple->operand);
  EXPECT_EQ(expr_to_string(*simple->operand), "x");
  EXPECT_EQ(simple->whens.size(), 2u);
  EXPECT_EQ(expr_to_string(*simple->else_result), "'c'");
  auto searched = parse_expression("CASE WHEN x > 1 THEN 1 END");
  EXPECT_FALSE(searched->operand);
  ASSERT_EQ(searched->whens.size(), 1u);
  EXPECT_EQ(expr_to_string(*searched->whens[0].first), "(x > 1)");
  EXPECT_FALSE(searched->else_result);
}

TEST(SqlParserExpression, CastAndTryCast) {
  auto cast = parse_expression("CAST(x AS decimal(10,2))");
  EXPECT_EQ(cast->kind, ExprKind::CAST);
  EXPECT_FALSE(cast->try_cast);
  EXPECT_EQ(cast->type_name, "decimal(10,2)");
  auto try_cast = parse_expression("TRY_CAST(s AS timestamp(6))");
  EXPECT_TRUE(try_cast->try_cast);
  EXPECT_EQ(try_cast->type_name, "timestamp(6)");
  EXPECT_EQ(expr_to_string(*try_cast), "TRY_CAST(s AS timestamp(6))");
  EXPECT_EQ(parse_expression("CAST(x AS double precision)")->type_name, "double");
  EXPECT_EQ(parse_expression("CAST(x AS VARCHAR(20))")->type_name, "varchar(20)");
  EXPECT_EQ(parse_expression("CAST(x AS timestamp(3) with time zone)")->type_name, "timestamp(3)");
}

TEST(SqlParserExpression, ExtractIntervalAndTypedLiterals) {
  auto extract = parse_expression("EXTRACT(YEAR FROM d)");
  EXPECT_EQ(extract->kind, ExprKind::EXTRACT);
  EXPECT_EQ(extract->text, "year");
  EXPECT_EQ(expr_to_string(*extract), "EXTRACT(year FROM d)");

  auto day = parse_expression("INTERVAL '3' DAY");
  EXPECT_EQ(day->literal_kind, LiteralKind::INTERVAL);
  EXPECT_EQ(day->text, "3");
  EXPECT_EQ(day->type_name, "day");
  EXPECT_FALSE(day->interval_negative);
  auto negative = parse_expression("INTERVAL -'2' HOUR");
  EXPECT_TRUE(negative->interval_negative);
  EXPECT_EQ(negative->type_name, "hour");
  auto negated = parse_expression("-INTERVAL '1' MONTH");
  EXPECT_EQ(negated->kind, ExprKind::LITERAL);
  EXPECT_TRUE(negated->interval_negative);
  auto year_month = parse_expression("INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(year_month->text, "1-2");
  EXPECT_EQ(year_month->type_name, "year");
  EXPECT_EQ(year_month->interval_end_unit, "month");
  EXPECT_EQ(expr_to_string(*year_month), "INTERVAL '1-2' year");

  auto date = parse_expression("DATE '2024-01-15'");
  EXPECT_EQ(date->literal_kind, LiteralKind::TYPED);
  EXPECT_EQ(date->type_name, "date");
  EXPECT_EQ(date->text, "2024-01-15");
  auto ts = parse_expression("TIMESTAMP '2024-01-15 10:00:00.123'");
  EXPECT_EQ(ts->type_name, "timestamp");
  EXPECT_EQ(ts->text, "2024-01-15 10:00:00.123");
  EXPECT_EQ(parse_expression("'it''s'")->text, "it's");
  EXPECT_EQ(parse_expression("NULL")->literal_kind, LiteralKind::NULL_);
  EXPECT_EQ(parse_expression("TRUE")->literal_kind, LiteralKind::BOOLEAN);
  EXPECT_EQ(parse_expression("1.5")->literal_kind, LiteralKind::DECIMAL);
  EXPECT_EQ(parse_expression("1.5E-2")->literal_kind, LiteralKind::DOUBLE);
  EXPECT_EQ(parse_expression("42")->literal_kind, LiteralKind::INTEGER);
}

TEST(SqlParserExpression, FunctionCallsWindowsAndFilters) {
  auto window = parse_expression(
      "sum(x) OVER (PARTITION BY a, b ORDER BY c DESC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(window->kind, ExprKind::FUNCTION_CALL);
  ASSERT_TRUE(window->window);
  EXPECT_EQ(window->window->partition_by.size(), 2u);
  ASSERT_EQ(window->window->order_by.size(), 1u);
  EXPECT_FALSE(window->window->order_by[0].ascending);
  EXPECT_TRUE(window->window->has_frame);
  EXPECT_TRUE(window->window->rows);
  EXPECT_EQ(window->window->start.kind, WindowFrameBound::PRECEDING);
  EXPECT_EQ(expr_to_string(*window->window->start.offset), "2");
  EXPECT_EQ(window->window->end.kind, WindowFrameBound::CURRENT_ROW);
  auto range = parse_expression("avg(x) OVER (ORDER BY d RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)");
  EXPECT_FALSE(range->window->rows);
  EXPECT_EQ(range->window->start.kind, WindowFrameBound::UNBOUNDED_PRECEDING);
  EXPECT_EQ(range->window->end.kind, WindowFrameBound::UNBOUNDED_FOLLOWING);
  EXPECT_FALSE(parse_expression("row_number() OVER ()")->window->has_frame);

  auto filtered = parse_expression("count(*) FILTER (WHERE x > 1)");
  EXPECT_TRUE(filtered->count_star);
  ASSERT_TRUE(filtered->filter);
  EXPECT_EQ(expr_to_string(*filtered->filter), "(x > 1)");
  EXPECT_EQ(expr_to_string(*filtered), "count(*)");
  auto distinct = parse_expression("count(DISTINCT x)");
  EXPECT_TRUE(distinct->distinct);
  EXPECT_FALSE(distinct->count_star);
  EXPECT_EQ(expr_to_string(*distinct), "count(DISTINCT x)");
  EXPECT_EQ(expr_text("Upper(Name)"), "upper(name)");
  EXPECT_EQ(expr_text("substring(s FROM 2 FOR 3)"), "substr(s, 2, 3)");
  EXPECT_EQ(expr_text("position('a' IN s)"), "strpos(s, 'a')");
}

// ---------------------------------------------------------------- identifiers and comments

TEST(SqlParserIdentifiers, QuotedKeepCaseUnquotedLowerCased) {
  EXPECT_EQ(expr_text("MyTable.MyColumn"), "mytable.mycolumn");
  auto quoted = parse_expression("\"MyTable\".\"My Column\"");
  EXPECT_EQ(quoted->name, (std::vector<std::string>{"MyTable", "My Column"}));
  EXPECT_EQ(parse_expression("\"a\"\"b\"")->name[0], "a\"b");
  EXPECT_EQ(parse_expression("\"select\"")->name[0], "select");  // a quoted reserved word is a name
  auto q = query_of("SELECT X AS \"Alias\" FROM T");
  EXPECT_EQ(spec_of(q).select[0].alias, "Alias");
  EXPECT_EQ(join(spec_of(q).from->name), "t");
}

TEST(SqlParserIdentifiers, HyphenatedResourceNames) {
  auto q = query_of("SELECT * FROM catalog.default.Orders-abc123");
  EXPECT_EQ(spec_of(q).from->name, (std::vector<std::string>{"catalog", "default", "orders-abc123"}));
  auto digit = query_of("SELECT * FROM dynamo.default.Orders-1a2b3c o WHERE o.id = 1");
  EXPECT_EQ(spec_of(digit).from->name, (std::vector<std::string>{"dynamo", "default", "orders-1a2b3c"}));
  EXPECT_EQ(spec_of(digit).from->alias, "o");
  auto numeric = query_of("SELECT * FROM my-table-2024");
  EXPECT_EQ(join(spec_of(numeric).from->name), "my-table-2024");
  // With spaces it is subtraction, not a name.
  EXPECT_EQ(expr_text("a - b"), "(a - b)");
  EXPECT_EQ(expr_text("a-1"), "(a - 1)");
}

TEST(SqlParserIdentifiers, Comments) {
  EXPECT_EQ(expr_text("1 /* block\n comment */ + -- line comment\n 2"), "(1 + 2)");
  auto q = query_of("-- leading comment\nSELECT a /* x */ FROM t -- trailing");
  EXPECT_EQ(spec_of(q).select.size(), 1u);
  EXPECT_EQ(q->location.line, 2);
  EXPECT_EQ(q->location.column, 1);
}

// ---------------------------------------------------------------- syntax errors

TEST(SqlParserErrors, ExactMessagesAndPositions) {
  EXPECT_EQ(syntax_error("SELECT 1 +"), "SYNTAX_ERROR: line 1:11: mismatched input '<EOF>'. Expecting: expression");
  EXPECT_EQ(syntax_error("SELECT * FROM"), "SYNTAX_ERROR: line 1:14: mismatched input '<EOF>'. Expecting: identifier");
  EXPECT_EQ(syntax_error("SELECT a FROM t WHERE"),
            "SYNTAX_ERROR: line 1:22: mismatched input '<EOF>'. Expecting: expression");
  EXPECT_EQ(syntax_error("SELECT 'abc"), "SYNTAX_ERROR: line 1:8: Unterminated string literal");
  EXPECT_EQ(syntax_error("SELECT a,\n  FROM t"),
            "SYNTAX_ERROR: line 2:3: mismatched input 'FROM'. Expecting: expression");
  EXPECT_EQ(syntax_error("SELEC 1"),
            "SYNTAX_ERROR: line 1:1: mismatched input 'SELEC'. Expecting: ALTER, CREATE, DESCRIBE, DROP, EXPLAIN, "
            "INSERT, MSCK, SELECT, SHOW, USE, VALUES, WITH");
  EXPECT_EQ(syntax_error("SELECT 1 2"), "SYNTAX_ERROR: line 1:10: mismatched input '2'. Expecting: <EOF>");
  EXPECT_EQ(syntax_error("SELECT a FROM t GROUP a"), "SYNTAX_ERROR: line 1:23: mismatched input 'a'. Expecting: 'by'");
  EXPECT_EQ(syntax_error("SELECT 123abc"), "SYNTAX_ERROR: line 1:8: Invalid numeric literal '123a'");
  EXPECT_EQ(syntax_error("SELECT \"\" FROM t"), "SYNTAX_ERROR: line 1:8: Zero-length delimited identifier not allowed");
  EXPECT_EQ(syntax_error("SELECT 1 /* open"), "SYNTAX_ERROR: line 1:10: Unterminated comment");
  EXPECT_EQ(syntax_error("SELECT #"), "SYNTAX_ERROR: line 1:8: Unexpected character '#'");
  EXPECT_EQ(syntax_error("SELECT * FROM a JOIN b"),
            "SYNTAX_ERROR: line 1:23: mismatched input '<EOF>'. Expecting: ON, USING");
  EXPECT_EQ(syntax_error("SELECT CASE END"), "SYNTAX_ERROR: line 1:13: mismatched input 'END'. Expecting: expression");
  EXPECT_EQ(syntax_error("SELECT x FROM t WHERE x IN 1"),
            "SYNTAX_ERROR: line 1:28: mismatched input '1'. Expecting: '('");
  EXPECT_EQ(syntax_error("SHOW STUFF"),
            "SYNTAX_ERROR: line 1:6: mismatched input 'STUFF'. Expecting: CATALOGS, SCHEMAS, TABLES, VIEWS, COLUMNS, FUNCTIONS, PARTITIONS, CREATE TABLE, CREATE VIEW");
  try {
    parse_statement("SELECT\n\n  FROM");
    FAIL() << "expected a syntax error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::SYNTAX_ERROR);
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 3);
  }
}

// ---------------------------------------------------------------- parse_script

TEST(SqlParserScript, SplitsOnSemicolonsOutsideStrings) {
  auto statements = parse_script("SELECT 'a;b'; SELECT \"x;y\" FROM t;\n-- note; not a split\nSHOW CATALOGS;\n;  \n");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(spec_of(statements[0]->query).select[0].expr->text, "a;b");
  EXPECT_EQ(spec_of(statements[1]->query).select[0].expr->name[0], "x;y");
  EXPECT_EQ(statements[2]->kind, StatementKind::SHOW_CATALOGS);
  EXPECT_EQ(statements[2]->location.line, 3);
  EXPECT_TRUE(parse_script("  \n ;\n").empty());
  EXPECT_EQ(parse_script("SELECT 'it''s; fine'")[0]->query->body->spec.select[0].expr->text, "it's; fine");
}

TEST(SqlParserScript, ErrorsKeepScriptLineNumbers) {
  try {
    parse_script("SELECT 1;\nSELECT 2;\nSELECT +");
    FAIL() << "expected a syntax error";
  } catch (const Error& e) {
    EXPECT_EQ(e.full(), "SYNTAX_ERROR: line 3:9: mismatched input '<EOF>'. Expecting: expression");
  }
}

// A piece holding only a comment (a script ending in "-- done" after its last ';') is not blank,
// so parse_script parses it and throws "mismatched input '<EOF>'" at the end of the script.
TEST(SqlParserScript, TrailingCommentAfterLastStatement) {
  EXPECT_EQ(parse_script("SELECT 1;\n-- done\n").size(), 1u);
  EXPECT_TRUE(parse_script("  \n -- only a comment\n").empty());
}

// A ';' inside a /* block comment */ must not split the script; parse_script only skips
// '--' comments, so the first piece ends inside the comment ("Unterminated comment").
TEST(SqlParserScript, SemicolonInsideBlockCommentDoesNotSplit) {
  auto statements = parse_script("SELECT 1 /* a; b */ + 1; SELECT 2");
  ASSERT_EQ(statements.size(), 2u);
}

// A statement that starts mid-line keeps its line but loses its column: the error below is
// at column 21 of the script, parse_script reports column 12 (relative to the piece).
TEST(SqlParserScript, ErrorsKeepScriptColumnNumbers) {
  try {
    parse_script("SELECT 1; SELECT 1 +");
    FAIL() << "expected a syntax error";
  } catch (const Error& e) {
    EXPECT_EQ(e.full(), "SYNTAX_ERROR: line 1:21: mismatched input '<EOF>'. Expecting: expression");
  }
}
