// Compares tributary's CSV results with DuckDB's and prints the timing table.
//
// Usage: node bench/compare.mjs RESULTS_DIR QUERY...
//   RESULTS_DIR/<query>.tributary.csv  tributary's `--output-format CSV` output
//   RESULTS_DIR/<query>.tributary.ms   its best in-process time in milliseconds (EXPLAIN ANALYZE's
//                                      Elapsed: bind, plan, execute), measured as DuckDB's is
//   RESULTS_DIR/<query>.tributary.process.ms  best wall time of a whole `tributary query` process
//                                      (start-up, catalog loading and CSV output included)
//   RESULTS_DIR/duckdb.jsonl           duckdb_run.mjs's output
//
// Values match when both are numbers within half a unit of the second decimal place
// (so exact decimals and DuckDB's double averages agree to 2 places), or when they are
// equal strings; NULL is an empty unquoted CSV field on tributary's side and null on
// DuckDB's. Exits 1 on any mismatch, after printing every one.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// RFC 4180 reader: returns rows of fields; an unquoted empty field is null (SQL NULL).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  while (i < text.length) {
    let field;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted CSV field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { value += '"'; i += 2; continue; }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      field = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end += 1;
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === ',') { i += 1; continue; }
    if (text[i] === '\r') i += 1;
    if (text[i] === '\n' || i >= text.length) { rows.push(row); row = []; i += 1; }
  }
  return rows;
}

function asNumber(value) {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return null;
  return Number(value);
}

function sameValue(ours, theirs) {
  if (ours === null || theirs === null) return ours === null && theirs === null;
  const a = asNumber(ours);
  const b = asNumber(theirs);
  if (a !== null && b !== null) {
    return Math.abs(a - b) <= 0.005 + 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  return String(ours) === String(theirs);
}

const [resultsDir, ...queries] = process.argv.slice(2);
if (!resultsDir || queries.length === 0) {
  process.stderr.write('usage: node bench/compare.mjs RESULTS_DIR QUERY...\n');
  process.exit(2);
}

const duckdb = new Map(readFileSync(join(resultsDir, 'duckdb.jsonl'), 'utf8')
  .split('\n').filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line)).map((entry) => [entry.query, entry]));

const problems = [];
const table = [];
for (const query of queries) {
  const reference = duckdb.get(query);
  if (!reference) { problems.push(`${query}: no DuckDB result`); continue; }
  const ours = parseCsv(readFileSync(join(resultsDir, `${query}.tributary.csv`), 'utf8'));
  const ms = Number(readFileSync(join(resultsDir, `${query}.tributary.ms`), 'utf8').trim());
  const cpuFile = join(resultsDir, `${query}.tributary.cpu.ms`);
  const cpuMs = existsSync(cpuFile) ? Number(readFileSync(cpuFile, 'utf8').trim()) : NaN;
  const processFile = join(resultsDir, `${query}.tributary.process.ms`);
  const processMs = existsSync(processFile) ? Number(readFileSync(processFile, 'utf8').trim()) : NaN;
  if (ours.length !== reference.rows.length) {
    problems.push(`${query}: tributary returned ${ours.length} rows, DuckDB ${reference.rows.length}`);
  }
  const rowCount = Math.min(ours.length, reference.rows.length);
  for (let r = 0; r < rowCount; r += 1) {
    const a = ours[r];
    const b = reference.rows[r];
    if (a.length !== b.length) {
      problems.push(`${query} row ${r + 1}: tributary has ${a.length} columns, DuckDB ${b.length}`);
      continue;
    }
    for (let c = 0; c < a.length; c += 1) {
      if (!sameValue(a[c], b[c])) {
        const column = reference.columns[c] ?? `#${c + 1}`;
        problems.push(`${query} row ${r + 1} ${column}: tributary ${JSON.stringify(a[c])}, DuckDB ${JSON.stringify(b[c])}`);
      }
    }
  }
  table.push([query, ms, reference.best_ms, processMs, cpuMs, reference.cpu_ms ?? NaN]);
}

const pad = (value, width) => String(value).padStart(width);
const fixed = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
const ratioOf = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a');
process.stdout.write(`${'query'.padEnd(8)}${pad('tributary ms', 14)}${pad('duckdb ms', 12)}${pad('ratio', 8)}` +
  `${pad('cpu ms', 10)}${pad('duckdb cpu', 12)}${pad('ratio', 8)}${pad('process ms', 12)}\n`);
for (const [query, ms, duckMs, processMs, cpuMs, duckCpu] of table) {
  process.stdout.write(`${query.padEnd(8)}${pad(fixed(ms), 14)}${pad(fixed(duckMs), 12)}${pad(ratioOf(ms, duckMs), 8)}` +
    `${pad(fixed(cpuMs), 10)}${pad(fixed(duckCpu), 12)}${pad(ratioOf(cpuMs, duckCpu), 8)}${pad(fixed(processMs), 12)}\n`);
}
process.stdout.write('ms: wall time of the query inside a running process, best of RUNS (EXPLAIN ANALYZE for ' +
  'tributary); cpu ms: CPU time (user + system, all threads) per run; process ms: a whole `tributary query` ' +
  'process, start-up and output included\n');

if (problems.length > 0) {
  process.stderr.write(`\nRESULT MISMATCH between tributary and DuckDB (${problems.length}):\n`);
  for (const problem of problems) process.stderr.write(`  ${problem}\n`);
  process.exit(1);
}
process.stdout.write(`results match DuckDB (numbers to 2 decimal places) for: ${queries.join(', ')}\n`);
