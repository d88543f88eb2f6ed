#!/usr/bin/env node
// Cross-engine harness: runs the same SQL through every connector that can hold
// the data (files CSV, SQLite) and through DuckDB (the reference engine) and
// compares the answers with each other.
//
// Usage: node tests/integration/cross_engine/run.mjs [path/to/tributary] [--keep] [--only=name,...]
//
// The dataset is generated from a fixed seed into a temporary directory:
//   <tmp>/lake/shop/{orders,customers}.csv + .schema sidecars   (catalog `lake`, files connector)
//   <tmp>/shop.db                                               (catalog `db`, sqlite connector)
//   DuckDB tables created from the same CSV files with the exact column types.
// Each query is written once with `{s}` for the schema. Results are compared as
// multisets of rows, or in order when the query has a top-level ORDER BY
// (`ordered: true`). Values are normalized by the DuckDB column type: decimals as
// exact strings at the column's scale, doubles within 1e-9 relative, dates as
// YYYY-MM-DD, NULL as null.
//
// A query whose tributary answer is known to be wrong carries `knownBug: "..."`:
// it still runs, is reported as SKIPPED (with whether it still differs) and is not
// counted as a failure. Prints `N passed, M failed` last; exits 1 on any mismatch.

import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const execFileAsync = promisify(execFile);

const args = process.argv.slice(2);
const binary = resolve(args.find((a) => !a.startsWith('--')) ?? 'build/release/tributary');
const keep = args.includes('--keep');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
if (!existsSync(binary)) {
  console.error(`tributary binary not found: ${binary}`);
  process.exit(2);
}

// ---------------------------------------------------------------- dataset

// mulberry32: a small, fixed-seed PRNG so the data is the same on every run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20240611);
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
const maybeNull = (p, f) => (rand() < p ? null : f());

function isoDate(daysSinceEpoch2020) {
  const d = new Date(Date.UTC(2020, 0, 1) + daysSinceEpoch2020 * 86400000);
  return d.toISOString().slice(0, 10);
}
// An exact decimal string with 2 digits of scale from an integer number of cents.
function cents(n) {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const TABLES = {
  customers: [
    ['customer_id', 'bigint'],
    ['name', 'varchar'],
    ['region', 'varchar'],
    ['credit_limit', 'decimal(12,2)'],
  ],
  orders: [
    ['order_id', 'bigint'],
    ['customer_id', 'bigint'],
    ['status', 'varchar'],
    ['amount', 'decimal(12,2)'],
    ['order_date', 'date'],
    ['discount', 'double'],
    ['quantity', 'bigint'],
  ],
};

const FIRST = ['Ann', 'bob', 'Carla', 'dave', 'Eve', 'Frank', 'gina', 'Hal', 'Ivy', 'Jon', 'O\'Neil', 'Zoë'];
const LAST = ['Smith', 'jones', 'Brown', 'Lee', 'Garcia, Jr.', 'Miller', 'Say "Hi"', 'Ng'];
const REGIONS = ['north', 'South', 'EAST', 'west', 'north-east', ''];
const STATUSES = ['shipped', 'pending', 'cancelled', 'returned', 'Shipped', ''];

const customers = [];
for (let id = 1; id <= 480; id++) {
  customers.push([
    id,
    rand() < 0.04 ? '' : maybeNull(0.05, () => `${pick(FIRST)} ${pick(LAST)}`),
    maybeNull(0.08, () => pick(REGIONS)),
    maybeNull(0.1, () => cents(randInt(-50000, 5000000))),
  ]);
}
// Duplicate join keys: 20 more customers reuse existing ids.
for (let i = 0; i < 20; i++) {
  customers.push([randInt(1, 60), `${pick(FIRST)} dup${i}`, maybeNull(0.2, () => pick(REGIONS)), cents(randInt(0, 100000))]);
}

const orders = [];
for (let id = 1; id <= 5000; id++) {
  orders.push([
    id,
    // 1..520: ids above 480 have no customer; some orders have no customer at all.
    maybeNull(0.03, () => randInt(1, 520)),
    maybeNull(0.06, () => pick(STATUSES)),
    maybeNull(0.05, () => cents(rand() < 0.1 ? -randInt(1, 50000) : randInt(0, 1000000))),
    maybeNull(0.04, () => isoDate(randInt(0, 1500))),
    maybeNull(0.07, () => (rand() < 0.2 ? pick([0, 0.5, 0.25, -0.1]) : Math.round(rand() * 1e6) / 1e7)),
    maybeNull(0.02, () => randInt(-3, 40)),
  ]);
}
const DATA = { customers, orders };

function csvField(v) {
  if (v === null) return ''; // unquoted empty field = NULL
  const s = String(v);
  if (s === '' || /[",\n\r]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}
function sqlLiteral(v) {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
const SQLITE_TYPES = { bigint: 'BIGINT', varchar: 'VARCHAR', 'decimal(12,2)': 'DECIMAL(12,2)', date: 'DATE', double: 'REAL' };
const DUCKDB_TYPES = { bigint: 'BIGINT', varchar: 'VARCHAR', 'decimal(12,2)': 'DECIMAL(12,2)', date: 'DATE', double: 'DOUBLE' };

const root = mkdtempSync(join(tmpdir(), 'tributary-cross-'));
const lake = join(root, 'lake', 'shop');
mkdirSync(lake, { recursive: true });
mkdirSync(join(root, 'config', 'catalog'), { recursive: true });
const dbPath = join(root, 'shop.db');

let sqliteScript = 'BEGIN;\n';
for (const [table, columns] of Object.entries(TABLES)) {
  const lines = [columns.map((c) => c[0]).join(',')];
  for (const row of DATA[table]) lines.push(row.map(csvField).join(','));
  writeFileSync(join(lake, `${table}.csv`), lines.join('\n') + '\n');
  writeFileSync(join(lake, `${table}.schema`), columns.map(([n, t]) => `${n} ${t}`).join('\n') + '\n');
  sqliteScript += `CREATE TABLE ${table} (${columns.map(([n, t]) => `${n} ${SQLITE_TYPES[t]}`).join(', ')});\n`;
  for (const row of DATA[table]) {
    // Decimals and dates go in as text literals, doubles as numbers.
    sqliteScript += `INSERT INTO ${table} VALUES (${row.map(sqlLiteral).join(',')});\n`;
  }
}
sqliteScript += 'COMMIT;\n';
execFileSync('sqlite3', [dbPath], { input: sqliteScript });

const configDir = join(root, 'config');
writeFileSync(join(configDir, 'catalog', 'lake.properties'), `connector.name=files\nlocation=${join(root, 'lake')}\n`);
writeFileSync(join(configDir, 'catalog', 'db.properties'), `connector.name=sqlite\ndatabase=${dbPath}\nschema=shop\n`);

// ---------------------------------------------------------------- queries

// name, sql (with {s}); optional: ordered (compare in order), duckdb (DuckDB
// spelling when the dialects differ), knownBug (tributary is wrong: report, don't fail).
const QUERIES = [
  // filters
  { name: 'filter_eq', sql: `SELECT order_id, status FROM {s}.orders WHERE status = 'shipped'` },
  { name: 'filter_ne', sql: `SELECT order_id, status FROM {s}.orders WHERE status <> 'shipped'` },
  { name: 'filter_lt_decimal', sql: `SELECT order_id, amount FROM {s}.orders WHERE amount < 100.50` },
  { name: 'filter_le_ge', sql: `SELECT order_id FROM {s}.orders WHERE amount <= 0 OR amount >= 9990` },
  { name: 'filter_gt_bigint', sql: `SELECT order_id, quantity FROM {s}.orders WHERE quantity > 35` },
  { name: 'filter_double', sql: `SELECT order_id, discount FROM {s}.orders WHERE discount >= 0.05 AND discount < 0.06` },
  { name: 'filter_negative', sql: `SELECT order_id, amount, discount FROM {s}.orders WHERE amount < 0 OR discount < 0 OR quantity < 0` },
  { name: 'filter_in', sql: `SELECT order_id, customer_id FROM {s}.orders WHERE customer_id IN (1, 7, 42, 480, 519)` },
  { name: 'filter_not_in_strings', sql: `SELECT order_id FROM {s}.orders WHERE status NOT IN ('shipped', 'pending')` },
  { name: 'filter_between_date', sql: `SELECT order_id, order_date FROM {s}.orders WHERE order_date BETWEEN DATE '2021-03-01' AND DATE '2021-03-31'` },
  { name: 'filter_between_decimal', sql: `SELECT order_id FROM {s}.orders WHERE amount NOT BETWEEN 10.00 AND 9000.00` },
  { name: 'filter_like_case', sql: `SELECT customer_id, name FROM {s}.customers WHERE name LIKE 'b%' OR name LIKE '%Ng' OR region LIKE '_ast'` },
  { name: 'filter_like_status', sql: `SELECT order_id, status FROM {s}.orders WHERE status LIKE 'S%' OR status LIKE '%e_'` },
  { name: 'filter_in_typed', sql: `SELECT order_id FROM {s}.orders WHERE amount IN (8704.11, 0, -387.05) OR discount IN (0.5, -0.1) OR order_date IN (DATE '2023-04-07', DATE '2021-01-29')` },
  { name: 'filter_functions', sql: `SELECT order_id FROM {s}.orders WHERE upper(status) = 'SHIPPED' AND status BETWEEN 'S' AND 'q' AND amount > 1e3` },
  { name: 'filter_is_null', sql: `SELECT order_id FROM {s}.orders WHERE status IS NULL OR order_date IS NULL` },
  { name: 'filter_is_not_null_empty', sql: `SELECT customer_id, name, region FROM {s}.customers WHERE region IS NOT NULL AND (region = '' OR name = '')` },
  { name: 'filter_or_not', sql: `SELECT order_id FROM {s}.orders WHERE NOT (status = 'cancelled' OR amount > 5000) AND (customer_id < 10 OR NOT quantity > 2)` },
  { name: 'filter_string_range', sql: `SELECT customer_id, region FROM {s}.customers WHERE region > 'a' AND region < 'p'` },
  { name: 'filter_date_compare', sql: `SELECT order_id, order_date FROM {s}.orders WHERE order_date > DATE '2023-12-01' AND customer_id <> 3` },
  // projections
  { name: 'project_arith', sql: `SELECT order_id, amount * 2 AS a2, amount + 1.05 AS a3, amount - quantity AS a4, quantity * quantity - 3 AS q, -amount AS neg FROM {s}.orders WHERE order_id % 7 = 0` },
  { name: 'project_double_arith', sql: `SELECT order_id, amount * discount AS d1, discount / 4 AS d2, discount + quantity AS d3 FROM {s}.orders WHERE order_id < 400` },
  { name: 'project_case_coalesce', sql: `SELECT order_id, CASE WHEN amount IS NULL THEN 'none' WHEN amount < 0 THEN 'refund' WHEN amount < 1000 THEN 'small' ELSE 'large' END AS size, coalesce(status, 'unknown') AS st, coalesce(discount, 0) AS disc, nullif(status, '') AS st2 FROM {s}.orders` },
  { name: 'project_strings', sql: `SELECT customer_id, lower(name) AS l, upper(region) AS u, substr(name, 2, 3) AS s3, length(name) AS len, name || '/' || region AS cat FROM {s}.customers` },
  { name: 'project_concat', sql: `SELECT customer_id, concat(name, '-', region) AS c FROM {s}.customers`, duckdb: `SELECT customer_id, name || '-' || region AS c FROM {s}.customers` },
  { name: 'project_date_parts', sql: `SELECT order_id, year(order_date) AS y, month(order_date) AS m, day(order_date) AS d FROM {s}.orders WHERE order_id <= 1000` },
  // aggregates
  { name: 'agg_global', sql: `SELECT count(*) AS n, count(status) AS ns, sum(amount) AS sa, min(amount) AS mina, max(amount) AS maxa, sum(quantity) AS sq, min(order_date) AS mind, max(order_date) AS maxd, sum(discount) AS sd FROM {s}.orders` },
  { name: 'agg_group_status', sql: `SELECT status, count(*) AS n, sum(amount) AS s, min(discount) AS mn, max(discount) AS mx, count(DISTINCT customer_id) AS nc FROM {s}.orders GROUP BY status` },
  { name: 'agg_avg', sql: `SELECT status, avg(quantity) AS aq, avg(discount) AS ad FROM {s}.orders GROUP BY status` },
  { name: 'agg_avg_decimal', sql: `SELECT status, avg(amount) AS aa FROM {s}.orders GROUP BY status`,
    // Trino: avg(decimal(12,2)) is decimal(12,2), rounded half up; DuckDB gives a double.
    duckdb: `SELECT status, CAST(round(sum(amount) * 1.000 / count(amount), 2) AS DECIMAL(12,2)) AS aa FROM {s}.orders GROUP BY status` },
  { name: 'agg_group_having', sql: `SELECT customer_id, count(*) AS n, sum(amount) AS total FROM {s}.orders GROUP BY customer_id HAVING count(*) >= 14 OR sum(amount) > 80000` },
  { name: 'agg_group_two_keys', sql: `SELECT year(order_date) AS y, status, count(*) AS n, max(amount) AS mx FROM {s}.orders GROUP BY year(order_date), status` },
  { name: 'agg_count_distinct', sql: `SELECT count(DISTINCT status) AS a, count(DISTINCT region) AS b, count(DISTINCT customer_id) AS c FROM {s}.orders CROSS JOIN (SELECT max(region) AS region FROM {s}.customers) r` },
  // joins
  { name: 'join_inner', sql: `SELECT o.order_id, c.name, c.region FROM {s}.orders o JOIN {s}.customers c ON o.customer_id = c.customer_id WHERE o.amount > 9000` },
  { name: 'join_left', sql: `SELECT o.order_id, c.customer_id, c.name FROM {s}.orders o LEFT JOIN {s}.customers c ON o.customer_id = c.customer_id WHERE o.order_id % 5 = 1` },
  { name: 'join_full', sql: `SELECT o.order_id, c.customer_id AS cid, o.customer_id AS ocid FROM (SELECT * FROM {s}.orders WHERE order_id <= 300) o FULL JOIN (SELECT * FROM {s}.customers WHERE customer_id > 400 OR customer_id < 20) c ON o.customer_id = c.customer_id` },
  { name: 'join_agg', sql: `SELECT c.region, count(*) AS n, sum(o.amount) AS total, count(DISTINCT o.customer_id) AS nc FROM {s}.orders o JOIN {s}.customers c ON o.customer_id = c.customer_id GROUP BY c.region` },
  { name: 'join_non_equi', sql: `SELECT c.customer_id, count(o.order_id) AS n FROM {s}.customers c LEFT JOIN {s}.orders o ON o.customer_id = c.customer_id AND o.amount > c.credit_limit GROUP BY c.customer_id` },
  // order by / top-N
  { name: 'topn_nulls_last', ordered: true, sql: `SELECT order_id, amount FROM {s}.orders ORDER BY amount DESC NULLS LAST, order_id LIMIT 25` },
  { name: 'topn_nulls_first', ordered: true, sql: `SELECT order_id, status, order_date FROM {s}.orders ORDER BY order_date ASC NULLS FIRST, order_id DESC LIMIT 30` },
  { name: 'order_strings', ordered: true, sql: `SELECT customer_id, name FROM {s}.customers WHERE customer_id <= 480 ORDER BY name NULLS FIRST, customer_id LIMIT 60` },
  { name: 'order_offset', ordered: true, sql: `SELECT order_id, discount FROM {s}.orders ORDER BY discount DESC, order_id OFFSET 10 LIMIT 15`,
    duckdb: `SELECT order_id, discount FROM {s}.orders ORDER BY discount DESC, order_id LIMIT 15 OFFSET 10` },
  // subqueries
  { name: 'subquery_in', sql: `SELECT order_id FROM {s}.orders WHERE customer_id IN (SELECT customer_id FROM {s}.customers WHERE region = 'EAST')` },
  { name: 'subquery_not_in_nulls', sql: `SELECT count(*) AS n FROM {s}.customers WHERE customer_id NOT IN (SELECT customer_id FROM {s}.orders WHERE amount > 9950)` },
  { name: 'subquery_exists', sql: `SELECT c.customer_id, c.name FROM {s}.customers c WHERE EXISTS (SELECT 1 FROM {s}.orders o WHERE o.customer_id = c.customer_id AND o.status = 'returned' AND o.amount > 8000)` },
  { name: 'subquery_not_exists', sql: `SELECT c.customer_id FROM {s}.customers c WHERE NOT EXISTS (SELECT 1 FROM {s}.orders o WHERE o.customer_id = c.customer_id AND o.amount > 7000 AND o.status <> 'pending')` },
  { name: 'subquery_scalar', sql: `SELECT order_id, amount FROM {s}.orders WHERE amount > (SELECT avg(amount) * 1.9 FROM {s}.orders)`,
    duckdb: `SELECT order_id, amount FROM {s}.orders WHERE amount > (SELECT CAST(round(sum(amount) * 1.000 / count(amount), 2) AS DECIMAL(12,2)) * 1.9 FROM {s}.orders)` },
  { name: 'subquery_correlated_scalar', sql: `SELECT c.customer_id, (SELECT max(o.amount) FROM {s}.orders o WHERE o.customer_id = c.customer_id) AS mx FROM {s}.customers c` },
  // windows
  { name: 'window_row_number', sql: `SELECT order_id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC NULLS LAST, order_id) AS rn FROM {s}.orders` },
  { name: 'window_rank', sql: `SELECT order_id, status, rank() OVER (PARTITION BY status ORDER BY quantity) AS rk, dense_rank() OVER (PARTITION BY status ORDER BY quantity) AS drk FROM {s}.orders` },
  { name: 'window_sum', sql: `SELECT order_id, sum(amount) OVER (PARTITION BY customer_id) AS total, sum(amount) OVER (PARTITION BY customer_id ORDER BY order_id) AS running, count(*) OVER () AS n FROM {s}.orders` },
  { name: 'window_top_per_group', sql: `SELECT customer_id, order_id, amount FROM (SELECT customer_id, order_id, amount, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC, order_id) AS rn FROM {s}.orders WHERE amount IS NOT NULL) t WHERE rn <= 2` },
  // set operations
  { name: 'union_all', sql: `SELECT customer_id FROM {s}.customers WHERE region = 'north' UNION ALL SELECT customer_id FROM {s}.orders WHERE order_id < 50` },
  { name: 'union_distinct', sql: `SELECT customer_id, region FROM {s}.customers WHERE customer_id < 80 UNION SELECT customer_id, status FROM {s}.orders WHERE order_id < 300` },
  { name: 'intersect', sql: `SELECT customer_id FROM {s}.customers INTERSECT SELECT customer_id FROM {s}.orders WHERE status = 'cancelled'` },
  { name: 'except', sql: `SELECT customer_id FROM {s}.customers EXCEPT SELECT customer_id FROM {s}.orders WHERE amount > 8000` },
  // misc
  { name: 'distinct', sql: `SELECT DISTINCT region, substr(name, 1, 1) AS initial FROM {s}.customers` },
  // edge semantics: decimal rounding, NULL handling, frames, casts, more string functions
  { name: 'decimal_functions', sql: `SELECT order_id, round(amount, 1) AS r, CAST(amount AS bigint) AS b, abs(amount) AS a, amount % 7 AS m, quantity % -4 AS qm, amount / 3 AS third FROM {s}.orders`,
    // Trino: round(decimal(p,s), d) keeps scale s (DuckDB narrows it to d); decimal division is exact,
    // rounded half up, where DuckDB's gives a double (no ties at /3).
    duckdb: `SELECT order_id, CAST(round(amount, 1) AS DECIMAL(13,2)) AS r, CAST(amount AS bigint) AS b, abs(amount) AS a, amount % 7 AS m, quantity % -4 AS qm, CAST(round(amount / 3, 2) AS DECIMAL(38,2)) AS third FROM {s}.orders` },
  { name: 'window_frames_lag_lead', sql: `SELECT order_id, lag(amount) OVER (ORDER BY order_id) AS l, lead(status, 2) OVER (ORDER BY order_id) AS ld, sum(quantity) OVER (ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3, min(amount) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) AS mn FROM {s}.orders` },
  { name: 'string_functions_more', sql: `SELECT customer_id, strpos(name, 'a') AS p, replace(name, 'a', 'A') AS r, trim(region) AS t, reverse(name) AS rv, substr(name, -3) AS sn, name LIKE '%\\_%' ESCAPE '\\' AS e, length(region) = 0 AS empty_region FROM {s}.customers` },
  { name: 'not_in_with_null', sql: `SELECT count(*) AS n, count(CASE WHEN customer_id IN (1, 2, NULL) THEN 1 END) AS m FROM {s}.orders WHERE customer_id NOT IN (3, NULL) OR customer_id IS NULL` },
  { name: 'greatest_least_nulls', sql: `SELECT order_id, greatest(amount, 100) AS g, least(discount, 0.1) AS l FROM {s}.orders`,
    // Trino: NULL if any argument is NULL; DuckDB skips NULLs.
    duckdb: `SELECT order_id, CASE WHEN amount IS NOT NULL THEN greatest(amount, 100) END AS g, CASE WHEN discount IS NOT NULL THEN least(discount, 0.1) END AS l FROM {s}.orders` },
  { name: 'date_functions', sql: `SELECT order_id, date_diff('day', DATE '2020-01-01', order_date) AS dd, date_add('day', 40, order_date) AS da FROM {s}.orders`,
    duckdb: `SELECT order_id, date_diff('day', DATE '2020-01-01', order_date) AS dd, CAST(order_date + INTERVAL 40 DAY AS DATE) AS da FROM {s}.orders` },
  { name: 'casts', sql: `SELECT order_id, CAST(amount AS double) AS a, CAST(quantity AS varchar) AS v, CAST(customer_id AS decimal(12,2)) * amount AS prod FROM {s}.orders` },
  { name: 'agg_empty_input', sql: `SELECT count(*) AS n, sum(amount) AS s, max(status) AS mx, avg(discount) AS ad FROM {s}.orders WHERE order_id < 0` },
  { name: 'agg_empty_groups', sql: `SELECT status, count(*) AS n FROM {s}.orders WHERE order_id < 0 GROUP BY status` },
  { name: 'agg_filter_clause', sql: `SELECT status, count(*) FILTER (WHERE amount > 5000) AS big, sum(amount) FILTER (WHERE discount > 0.05) AS s FROM {s}.orders GROUP BY status` },
  { name: 'join_null_keys_full', sql: `SELECT a.order_id AS x, b.order_id AS y FROM (SELECT order_id, customer_id FROM {s}.orders WHERE order_id <= 200) a FULL JOIN (SELECT order_id, customer_id FROM {s}.orders WHERE order_id > 4800) b ON a.customer_id = b.customer_id` },
  { name: 'cte_join', sql: `WITH big AS (SELECT customer_id, sum(amount) AS total FROM {s}.orders GROUP BY customer_id) SELECT c.name, b.total FROM big b JOIN {s}.customers c ON b.customer_id = c.customer_id WHERE b.total > 70000` },
];

// ---------------------------------------------------------------- engines

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runTributary(catalogSchema, sql) {
  const text = sql.replaceAll('{s}', catalogSchema);
  try {
    let stdout;
    for (let attempt = 0; ; attempt++) {
      try {
        ({ stdout } = await execFileAsync(binary, ['query', '--config-dir', configDir, '--output-format', 'JSON', '--threads', '2', text], {
          maxBuffer: 256 << 20,
        }));
        break;
      } catch (e) {
        // The binary can be briefly missing while it is being relinked; query errors are not retried.
        if (!['EACCES', 'ETXTBSY', 'ENOENT'].includes(e.code) || attempt >= 10) throw e;
        await sleep(1000);
      }
    }
    const rows = stdout.split('\n').filter((l) => l.trim() !== '').map((l) => Object.values(JSON.parse(l)));
    return { rows };
  } catch (e) {
    return { error: (e.stderr || e.message || String(e)).trim().split('\n').slice(0, 3).join(' | ') };
  }
}

const duck = await DuckDBInstance.create(':memory:', { threads: '2' });
const duckConn = await duck.connect();
await duckConn.run('CREATE SCHEMA shop');
for (const [table, columns] of Object.entries(TABLES)) {
  const cols = columns.map(([n, t]) => `'${n}': '${DUCKDB_TYPES[t]}'`).join(', ');
  await duckConn.run(
    `CREATE TABLE shop.${table} AS SELECT * FROM read_csv('${join(lake, table + '.csv')}', header = true, auto_detect = false, ` +
      `columns = {${cols}}, nullstr = '', allow_quoted_nulls = false, quote = '"', escape = '"', delim = ',')`,
  );
}

async function runDuckdb(sql) {
  try {
    const r = await duckConn.runAndReadAll(sql.replaceAll('{s}', 'shop'));
    return { rows: r.getRowsJson(), types: r.columnTypes().map((t) => ({ name: String(t), scale: t.scale })) };
  } catch (e) {
    return { error: String(e.message || e) };
  }
}

// ---------------------------------------------------------------- comparison

function kindOf(type) {
  const n = type.name;
  if (n.startsWith('DECIMAL')) return 'decimal';
  if (n === 'DOUBLE' || n === 'FLOAT') return 'double';
  if (/INT/.test(n)) return 'integer';
  if (n === 'BOOLEAN') return 'boolean';
  return 'other';
}

// An exact decimal string at `scale` digits; extra non-zero digits are kept so they show.
function normalizeDecimal(v, scale) {
  let s = String(v).trim();
  let sign = '';
  if (s.startsWith('-')) { sign = '-'; s = s.slice(1); }
  else if (s.startsWith('+')) s = s.slice(1);
  let [int, frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '') || '0';
  if (frac.length < scale) frac = frac.padEnd(scale, '0');
  else frac = frac.slice(0, scale) + frac.slice(scale).replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return /^0(\.0*)?$/.test(out) ? out : sign + out;
}

function normalize(v, type) {
  if (v === null || v === undefined) return null;
  switch (kindOf(type)) {
    case 'decimal': return normalizeDecimal(v, type.scale ?? 0);
    case 'double': return typeof v === 'number' ? v : Number(v);
    case 'integer': return typeof v === 'number' ? String(BigInt(v)) : String(v).replace(/\.0+$/, '');
    case 'boolean': return v === true || v === 'true';
    default: return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function normalizeRows(rows, types) {
  return rows.map((r) => r.map((v, i) => normalize(v, types[i] ?? { name: 'other' })));
}

// Tributary prints a decimal with exactly its type's scale; a different number of
// fraction digits than DuckDB's type means the result type differs.
function scaleProblem(rows, types) {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const t = types[i];
      if (!t || kindOf(t) !== 'decimal' || typeof row[i] !== 'string') continue;
      const digits = row[i].includes('.') ? row[i].split('.')[1].length : 0;
      if (digits !== (t.scale ?? 0)) return `column ${i + 1}: decimal '${row[i]}' has scale ${digits}, DuckDB's type is ${t.name}`;
    }
  }
  return null;
}

function sortKey(row) {
  return JSON.stringify(row.map((v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
}

function valuesEqual(a, b) {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return false;
}
const rowsEqual = (a, b) => a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));

const byKey = (x, y) => {
  const a = sortKey(x), b = sortKey(y);
  return a < b ? -1 : a > b ? 1 : 0;
};

// Returns null when equal, else a short description of the first differences.
function diff(expected, actual, ordered) {
  const e = ordered ? expected : [...expected].sort(byKey);
  const a = ordered ? actual : [...actual].sort(byKey);
  if (e.length === a.length && e.every((row, i) => rowsEqual(row, a[i]))) return null;
  const lines = [];
  if (e.length !== a.length) lines.push(`row count: expected ${e.length}, got ${a.length}`);
  if (e.length && a.length && e[0].length !== a[0].length) lines.push(`column count: expected ${e[0].length}, got ${a[0].length}`);
  if (ordered) {
    let shown = 0;
    for (let i = 0; i < Math.max(e.length, a.length) && shown < 3; i++) {
      if (i < e.length && i < a.length && rowsEqual(e[i], a[i])) continue;
      lines.push(`row ${i}: expected ${JSON.stringify(e[i] ?? '<none>')}, got ${JSON.stringify(a[i] ?? '<none>')}`);
      shown++;
    }
  } else {
    // Multiset difference: rows missing from the answer and rows it has in excess.
    const counts = new Map();
    for (const row of e) counts.set(sortKey(row), (counts.get(sortKey(row)) ?? 0) + 1);
    const extra = [];
    for (const row of a) {
      const k = sortKey(row);
      if (counts.get(k) > 0) counts.set(k, counts.get(k) - 1);
      else extra.push(row);
    }
    const missing = [];
    for (const row of e) {
      const k = sortKey(row);
      if (counts.get(k) > 0) { missing.push(row); counts.set(k, counts.get(k) - 1); }
    }
    for (const row of missing.slice(0, 3)) lines.push(`missing: ${JSON.stringify(row)}`);
    if (missing.length > 3) lines.push(`... ${missing.length - 3} more missing`);
    for (const row of extra.slice(0, 3)) lines.push(`unexpected: ${JSON.stringify(row)}`);
    if (extra.length > 3) lines.push(`... ${extra.length - 3} more unexpected`);
  }
  return lines.join('\n      ');
}

// ---------------------------------------------------------------- main

const engines = [
  ['lake', 'lake.shop'],
  ['db', 'db.shop'],
];
let passed = 0, failed = 0;
const skipped = [];
const started = Date.now();
const selected = QUERIES.filter((q) => !only || only.has(q.name));

// Tributary processes run a few at a time; DuckDB runs in this process.
const CONCURRENCY = 4;
const results = new Array(selected.length);
{
  let next = 0;
  async function worker() {
    while (next < selected.length) {
      const i = next++;
      results[i] = await Promise.all(engines.map(([, cs]) => runTributary(cs, selected[i].sql)));
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

for (let qi = 0; qi < selected.length; qi++) {
  const q = selected[qi];
  const ref = await runDuckdb(q.duckdb ?? q.sql);
  const problems = [];
  if (ref.error) {
    problems.push(`duckdb error: ${ref.error}`);
  } else {
    const expected = normalizeRows(ref.rows, ref.types);
    const actualByEngine = {};
    results[qi].forEach((res, i) => {
      const [name] = engines[i];
      if (res.error) { problems.push(`${name}: error: ${res.error}`); return; }
      const scale = scaleProblem(res.rows, ref.types);
      if (scale) problems.push(`${name}: ${scale}`);
      const actual = normalizeRows(res.rows, ref.types);
      actualByEngine[name] = actual;
      const d = diff(expected, actual, !!q.ordered);
      if (d) problems.push(`${name} vs duckdb:\n      ${d}`);
    });
    if (actualByEngine.lake && actualByEngine.db) {
      const d = diff(actualByEngine.lake, actualByEngine.db, !!q.ordered);
      if (d) problems.push(`db vs lake:\n      ${d}`);
    }
  }
  if (q.knownBug) {
    skipped.push(q);
    console.log(`SKIPPED ${q.name} (known bug: ${q.knownBug})${problems.length ? '' : ' -- now passes, remove knownBug?'}`);
    for (const p of problems) console.log(`    ${p}`);
  } else if (problems.length) {
    failed++;
    console.log(`MISMATCH ${q.name}\n    sql: ${q.sql}`);
    for (const p of problems) console.log(`    ${p}`);
  } else {
    passed++;
    console.log(`ok ${q.name} (${ref.rows.length} rows)`);
  }
}

duckConn.closeSync?.();
if (keep) console.log(`data kept in ${root}`);
else rmSync(root, { recursive: true, force: true });
console.log(`(${selected.length} queries, ${skipped.length} skipped as known bugs, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
