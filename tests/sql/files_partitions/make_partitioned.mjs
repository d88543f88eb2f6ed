// Writes the Hive-partitioned Parquet tables of the files_partitions tests with DuckDB (npm):
//   OUT/sales/orders/year=Y/month=M/data_0.parquet   (COPY ... PARTITION_BY (year, month))
//     ids 0..59999; year 2023 or 2024 from the id, month 1..3, and year NULL
//     (__HIVE_DEFAULT_PARTITION__) for every id divisible by 1000; 2048-row row groups
//   OUT/sales/events/dt=YYYY-MM-DD/data_0.parquet   (a DATE key), 4 days x 5 rows
//   node tests/sql/files_partitions/make_partitioned.mjs OUT
import { mkdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const out = process.argv[2];
mkdirSync(`${out}/sales`, { recursive: true });
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const c = await db.connect();
await c.run(`COPY (SELECT i AS id, 'item ' || (i % 10) AS item, (i % 97) * 0.5 AS amount,
    CASE WHEN i % 1000 = 0 THEN NULL WHEN i < 30000 THEN 2023 ELSE 2024 END AS year, 1 + (i % 3) AS month
  FROM range(60000) t(i) ORDER BY i)
  TO '${out}/sales/orders' (FORMAT parquet, PARTITION_BY (year, month), ROW_GROUP_SIZE 2048)`);
await c.run(`COPY (SELECT i AS n, 'e' || i AS kind, DATE '2024-03-01' + (i // 5)::INT AS dt FROM range(20) t(i))
  TO '${out}/sales/events' (FORMAT parquet, PARTITION_BY (dt))`);
