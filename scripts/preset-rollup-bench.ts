/**
 * `node scripts/preset-rollup-bench.ts [--rows N]`: the figure behind docs/sync.md "Rolling up event
 * logs": a raw product-event log of N rows (Mixpanel's shape: event, epoch seconds, distinct_id,
 * company_id) rolled up into daily metrics, against importing N long-form metric rows, each into a
 * fresh database that already holds the accounts, each in its own child process so its peak RSS and
 * CPU time are its own. The bar: the roll-up takes at most 2× the metric import.
 *
 * Informational only: timings depend on the machine and its load; nothing here is a test.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, child: { type: 'string' }, db: { type: 'string' } },
});
const ACCOUNTS = 1000;
const DAYS = 180;
const START = Date.parse('2025-10-01T00:00:00Z') / 1000;

/** Writes lines through a 4 MiB buffer. */
function writer(path: string) {
  const fd = openSync(path, 'w');
  let buffer = '';
  return {
    line(text: string) {
      buffer += text + '\n';
      if (buffer.length > 4 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    },
    close() {
      writeSync(fd, buffer);
      closeSync(fd);
    },
  };
}

function makeFiles(dir: string, rows: number) {
  const accounts = writer(join(dir, 'accounts.csv'));
  accounts.line('account_id,name,arr');
  for (let a = 0; a < ACCOUNTS; a++) accounts.line(`A${a},Account ${a},${10000 + a}`);
  accounts.close();
  // Events in time order, as exports come: day by day, each account's events that day.
  const events = writer(join(dir, 'events.csv'));
  events.line('event,time,distinct_id,company_id');
  const names = ['Login', 'Dashboard Viewed', 'Report Created', 'Export'];
  const perDay = Math.max(1, Math.round(rows / DAYS));
  let written = 0;
  for (let d = 0; d < DAYS && written < rows; d++) {
    for (let i = 0; i < perDay && written < rows; i++, written++) {
      const a = (i * 7919) % ACCOUNTS;
      const user = (i * 31) % 12;
      events.line(`${names[i % 4]},${START + d * 86400 + (i % 86400)},u${user}@a${a}.example,A${a}`);
    }
  }
  events.close();
  const metrics = writer(join(dir, 'metrics.csv'));
  metrics.line('account_id,date,metric,value');
  const day = (d: number) => new Date((START + d * 86400) * 1000).toISOString().slice(0, 10);
  const kinds = ['active_users', 'usage', 'logins', 'core_feature_uses'];
  for (let i = 0; i < rows; i++) {
    const a = i % ACCOUNTS;
    const rest = Math.floor(i / ACCOUNTS);
    metrics.line(
      `A${a},${day(rest % DAYS)},${kinds[Math.floor(rest / DAYS) % 4]}${Math.floor(rest / DAYS / 4) || ''},${i % 97}`,
    );
  }
  metrics.close();
}

async function child(mode: string, dir: string, db: string) {
  const { openDatabase } = await import('../src/domain/db/open.ts');
  const { importFiles } = await import('../src/domain/ingest/import-files.ts');
  const { importWithPresets } = await import('../src/domain/ingest/presets/import.ts');
  const { db: conn } = openDatabase(db, { create: true });
  importFiles(conn, [join(dir, 'accounts.csv')]);
  const before = process.cpuUsage();
  const t0 = performance.now();
  const summary =
    mode === 'events'
      ? importWithPresets(conn, [join(dir, 'events.csv')], { presetsDir: null })
      : importFiles(conn, [join(dir, 'metrics.csv')]);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(before);
  const file = summary.files[0]!;
  console.log(
    JSON.stringify({
      mode,
      rows: file.rows,
      accepted: file.accepted,
      rejected: file.rejected,
      preset: file.preset ?? null,
      wallSeconds: +wall.toFixed(1),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

if (values.child) {
  await child(values.child, join(values.db!, '..'), values.db!);
} else {
  const rows = Number(values.rows);
  const dir = mkdtempSync(join(tmpdir(), 'foresight-rollup-bench-'));
  try {
    makeFiles(dir, rows);
    console.log(
      `files: events ${(statSync(join(dir, 'events.csv')).size / 2 ** 20).toFixed(0)} MiB, metrics ${(statSync(join(dir, 'metrics.csv')).size / 2 ** 20).toFixed(0)} MiB`,
    );
    for (const mode of ['metrics', 'events']) {
      const run = spawnSync(
        process.execPath,
        [import.meta.filename, '--child', mode, '--db', join(dir, `${mode}.db`)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      process.stdout.write(run.stdout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
