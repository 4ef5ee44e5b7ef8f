import type { Command } from 'commander';
import { accountsGrid } from '../../domain/accounts/grid.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import {
  ACCOUNT_STATUSES,
  GRID_SORTS,
  type AccountStatus,
  type GridRow,
  type GridSort,
} from '../../shared/dto/accounts-grid.ts';
import { DATA_GAP_WORDS } from '../../shared/dto/data-gap.ts';
import { emit, UsageError } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';
import { ensureScored, money, parseAsOf } from './risks.ts';
import { pChurnText } from '../../shared/p-churn.ts';

interface AccountsOptions {
  band?: string;
  status: string;
  segment?: string;
  owner?: string;
  search?: string;
  sort: string;
  asc?: boolean;
  top: number;
  asOf?: string;
}

const BANDS = ['red', 'yellow', 'green'] as const;
const STATUSES = [...ACCOUNT_STATUSES, 'all'] as const;

function line(r: GridRow): string {
  const health =
    r.status === 'churned'
      ? `churned${r.churnedOn ? ` ${r.churnedOn}` : ''}`
      : r.score === null || r.band === null
        ? `no score (${r.dataGap === null ? 'not scored' : DATA_GAP_WORDS[r.dataGap]})`
        : `${r.score} ${r.band}`;
  const churn = r.pChurn === null ? '  P(churn) —' : `  P(churn) ${pChurnText(r.pChurn)}`;
  const age = r.dataAgeDays === null ? 'no data' : `data ${r.dataAgeDays} d old`;
  return `${r.name} (${r.accountId})  ${money(r.arr, r.currency)} ARR  ${health}${churn}  renews ${r.renewalDate ?? '—'}  last touch ${r.lastTouchOn ?? 'never'}  ${age}  ${r.owner ?? 'unassigned'}`;
}

export function registerAccounts(program: Command): void {
  withGlobalOptions(program.command('accounts'))
    .description('every account with health, band, P(churn), ARR (sorted in USD), renewal, last touch and data age')
    .option('--band <band>', BANDS.join('|'))
    .option('--status <status>', `${STATUSES.join('|')} (default active, as the app lists them)`, 'active')
    .option('--segment <segment>', 'only this segment')
    .option('--owner <email>', 'only accounts owned by this CSM')
    .option('--search <text>', 'name, account id or owner email contains this')
    .option('--sort <column>', GRID_SORTS.join('|'), 'arr')
    .option('--asc', 'ascending (default: descending)')
    .option('--top <n>', 'at most this many accounts', parseIntOption('--top', 1, 100_000), 50)
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD; default today)')
    .action(async (options: AccountsOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.band !== undefined && !(BANDS as readonly string[]).includes(options.band))
        throw new UsageError(`--band must be one of ${BANDS.join(', ')}, not "${options.band}".`);
      if (!(STATUSES as readonly string[]).includes(options.status))
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, not "${options.status}".`);
      if (!(GRID_SORTS as readonly string[]).includes(options.sort))
        throw new UsageError(`--sort must be one of ${GRID_SORTS.join(', ')}, not "${options.sort}".`);
      const asOf = parseAsOf(options.asOf);
      const { db, path } = openDatabase(dbPath);
      try {
        await ensureScored(db, path, asOf, json);
        const page = accountsGrid(db, {
          asOf,
          search: options.search ?? '',
          band: (options.band as (typeof BANDS)[number] | undefined) ?? null,
          segment: options.segment ?? null,
          status: options.status === 'all' ? null : (options.status as AccountStatus),
          owner: options.owner ?? null,
          sort: options.sort as GridSort,
          direction: options.asc ? 'asc' : 'desc',
          offset: 0,
          limit: options.top,
        });
        emit(json, page, () =>
          [
            `${page.total} account${page.total === 1 ? '' : 's'}${page.rows.length < page.total ? `, the first ${page.rows.length} shown` : ''}; ARR sorted in USD at the configured rates.`,
            ...page.rows.map(line),
          ].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
