// Converts the generated TPC-H CSV tables to Parquet with DuckDB (SNAPPY, default row groups).
//   node bench/to_parquet.mjs CSV_DIR PARQUET_DIR TABLE...
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [csvDir, parquetDir, ...tables] = process.argv.slice(2);
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
for (const table of tables) {
  const columns = readFileSync(join(csvDir, `${table}.schema`), 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l !== '').map((l) => `${quote(l.slice(0, l.indexOf(' ')))}: ${quote(l.slice(l.indexOf(' ') + 1).trim())}`);
  await connection.run(`COPY (SELECT * FROM read_csv(${quote(join(csvDir, `${table}.csv`))}, header = true, ` +
    `auto_detect = false, columns = {${columns.join(', ')}})) TO ${quote(join(parquetDir, `${table}.parquet`))} ` +
    `(FORMAT parquet, COMPRESSION snappy)`);
}
