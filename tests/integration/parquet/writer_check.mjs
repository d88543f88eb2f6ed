// Reads the Parquet files tributary's writer made (ParquetWriterDuckDB.WriteFiles) with DuckDB
// (npm @duckdb/node-api) and compares them with what was written.
//
// Usage: node tests/integration/parquet/writer_check.mjs DIR
//
// For each DIR/NAME.parquet: NAME.types lists the columns (name TAB DuckDB type) and
// NAME.expected.tsv the rows in file order (fields separated by TAB; backslash, TAB, newline and
// CR escaped as \\, \t, \n, \r; NULL as \N). Checks: DuckDB's column names and types; every
// row, rendered as text (booleans true/false, REAL/DOUBLE printf('%.17g'), decimals, integers and
// dates cast to VARCHAR, timestamps strftime('%Y-%m-%d %H:%M:%S.%f'), BLOB uppercase hex);
// for each column the rows equal to its min and to its max, counted with a constant filter
// DuckDB prunes row groups with (so wrong statistics lose rows); the codec and the dictionary
// encoding parquet_metadata() reports. Exit status 1 on any difference.
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dirArg = process.argv[2];
if (!dirArg) {
  process.stderr.write('usage: node writer_check.mjs DIR\n');
  process.exit(2);
}
const dir = resolve(dirArg);

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function escapeField(value) {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]);
}

function render(type, column) {
  const c = `"${column}"`;
  if (type === 'BOOLEAN') return `CASE WHEN ${c} THEN 'true' ELSE 'false' END`;
  if (type === 'FLOAT' || type === 'DOUBLE') return `printf('%.17g', ${c}::DOUBLE)`;
  if (type === 'TIMESTAMP') return `strftime(${c}, '%Y-%m-%d %H:%M:%S.%f')`;
  if (type === 'BLOB') return `hex(${c})`;
  if (type === 'VARCHAR') return c;
  return `${c}::VARCHAR`;
}

function lines(text) {
  const out = text.split('\n');
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

let failures = 0;
function fail(message) {
  failures++;
  if (failures <= 40) process.stderr.write(`${message}\n`);
}

async function checkFile(connection, name) {
  const file = join(dir, `${name}.parquet`);
  const source = `read_parquet(${sqlString(file)})`;
  const columns = lines(readFileSync(join(dir, `${name}.types`), 'utf8')).map((l) => l.split('\t'));
  const expected = lines(readFileSync(join(dir, `${name}.expected.tsv`), 'utf8'));

  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRows();
  if (described.length !== columns.length) fail(`${name}: DuckDB sees ${described.length} columns, wrote ${columns.length}`);
  columns.forEach(([column, type], i) => {
    const [gotName, gotType] = described[i] ?? [];
    if (gotName !== column || gotType !== type) fail(`${name}: column ${i} is ${gotName} ${gotType}, wrote ${column} ${type}`);
  });

  const select = columns.map(([column, type]) => `CASE WHEN "${column}" IS NULL THEN NULL ELSE ${render(type, column)} END`);
  const rows = (await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM ${source}`)).getRows();
  const got = rows.map((row) => row.map((v) => escapeField(v === null ? null : String(v))).join('\t'));
  if (got.length !== expected.length) fail(`${name}: DuckDB reads ${got.length} rows, wrote ${expected.length}`);
  let mismatches = 0;
  for (let r = 0; r < Math.min(got.length, expected.length); r++) {
    if (got[r] !== expected[r] && mismatches++ < 5) fail(`${name}: row ${r}\n  wrote ${expected[r]}\n  read  ${got[r]}`);
  }
  if (mismatches) fail(`${name}: ${mismatches} rows differ`);

  // Statistics: rows equal to the column's min and max, found through row-group pruning.
  const fields = expected.map((l) => l.split('\t'));
  for (const [i, [column, type]] of columns.entries()) {
    for (const aggregate of ['min', 'max']) {
      const [[text, rendered]] = (await connection.runAndReadAll(
        `SELECT ${aggregate}("${column}")::VARCHAR, (SELECT ${render(type, column)} FROM (SELECT ${aggregate}("${column}") AS "${column}" FROM ${source})) FROM ${source}`)).getRows();
      if (text === null) continue;
      const [[count]] = (await connection.runAndReadAll(
        `SELECT count(*) FROM ${source} WHERE "${column}" = CAST(${sqlString(text)} AS ${type})`)).getRows();
      const want = fields.filter((f) => f[i] === escapeField(rendered)).length;
      if (Number(count) !== want) fail(`${name}: ${want} rows hold ${aggregate}(${column}) = ${text}, DuckDB's filter finds ${count}`);
    }
  }

  // Metadata: codec and encodings of every column chunk.
  const meta = (await connection.runAndReadAll(
    `SELECT DISTINCT compression, encodings FROM parquet_metadata(${sqlString(file)})`)).getRows();
  const codec = name.match(/_(uncompressed|snappy|gzip|zstd|lz4_raw)_/)?.[1];
  for (const [compression, encodings] of meta) {
    if (codec && String(compression).toLowerCase() !== codec) fail(`${name}: compression ${compression}`);
    if (name.endsWith('_plain') && String(encodings).includes('DICTIONARY')) fail(`${name}: encodings ${encodings}`);
  }
  if (name.endsWith('_dict') || name.includes('fallback')) {
    if (!meta.some(([, encodings]) => String(encodings).includes('RLE_DICTIONARY'))) fail(`${name}: no dictionary-encoded chunk`);
  }
  return got.length;
}

async function main() {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const names = readdirSync(dir).filter((f) => f.endsWith('.parquet')).map((f) => f.slice(0, -8)).sort();
  if (names.length === 0) fail(`no .parquet files in ${dir}`);
  for (const name of names) {
    const before = failures;
    const rows = await checkFile(connection, name);
    process.stdout.write(`${failures === before ? 'ok  ' : 'FAIL'} ${name} (${rows} rows)\n`);
  }
  if (failures) {
    process.stderr.write(`writer_check: ${failures} failures\n`);
    process.exit(1);
  }
}

main().catch((error) => {
  process.stderr.write(`writer_check: ${error.stack ?? error}\n`);
  process.exit(1);
});
