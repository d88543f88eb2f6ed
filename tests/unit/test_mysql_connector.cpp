// The mysql connector without a server: connection strings, quoting, type mapping,
// and the SQL generated for pushdown (domains, limit, top-N, aggregation, join).
#include <gtest/gtest.h>

#include "common/error.h"
#include "connectors/mysql/mysql_config.h"
#include "connectors/mysql/mysql_sql.h"

namespace tributary {
namespace {

MysqlConfig config_from(const ConnectorProperties& properties) { return make_mysql_config("cat", properties); }

TEST(MysqlConfig, AthenaFormWithSpecialCharacterPassword) {
  MysqlConfig c = config_from({{"connector.name", "mysql"},
                               {"default", "mysql://jdbc:mysql://db.example.com:3306/analytics_db?user=admin&password=TempPassword123!"}});
  EXPECT_EQ(c.host, "db.example.com");
  EXPECT_EQ(c.port, 3306);
  EXPECT_EQ(c.database, "analytics_db");
  EXPECT_EQ(c.user, "admin");
  EXPECT_EQ(c.password, "TempPassword123!");
  EXPECT_EQ(c.pool_size, 4);
  EXPECT_EQ(c.max_concurrent_queries, 4);
  EXPECT_TRUE(c.pushdown);

  MysqlConfig d = config_from({{"connector.name", "mysql"},
                               {"default", "mysql://jdbc:mysql://h:3307/db?user=u%40x&password=p%21%40%25%3Fq@&useSSL=false"}});
  EXPECT_EQ(d.user, "u@x");
  EXPECT_EQ(d.password, "p!@%?q@");
  EXPECT_EQ(d.port, 3307);
  EXPECT_EQ(d.host, "h");
}

TEST(MysqlConfig, TrinoForm) {
  MysqlConfig c = config_from({{"connector.name", "mysql"},
                               {"connection-url", "jdbc:mysql://127.0.0.1:40000"},
                               {"connection-user", "root"},
                               {"connection-password", "a'b\"c"},
                               {"pool-size", "2"},
                               {"pushdown", "false"},
                               {"requests-per-second", "2.5"}});
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 40000);
  EXPECT_EQ(c.database, "");
  EXPECT_EQ(c.password, "a'b\"c");
  EXPECT_EQ(c.max_concurrent_queries, 2);
  EXPECT_FALSE(c.pushdown);
  EXPECT_DOUBLE_EQ(c.requests_per_second, 2.5);
  MysqlConfig m = config_from({{"connection-url", "jdbc:mariadb://[::1]/x"}, {"connection-user", "u"}});
  EXPECT_EQ(m.host, "::1");
  EXPECT_EQ(m.port, 3306);
}

TEST(MysqlConfig, ErrorsNameTheCatalogAndHideThePassword) {
  try {
    config_from({{"default", "mysql://jdbc:mysql://h/db?user=u&password=Secret1!"}, {"pool-sise", "3"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::INVALID_ARGUMENT);
    EXPECT_NE(e.message().find("'cat'"), std::string::npos);
    EXPECT_NE(e.message().find("pool-size"), std::string::npos);
    EXPECT_EQ(e.message().find("Secret1"), std::string::npos);
  }
  try {
    config_from({{"default", "postgres://h/db?user=u&password=Secret1!"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message().find("Secret1"), std::string::npos) << e.message();
  }
  EXPECT_THROW(config_from({{"default", "jdbc:mysql://h:99999/db?user=u"}}), Error);
  EXPECT_THROW(config_from({{"default", "jdbc:mysql://h/db?user=u&password=%zz"}}), Error);
  EXPECT_THROW(config_from({{"connection-url", "jdbc:mysql://h/db"}}), Error);  // no user
  EXPECT_THROW(config_from({{"default", "jdbc:mysql://h/db?user=u"}, {"connection-url", "jdbc:mysql://h"}}), Error);
  EXPECT_THROW(config_from({{"default", "jdbc:mysql://h/db?user=u"}, {"pushdown", "maybe"}}), Error);

  MysqlConfig c = config_from({{"default", "jdbc:mysql://h/db?user=u&password=p%21w"}});
  EXPECT_EQ(c.redact("Access denied, password p!w or p%21w"), "Access denied, password **** or ****");
}

TEST(MysqlQuoting, Identifiers) {
  EXPECT_EQ(mysql_quote_identifier("orders"), "`orders`");
  EXPECT_EQ(mysql_quote_identifier("a`b"), "`a``b`");
  EXPECT_EQ(mysql_quote_identifier("x'; DROP TABLE t; --"), "`x'; DROP TABLE t; --`");
  EXPECT_EQ(mysql_quote_identifier("a\\b\"c/*#"), "`a\\b\"c/*#`");
  EXPECT_THROW(mysql_quote_identifier(std::string("a\0b", 3)), Error);
}

TEST(MysqlQuoting, Literals) {
  EXPECT_EQ(mysql_quote_literal("abc"), "'abc'");
  EXPECT_EQ(mysql_quote_literal("it's"), "'it''s'");
  // NO_BACKSLASH_ESCAPES: backslashes are ordinary characters.
  EXPECT_EQ(mysql_quote_literal("a\\'b"), "'a\\''b'");
  EXPECT_EQ(mysql_quote_literal("x' OR 1=1 -- "), "'x'' OR 1=1 -- '");
  EXPECT_EQ(mysql_quote_literal("/* c */ # d"), "'/* c */ # d'");
  EXPECT_EQ(mysql_quote_literal(std::string("a\0'", 3)), "_utf8mb4 X'610027'");
  EXPECT_EQ(mysql_quote_literal(""), "''");
}

TEST(MysqlTypes, ColumnTypeMapping) {
  struct Case {
    const char* column_type;
    Type type;
  } cases[] = {
      {"tinyint(4)", Type::tinyint()},
      {"tinyint(3) unsigned", Type::smallint()},
      {"tinyint(1)", Type::tinyint()},
      {"smallint(6)", Type::smallint()},
      {"smallint(5) unsigned", Type::integer()},
      {"mediumint(9)", Type::integer()},
      {"mediumint unsigned", Type::integer()},
      {"int(11)", Type::integer()},
      {"int unsigned", Type::bigint()},
      {"int(10) unsigned zerofill", Type::bigint()},
      {"bigint(20)", Type::bigint()},
      {"bigint(20) unsigned", Type::decimal(20, 0)},
      {"decimal(10,2)", Type::decimal(10, 2)},
      {"decimal(10,2) unsigned", Type::decimal(10, 2)},
      {"decimal(65,30)", Type::decimal(38, 30)},
      {"decimal(10,0)", Type::decimal(10, 0)},
      {"float", Type::real()},
      {"float(7,4)", Type::real()},
      {"double", Type::double_()},
      {"double(10,2)", Type::double_()},
      {"bit(1)", Type::boolean()},
      {"bit(8)", Type::bigint()},
      {"char(10)", Type::varchar(10)},
      {"varchar(255)", Type::varchar(255)},
      {"tinytext", Type::varchar(255)},
      {"text", Type::varchar(65535)},
      {"mediumtext", Type::varchar(16777215)},
      {"longtext", Type::varchar()},
      {"enum('a','b(c)')", Type::varchar()},
      {"set('x','y')", Type::varchar()},
      {"binary(16)", Type::varbinary()},
      {"varbinary(10)", Type::varbinary()},
      {"blob", Type::varbinary()},
      {"longblob", Type::varbinary()},
      {"date", Type::date()},
      {"datetime", Type::timestamp(3)},
      {"datetime(6)", Type::timestamp(6)},
      {"timestamp(1)", Type::timestamp(3)},
      {"timestamp", Type::timestamp(3)},
      {"time", Type::varchar()},
      {"time(3)", Type::varchar()},
      {"year(4)", Type::integer()},
      {"year", Type::integer()},
      {"json", Type::varchar()},
      {"DECIMAL(5,3)", Type::decimal(5, 3)},
  };
  for (const auto& c : cases) EXPECT_EQ(mysql_column_type(c.column_type), c.type) << c.column_type;
}

// sample_orders as MariaDB reports it; product_name is latin1 (the server default).
MysqlTable orders_source() {
  MysqlTable t;
  t.schema = "Analytics_DB";
  t.name = "Sample`Orders";
  auto add = [&](const char* name, const char* column_type, const char* charset = "") {
    MysqlColumn c;
    c.name = name;
    c.column_type = column_type;
    c.charset = charset;
    c.type = mysql_column_type(column_type);
    c.bit = std::string(column_type).rfind("bit", 0) == 0;
    t.columns.push_back(c);
  };
  add("order_id", "int(11)");                    // 0
  add("customer_id", "int(11)");                 // 1
  add("product_name", "varchar(255)", "latin1"); // 2
  add("quantity", "int(11)");                    // 3
  add("price", "decimal(10,2)");                 // 4
  add("order_date", "date");                     // 5
  add("note", "text", "utf8mb4");                // 6
  add("weight", "float");                        // 7
  add("ratio", "double");                        // 8
  add("flag", "bit(1)");                         // 9
  add("code", "char(4)", "utf8mb4");             // 10
  add("huge", "decimal(50,2)");                  // 11
  add("created", "datetime(3)");                 // 12
  t.integer_key = 0;
  return t;
}

TableMetadata orders_table(const MysqlTable& source) {
  TableMetadata m;
  m.schema = "analytics_db";
  m.name = "sample`orders";
  for (const auto& c : source.columns) m.columns.push_back({c.name, c.type, true, ""});
  return m;
}

MysqlDialect exact() { return {"utf8mb4_nopad_bin", true}; }

Domain values(std::vector<Value> vs) {
  Domain d;
  for (auto& v : vs) d.ranges.push_back(Range::equal(v));
  return d;
}

Domain at_least(Value v, bool inclusive = true) {
  Domain d;
  Range r;
  r.low = v;
  r.low_unbounded = false;
  r.low_inclusive = inclusive;
  d.ranges.push_back(r);
  return d;
}

TEST(MysqlSql, ProjectionAndDomains) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  ScanRequest r;
  r.columns = {0, 2};
  r.constraint.columns[1] = values({Value::integer(101), Value::integer(102)});
  r.constraint.columns[2] = values({Value::string("it's \\ -- /* #")});
  r.constraint.columns[5] = at_least(Value::integer(19737, Type::date()));
  MysqlScan scan = build_mysql_scan(s, t, r, exact());
  EXPECT_TRUE(scan.constraint_enforced);
  EXPECT_EQ(scan.query.sql(),
            "SELECT `order_id`, `product_name` FROM `Analytics_DB`.`Sample``Orders` WHERE `customer_id` IN (101, 102) "
            "AND CONVERT(`product_name` USING utf8mb4) COLLATE utf8mb4_nopad_bin = 'it''s \\ -- /* #' AND "
            "(`order_date` >= '2024-01-15' AND (`order_date` IS NOT NULL AND MONTH(`order_date`) <> 0 AND "
            "DAYOFMONTH(`order_date`) <> 0))");

  // NULL allowed, ranges on an exact decimal, a utf8mb4 text column collated directly.
  ScanRequest n;
  n.columns = {4};
  Domain price = at_least(Value::decimal(12345, Type::decimal(5, 2)), false);
  price.null_allowed = true;
  n.constraint.columns[4] = price;
  n.constraint.columns[6] = Domain::only_null();
  scan = build_mysql_scan(s, t, n, exact());
  EXPECT_TRUE(scan.constraint_enforced);
  EXPECT_EQ(scan.query.sql(),
            "SELECT `price` FROM `Analytics_DB`.`Sample``Orders` WHERE (NOT `price` IS NOT NULL OR `price` > 123.45) "
            "AND NOT `note` IS NOT NULL");

  ScanRequest none;
  none.constraint.none = true;
  EXPECT_EQ(build_mysql_scan(s, t, none, exact()).query.sql(), "SELECT 1 FROM `Analytics_DB`.`Sample``Orders` WHERE FALSE");
}

TEST(MysqlSql, InexactPredicatesStayInTributary) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  auto enforced = [&](int column, Domain d, MysqlDialect dialect = exact()) {
    ScanRequest r;
    r.columns = {0};
    r.constraint.columns[column] = d;
    r.limit = 5;
    MysqlScan scan = build_mysql_scan(s, t, r, dialect);
    if (!scan.constraint_enforced) {
      EXPECT_FALSE(scan.limit_enforced);
      EXPECT_EQ(scan.query.sql().find("LIMIT"), std::string::npos);
    }
    return scan.constraint_enforced;
  };
  EXPECT_FALSE(enforced(2, values({Value::string("a")}), MysqlDialect{"", true}));  // no NO PAD collation
  EXPECT_FALSE(enforced(0, values({Value::integer(1)}), MysqlDialect{"utf8mb4_nopad_bin", false}));
  EXPECT_FALSE(enforced(10, values({Value::string("ab")})));                    // CHAR
  EXPECT_FALSE(enforced(9, values({Value::boolean(true)})));                    // BIT(1)
  EXPECT_FALSE(enforced(11, values({Value::decimal(1, Type::decimal(3, 2))}))); // DECIMAL(50,2)
  EXPECT_FALSE(enforced(7, values({Value::floating(0.1)})));                    // 0.1 is no float
  EXPECT_TRUE(enforced(7, values({Value::floating(0.5, Type::real())})));
  EXPECT_TRUE(enforced(8, values({Value::floating(0.1)})));
  EXPECT_FALSE(enforced(0, values({Value::string("1")})));                       // type mismatch
}

TEST(MysqlSql, DoublesAndTimestampsAreExactLiterals) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  ScanRequest r;
  r.constraint.columns[8] = values({Value::floating(0.1)});
  r.constraint.columns[12] = at_least(Value::integer(1705276800123456, Type::timestamp(6)));
  std::string sql = build_mysql_scan(s, t, r, exact()).query.sql();
  EXPECT_NE(sql.find("`ratio` = 1.00000000000000006e-01"), std::string::npos) << sql;
  EXPECT_NE(sql.find("`created` >= '2024-01-15 00:00:00.123456'"), std::string::npos) << sql;
}

TEST(MysqlSql, LimitAndTopNWithNullOrdering) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  ScanRequest r;
  r.columns = {0, 4};
  r.limit = 10;
  r.order = {{5, false, false}, {2, true, true}};
  MysqlScan scan = build_mysql_scan(s, t, r, exact());
  EXPECT_TRUE(scan.limit_enforced);
  EXPECT_TRUE(scan.order_enforced);
  EXPECT_EQ(scan.query.sql(),
            "SELECT `order_id`, `price` FROM `Analytics_DB`.`Sample``Orders` ORDER BY (`order_date` IS NOT NULL AND "
            "MONTH(`order_date`) <> 0 AND DAYOFMONTH(`order_date`) <> 0) DESC, `order_date` DESC, `product_name` IS "
            "NOT NULL ASC, CONVERT(`product_name` USING utf8mb4) COLLATE utf8mb4_nopad_bin ASC LIMIT 10");

  r.order = {{9, true, false}};  // BIT: not orderable in the source
  scan = build_mysql_scan(s, t, r, exact());
  EXPECT_FALSE(scan.limit_enforced);
  EXPECT_FALSE(scan.order_enforced);

  r.order.clear();
  scan = build_mysql_scan(s, t, r, exact());
  EXPECT_TRUE(scan.limit_enforced);
  EXPECT_EQ(scan.query.sql(), "SELECT `order_id`, `price` FROM `Analytics_DB`.`Sample``Orders` LIMIT 10");
}

AggregateItem agg(const char* f, int column, Type result, bool distinct = false) {
  AggregateItem a;
  a.function = f;
  a.column = column;
  a.result_type = result;
  a.distinct = distinct;
  return a;
}

TEST(MysqlSql, Aggregation) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  ScanRequest r;
  r.constraint.columns[5] = at_least(Value::integer(19723, Type::date()));
  AggregationRequest a;
  a.group_columns = {1, 2};
  a.aggregates = {agg("count", -1, Type::bigint()),      agg("sum", 4, Type::decimal(38, 2)),
                  agg("avg", 4, Type::decimal(10, 2)),   agg("avg", 3, Type::double_()),
                  agg("max", 5, Type::date()),           agg("count", 1, Type::bigint(), true),
                  agg("min", 2, Type::varchar(255))};
  auto result = build_mysql_aggregation(s, t, r, a, exact());
  ASSERT_TRUE(result);
  ASSERT_EQ(result->columns.size(), 9u);
  EXPECT_EQ(result->columns[2].type, Type::bigint());
  EXPECT_EQ(result->columns[3].type, Type::decimal(38, 2));
  ASSERT_TRUE(result->handle);
  std::string product = "CONVERT(`product_name` USING utf8mb4) COLLATE utf8mb4_nopad_bin";
  EXPECT_EQ(result->handle->describe(),
            "SELECT `customer_id`, " + product + ", COUNT(*), SUM(`price`), SUM(`price`), COUNT(`price`), "
            "SUM(`quantity`), COUNT(`quantity`), MAX(CASE WHEN (`order_date` IS NOT NULL AND MONTH(`order_date`) <> 0 "
            "AND DAYOFMONTH(`order_date`) <> 0) THEN `order_date` END), COUNT(DISTINCT `customer_id`), MIN(" + product +
            ") FROM `Analytics_DB`.`Sample``Orders` WHERE (`order_date` >= '2024-01-01' AND (`order_date` IS NOT NULL "
            "AND MONTH(`order_date`) <> 0 AND DAYOFMONTH(`order_date`) <> 0)) GROUP BY `customer_id`, " + product);

  // Scanning the aggregated table selects only the requested outputs, keeps GROUP BY.
  ScanRequest scan_request;
  scan_request.columns = {2};
  scan_request.limit = 3;
  MysqlScan scan = build_mysql_scan(MysqlTable(), *result, scan_request, exact());
  EXPECT_TRUE(scan.constraint_enforced);
  EXPECT_TRUE(scan.limit_enforced);
  EXPECT_EQ(scan.query.outputs.size(), 1u);
  EXPECT_EQ(scan.query.sql().substr(0, 23), "SELECT COUNT(*) FROM `A");
  EXPECT_NE(scan.query.sql().find("GROUP BY `customer_id`, " + product + " LIMIT 3"), std::string::npos);

  // Not exact in MySQL: sums of doubles, grouping by BIT, a filter left in tributary.
  AggregationRequest doubles;
  doubles.aggregates = {agg("sum", 8, Type::double_())};
  EXPECT_FALSE(build_mysql_aggregation(s, t, ScanRequest(), doubles, exact()));
  AggregationRequest by_bit;
  by_bit.group_columns = {9};
  EXPECT_FALSE(build_mysql_aggregation(s, t, ScanRequest(), by_bit, exact()));
  ScanRequest inexact;
  inexact.constraint.columns[9] = values({Value::boolean(true)});
  AggregationRequest count_only;
  count_only.aggregates = {agg("count", -1, Type::bigint())};
  EXPECT_FALSE(build_mysql_aggregation(s, t, inexact, count_only, exact()));
  EXPECT_FALSE(build_mysql_aggregation(s, t, ScanRequest(), count_only, MysqlDialect{"", false}));
  auto global = build_mysql_aggregation(s, t, ScanRequest(), count_only, exact());
  ASSERT_TRUE(global);
  EXPECT_EQ(global->handle->describe(), "SELECT COUNT(*) FROM `Analytics_DB`.`Sample``Orders`");
}

TEST(MysqlSql, Join) {
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  MysqlTable customers;
  customers.schema = "crm";
  customers.name = "customers";
  MysqlColumn id{"id", "int(11)", "", Type::integer(), false};
  MysqlColumn name{"name", "varchar(50)", "utf8mb4", Type::varchar(50), false};
  customers.columns = {id, name};
  TableMetadata ct;
  ct.schema = "crm";
  ct.name = "customers";
  ct.columns = {{"id", Type::integer(), true, ""}, {"name", Type::varchar(50), true, ""}};

  ScanRequest left, right;
  left.columns = {0, 4};
  left.constraint.columns[3] = at_least(Value::integer(2));
  right.columns = {1};
  right.constraint.columns[1] = values({Value::string("Ann")});
  JoinRequest j;
  j.kind = PushedJoinKind::LEFT;
  j.equi_columns = {{1, 0}};
  auto result = build_mysql_join(s, t, left, customers, ct, right, j, exact());
  ASSERT_TRUE(result);
  ASSERT_EQ(result->columns.size(), 3u);
  EXPECT_EQ(result->columns[2].name, "name");
  EXPECT_EQ(result->handle->describe(),
            "SELECT l.`order_id`, l.`price`, r.`name` FROM `Analytics_DB`.`Sample``Orders` l LEFT JOIN `crm`.`customers` "
            "r ON l.`customer_id` = r.`id` AND r.`name` COLLATE utf8mb4_nopad_bin = 'Ann' WHERE l.`quantity` >= 2");

  j.kind = PushedJoinKind::INNER;
  result = build_mysql_join(s, t, left, customers, ct, right, j, exact());
  ASSERT_TRUE(result);
  EXPECT_NE(result->handle->describe().find("INNER JOIN `crm`.`customers` r ON l.`customer_id` = r.`id` WHERE "
                                            "l.`quantity` >= 2 AND r.`name` COLLATE utf8mb4_nopad_bin = 'Ann'"),
            std::string::npos);

  j.kind = PushedJoinKind::FULL;
  EXPECT_FALSE(build_mysql_join(s, t, left, customers, ct, right, j, exact()));
  j.kind = PushedJoinKind::INNER;
  j.equi_columns = {{1, 1}};  // integer = varchar
  EXPECT_FALSE(build_mysql_join(s, t, left, customers, ct, right, j, exact()));
  j.equi_columns = {{1, 0}};
  left.constraint.columns[9] = values({Value::boolean(true)});  // not enforceable
  EXPECT_FALSE(build_mysql_join(s, t, left, customers, ct, right, j, exact()));
}


// ---- expressions (ScanRequest::expressions) ----

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

TEST(MysqlSql, LikePatternRewriting) {
  auto p = [](const std::string& pattern, std::optional<std::string> escape = std::nullopt) {
    return mysql_like_pattern(pattern, escape).value_or("<none>");
  };
  EXPECT_EQ(p("a%b_c"), "a%b_c");
  EXPECT_EQ(p("hi!"), "hi!!");                 // '!' is literal in Trino: doubled for ESCAPE '!'
  EXPECT_EQ(p("a\\%"), "a\\%");                // a backslash is no escape in Trino
  EXPECT_EQ(p("50#%", "#"), "50!%");           // e% -> !%
  EXPECT_EQ(p("#_x%", "#"), "!_x%");           // e_ -> !_
  EXPECT_EQ(p("a##b", "#"), "a#b");            // ee -> e
  EXPECT_EQ(p("!#%", "#"), "!!!%");
  EXPECT_EQ(p("!!%!_", "!"), "!!%!_");         // '!' as the Trino escape
  EXPECT_EQ(p("\xC3\xA9%\xC3\xA9\xC3\xA9", "\xC3\xA9"), "!%\xC3\xA9");  // a multi-byte escape
  EXPECT_EQ(p("abc#", "#"), "<none>");         // Trino rejects: left to the engine
  EXPECT_EQ(p("#a", "#"), "<none>");
  EXPECT_EQ(p("a", "##"), "<none>");
  EXPECT_EQ(p("a", ""), "<none>");
}

TEST(MysqlSql, ExpressionsInTheWhereClause) {
  using K = PushedExpression::Kind;
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  auto product = col(2, Type::varchar(255));
  auto note = col(6, Type::varchar(65535));
  auto quantity = col(3, Type::integer());
  auto customer = col(1, Type::integer());
  std::string p = "CONVERT(`product_name` USING utf8mb4) COLLATE utf8mb4_nopad_bin";
  auto sql_of = [&](PushedExpressionPtr e) { return mysql_expression_sql(*e, s, "", exact()).value_or("<none>"); };

  EXPECT_EQ(sql_of(like(product, "A%")), "(" + p + " LIKE 'A%' ESCAPE '!')");
  EXPECT_EQ(sql_of(like(note, "it's 100!%")), "(`note` COLLATE utf8mb4_nopad_bin LIKE 'it''s 100!!%' ESCAPE '!')");
  EXPECT_EQ(sql_of(like(note, "5\\%_", "\\")), "(`note` COLLATE utf8mb4_nopad_bin LIKE '5!%_' ESCAPE '!')");
  EXPECT_EQ(sql_of(like(note, "bad\\", "\\")), "<none>");
  // OR across two columns, NOT (x > 5), IS NULL, IN with a NULL, col = col.
  EXPECT_EQ(sql_of(node(K::OR, {like(product, "%x"), cmp(">", quantity, lit(Value::integer(5, Type::integer())))})),
            "((" + p + " LIKE '%x' ESCAPE '!') OR (`quantity` > 5))");
  EXPECT_EQ(sql_of(node(K::NOT, {cmp(">", quantity, lit(Value::integer(5, Type::integer())))})),
            "(NOT (`quantity` > 5))");
  EXPECT_EQ(sql_of(cmp("<=", lit(Value::integer(5, Type::integer())), quantity)), "(5 <= `quantity`)");
  EXPECT_EQ(sql_of(node(K::IS_NULL, {note})), "(`note` IS NULL)");
  EXPECT_EQ(sql_of(node(K::IN, {quantity, lit(Value::integer(1, Type::integer())), lit(Value::null(Type::integer()))})),
            "(`quantity` IN (1, NULL))");
  EXPECT_EQ(sql_of(cmp("=", quantity, customer)), "(`quantity` = `customer_id`)");
  EXPECT_EQ(sql_of(cmp("<>", product, note)), "(" + p + " <> `note` COLLATE utf8mb4_nopad_bin)");
  EXPECT_EQ(sql_of(node(K::IS_NULL, {like(note, "a%")})), "((`note` COLLATE utf8mb4_nopad_bin LIKE 'a%' ESCAPE '!') IS NULL)");
  // Zero dates read as NULL: comparisons are NULL for them, IS NULL includes them.
  auto day = col(5, Type::date());
  std::string valid = "(`order_date` IS NOT NULL AND MONTH(`order_date`) <> 0 AND DAYOFMONTH(`order_date`) <> 0)";
  EXPECT_EQ(sql_of(node(K::IS_NULL, {day})), "(NOT " + valid + ")");
  EXPECT_EQ(sql_of(node(K::NOT, {cmp("<", day, lit(Value::integer(19737, Type::date())))})),
            "(NOT (CASE WHEN " + valid + " THEN `order_date` < '2024-01-15' END))");

  // Not translatable: CHAR, BIT, DECIMAL(50), inexact constants, mixed classes, no collation,
  // a pattern that is not a constant, a value that is not a column.
  EXPECT_EQ(sql_of(like(col(10, Type::varchar(4)), "a%")), "<none>");
  EXPECT_EQ(sql_of(node(K::IS_NULL, {col(9, Type::boolean())})), "<none>");
  EXPECT_EQ(sql_of(cmp("=", col(11, Type::decimal(38, 2)), lit(Value::decimal(1, Type::decimal(3, 2))))), "<none>");
  EXPECT_EQ(sql_of(cmp("=", col(7, Type::real()), lit(Value::floating(0.1, Type::real())))), "<none>");
  EXPECT_EQ(sql_of(cmp("=", quantity, day)), "<none>");
  EXPECT_EQ(sql_of(node(K::LIKE, {note, product})), "<none>");
  EXPECT_EQ(sql_of(node(K::OR, {like(note, "a%"), like(col(10, Type::varchar(4)), "a%")})), "<none>");
  EXPECT_FALSE(mysql_expression_sql(*like(note, "a%"), s, "", MysqlDialect{"", true}));

  // In a scan: translated conjuncts are enforced and in the WHERE; the rest are not, and
  // then no LIMIT is pushed.
  ScanRequest r;
  r.columns = {0};
  r.constraint.columns[3] = at_least(Value::integer(2));
  r.expressions = {node(K::OR, {like(product, "A%"), node(K::IS_NULL, {note})}), like(col(10, Type::varchar(4)), "a%")};
  r.limit = 5;
  MysqlScan scan = build_mysql_scan(s, t, r, exact());
  EXPECT_EQ(scan.expressions_enforced, (std::vector<bool>{true, false}));
  EXPECT_FALSE(scan.limit_enforced);
  EXPECT_EQ(scan.query.sql(), "SELECT `order_id` FROM `Analytics_DB`.`Sample``Orders` WHERE `quantity` >= 2 AND ((" +
                                  p + " LIKE 'A%' ESCAPE '!') OR (`note` IS NULL))");
  r.expressions.pop_back();
  scan = build_mysql_scan(s, t, r, exact());
  EXPECT_TRUE(scan.limit_enforced);
  EXPECT_NE(scan.query.sql().find("(`note` IS NULL)) LIMIT 5"), std::string::npos) << scan.query.sql();
  // Pushdown off: nothing enforced.
  scan = build_mysql_scan(s, t, r, MysqlDialect{"utf8mb4_nopad_bin", false});
  EXPECT_EQ(scan.expressions_enforced, (std::vector<bool>{false}));
  EXPECT_EQ(scan.query.sql().find("LIKE"), std::string::npos);
}

TEST(MysqlSql, ExpressionsInAggregationAndJoin) {
  using K = PushedExpression::Kind;
  MysqlTable s = orders_source();
  TableMetadata t = orders_table(s);
  ScanRequest r;
  r.expressions = {like(col(6, Type::varchar(65535)), "x!_%", "!")};
  AggregationRequest count_only;
  count_only.aggregates = {agg("count", -1, Type::bigint())};
  auto result = build_mysql_aggregation(s, t, r, count_only, exact());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->handle->describe(), "SELECT COUNT(*) FROM `Analytics_DB`.`Sample``Orders` WHERE (`note` COLLATE "
                                        "utf8mb4_nopad_bin LIKE 'x!_%' ESCAPE '!')");
  r.expressions.push_back(like(col(10, Type::varchar(4)), "a%"));  // CHAR: not translatable
  EXPECT_FALSE(build_mysql_aggregation(s, t, r, count_only, exact()));

  ScanRequest left, right;
  left.columns = {0};
  left.expressions = {node(K::NOT, {cmp(">", col(3, Type::integer()), lit(Value::integer(5, Type::integer())))})};
  right.columns = {0};
  right.expressions = {cmp("=", col(1, Type::integer()), col(3, Type::integer()))};
  JoinRequest j;
  j.kind = PushedJoinKind::LEFT;
  j.equi_columns = {{1, 1}};
  auto joined = build_mysql_join(s, t, left, s, t, right, j, exact());
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->handle->describe(),
            "SELECT l.`order_id`, r.`order_id` FROM `Analytics_DB`.`Sample``Orders` l LEFT JOIN "
            "`Analytics_DB`.`Sample``Orders` r ON l.`customer_id` = r.`customer_id` AND (r.`customer_id` = "
            "r.`quantity`) WHERE (NOT (l.`quantity` > 5))");
  right.expressions.push_back(like(col(10, Type::varchar(4)), "a%"));
  EXPECT_FALSE(build_mysql_join(s, t, left, s, t, right, j, exact()));
}


TEST(MysqlSql, YearConstantsOnlyAsFourDigitYears) {
  // MySQL converts a constant compared with a YEAR column like a stored value (24 -> 2024).
  MysqlTable s;
  s.schema = "db";
  s.name = "t";
  s.columns = {{"y", "year(4)", "", mysql_column_type("year(4)"), false},
               {"n", "int(11)", "", Type::integer(), false}};
  TableMetadata t;
  t.schema = "db";
  t.name = "t";
  t.columns = {{"y", Type::integer(), true, ""}, {"n", Type::integer(), true, ""}};
  ScanRequest r;
  r.constraint.columns[0] = values({Value::integer(24, Type::integer())});
  EXPECT_FALSE(build_mysql_scan(s, t, r, exact()).constraint_enforced);
  r.constraint.columns[0] = values({Value::integer(2024, Type::integer())});
  EXPECT_EQ(build_mysql_scan(s, t, r, exact()).query.sql(), "SELECT 1 FROM `db`.`t` WHERE `y` = 2024");
  auto y = col(0, Type::integer());
  EXPECT_FALSE(mysql_expression_sql(*cmp("=", y, lit(Value::integer(24, Type::integer()))), s, "", exact()));
  EXPECT_FALSE(mysql_expression_sql(*node(PushedExpression::Kind::IN, {y, lit(Value::integer(0, Type::integer()))}),
                                    s, "", exact()));
  EXPECT_EQ(mysql_expression_sql(*cmp("<", y, lit(Value::integer(2024, Type::integer()))), s, "", exact()),
            "(`y` < 2024)");
  EXPECT_EQ(mysql_expression_sql(*cmp("=", y, col(1, Type::integer())), s, "", exact()), "(`y` = `n`)");
}

}  // namespace
}  // namespace tributary
