// Writes the Parquet files of files_parquet.test with DuckDB (npm): OUT/sales/orders/part-0.parquet
// (ids 0..59999, SNAPPY) and part-1.parquet (60000..99999, ZSTD), 10,240-row row groups, and
// OUT/sales/events/{a,b}.parquet where b lacks the `kind` column.
//   node tests/sql/parquet/make_orders.mjs OUT
import { DuckDBInstance } from '@duckdb/node-api';

const out = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const rows = (from, to) => `SELECT i AS id, 'name ' || (i % 100) AS name, (i * 1.25)::DECIMAL(12,2) AS amount,
  DATE '2024-01-01' + (i % 365)::INT AS d, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 0.5 END AS x
  FROM range(${from}, ${to}) t(i)`;
await c.run(`COPY (${rows(0, 60000)}) TO '${out}/sales/orders/part-0.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 10240)`);
await c.run(`COPY (${rows(60000, 100000)}) TO '${out}/sales/orders/part-1.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10240)`);
await c.run(`COPY (SELECT i AS id, 'e' || i AS kind FROM range(3) t(i)) TO '${out}/sales/events/a.parquet' (FORMAT parquet)`);
await c.run(`COPY (SELECT i AS id FROM range(3, 5) t(i)) TO '${out}/sales/events/b.parquet' (FORMAT parquet)`);
