import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { morningDigest } from '../../domain/digest/morning.ts';
import type { MorningDigest } from '../../shared/dto/digest.ts';
import { leftOutByGap } from '../../shared/dto/data-gap.ts';
import { emit, groupedCount } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { ensureScored, money, parseAsOf } from './risks.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** ARR in the account's own currency, as the ranked list shows it, with its USD equivalent when they differ. */
function arrText(a: { arr: number; currency: string; arrUsd: number }): string {
  const own = `${money(a.arr, a.currency)} ARR`;
  return a.currency.toUpperCase() === 'USD' ? own : `${own} (${money(a.arrUsd, 'USD')} USD equivalent)`;
}

export function digestText(d: MorningDigest): string {
  const lines = [`Foresight digest for ${d.asOf}`, ''];
  const { stale, noData, dataThrough } = d.dataGaps;
  // Said first: "New at-risk accounts: 0" over a feed that stopped is no all-clear.
  if (stale + noData > 0)
    lines.push(
      `Not judged: ${leftOutByGap(stale, noData, (n) => plural(n, 'account'))}${dataThrough ? ` (newest data ${dataThrough})` : ''}; they cannot show as at risk until fresh data arrives.`,
    );
  lines.push(`New at-risk accounts: ${d.newAtRisk.length}`);
  for (const a of d.newAtRisk) lines.push(`  ${a.name} (${a.accountId}), ${arrText(a)}: ${a.items.join(', ')}`);
  const listed = d.tasksDue.length < d.tasksDueTotal ? ` (the first ${groupedCount(d.tasksDue.length)} listed)` : '';
  lines.push(`Tasks due: ${groupedCount(d.tasksDueTotal)}${listed}`);
  for (const t of d.tasksDue) lines.push(`  ${t.due}  ${t.name} (${t.accountId}): ${t.what}`);
  lines.push(
    `Renewals this month: ${d.renewalsThisMonth.length}${d.overdueRenewals > 0 ? ` (and ${plural(d.overdueRenewals, 'overdue renewal')})` : ''}`,
  );
  for (const r of d.renewalsThisMonth)
    lines.push(
      `  ${r.renewalDate}  ${r.name} (${r.accountId}), ${arrText(r)}, ${r.expectedRenewUsd === null ? 'no forecast' : `${money(r.expectedRenewUsd, 'USD')} expected to renew (USD)`}`,
    );
  return lines.join('\n');
}

export function registerDigest(program: Command): void {
  withGlobalOptions(program.command('digest'))
    .description('the morning digest (for cron): new at-risk accounts, tasks due, renewals this month')
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD; default today)')
    .option('--owner <email>', 'only accounts owned by this CSM')
    .action(async (options: { asOf?: string; owner?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const asOf = parseAsOf(options.asOf);
      const { db, path } = openDatabase(dbPath);
      try {
        await ensureScored(db, path, asOf, json);
        const digest = morningDigest(db, { asOf, owner: options.owner ?? null });
        emit(json, digest, () => digestText(digest));
      } finally {
        closeDatabase(db);
      }
    });
}
