// Runs the benchmark queries on DuckDB (npm @duckdb/node-api), the reference engine,
// over the same CSV files tributary reads.
//
// Usage: node bench/duckdb_run.mjs DATA_DIR QUERY.sql...
//   DATA_DIR  the directory holding lineitem.csv/orders.csv and their .schema sidecars
//             (bench/data/sf<N>/tpch)
//   QUERY.sql each file's text is run as is, with `tpch.tpch.<table>` replaced by a
//             read_csv() of DATA_DIR/<table>.csv with the sidecar's column types.
//
// Prints one JSON object per query and line:
//   {"query":"q1","best_ms":123.4,"times_ms":[...],"cpu_ms":234.5,"columns":[...],"rows":[[...],...]}
// Values are DuckDB's JSON forms (exact strings for BIGINT/DECIMAL). Every query runs
// RUNS (default 3) times with threads=2; the CSV is read again each time, as tributary does.

import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 3);

function usage(message) {
  process.stderr.write(`duckdb_run: ${message}\nusage: node bench/duckdb_run.mjs DATA_DIR QUERY.sql...\n`);
  process.exit(2);
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// `name type` per line -> DuckDB's columns={...} struct literal, in file order.
function readCsvCall(dataDir, table) {
  const csvPath = join(dataDir, `${table}.csv`);
  const schemaPath = join(dataDir, `${table}.schema`);
  if (!existsSync(csvPath)) throw new Error(`missing ${csvPath}`);
  if (!existsSync(schemaPath)) throw new Error(`missing ${schemaPath}`);
  const columns = readFileSync(schemaPath, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      if (space <= 0) throw new Error(`${schemaPath}: bad line "${line}"`);
      return `${sqlString(line.slice(0, space))}: ${sqlString(line.slice(space + 1).trim())}`;
    });
  return `read_csv(${sqlString(csvPath)}, header = true, delim = ',', quote = '"', ` +
    `auto_detect = false, columns = {${columns.join(', ')}})`;
}

// FORMAT=parquet: DATA_DIR holds <table>.parquet files instead; FORMAT=tparquet: <table>/*.parquet.
function substituteTables(sql, dataDir) {
  return sql.replace(/\btpch\.tpch\.([A-Za-z_][A-Za-z0-9_]*)\b/g,
    (_, table) => (process.env.FORMAT === 'parquet'
      ? `read_parquet(${sqlString(join(dataDir, `${table}.parquet`))})`
      : process.env.FORMAT === 'tparquet'  // tributary's CTAS: a folder of files per table
        ? `read_parquet(${sqlString(join(dataDir, table, '*.parquet'))})`
        : readCsvCall(dataDir, table)));
}

async function main() {
  const [dataDirArg, ...queryFiles] = process.argv.slice(2);
  if (!dataDirArg || queryFiles.length === 0) usage('expected DATA_DIR and at least one query file');
  const dataDir = resolve(dataDirArg);

  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();

  for (const file of queryFiles) {
    const name = basename(file).replace(/\.sql$/, '');
    const sql = substituteTables(readFileSync(file, 'utf8').trim().replace(/;\s*$/, ''), dataDir);
    const times = [];
    const cpu = [];
    let result;
    for (let run = 0; run < RUNS; run += 1) {
      const started = process.hrtime.bigint();
      const cpuStarted = process.cpuUsage();
      result = await connection.runAndReadAll(sql);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
    }
    const line = {
      query: name,
      best_ms: Math.round(Math.min(...times) * 10) / 10,
      times_ms: times.map((t) => Math.round(t * 10) / 10),
      // CPU time (user + system, all threads) per run, averaged: robust to other load.
      cpu_ms: Math.round((cpu.reduce((a, b) => a + b, 0) / cpu.length) * 10) / 10,
      columns: result.columnNames(),
      rows: result.getRowsJson(),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  connection.closeSync?.();
}

main().catch((error) => {
  process.stderr.write(`duckdb_run: ${error.stack ?? error}\n`);
  process.exit(1);
});
