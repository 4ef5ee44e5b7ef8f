import type { Command } from 'commander';
import { inlineJobRunner } from '../../app/jobs/runner.ts';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase, type Db } from '../../domain/db/open.ts';
import { riskList, type RiskListEntry } from '../../domain/risk/list.ts';
import { snapshotStaleness } from '../../domain/risk/rescore.ts';
import { emit, progressLine, UsageError } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

interface RisksOptions {
  asOf?: string;
  top: number;
  owner?: string;
  segment?: string;
}

/**
 * Makes sure the stored snapshot for `asOf` is current (scoring the whole book in-process when it
 * is not), so the output is a pure function of the data, the configuration and the day.
 */
export async function ensureScored(db: Db, dbPath: string, asOf: string, json: boolean): Promise<void> {
  if (snapshotStaleness(db, asOf) === 'current') return;
  const bar = progressLine(!json);
  await inlineJobRunner(dbPath).run(
    'risk.score',
    { asOf, accountIds: null, now: new Date().toISOString() },
    {
      label: `Scoring accounts as of ${asOf}`,
      onProgress: (p) => bar.update(`Scoring accounts as of ${asOf}`, p.processed, p.total),
    },
  );
  bar.done();
}

export function parseAsOf(value: string | undefined): string {
  if (value === undefined) return todayIso(new Date());
  if (!isIsoDay(value)) throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not "${value}".`);
  return value;
}

export const money = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
};

const TREND_MARK = { up: '↑', down: '↓', flat: '→', new: '·' } as const;

export function risksJson(rows: readonly RiskListEntry[]) {
  return rows.map((r) => ({
    rank: r.rank,
    account_id: r.accountId,
    name: r.name,
    owner: r.owner,
    arr: r.arr,
    currency: r.currency,
    score: r.score,
    band: r.band,
    trend: r.trend,
    expected_arr_at_risk: Math.round(r.expectedArrAtRisk * 100) / 100,
    triggers: r.triggers.map((t) => ({ id: t.id, priority: t.priority, tier: t.tier, evidence: t.evidence })),
    reasons: r.reasons,
  }));
}

export function registerRisks(program: Command): void {
  withGlobalOptions(program.command('risks'))
    .description('the ranked at-risk list as of today (or --as-of), highest expected ARR at risk first')
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD); scored on first use, then read back')
    .option('--top <n>', 'at most this many accounts', parseIntOption('--top', 1, 100_000), 20)
    .option('--owner <email>', 'only accounts owned by this CSM')
    .option('--segment <segment>', 'only this segment')
    .action(async (options: RisksOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      const asOf = parseAsOf(options.asOf);
      const { db, path } = openDatabase(dbPath);
      try {
        await ensureScored(db, path, asOf, json);
        const { rows, totals } = riskList(db, {
          asOf,
          owner: options.owner ?? null,
          segment: options.segment ?? null,
          band: null,
          trigger: null,
          search: '',
          sort: 'rank',
          direction: 'asc',
          offset: 0,
          limit: options.top,
        });
        emit(json, risksJson(rows), () => {
          if (rows.length === 0) return `No accounts at risk as of ${asOf}.`;
          const head = `${totals.accounts.toLocaleString('en')} accounts at risk as of ${asOf}; expected ARR at risk ${money(totals.expectedArrAtRiskUsd, 'USD')} (USD equivalent). Top ${rows.length}:`;
          const lines = rows.map((r) => {
            const score = r.score === null ? '  —' : String(r.score).padStart(3);
            const triggers = r.triggers.map((t) => t.id).join(', ') || '—';
            return [
              String(r.rank).padStart(4),
              r.name.slice(0, 28).padEnd(28),
              money(r.arr, r.currency).padStart(13),
              `${score} ${(r.band ?? '').padEnd(6)} ${TREND_MARK[r.trend]}`,
              money(r.expectedArrAtRisk, r.currency).padStart(13),
              `${triggers}\n${' '.repeat(6)}why: ${r.topReason}`,
            ].join('  ');
          });
          return [head, ...lines].join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
