import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { renewalsReport } from '../../domain/renewals/renewals.ts';
import { DATA_GAP_WORDS, leftOutByGap } from '../../shared/dto/data-gap.ts';
import type { RenewalRow, RenewalsReport } from '../../shared/dto/renewals.ts';
import { emit } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';
import { ensureScored, money, parseAsOf } from './risks.ts';
import { pChurnText } from '../../shared/p-churn.ts';

interface RenewalsOptions {
  within: number;
  asOf?: string;
  owner?: string;
}

const count = (n: number) => n.toLocaleString('en');
const percent = (p: number | null) => (p === null ? '—' : pChurnText(p));

function rowLine(r: RenewalRow): string {
  const when = r.overdue ? `${-r.daysToRenewal} d overdue` : `in ${r.daysToRenewal} d`;
  const health =
    r.score === null || r.band === null
      ? `no score (${r.dataGap === null ? 'not scored' : DATA_GAP_WORDS[r.dataGap]})`
      : `${r.score} ${r.band}`;
  const expected = r.expectedRenewUsd === null ? 'no forecast' : `${money(r.expectedRenewUsd, 'USD')} expected`;
  return `${r.renewalDate}  ${when.padEnd(14)} ${r.name} (${r.accountId})  ${money(r.arr, r.currency)} ARR  ${health}  P(churn) ${percent(r.pChurn)}  ${expected}`;
}

export function renewalsText(report: RenewalsReport): string {
  if (report.rows.length === 0) return `No renewals overdue or due within ${report.withinDays} days of ${report.asOf}.`;
  const lines = [
    `Renewals as of ${report.asOf}: ${report.totals.overdue} overdue, ${report.totals.accounts - report.totals.overdue} in the next ${report.withinDays} days.`,
    report.totals.unforecast === report.totals.accounts
      ? `ARR ${money(report.totals.arrUsd, 'USD')}; no account has a P(churn) forecast, so there is no expected-to-renew figure.`
      : `ARR ${money(report.totals.arrUsd, 'USD')}; expected to renew ${money(report.totals.expectedRenewUsd, 'USD')} (ARR × (1 − P(churn)), in USD).`,
  ];
  const { unforecast, unforecastStale } = report.totals;
  if (unforecast > 0)
    lines.push(
      `No forecast for ${leftOutByGap(unforecastStale, unforecast - unforecastStale, count)}: a score or P(churn) from such data would read as health, so they are left out.`,
    );
  if (report.pChurnSource === 'default')
    lines.push('P(churn) is the built-in curve, not yet fitted to this book’s churn history.');
  for (const m of report.months)
    lines.push(
      `${m.month === 'overdue' ? 'Overdue' : m.month}: ${m.accounts} account${m.accounts === 1 ? '' : 's'}, ${money(m.arrUsd, 'USD')} ARR, ${m.unforecast === m.accounts ? 'no forecast' : `${money(m.expectedRenewUsd, 'USD')} expected`}`,
    );
  lines.push('', ...report.rows.map(rowLine));
  return lines.join('\n');
}

export function registerRenewals(program: Command): void {
  withGlobalOptions(program.command('renewals'))
    .description(
      'overdue renewals, then those due within --within days, with health, P(churn) and ARR expected to renew',
    )
    .option('--within <days>', 'days ahead to include', parseIntOption('--within', 1, 730), 90)
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD; default today)')
    .option('--owner <email>', 'only accounts owned by this CSM')
    .action(async (options: RenewalsOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      const asOf = parseAsOf(options.asOf);
      const { db, path } = openDatabase(dbPath);
      try {
        await ensureScored(db, path, asOf, json);
        const report = renewalsReport(db, { asOf, withinDays: options.within, owner: options.owner ?? null });
        emit(json, report, () => renewalsText(report));
      } finally {
        closeDatabase(db);
      }
    });
}
