/**
 * The prospective evaluation of the churn model on OULAD module CCC (../shared/datasets/oulad-ccc,
 * its README's protocol): for each course day D, a fresh database is fed only what was known on D
 * (accounts registered by D with their status on D, metrics and events up to D), scored as of D,
 * and every active account's P(churn) is compared with who withdrew in (D, D+90]. Beside it:
 * the app's own backtest for D (score-quality), the health score alone, and a plain logistic
 * regression on the same imported inputs (5-fold cross-validation within the day, as the README's
 * reference table does, so it sees the day's labels; the app never does), and the same regression
 * trained only on what was known on D (the app's rolling-origin samples).
 *
 *   node scripts/oulad-eval.ts [--data DIR] [--days 30,60,90,120,150] [--json] [--keep DIR]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { closeDatabase, openDatabase, type Db } from '../src/domain/db/open.ts';
import { importFiles } from '../src/domain/ingest/import-files.ts';
import { dayNumber, dayString } from '../src/domain/risk/days.ts';
import { featureStatements } from '../src/domain/risk/model/feature-sql.ts';
import { aligner, buildFeatures, churnDayOf } from '../src/domain/risk/model/features.ts';
import { DEFAULT_BACKTEST, firstDataDay, originsFor, type BacktestSettings } from '../src/domain/risk/model/samples.ts';
import { fitRidgeLogistic, predict } from '../src/domain/risk/model/logistic.ts';
import { aucOf, topDecileOf, type Scored } from '../src/domain/risk/model/stats.ts';
import { scoreQuality } from '../src/domain/risk/quality.ts';
import { scoreAll } from '../src/domain/risk/score-all.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const defaultData = [
  join(import.meta.dirname, '../../shared/datasets/oulad-ccc'),
  '/work/shared/datasets/oulad-ccc',
].find((dir) => existsSync(dir));
const dataDir = resolve(option('--data', defaultData ?? '../shared/datasets/oulad-ccc'));
if (!existsSync(join(dataDir, 'accounts.csv.gz'))) {
  console.error(`No OULAD files in ${dataDir}: pass --data with the folder holding accounts.csv.gz (see its README).`);
  process.exit(2);
}
const courseDays = option('--days', '30,60,90,120,150').split(',').map(Number);
const json = args.includes('--json');
const DAY0 = dayNumber('2024-01-01');

function readGz(name: string): string[] {
  return gunzipSync(readFileSync(join(dataDir, `${name}.csv.gz`)))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

/** The files as they stood on day D: nothing dated after it, and withdrawals after D not yet known. */
function filesOn(dir: string, asOf: string, source: Record<'accounts' | 'metrics' | 'events', string[]>): string[] {
  mkdirSync(dir, { recursive: true });
  const [accountsHead, ...accounts] = source.accounts;
  const known = accounts
    .map((line) => line.split(','))
    .filter((c) => (c[6] ?? '') <= asOf)
    .map((c) => {
      const churnedAt = c[8] ?? '';
      if (churnedAt !== '' && churnedAt > asOf) return [...c.slice(0, 7), 'active', ''].join(',');
      return c.join(',');
    });
  const [metricsHead, ...metrics] = source.metrics;
  const [eventsHead, ...events] = source.events;
  const write = (name: string, head: string | undefined, rows: string[]) => {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, `${head}\n${rows.join('\n')}\n`);
    return path;
  };
  return [
    write('accounts', accountsHead, known),
    write(
      'metrics',
      metricsHead,
      metrics.filter((l) => l.slice(l.indexOf(',') + 1, l.indexOf(',') + 11) <= asOf),
    ),
    write(
      'events',
      eventsHead,
      events.filter((l) => (l.split(',')[2] ?? '').slice(0, 10) <= asOf),
    ),
  ];
}

function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Plain logistic regression on the imported inputs, 5-fold CV within the day (it sees the day's labels). */
function plainLr(db: Db, asOf: string, label: (id: string) => 0 | 1): number | null {
  const frame = buildFeatures(db, asOf);
  const fold = frame.ids.map((id) => hash(id) % 5);
  const labels = frame.ids.map(label);
  const out: Scored[] = [];
  for (let f = 0; f < 5; f++) {
    const train = frame.ids.map((_, i) => i).filter((i) => fold[i] !== f);
    const model = fitRidgeLogistic(
      frame.names,
      train.map((i) => frame.rows[i] as Float64Array),
      train.map((i) => labels[i] as number),
      { lambda: 0.01 },
    );
    frame.ids.forEach((_, i) => {
      if (fold[i] === f) out.push({ p: predict(model, frame.rows[i] as Float64Array), label: labels[i] as 0 | 1 });
    });
  }
  return aucOf(out);
}

interface DayRow {
  course_day: number;
  as_of: string;
  accounts: number;
  churn_share: number | null;
  app_auc: number | null;
  app_top_decile_share: number | null;
  health_score_auc: number | null;
  plain_lr_cv_auc: number | null;
  plain_lr_known_on_d_auc: number | null;
  /** The same, on the origins of the previous round (past days with at least 14 days seen). */
  plain_lr_known_on_d_14d_auc: number | null;
  method: string;
  backtest_method: string;
  backtest_auc: number | null;
  backtest_auc_ci: (number | null)[] | null;
  note: string;
  backtest_note: string;
  backtest_origins: string[];
}

/**
 * Plain logistic regression on the same imported inputs, trained honestly: only on what was known
 * on D (the rolling-origin samples the app learns from, without the health score, its components
 * or the app's guards). Null when no past day has outcomes yet.
 */
function plainLrKnownOnD(
  db: Db,
  asOf: string,
  label: (id: string) => 0 | 1,
  settings: BacktestSettings = DEFAULT_BACKTEST,
): number | null {
  const day = dayNumber(asOf);
  const origins = originsFor(day, firstDataDay(db), settings);
  if (origins.length === 0) return null;
  const churnDay = new Map(
    featureStatements(db)
      .accountsAll.all()
      .map((a) => [a.account_id, churnDayOf(a)]),
  );
  const frames = origins.map((o) => ({ o, frame: buildFeatures(db, dayString(o.day)) }));
  const names = [...new Set(frames.flatMap(({ frame }) => frame.names))];
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const offsets: number[] = [];
  for (const { o, frame } of frames) {
    const align = aligner(frame.names, names);
    frame.ids.forEach((id, i) => {
      const churned = churnDay.get(id) ?? null;
      rows.push(align(frame.rows[i] as Float64Array));
      labels.push(churned !== null && churned > o.day && churned <= o.day + o.window ? 1 : 0);
      offsets.push(Math.log(o.window / DEFAULT_BACKTEST.horizonDays));
    });
  }
  const model = fitRidgeLogistic(names, rows, labels, { lambda: 0.01, offsets });
  const now = buildFeatures(db, asOf);
  const align = aligner(now.names, names);
  return aucOf(now.ids.map((id, i) => ({ p: predict(model, align(now.rows[i] as Float64Array)), label: label(id) })));
}

const round = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);

function main() {
  const source = { accounts: readGz('accounts'), metrics: readGz('metrics'), events: readGz('events') };
  const withdrawn = new Map<string, string>();
  for (const line of readGz('labels').slice(1)) {
    const [id, on] = line.split(',');
    if (id && on) withdrawn.set(id, on);
  }
  // --keep DIR keeps (and reuses) the fed databases, so a change to the model can be re-measured
  // without importing again; the model is refitted each run.
  const keep = args.includes('--keep') ? option('--keep', '') : '';
  const work = keep || mkdtempSync(join(tmpdir(), 'oulad-eval-'));
  mkdirSync(work, { recursive: true });
  const rows: DayRow[] = [];
  try {
    for (const courseDay of courseDays) {
      const asOf = dayString(DAY0 + courseDay);
      const horizonEnd = dayString(DAY0 + courseDay + 90);
      const label = (id: string): 0 | 1 => {
        const on = withdrawn.get(id);
        return on !== undefined && on > asOf && on <= horizonEnd ? 1 : 0;
      };
      const dbPath = join(work, `d${courseDay}.db`);
      const fed = keep !== '' && existsSync(dbPath);
      const { db } = openDatabase(dbPath, { create: true });
      try {
        if (!fed)
          importFiles(db, filesOn(join(work, `d${courseDay}`), asOf, source), {
            now: () => new Date(`${asOf}T12:00:00Z`),
          });
        scoreAll(db, { asOf, calibrate: true });
        const snapshot = db
          .prepare<[string], { account_id: string; p_churn: number; score: number | null }>(
            'SELECT account_id, p_churn, score FROM risk_snapshots WHERE as_of = ?',
          )
          .all(asOf);
        const app: Scored[] = snapshot.map((r) => ({ p: r.p_churn, label: label(r.account_id) }));
        const health: Scored[] = snapshot.map((r) => ({ p: -(r.score ?? 50), label: label(r.account_id) }));
        const quality = scoreQuality(db, asOf);
        rows.push({
          course_day: courseDay,
          as_of: asOf,
          accounts: app.length,
          churn_share: round(app.reduce((s, x) => s + x.label, 0) / Math.max(1, app.length)),
          app_auc: round(aucOf(app)),
          app_top_decile_share: round(topDecileOf(app)?.share),
          health_score_auc: round(aucOf(health)),
          plain_lr_cv_auc: round(plainLr(db, asOf, label)),
          plain_lr_known_on_d_auc: round(plainLrKnownOnD(db, asOf, label)),
          plain_lr_known_on_d_14d_auc: round(
            plainLrKnownOnD(db, asOf, label, { ...DEFAULT_BACKTEST, minWindowDays: 14 }),
          ),
          method: quality.method,
          backtest_method: quality.backtest_method,
          backtest_auc: round(quality.auc),
          backtest_auc_ci: quality.auc_ci?.map((x) => round(x)) ?? null,
          note: quality.note,
          backtest_note: quality.backtest_note,
          // Replayed days (the reported backtest) are marked with *.
          backtest_origins: quality.origins.map(
            (o) => `${o.replayed ? '*' : ''}${o.day} (${o.window_days} d): ${round(o.auc)}`,
          ),
        });
      } finally {
        closeDatabase(db);
      }
      if (!json) console.error(JSON.stringify(rows.at(-1)));
    }
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  const mean = (key: 'app_auc' | 'plain_lr_cv_auc' | 'plain_lr_known_on_d_auc') =>
    round(rows.reduce((s, r) => s + (r[key] ?? 0), 0) / Math.max(1, rows.length));
  const meanOrChance = (key: 'plain_lr_known_on_d_auc' | 'plain_lr_known_on_d_14d_auc') =>
    round(rows.reduce((sum, r) => sum + (r[key] ?? 0.5), 0) / Math.max(1, rows.length));
  const summary = {
    days: rows,
    mean_app_auc: mean('app_auc'),
    mean_plain_lr_cv_auc: mean('plain_lr_cv_auc'),
    // Days without a prediction (no past outcomes yet) count as chance, 0.5.
    mean_plain_lr_known_on_d_auc: meanOrChance('plain_lr_known_on_d_auc'),
    mean_plain_lr_known_on_d_14d_auc: meanOrChance('plain_lr_known_on_d_14d_auc'),
  };
  console.log(JSON.stringify(summary, null, json ? 0 : 2));
}

main();
