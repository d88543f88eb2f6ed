// The postgresql connector without a server: URLs and properties, quoting, the COPY
// text format, the type mapping, and the generated SQL.
#include <gtest/gtest.h>

#include "common/datetime.h"
#include "common/error.h"
#include "connectors/postgres/postgres_connection_config.h"
#include "connectors/postgres/postgres_connector.h"
#include "connectors/postgres/postgres_copy_format.h"
#include "connectors/postgres/postgres_sql.h"

using namespace tributary;
using namespace tributary::postgres;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

SourceRelation orders() {
  SourceRelation r;
  r.schema = "public";
  r.name = "Orders";
  for (auto [name, type] : std::vector<std::pair<std::string, std::string>>{{"id", "bigint"},
                                                                            {"price", "numeric(10,2)"},
                                                                            {"name", "text"},
                                                                            {"day", "date"},
                                                                            {"code", "character(3)"},
                                                                            {"score", "double precision"},
                                                                            {"amount", "numeric"},
                                                                            {"qty", "integer"}}) {
    auto m = map_postgres_type(type);
    r.columns.push_back({name, type, m.type, m.kind});
  }
  return r;
}

Domain values(std::vector<Value> vs) {
  Domain d;
  for (auto& v : vs) d.ranges.push_back(Range::equal(v));
  return d;
}

Domain at_least(const Value& v, bool inclusive = true) {
  Domain d;
  Range r;
  r.low = v;
  r.low_unbounded = false;
  r.low_inclusive = inclusive;
  d.ranges.push_back(r);
  return d;
}

}  // namespace

TEST(PostgresConfig, JdbcUrlWithProperties) {
  ConnectorProperties p = {{"connector.name", "postgresql"},
                           {"connection-url", "jdbc:postgresql://db.example.com:5433/shop?sslmode=disable"},
                           {"connection-user", "admin"},
                           {"connection-password", "p@ss'w\"rd"}};
  auto s = parse_connector_settings("pg", p);
  EXPECT_EQ(s.connection.host, "db.example.com");
  EXPECT_EQ(s.connection.port, 5433);
  EXPECT_EQ(s.connection.database, "shop");
  EXPECT_EQ(s.connection.user, "admin");
  EXPECT_EQ(s.connection.password, "p@ss'w\"rd");
  EXPECT_EQ(s.connection.options.at("sslmode"), "disable");
  EXPECT_EQ(s.pool_size, 4);
  EXPECT_EQ(s.connect_timeout_seconds, 10);
  EXPECT_EQ(s.query_timeout_seconds, 300);
  EXPECT_TRUE(s.pushdown);
}

TEST(PostgresConfig, AthenaFormWithSpecialCharacters) {
  ConnectorProperties p = {
      {"connector.name", "postgresql"},
      {"default", "postgres://jdbc:postgresql://10.0.0.5:5432/analytics_db?user=admin&password=Temp%26Pass%3D1%25!+#"}};
  auto s = parse_connector_settings("pg", p);
  EXPECT_EQ(s.connection.host, "10.0.0.5");
  EXPECT_EQ(s.connection.port, 5432);
  EXPECT_EQ(s.connection.database, "analytics_db");
  EXPECT_EQ(s.connection.user, "admin");
  EXPECT_EQ(s.connection.password, "Temp&Pass=1%!+#");
  auto plain = parse_connection_url("postgres://jdbc:postgresql://h/db?user=u&password=TempPassword123!", "pg");
  EXPECT_EQ(plain.password, "TempPassword123!");
  EXPECT_EQ(plain.port, 5432);
  auto v6 = parse_connection_url("jdbc:postgresql://[::1]:6000/x", "pg");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 6000);
}

TEST(PostgresConfig, ErrorsNameTheCatalogAndNeverThePassword) {
  std::string message = error_of([] {
    parse_connector_settings("sales", {{"connector.name", "postgresql"},
                                       {"connection-url", "jdbc:postgresql://h/db"},
                                       {"pool-sise", "3"}});
  });
  EXPECT_NE(message.find("sales"), std::string::npos);
  EXPECT_NE(message.find("'pool-size'"), std::string::npos) << message;
  message = error_of([] { parse_connection_url("jdbc:postgresql://h:99999/db?password=s3cret", "sales"); });
  EXPECT_NE(message.find("sales"), std::string::npos);
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
  message = error_of([] { parse_connection_url("mysql://h/db?password=s3cret", "sales"); });
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
  EXPECT_EQ(redact("auth failed for x:p&ss and p%26ss", "p&ss"), "auth failed for x:**** and ****");
  EXPECT_NE(error_of([] {
              parse_connector_settings("s", {{"connection-url", "jdbc:postgresql://h/db"}, {"pushdown", "maybe"}});
            }).find("pushdown"),
            std::string::npos);
  EXPECT_THROW(make_postgres_connector("s", {{"connector.name", "postgresql"}}), Error);
}

TEST(PostgresQuoting, LiteralsAndIdentifiers) {
  EXPECT_EQ(pg_quote_literal("it's"), "'it''s'");
  EXPECT_EQ(pg_quote_literal("back\\slash"), "'back\\slash'");  // standard_conforming_strings=on
  EXPECT_EQ(pg_quote_literal("x'; DROP TABLE t; --"), "'x''; DROP TABLE t; --'");
  EXPECT_EQ(pg_quote_literal("/* c */ '' $$"), "'/* c */ '''' $$'");
  EXPECT_EQ(pg_quote_literal(""), "''");
  EXPECT_FALSE(try_pg_quote_literal(std::string("a\0b", 3)).has_value());
  EXPECT_THROW(pg_quote_literal(std::string("a\0b", 3)), Error);
  EXPECT_EQ(pg_quote_identifier("Order \"Items\""), "\"Order \"\"Items\"\"\"");
  EXPECT_EQ(pg_quote_identifier("a;--"), "\"a;--\"");
}

TEST(PostgresCopyFormat, SplitsRowsAndDecodesEscapes) {
  std::vector<std::optional<std::string_view>> fields;
  std::string scratch;
  ASSERT_TRUE(split_copy_row("1\t\\N\ta\\tb\\nc\\\\d\t\n", &fields, &scratch));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(*fields[0], "1");
  EXPECT_FALSE(fields[1].has_value());
  EXPECT_EQ(*fields[2], "a\tb\nc\\d");
  EXPECT_EQ(*fields[3], "");
  ASSERT_TRUE(split_copy_row("\\101\\x42\\r\\q\t\\\\N", &fields, &scratch));
  EXPECT_EQ(*fields[0], "AB\rq");
  EXPECT_EQ(*fields[1], "\\N");  // an escaped backslash followed by N is text, not NULL
  EXPECT_FALSE(split_copy_row("bad\\", &fields, &scratch));
}

TEST(PostgresCopyFormat, Bytea) {
  std::string out;
  ASSERT_TRUE(decode_bytea("\\x00ff41", &out));
  EXPECT_EQ(out, std::string("\0\xff" "A", 3));
  ASSERT_TRUE(decode_bytea("a\\\\b\\001\\377", &out));
  EXPECT_EQ(out, std::string("a\\b\x01\xff", 5));
  EXPECT_FALSE(decode_bytea("\\x0", &out));
  EXPECT_FALSE(decode_bytea("\\9", &out));
}

TEST(PostgresCopyFormat, Values) {
  Vector i(Type::integer()), dec(Type::decimal(10, 2)), unb(Type::decimal(38, 9)), dt(Type::date()),
      ts(Type::timestamp(6)), f(Type::real()), b(Type::boolean()), bin(Type::varbinary());
  EXPECT_TRUE(decode_field("-42", ValueKind::INTEGER, i, 0));
  EXPECT_EQ(i.get_value(0).i, -42);
  EXPECT_TRUE(decode_field("3000000000", ValueKind::INTEGER, i, 1));
  EXPECT_TRUE(i.is_null(1));
  EXPECT_FALSE(decode_field("4x", ValueKind::INTEGER, i, 2));
  EXPECT_TRUE(decode_field("12.34", ValueKind::NUMERIC, dec, 0));
  EXPECT_EQ(dec.get_value(0).to_string(), "12.34");
  EXPECT_TRUE(decode_field("NaN", ValueKind::NUMERIC, dec, 1));
  EXPECT_TRUE(dec.is_null(1));
  EXPECT_TRUE(decode_field("123456789012345678901234567890.123", ValueKind::NUMERIC_UNBOUNDED, unb, 0));
  EXPECT_TRUE(unb.is_null(0));
  EXPECT_TRUE(decode_field("1.0000000005", ValueKind::NUMERIC_UNBOUNDED, unb, 1));
  EXPECT_EQ(unb.get_value(1).to_string(), "1.000000001");
  EXPECT_TRUE(decode_field("2024-01-15", ValueKind::DATE, dt, 0));
  EXPECT_EQ(dt.get_value(0).to_string(), "2024-01-15");
  EXPECT_TRUE(decode_field("infinity", ValueKind::DATE, dt, 1));
  EXPECT_TRUE(dt.is_null(1));
  EXPECT_TRUE(decode_field("0001-01-01 BC", ValueKind::DATE, dt, 2));
  EXPECT_EQ(dt.get_value(2).i, datetime::days_from_civil(0, 1, 1));
  EXPECT_TRUE(decode_field("2024-01-15 10:20:30.5+02", ValueKind::TIMESTAMPTZ, ts, 0));
  EXPECT_EQ(datetime::format_timestamp(ts.get_value(0).i, 6), "2024-01-15 08:20:30.500000");
  EXPECT_TRUE(decode_field("-infinity", ValueKind::TIMESTAMP, ts, 1));
  EXPECT_TRUE(ts.is_null(1));
  EXPECT_TRUE(decode_field("1.10000002", ValueKind::REAL, f, 0));
  EXPECT_EQ(f.get_value(0).d, (double)1.1f);
  EXPECT_TRUE(decode_field("t", ValueKind::BOOLEAN, b, 0));
  EXPECT_FALSE(decode_field("yes", ValueKind::BOOLEAN, b, 1));
  EXPECT_TRUE(decode_field("\\x4142", ValueKind::BYTEA, bin, 0));
  EXPECT_EQ(bin.get_value(0).s, "AB");
}

TEST(PostgresTypes, MappingFromFormatType) {
  auto is = [](const std::string& pg, Type t, ValueKind k) {
    auto m = map_postgres_type(pg);
    EXPECT_EQ(m.type, t) << pg << " -> " << m.type.to_string();
    EXPECT_EQ((int)m.kind, (int)k) << pg;
  };
  is("smallint", Type::smallint(), ValueKind::INTEGER);
  is("integer", Type::integer(), ValueKind::INTEGER);
  is("bigint", Type::bigint(), ValueKind::INTEGER);
  is("numeric(10,2)", Type::decimal(10, 2), ValueKind::NUMERIC);
  is("numeric", Type::decimal(38, 9), ValueKind::NUMERIC_UNBOUNDED);
  is("numeric(50,4)", Type::decimal(38, 4), ValueKind::NUMERIC_UNBOUNDED);
  is("numeric(5,-2)", Type::decimal(7, 0), ValueKind::NUMERIC);
  is("real", Type::real(), ValueKind::REAL);
  is("double precision", Type::double_(), ValueKind::DOUBLE);
  is("boolean", Type::boolean(), ValueKind::BOOLEAN);
  is("text", Type::varchar(), ValueKind::TEXT);
  is("character varying(20)", Type::varchar(20), ValueKind::TEXT);
  is("character varying", Type::varchar(), ValueKind::TEXT);
  is("character(5)", Type::varchar(5), ValueKind::CHAR);
  is("bytea", Type::varbinary(), ValueKind::BYTEA);
  is("date", Type::date(), ValueKind::DATE);
  is("timestamp without time zone", Type::timestamp(6), ValueKind::TIMESTAMP);
  is("timestamp(0) without time zone", Type::timestamp(3), ValueKind::TIMESTAMP);
  is("timestamp(3) with time zone", Type::timestamp(3), ValueKind::TIMESTAMPTZ);
  is("timestamp with time zone", Type::timestamp(6), ValueKind::TIMESTAMPTZ);
  is("time without time zone", Type::varchar(), ValueKind::OTHER_TEXT);
  is("uuid", Type::varchar(), ValueKind::OTHER_TEXT);
  is("jsonb", Type::varchar(), ValueKind::OTHER_TEXT);
  is("integer[]", Type::varchar(), ValueKind::OTHER_TEXT);
  is("character varying(10)[]", Type::varchar(), ValueKind::OTHER_TEXT);
  is("interval", Type::varchar(), ValueKind::OTHER_TEXT);
  is("\"MyEnum\"", Type::varchar(), ValueKind::OTHER_TEXT);
}

TEST(PostgresSqlBuilder, DomainsAsLiterals) {
  auto r = orders();
  ScanRequest req;
  req.columns = {0, 2};
  req.constraint.columns[0] = values({Value::integer(3), Value::integer(5)});
  req.constraint.columns[2] = at_least(Value::string("O'Brien"), false);
  auto scan = build_scan_sql(r, req, true);
  EXPECT_EQ(scan.sql,
            "SELECT \"id\", \"name\" FROM \"public\".\"Orders\" WHERE \"id\" IN (3, 5) AND "
            "\"name\" COLLATE \"C\" > 'O''Brien'");
  EXPECT_TRUE(scan.constraint_enforced);

  ScanRequest nulls;
  nulls.columns = {1};
  Domain d = at_least(Value::decimal(1050, Type::decimal(4, 2)));
  d.null_allowed = true;
  nulls.constraint.columns[1] = d;
  nulls.constraint.columns[3] = Domain::all_values(false);
  EXPECT_EQ(build_scan_sql(r, nulls, true).sql,
            "SELECT \"price\" FROM \"public\".\"Orders\" WHERE ((\"price\" IS NULL OR \"price\" = 'NaN') OR "
            "(\"price\" >= 10.50 AND \"price\" <> 'NaN')) AND isfinite(\"day\")");

  // char(n), unbounded numeric and inexact float constants stay in tributary.
  ScanRequest kept;
  kept.constraint.columns[4] = values({Value::string("ab")});
  kept.constraint.columns[6] = values({Value::integer(1)});
  kept.constraint.columns[5] = values({Value::decimal(1, Type::decimal(2, 1))});
  auto k = build_scan_sql(r, kept, true);
  EXPECT_EQ(k.sql, "SELECT 1 FROM \"public\".\"Orders\"");
  EXPECT_FALSE(k.constraint_enforced);

  ScanRequest nul;
  nul.constraint.columns[2] = values({Value::string(std::string("a\0b", 3))});
  EXPECT_FALSE(build_scan_sql(r, nul, true).constraint_enforced);

  ScanRequest date;
  date.constraint.columns[3] = at_least(Value::integer(datetime::days_from_civil(2024, 1, 1), Type::date()));
  EXPECT_EQ(build_scan_sql(r, date, true).sql,
            "SELECT 1 FROM \"public\".\"Orders\" WHERE (\"day\" >= DATE '2024-01-01' AND isfinite(\"day\"))");
  ScanRequest dbl;
  dbl.constraint.columns[5] = values({Value::floating(0.5)});
  EXPECT_EQ(build_scan_sql(r, dbl, true).sql,
            "SELECT 1 FROM \"public\".\"Orders\" WHERE \"score\" = CAST('0.5' AS double precision)");
}

TEST(PostgresSqlBuilder, LimitTopNAndPushdownOff) {
  auto r = orders();
  ScanRequest req;
  req.columns = {0};
  req.limit = 10;
  req.order = {{2, true, false}, {3, false, true}};
  auto scan = build_scan_sql(r, req, true);
  EXPECT_EQ(scan.sql,
            "SELECT \"id\" FROM \"public\".\"Orders\" ORDER BY \"name\" COLLATE \"C\" ASC NULLS LAST, "
            "CASE WHEN isfinite(\"day\") THEN \"day\" END DESC NULLS FIRST LIMIT 10");
  EXPECT_TRUE(scan.limit_enforced && scan.order_enforced);
  req.order = {{5, true, false}};  // double: NaN ordering differs, not pushed
  auto floats = build_scan_sql(r, req, true);
  EXPECT_FALSE(floats.limit_enforced);
  EXPECT_EQ(floats.sql, "SELECT \"id\" FROM \"public\".\"Orders\"");
  req.order.clear();
  req.constraint.columns[0] = values({Value::integer(1)});
  auto off = build_scan_sql(r, req, false);
  EXPECT_EQ(off.sql, "SELECT \"id\" FROM \"public\".\"Orders\"");
  EXPECT_FALSE(off.constraint_enforced || off.limit_enforced);
  EXPECT_EQ(build_scan_sql(r, ScanRequest{}, true, "\"id\" >= 5").sql,
            "SELECT 1 FROM \"public\".\"Orders\" WHERE \"id\" >= 5");
}

TEST(PostgresSqlBuilder, Aggregation) {
  auto r = orders();
  ScanRequest req;
  req.constraint.columns[3] = at_least(Value::integer(datetime::days_from_civil(2024, 1, 1), Type::date()));
  AggregationRequest agg;
  agg.group_columns = {7};
  agg.aggregates = {{"count", -1, false, Type::bigint()},
                    {"sum", 1, false, Type::decimal(38, 2)},
                    {"avg", 1, false, Type::decimal(10, 2)},
                    {"avg", 7, false, Type::double_()},
                    {"sum", 7, false, Type::bigint()},
                    {"max", 2, false, Type::varchar()},
                    {"count", 2, true, Type::bigint()}};
  auto q = build_aggregation_sql(r, req, agg);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sql,
            "SELECT \"qty\" AS \"c0\", count(*) AS \"c1\", CAST(sum(NULLIF(\"price\", 'NaN')) AS numeric(38,2)) AS "
            "\"c2\", CAST(round(avg(NULLIF(\"price\", 'NaN')), 2) AS numeric(10,2)) AS \"c3\", CAST(avg(\"qty\") AS "
            "double precision) AS \"c4\", CAST(sum(\"qty\") AS bigint) AS \"c5\", max(\"name\" COLLATE \"C\") AS "
            "\"c6\", count(DISTINCT \"name\" COLLATE \"C\") AS \"c7\" FROM \"public\".\"Orders\" WHERE (\"day\" >= "
            "DATE '2024-01-01' AND isfinite(\"day\")) GROUP BY 1");
  ASSERT_EQ(q->columns.size(), 8u);
  EXPECT_EQ(q->columns[2].type, Type::decimal(38, 2));

  AggregationRequest floats;
  floats.aggregates = {{"sum", 5, false, Type::double_()}};
  EXPECT_FALSE(build_aggregation_sql(r, ScanRequest{}, floats));
  ScanRequest inexact;
  inexact.constraint.columns[4] = values({Value::string("x")});
  EXPECT_FALSE(build_aggregation_sql(r, inexact, agg));

  // A scan of the derived relation reads its columns by alias.
  SourceRelation derived;
  derived.subquery = q->sql;
  derived.columns = q->columns;
  ScanRequest scan;
  scan.columns = {0, 1};
  scan.limit = 5;
  EXPECT_EQ(build_scan_sql(derived, scan, true).sql, "SELECT \"c0\", \"c1\" FROM (" + q->sql + ") AS \"q\" LIMIT 5");
}

TEST(PostgresSqlBuilder, Join) {
  auto left = orders();
  SourceRelation right;
  right.schema = "public";
  right.name = "customers";
  right.columns = {{"qty", "integer", Type::integer(), ValueKind::INTEGER},
                   {"label", "text", Type::varchar(), ValueKind::TEXT}};
  ScanRequest lr, rr;
  lr.columns = {0};
  rr.columns = {1};
  rr.constraint.columns[1] = values({Value::string("vip")});
  JoinRequest join;
  join.kind = PushedJoinKind::LEFT;
  join.equi_columns = {{7, 0}};
  auto q = build_join_sql(left, lr, right, rr, join);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sql,
            "SELECT \"l\".\"c0\", \"r\".\"c1\" FROM (SELECT \"id\" AS \"c0\", \"qty\" AS \"k0\" FROM "
            "\"public\".\"Orders\") AS \"l\" LEFT JOIN (SELECT \"label\" AS \"c1\", \"qty\" AS \"k0\" FROM "
            "\"public\".\"customers\" WHERE \"label\" = 'vip') AS \"r\" ON \"l\".\"k0\" = \"r\".\"k0\"");
  EXPECT_EQ(q->columns.size(), 2u);
  join.kind = PushedJoinKind::FULL;
  EXPECT_FALSE(build_join_sql(left, lr, right, rr, join));
  join.kind = PushedJoinKind::INNER;
  join.equi_columns = {{2, 0}};  // text = integer
  EXPECT_FALSE(build_join_sql(left, lr, right, rr, join));
}

// ---- expressions (ScanRequest::expressions) ----

namespace {

PushedExpressionPtr col(int index, Type type) {
  auto e = std::make_shared<PushedExpression>();
  e->kind = PushedExpression::Kind::COLUMN;
  e->column = index;
  e->type = type;
  return e;
}

PushedExpressionPtr lit(Value v) {
  auto e = std::make_shared<PushedExpression>();
  e->kind = PushedExpression::Kind::CONSTANT;
  e->type = v.type;
  e->value = v;
  return e;
}

PushedExpressionPtr node(PushedExpression::Kind kind, std::vector<PushedExpressionPtr> args, std::string op = "") {
  auto e = std::make_shared<PushedExpression>();
  e->kind = kind;
  e->op = op;
  e->type = Type::boolean();
  e->args = std::move(args);
  return e;
}

PushedExpressionPtr cmp(const char* op, PushedExpressionPtr a, PushedExpressionPtr b) {
  return node(PushedExpression::Kind::COMPARE, {a, b}, op);
}

PushedExpressionPtr like(PushedExpressionPtr v, const std::string& pattern, const char* escape = nullptr) {
  std::vector<PushedExpressionPtr> args = {v, lit(Value::string(pattern))};
  if (escape) args.push_back(lit(Value::string(escape)));
  return node(PushedExpression::Kind::LIKE, args);
}

std::string sql_of(const SourceRelation& r, const PushedExpressionPtr& e) {
  return expression_sql(r, *e).value_or("<none>");
}

}  // namespace

TEST(PostgresSqlBuilder, LikePatternRewriting) {
  auto p = [](const std::string& pattern, std::optional<std::string> escape = std::nullopt) {
    return pg_like_pattern(pattern, escape).value_or("<none>");
  };
  EXPECT_EQ(p("a%b_c"), "a%b_c");
  EXPECT_EQ(p("hi!"), "hi!!");
  EXPECT_EQ(p("a\\%"), "a\\%");        // PostgreSQL's default escape (backslash) is literal here
  EXPECT_EQ(p("50#%", "#"), "50!%");
  EXPECT_EQ(p("#_x%", "#"), "!_x%");
  EXPECT_EQ(p("a##b", "#"), "a#b");
  EXPECT_EQ(p("!#%", "#"), "!!!%");
  EXPECT_EQ(p("!!%!_", "!"), "!!%!_");
  EXPECT_EQ(p("abc#", "#"), "<none>");  // Trino rejects: left to the engine
  EXPECT_EQ(p("#a", "#"), "<none>");
  EXPECT_EQ(p("a", "ab"), "<none>");
}

TEST(PostgresSqlBuilder, Expressions) {
  using K = PushedExpression::Kind;
  auto r = orders();
  auto id = col(0, Type::bigint());
  auto price = col(1, Type::decimal(10, 2));
  auto name = col(2, Type::varchar());
  auto day = col(3, Type::date());
  auto score = col(5, Type::double_());
  auto qty = col(7, Type::integer());
  auto five = lit(Value::integer(5, Type::integer()));

  EXPECT_EQ(sql_of(r, like(name, "A%")), "(\"name\" COLLATE \"C\" LIKE 'A%' ESCAPE '!')");
  EXPECT_EQ(sql_of(r, like(name, "O'B\\_!")), "(\"name\" COLLATE \"C\" LIKE 'O''B\\_!!' ESCAPE '!')");
  EXPECT_EQ(sql_of(r, like(name, "x\\%", "\\")), "(\"name\" COLLATE \"C\" LIKE 'x!%' ESCAPE '!')");
  EXPECT_EQ(sql_of(r, like(name, "x\\", "\\")), "<none>");
  EXPECT_EQ(sql_of(r, node(K::OR, {like(name, "%z"), cmp(">", qty, five)})),
            "((\"name\" COLLATE \"C\" LIKE '%z' ESCAPE '!') OR (\"qty\" > 5))");
  EXPECT_EQ(sql_of(r, node(K::NOT, {cmp(">", qty, five)})), "(NOT (\"qty\" > 5))");
  EXPECT_EQ(sql_of(r, cmp("<", five, qty)), "(\"qty\" > 5)");
  EXPECT_EQ(sql_of(r, cmp("=", qty, col(0, Type::bigint()))), "(\"qty\" = \"id\")");
  EXPECT_EQ(sql_of(r, cmp("<>", name, name)), "(\"name\" COLLATE \"C\" <> \"name\" COLLATE \"C\")");
  EXPECT_EQ(sql_of(r, node(K::IN, {id, lit(Value::integer(1)), lit(Value::null(Type::bigint()))})),
            "(\"id\" IN (1, NULL))");
  // NaN numerics and infinite dates read as NULL; NaN floats compare false in Trino.
  EXPECT_EQ(sql_of(r, cmp(">=", price, lit(Value::decimal(1050, Type::decimal(4, 2))))),
            "(NULLIF(\"price\", 'NaN') >= 10.50)");
  EXPECT_EQ(sql_of(r, node(K::IS_NULL, {day})), "((\"day\" IS NULL OR NOT isfinite(\"day\")))");
  EXPECT_EQ(sql_of(r, cmp("<", day, lit(Value::integer(datetime::days_from_civil(2024, 1, 1), Type::date())))),
            "(CASE WHEN isfinite(\"day\") THEN \"day\" END < DATE '2024-01-01')");
  EXPECT_EQ(sql_of(r, cmp(">", score, lit(Value::floating(0.5)))),
            "(\"score\" > CAST('0.5' AS double precision) AND \"score\" <> 'NaN')");
  EXPECT_EQ(sql_of(r, cmp("<", score, lit(Value::floating(0.5)))), "(\"score\" < CAST('0.5' AS double precision))");

  // Not translatable: char(n), unbounded numeric, float = float, a NUL in a pattern,
  // a pattern that is not a constant.
  EXPECT_EQ(sql_of(r, like(col(4, Type::varchar(3)), "a%")), "<none>");
  EXPECT_EQ(sql_of(r, node(K::IS_NULL, {col(6, Type::decimal(38, 9))})), "<none>");
  EXPECT_EQ(sql_of(r, cmp("=", score, score)), "<none>");
  EXPECT_EQ(sql_of(r, like(name, std::string("a\0b", 3))), "<none>");
  EXPECT_EQ(sql_of(r, node(K::LIKE, {name, name})), "<none>");
  EXPECT_EQ(sql_of(r, node(K::AND, {like(name, "a%"), like(col(4, Type::varchar(3)), "a%")})), "<none>");

  ScanRequest req;
  req.columns = {0};
  req.expressions = {node(K::OR, {like(name, "a%"), node(K::IS_NULL, {qty})}), like(col(4, Type::varchar(3)), "a%")};
  req.limit = 3;
  auto scan = build_scan_sql(r, req, true);
  EXPECT_EQ(scan.expressions_enforced, (std::vector<bool>{true, false}));
  EXPECT_FALSE(scan.limit_enforced);
  EXPECT_EQ(scan.sql, "SELECT \"id\" FROM \"public\".\"Orders\" WHERE ((\"name\" COLLATE \"C\" LIKE 'a%' ESCAPE '!') "
                      "OR (\"qty\" IS NULL))");
  req.expressions.pop_back();
  scan = build_scan_sql(r, req, true, "\"id\" >= 5");
  EXPECT_TRUE(scan.limit_enforced);
  EXPECT_EQ(scan.sql, "SELECT \"id\" FROM \"public\".\"Orders\" WHERE ((\"name\" COLLATE \"C\" LIKE 'a%' ESCAPE '!') "
                      "OR (\"qty\" IS NULL)) AND \"id\" >= 5 LIMIT 3");
  auto off = build_scan_sql(r, req, false);
  EXPECT_EQ(off.expressions_enforced, (std::vector<bool>{false}));
  EXPECT_FALSE(off.limit_enforced);

  // Aggregation and join: pushed only when every expression is translated.
  ScanRequest agg_req;
  agg_req.expressions = {node(K::NOT, {cmp(">", qty, five)})};
  AggregationRequest count_only;
  count_only.aggregates = {{"count", -1, false, Type::bigint()}};
  auto agg = build_aggregation_sql(r, agg_req, count_only);
  ASSERT_TRUE(agg);
  EXPECT_EQ(agg->sql, "SELECT count(*) AS \"c0\" FROM \"public\".\"Orders\" WHERE (NOT (\"qty\" > 5))");
  agg_req.expressions.push_back(cmp("=", score, score));
  EXPECT_FALSE(build_aggregation_sql(r, agg_req, count_only));

  ScanRequest lr, rr;
  lr.columns = {0};
  rr.columns = {2};
  rr.expressions = {like(name, "v_p")};
  JoinRequest join;
  join.kind = PushedJoinKind::LEFT;
  join.equi_columns = {{7, 7}};
  auto q = build_join_sql(r, lr, r, rr, join);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sql,
            "SELECT \"l\".\"c0\", \"r\".\"c1\" FROM (SELECT \"id\" AS \"c0\", \"qty\" AS \"k0\" FROM "
            "\"public\".\"Orders\") AS \"l\" LEFT JOIN (SELECT \"name\" AS \"c1\", \"qty\" AS \"k0\" FROM "
            "\"public\".\"Orders\" WHERE (\"name\" COLLATE \"C\" LIKE 'v_p' ESCAPE '!')) AS \"r\" ON \"l\".\"k0\" = "
            "\"r\".\"k0\"");
  lr.expressions = {like(col(4, Type::varchar(3)), "a%")};
  EXPECT_FALSE(build_join_sql(r, lr, r, rr, join));
}
