#!/usr/bin/env bash
# Loads the relational test data into the MariaDB and PostgreSQL servers started by
# scripts/services.sh (TRIBUTARY_MYSQL_* / TRIBUTARY_PG_* from its env file). Idempotent:
# every object is dropped and re-created, so it can run before each test session.
#
# MariaDB, database analytics_db:
#   sample_orders   the recipe's table and 6 rows (step 2), verbatim
#   type_zoo        one column per mapped MySQL type; a typical row, an extremes row,
#                   an all-NULL row and a zero-date row (inserted with sql_mode='')
#   traps           strings differing in case / trailing spaces, NULLs, decimals that
#                   need rounding, floats: results must not depend on pushdown
#   customers       a second table for same-catalog join pushdown
#   tracking_ids    a few order ids (dynamic filtering probe side is sample_orders)
#   inj'"\`x -- /* ;  a table whose name and column hold quotes, backslashes, comment
#                   markers and a semicolon (injection test)
#   slow_view       a view that sleeps 3 s (timeout / kill tests)
#   big_view        5,000,000 generated rows that stream for seconds (kill mid-stream)
# PostgreSQL, database analytics, schema analytics_db: the same tables (type_zoo with
# PostgreSQL's types: numeric with/without precision, bytea, uuid, json/jsonb, arrays,
# timestamptz, char(n), text with backslashes).
set -euo pipefail

: "${TRIBUTARY_MYSQL_HOST:?run eval \"\$(scripts/services.sh env)\" first}"
: "${TRIBUTARY_MYSQL_PORT:?}" "${TRIBUTARY_MYSQL_USER:?}" "${TRIBUTARY_MYSQL_PASSWORD:?}"
: "${TRIBUTARY_PG_HOST:?}" "${TRIBUTARY_PG_PORT:?}" "${TRIBUTARY_PG_USER:?}" "${TRIBUTARY_PG_PASSWORD:?}"

mysql_run() {
  MYSQL_PWD="$TRIBUTARY_MYSQL_PASSWORD" mariadb --no-defaults -h "$TRIBUTARY_MYSQL_HOST" -P "$TRIBUTARY_MYSQL_PORT" \
    -u "$TRIBUTARY_MYSQL_USER" --batch "$@"
}
pg_run() {
  PGPASSWORD="$TRIBUTARY_PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$TRIBUTARY_PG_HOST" -p "$TRIBUTARY_PG_PORT" \
    -U "$TRIBUTARY_PG_USER" "$@"
}

# ---------------------------------------------------------------- MariaDB
mysql_run <<'SQL'
DROP DATABASE IF EXISTS analytics_db;
-- The server default (latin1, case-insensitive collation): the trap the pushdown must avoid.
CREATE DATABASE analytics_db;
USE analytics_db;

CREATE TABLE sample_orders (
    order_id INT PRIMARY KEY,
    customer_id INT,
    product_name VARCHAR(255),
    quantity INT,
    price DECIMAL(10,2),
    order_date DATE
);

INSERT INTO sample_orders VALUES
    (1001, 101, 'Laptop Pro 15', 1, 1299.99, '2024-01-15'),
    (1002, 102, 'Wireless Mouse', 2, 29.99, '2024-01-16'),
    (1003, 103, 'Mechanical Keyboard', 1, 129.99, '2024-01-17'),
    (1004, 101, '4K Monitor', 1, 399.99, '2024-01-18'),
    (1005, 104, 'Noise-Canceling Headphones', 1, 249.99, '2024-01-19'),
    (1006, 105, 'USB-C Hub', 3, 79.99, '2024-01-20');

CREATE TABLE customers (
    customer_id INT PRIMARY KEY,
    name VARCHAR(50) CHARACTER SET utf8mb4,
    tier VARCHAR(10)
);
INSERT INTO customers VALUES (101, 'Ada', 'gold'), (102, 'Bob', 'silver'), (103, 'Cy', 'gold'),
    (104, 'Dee', 'bronze'), (106, 'Eve', 'silver');

CREATE TABLE type_zoo (
    id INT PRIMARY KEY,
    c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED,
    c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED,
    c_mediumint MEDIUMINT, c_int INT, c_int_u INT UNSIGNED,
    c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED,
    c_decimal DECIMAL(10,2), c_decimal38 DECIMAL(38,10),
    c_float FLOAT, c_double DOUBLE,
    c_bit BIT(1), c_bool BOOL,
    c_char CHAR(5), c_varchar VARCHAR(20) CHARACTER SET utf8mb4, c_text TEXT,
    c_enum ENUM('small','large'), c_set SET('a','b','c'),
    c_binary BINARY(3), c_varbinary VARBINARY(10), c_blob BLOB,
    c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6), c_timestamp TIMESTAMP(3) NULL DEFAULT NULL,
    c_time TIME, c_year YEAR, c_json JSON
);
SET time_zone = '+00:00';
INSERT INTO type_zoo VALUES
 (1, -5, 200, -300, 60000, -8000000, -2000000000, 4000000000, -9000000000000000000, 18000000000000000000,
  12345678.91, 1234567890123456789012345678.0123456789,
  1.5, 3.141592653589793, b'1', 1,
  'ab', 'héllo wörld', 'long text', 'large', 'a,c',
  'xyz', x'00ff10', 'blob', '2024-02-29', '2024-01-15 10:30:00', '2024-01-15 10:30:00.123456', '2024-01-15 10:30:00.123',
  '13:45:10', 2024, '{"a": 1, "b": [true, null]}'),
 (2, -128, 255, -32768, 65535, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
  -99999999.99, -9999999999999999999999999999.9999999999,
  -0.25, -1e300, b'0', 0,
  '', '', '', 'small', '',
  'a', '', '', '1000-01-01', '9999-12-31 23:59:59', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.000',
  '-838:59:59', 1901, '[]'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SET SESSION sql_mode = '';
INSERT INTO type_zoo (id, c_date, c_datetime, c_datetime6) VALUES (4, '0000-00-00', '0000-00-00 00:00:00', '2024-00-10 00:00:00');

CREATE TABLE traps (
    id INT PRIMARY KEY,
    s VARCHAR(10),
    u VARCHAR(10) CHARACTER SET utf8mb4,
    d DECIMAL(10,3),
    f FLOAT,
    x DOUBLE
);
INSERT INTO traps VALUES
 (1, 'abc', 'abc', 1.005, 0.1, 0.1),
 (2, 'ABC', 'ABC', 2.115, 0.5, 0.30000000000000004),
 (3, 'a', 'a', 0.001, 1.5, 0.3),
 (4, 'a ', 'a ', 0.001, 2.5, 1e-17),
 (5, 'Abc', 'Abc', NULL, NULL, NULL),
 (6, NULL, NULL, 3.333, 3.0, -0.0),
 (7, 'b', 'é', -1.115, -0.1, 2.5),
 (8, 'B', 'E', 10.000, 100.25, 1e20);

CREATE TABLE tracking_ids (order_id INT PRIMARY KEY, note VARCHAR(20));
INSERT INTO tracking_ids VALUES (1002, 'second'), (1005, 'fifth');

CREATE TABLE `inj'"\``x -- /* ;` (
    id INT PRIMARY KEY,
    `val'"\``--/*;` VARCHAR(60) CHARACTER SET utf8mb4
);
SQL
# Values go in with NO_BACKSLASH_ESCAPES so that each backslash is one character.
mysql_run analytics_db <<'SQL'
SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES';
INSERT INTO `inj'"\``x -- /* ;` VALUES
 (1, 'O''Brien'),
 (2, 'back\slash'),
 (3, 'trail\'),
 (4, '-- comment'),
 (5, '/* open'),
 (6, 'x''; DROP TABLE sample_orders; --'),
 (7, '"dq"'),
 (8, '100%_sure');
CREATE VIEW slow_view AS SELECT SLEEP(3) AS slept, 1 AS one;
-- 5,000,000 generated rows (the Sequence engine): a scan that streams for a few seconds.
CREATE VIEW big_view AS SELECT seq AS n, REPEAT('x', 50) AS pad FROM analytics_db.seq_1_to_5000000;
SQL

# ---------------------------------------------------------------- PostgreSQL
PGOPTIONS="-c client_min_messages=warning" pg_run -d postgres -c "DROP DATABASE IF EXISTS analytics WITH (FORCE)" -c "CREATE DATABASE analytics"
pg_run -d analytics <<'SQL'
CREATE SCHEMA analytics_db;
SET search_path = analytics_db;

CREATE TABLE sample_orders (
    order_id INT PRIMARY KEY,
    customer_id INT,
    product_name VARCHAR(255),
    quantity INT,
    price DECIMAL(10,2),
    order_date DATE
);

INSERT INTO sample_orders VALUES
    (1001, 101, 'Laptop Pro 15', 1, 1299.99, '2024-01-15'),
    (1002, 102, 'Wireless Mouse', 2, 29.99, '2024-01-16'),
    (1003, 103, 'Mechanical Keyboard', 1, 129.99, '2024-01-17'),
    (1004, 101, '4K Monitor', 1, 399.99, '2024-01-18'),
    (1005, 104, 'Noise-Canceling Headphones', 1, 249.99, '2024-01-19'),
    (1006, 105, 'USB-C Hub', 3, 79.99, '2024-01-20');

CREATE TABLE customers (customer_id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(10));
INSERT INTO customers VALUES (101, 'Ada', 'gold'), (102, 'Bob', 'silver'), (103, 'Cy', 'gold'),
    (104, 'Dee', 'bronze'), (106, 'Eve', 'silver');

CREATE TABLE type_zoo (
    id INT PRIMARY KEY,
    c_smallint SMALLINT, c_integer INTEGER, c_bigint BIGINT,
    c_numeric_ps NUMERIC(10,2), c_numeric NUMERIC, c_numeric_big NUMERIC(50,4),
    c_real REAL, c_double DOUBLE PRECISION, c_boolean BOOLEAN,
    c_text TEXT, c_varchar VARCHAR(10), c_char CHAR(5),
    c_bytea BYTEA, c_date DATE, c_timestamp TIMESTAMP, c_timestamp3 TIMESTAMP(3), c_timestamptz TIMESTAMPTZ,
    c_time TIME, c_uuid UUID, c_json JSON, c_jsonb JSONB, c_int_array INT[], c_text_array TEXT[],
    c_interval INTERVAL
);
INSERT INTO type_zoo VALUES
 (1, -300, -2000000000, -9000000000000000000, 12345678.91, 1.23456789012, 12345678901234567890123456789012345678901234.5678,
  1.5, 3.141592653589793, true,
  'back\slash \n not newline', 'héllo', 'ab', '\x00ff10', '2024-02-29', '2024-01-15 10:30:00.123456', '2024-01-15 10:30:00.123',
  '2024-01-15 10:30:00+02', '13:45:10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1,  "b": [true, null]}',
  '{"b": [true, null],  "a": 1}', '{1,2,3}', '{"x y","q\"uote",NULL}', '1 day 02:00:00'),
 (2, -32768, 2147483647, 9223372036854775807, -99999999.99, 'NaN', -1.5,
  'Infinity', '-Infinity', false,
  '', '', '', '', '4713-01-01 BC', 'infinity', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
  '00:00:00', '00000000-0000-0000-0000-000000000000', '[]', '{}', '{}', '{}', '-3 mons'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 0, 0, 0, 0.005, 0.0000000005, 0.00005, 'NaN', 'NaN', NULL,
  'tab	and "quotes"', 'x', 'abcde', '\x5c', '-infinity', '-infinity', NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE traps (id INT PRIMARY KEY, s VARCHAR(10), c CHAR(4), d NUMERIC(10,3), f REAL, x DOUBLE PRECISION);
INSERT INTO traps VALUES
 (1, 'abc', 'abc', 1.005, 0.1, 0.1),
 (2, 'ABC', 'ABC', 2.115, 0.5, 0.30000000000000004),
 (3, 'a', 'a', 0.001, 1.5, 0.3),
 (4, 'a ', 'a ', 0.001, 2.5, 1e-17),
 (5, 'Abc', 'Abc', NULL, NULL, NULL),
 (6, NULL, NULL, 3.333, 3.0, -0.0),
 (7, 'b', 'é', -1.115, -0.1, 2.5),
 (8, 'B', 'E', 10.000, 100.25, 1e20);

CREATE TABLE tracking_ids (order_id INT PRIMARY KEY, note VARCHAR(20));
INSERT INTO tracking_ids VALUES (1002, 'second'), (1005, 'fifth');

CREATE TABLE "inj'""\`x -- /* ;" (id INT PRIMARY KEY, "val'""\`--/*;" VARCHAR(60));
INSERT INTO "inj'""\`x -- /* ;" VALUES
 (1, 'O''Brien'),
 (2, 'back\slash'),
 (3, 'trail\'),
 (4, '-- comment'),
 (5, '/* open'),
 (6, 'x''; DROP TABLE sample_orders; --'),
 (7, '"dq"'),
 (8, '100%_sure');

CREATE VIEW slow_view AS SELECT pg_sleep(3)::text AS slept, 1 AS one;
CREATE VIEW big_view AS SELECT n, repeat('x', 50) AS pad FROM generate_series(1, 5000000) AS n;
ANALYZE;
SQL

echo "load.sh: loaded analytics_db into MariaDB ($TRIBUTARY_MYSQL_HOST:$TRIBUTARY_MYSQL_PORT) and PostgreSQL ($TRIBUTARY_PG_HOST:$TRIBUTARY_PG_PORT)"
