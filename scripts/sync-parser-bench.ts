/**
 * `node scripts/sync-parser-bench.ts [--rows N]`: the numbers behind docs/sync.md "Parser choice".
 *
 * 1. Streaming CSV parse throughput, uDSV vs PapaParse, both fed 1 MiB chunks the way the importer
 *    reads files: a plain 1M-row metrics file and a quote-heavy accounts file (CRLF, quoted commas,
 *    doubled quotes, line breaks in quotes).
 * 2. How each parser treats malformed input (a row with a missing field, an unclosed quote).
 * 3. A full import of the metrics file through importFiles (validation + upsert), in a child
 *    process so its peak RSS is its own: rows/s (wall and per CPU-second) and peak memory.
 *
 * Informational only: timings depend on the machine and its load; nothing here is a test.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, child: { type: 'string' } } });

const CHUNK = 1 << 20;

function chunks(path: string, onChunk: (text: string, last: boolean) => void): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) {
        onChunk(decoder.decode(), true);
        return;
      }
      onChunk(decoder.decode(buffer.subarray(0, n), { stream: true }), false);
    }
  } finally {
    closeSync(fd);
  }
}

function papaRows(path: string): number {
  const parser = new Papa.Parser({ delimiter: ',', newline: '\n' });
  let pending = '';
  let rows = 0;
  chunks(path, (text, last) => {
    const input = pending + text;
    const result = parser.parse(input, 0, !last) as { data: string[][]; meta: { cursor: number } };
    rows += result.data.length;
    pending = input.slice(result.meta.cursor);
  });
  return rows - 1; // the header
}

function udsvRows(path: string): number {
  let parser: ReturnType<typeof initParser> | null = null;
  let rows = 0;
  const count = () => void rows++;
  chunks(path, (text) => {
    const p = (parser ??= initParser(inferSchema(text)));
    p.chunk<string[]>(text, p.stringArrs as (text: string) => string[][], count);
  });
  (parser as ReturnType<typeof initParser> | null)?.end();
  return rows;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => number, runs = 5): { rows: number; ms: number } {
  let rows = 0;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = fn();
    samples.push(performance.now() - started);
  }
  return { rows, ms: median(samples) };
}

const METRICS = [
  'active_users',
  'seats_used',
  'logins',
  'core_feature_uses',
  'usage',
  'latency_ms',
  'api_errors',
  'nps',
];

function writeFiles(dir: string, target: number) {
  const accounts = Math.ceil(target / (30 * METRICS.length));
  const accountsCsv = join(dir, 'accounts.csv');
  const metricsCsv = join(dir, 'metrics.csv');
  const quotedCsv = join(dir, 'quoted.csv');
  writeFileSync(
    accountsCsv,
    [
      'account_id,name,arr,owner_email,renewal_date,timezone,locale',
      ...Array.from(
        { length: accounts },
        (_, i) =>
          `acc_${i},Account ${i},${1000 + i},csm${i % 7}@example.com,2027-01-${String(1 + (i % 28)).padStart(2, '0')},Europe/Berlin,de-DE`,
      ),
    ].join('\n') + '\n',
  );
  const lines = ['account_id,date,metric,value,contact_id'];
  for (let a = 0; lines.length <= target; a++)
    for (let d = 1; d <= 30 && lines.length <= target; d++)
      for (const m of METRICS)
        if (lines.length <= target)
          lines.push(`acc_${a},2026-01-${String(d).padStart(2, '0')},${m},${(a * 7 + d * 3) % 500}.5,`);
  writeFileSync(metricsCsv, `${lines.join('\n')}\n`);
  const quoted = ['"Account ID","Account Name","ARR (USD)","Renewal Date","Notes"'];
  for (let i = 0; i < target / 5; i++)
    quoted.push(
      `acc_${i},"Acme, Inc. ${i}","${(1000 + i).toLocaleString('en')}",2027-01-${String(1 + (i % 28)).padStart(2, '0')},"Line one\r\nsaid ""hello"", then left"`,
    );
  writeFileSync(quotedCsv, `\uFEFF${quoted.join('\r\n')}\r\n`);
  return { accountsCsv, metricsCsv, quotedCsv, metricRows: lines.length - 1, accounts };
}

async function childImport(dbPath: string, accountsCsv: string, metricsCsv: string): Promise<void> {
  const { openDatabase, closeDatabase } = await import('../src/domain/db/open.ts');
  const { importFiles } = await import('../src/domain/ingest/import-files.ts');
  const { db } = openDatabase(dbPath, { create: true });
  importFiles(db, [accountsCsv]);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const first = importFiles(db, [metricsCsv]);
  const firstMs = performance.now() - started;
  const firstCpu = process.cpuUsage(cpu);
  const again = performance.now();
  const second = importFiles(db, [metricsCsv]);
  const secondMs = performance.now() - again;
  closeDatabase(db);
  process.stdout.write(
    JSON.stringify({
      rows: first.accepted.metrics,
      firstMs,
      cpuMs: (firstCpu.user + firstCpu.system) / 1000,
      secondMs,
      unchanged: second.unchanged,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

if (values.child) {
  const [dbPath, accountsCsv, metricsCsv] = values.child.split('|') as [string, string, string];
  await childImport(dbPath, accountsCsv, metricsCsv);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-parser-bench-'));
  try {
    const files = writeFiles(dir, Number(values.rows));
    const mb = (path: string) => statSync(path).size / 1048576;
    console.log(`Parsing in 1 MiB chunks (median of 5), Node ${process.version}:`);
    for (const [name, path] of [
      ['metrics.csv (plain)', files.metricsCsv],
      ['quoted.csv (CRLF, quotes, line breaks)', files.quotedCsv],
    ] as const) {
      for (const [parser, fn] of [
        ['uDSV 0.7', udsvRows],
        ['PapaParse 5', papaRows],
      ] as const) {
        const { rows, ms } = time(() => fn(path));
        console.log(
          `  ${name.padEnd(40)} ${parser.padEnd(12)} ${rows.toLocaleString('en').padStart(10)} rows  ${ms.toFixed(0).padStart(6)} ms  ${(((rows / ms) * 1000) / 1e6).toFixed(2)} M rows/s  ${(mb(path) / (ms / 1000)).toFixed(0)} MiB/s`,
        );
      }
    }

    console.log('\nMalformed input ("a,b,c" header):');
    for (const [name, text] of [
      ['row with a missing field', 'a,b,c\n1,2\n4,5,6\n'],
      ['unclosed quote', 'a,b,c\n1,"oops,3\n4,5,6\n'],
    ] as const) {
      const udsv = initParser(inferSchema(text));
      const u: string[][] = [];
      udsv.chunk<string[]>(text, udsv.stringArrs as (text: string) => string[][], (row: string[]) => void u.push(row));
      udsv.end();
      const p = Papa.parse<string[]>(text, { skipEmptyLines: true });
      console.log(
        `  ${name}:\n    uDSV      ${JSON.stringify(u)}\n    PapaParse ${JSON.stringify(p.data.slice(1))} errors ${JSON.stringify(p.errors.map((e) => e.code))}`,
      );
    }

    console.log(
      `\nimportFiles: ${files.metricRows.toLocaleString('en')} metric rows (${mb(files.metricsCsv).toFixed(0)} MiB) into a fresh database:`,
    );
    const child = spawnSync(
      process.execPath,
      [import.meta.filename, '--child', [join(dir, 'bench.db'), files.accountsCsv, files.metricsCsv].join('|')],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout) as {
      rows: number;
      firstMs: number;
      cpuMs: number;
      secondMs: number;
      unchanged: number;
      peakRssMb: number;
    };
    console.log(
      `  first import   ${r.firstMs.toFixed(0)} ms  ${Math.round((r.rows / r.firstMs) * 1000).toLocaleString('en')} rows/s  (${Math.round((r.rows / r.cpuMs) * 1000).toLocaleString('en')} rows per CPU-second)`,
    );
    console.log(`  same again     ${r.secondMs.toFixed(0)} ms  ${r.unchanged.toLocaleString('en')} unchanged`);
    console.log(`  peak RSS       ${r.peakRssMb.toFixed(0)} MB for a ${mb(files.metricsCsv).toFixed(0)} MiB file`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
