// Writes Parquet files with DuckDB (npm @duckdb/node-api) for the reader's tests, and next to
// each FILE.parquet the rows DuckDB reads back from it as FILE.expected.tsv.
//
// Usage: node tests/integration/parquet/make_files.mjs OUT_DIR
//
// Files: every type the reader maps (boolean .. decimal(38,10), varchar with unicode and empty
// strings, date, timestamps in micro/milli/nanoseconds, blob, list<int>, list<varchar>) with NULLs
// in every column, 5000 rows in 3 row groups, once per compression (uncompressed, snappy, gzip,
// zstd, lz4) and per format version (V1: PLAIN/dictionary and data page v1; V2: DELTA encodings
// and data page v2), plus a dictionary-heavy file.
//
// Expected rows, one line per row in file order, fields separated by TAB; inside a field
// backslash, TAB, newline and CR are written as \\, \t, \n, \r; NULL is \N. Renderings:
//   boolean true/false; integers and decimals as DuckDB casts them to VARCHAR (decimals with
//   all scale digits); REAL/DOUBLE printf('%.17g'); DATE YYYY-MM-DD; every timestamp as
//   'YYYY-MM-DD HH:MM:SS.ffffff' (nanoseconds truncated); BLOB uppercase hex; lists to_json().
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const outArg = process.argv[2];
if (!outArg) {
  process.stderr.write('usage: node make_files.mjs OUT_DIR\n');
  process.exit(2);
}
const outDir = resolve(outArg);
mkdirSync(outDir, { recursive: true });

const ROWS = 5000;

// Each column: name, SQL producing it from `i` (0..ROWS-1), SQL rendering it from column `c`.
const COLUMNS = [
  ['b', `CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END`, `CASE WHEN c THEN 'true' ELSE 'false' END`],
  ['ti', `CASE WHEN i % 13 = 1 THEN NULL ELSE ((i * 7) % 256 - 128)::TINYINT END`, `c::VARCHAR`],
  ['si', `CASE WHEN i % 13 = 2 THEN NULL ELSE ((i * 37) % 65536 - 32768)::SMALLINT END`, `c::VARCHAR`],
  ['ii', `CASE WHEN i % 13 = 3 THEN NULL ELSE ((i * 2654435761) % 4294967296 - 2147483648)::INTEGER END`, `c::VARCHAR`],
  ['bi', `CASE WHEN i % 13 = 4 THEN NULL WHEN i = 5 THEN 9223372036854775807 WHEN i = 6 THEN -9223372036854775808
               ELSE (i * 1234567890123 - 3000000000000000)::BIGINT END`, `c::VARCHAR`],
  ['f', `CASE WHEN i % 13 = 5 THEN NULL WHEN i = 7 THEN 'inf'::FLOAT WHEN i = 8 THEN '-inf'::FLOAT
              ELSE (i * 1.37 - 1000)::FLOAT END`, `printf('%.17g', c::DOUBLE)`],
  ['d', `CASE WHEN i % 13 = 6 THEN NULL WHEN i = 9 THEN 1e300 WHEN i = 10 THEN -0.0::DOUBLE
              ELSE i * 3.14159265358979 / 7 - 100 END`, `printf('%.17g', c)`],
  ['dec9', `CASE WHEN i % 13 = 7 THEN NULL ELSE (((i * 12345) % 2000000 - 1000000) / 100)::DECIMAL(9,2) END`, `c::VARCHAR`],
  ['dec18', `CASE WHEN i % 13 = 8 THEN NULL
                  ELSE ((CASE WHEN i % 2 = 0 THEN '-' ELSE '' END) || ((i::BIGINT * 98765432123) % 100000000000000 // 10000)::VARCHAR ||
                        '.' || lpad((i * 7 % 10000)::VARCHAR, 4, '0'))::DECIMAL(18,4) END`, `c::VARCHAR`],
  ['dec38', `CASE WHEN i % 13 = 9 THEN NULL
                  ELSE ((CASE WHEN i % 2 = 0 THEN '-' ELSE '' END) || (i * 7919)::VARCHAR ||
                        lpad(((i * 104729) % 1000000000000000000)::VARCHAR, 18, '0') || '.' ||
                        lpad(((i * 15485863) % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END`, `c::VARCHAR`],
  ['s', `CASE WHEN i % 17 = 0 THEN NULL WHEN i % 17 = 1 THEN '' WHEN i % 17 = 2 THEN 'héllo wörld ✓ 日本語 🎉'
              WHEN i % 17 = 3 THEN 'tab' || chr(9) || 'and' || chr(10) || 'newline \\ back'
              ELSE 'str_' || i::VARCHAR || repeat('x', i % 50) END`, `c`],
  ['dt', `CASE WHEN i % 13 = 10 THEN NULL ELSE '1970-01-01'::DATE + (i * 37 - 60000)::INTEGER END`, `c::VARCHAR`],
  ['ts', `CASE WHEN i % 13 = 11 THEN NULL ELSE make_timestamp(i::BIGINT * 1234567891234 - 3000000000000000) END`,
   `strftime(c, '%Y-%m-%d %H:%M:%S.%f')`],
  ['ts_ms', `CASE WHEN i % 13 = 12 THEN NULL ELSE make_timestamp(i::BIGINT * 1234567891234 - 1000000000000000)::TIMESTAMP_MS END`,
   `strftime(c::TIMESTAMP, '%Y-%m-%d %H:%M:%S.%f')`],
  ['ts_ns', `CASE WHEN i % 13 = 0 THEN NULL ELSE make_timestamp_ns(i::BIGINT * 123456789123456 + 17) END`,
   `strftime(c::TIMESTAMP, '%Y-%m-%d %H:%M:%S.%f')`],
  ['bl', `CASE WHEN i % 7 = 0 THEN NULL WHEN i % 7 = 1 THEN ''::BLOB ELSE '\\x00\\x01\\xFE'::BLOB || encode(i::VARCHAR) END`,
   `hex(c)`],
  ['li', `CASE WHEN i % 19 = 0 THEN NULL WHEN i % 19 = 1 THEN []::INTEGER[] WHEN i % 19 = 2 THEN [NULL]::INTEGER[]
               ELSE list_transform(range(i % 6), x -> CASE WHEN x = 2 THEN NULL ELSE (i * x - 7)::INTEGER END) END`,
   `to_json(c)::VARCHAR`],
  ['ls', `CASE WHEN i % 23 = 0 THEN NULL WHEN i % 23 = 1 THEN []::VARCHAR[] WHEN i % 23 = 2 THEN ['', NULL, 'a"b\\c/é🎉']
               ELSE list_transform(range(i % 4), x -> CASE WHEN x = 1 THEN NULL ELSE 'v' || (i + x)::VARCHAR END) END`,
   `to_json(c)::VARCHAR`],
];

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function escapeField(value) {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]);
}

async function writeExpected(connection, file, columns) {
  const renders = columns.map(([name, , render]) =>
    `CASE WHEN "${name}" IS NULL THEN NULL ELSE ${render.replaceAll(/\bc\b/g, `"${name}"`)} END AS "${name}"`);
  const result = await connection.runAndReadAll(
    `SELECT ${renders.join(', ')} FROM read_parquet(${sqlString(file)}) `);
  const rows = result.getRows();
  const lines = rows.map((row) => row.map((v) => escapeField(v === null ? null : String(v))).join('\t'));
  writeFileSync(file.replace(/\.parquet$/, '.expected.tsv'), lines.length ? `${lines.join('\n')}\n` : '');
  return rows.length;
}

async function main() {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const select = COLUMNS.map(([name, expr]) => `${expr} AS "${name}"`).join(',\n  ');
  await connection.run(`CREATE TABLE alltypes AS SELECT\n  ${select}\nFROM (SELECT range AS i FROM range(${ROWS})) ORDER BY i`);
  const written = [];
  for (const version of ['V1', 'V2']) {
    for (const compression of ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4']) {
      const file = join(outDir, `alltypes_${compression}_${version.toLowerCase()}.parquet`);
      await connection.run(`COPY alltypes TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${compression}, ` +
        `PARQUET_VERSION ${version}, ROW_GROUP_SIZE 2048)`);
      written.push([file, await writeExpected(connection, file, COLUMNS)]);
    }
  }
  // Few distinct strings and numbers over many rows: dictionary pages and long RLE runs.
  const dictColumns = [
    ['city', `CASE WHEN i % 97 = 0 THEN NULL ELSE ['Berlin', 'Zürich', 'São Paulo', '東京'][1 + (i // 100) % 4] END`, `c`],
    ['code', `(i // 1000)::INTEGER`, `c::VARCHAR`],
    ['price', `[1.5, 2.25, 99.99][1 + i % 3]::DECIMAL(9,2)`, `c::VARCHAR`],
    ['flag', `i % 1000 < 990`, `CASE WHEN c THEN 'true' ELSE 'false' END`],
  ];
  await connection.run(`CREATE TABLE dict AS SELECT ${dictColumns.map(([n, e]) => `${e} AS "${n}"`).join(', ')} ` +
    `FROM (SELECT range AS i FROM range(60000)) ORDER BY i`);
  for (const version of ['V1', 'V2']) {
    const file = join(outDir, `dictionary_heavy_${version.toLowerCase()}.parquet`);
    await connection.run(`COPY dict TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION ${version})`);
    written.push([file, await writeExpected(connection, file, dictColumns)]);
  }
  for (const [file, rows] of written) process.stdout.write(`${file} ${rows} rows\n`);
}

main().catch((error) => {
  process.stderr.write(`make_files: ${error.stack ?? error}\n`);
  process.exit(1);
});
