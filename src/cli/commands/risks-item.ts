import type { Command } from 'commander';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { itemDto } from '../../domain/risk/account-view.ts';
import { closeItem, snoozeItem, startItem, unsnoozeItem, type RiskItemRow } from '../../domain/risk/items.ts';
import { refreshAccountVisibility } from '../../domain/risk/visibility.ts';
import { emit, UsageError } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

type Action = 'start' | 'snooze' | 'unsnooze' | 'dismiss' | 'resolve';
const ACTIONS: readonly Action[] = ['start', 'snooze', 'unsnooze', 'dismiss', 'resolve'];

export function registerRiskItem(program: Command): void {
  withGlobalOptions(program.command('risk-item'))
    .description('act on a risk item: start, snooze (--until, --reason), unsnooze, dismiss or resolve (--reason)')
    .argument('<action>', ACTIONS.join('|'))
    .argument('<item-id>', 'the risk item number', parseIntOption('<item-id>', 1, Number.MAX_SAFE_INTEGER))
    .option('--until <date>', 'snooze until this day (YYYY-MM-DD)')
    .option('--reason <text>', 'why (required to snooze)')
    .action((action: string, itemId: number, options: { until?: string; reason?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!(ACTIONS as readonly string[]).includes(action))
        throw new UsageError(`The action must be one of ${ACTIONS.join(', ')}, not "${action}".`);
      const now = new Date();
      const asOf = todayIso(now);
      const { db } = openDatabase(dbPath);
      try {
        let item: RiskItemRow;
        switch (action as Action) {
          case 'start':
            item = startItem(db, itemId, now.toISOString());
            break;
          case 'snooze':
            if (!options.until || !isIsoDay(options.until)) throw new UsageError('Snoozing needs --until YYYY-MM-DD.');
            if (!options.reason?.trim())
              throw new UsageError('Snoozing needs --reason, so whoever sees the item next knows why.');
            item = snoozeItem(db, itemId, {
              until: options.until,
              reason: options.reason,
              asOf,
              now: now.toISOString(),
            });
            break;
          case 'unsnooze':
            item = unsnoozeItem(db, itemId, now.toISOString());
            break;
          case 'dismiss':
          case 'resolve':
            item = closeItem(db, itemId, {
              status: action === 'dismiss' ? 'dismissed' : 'resolved',
              reason: options.reason ?? null,
              asOf,
              now: now.toISOString(),
            });
            break;
        }
        refreshAccountVisibility(db, item.account_id);
        const dto = itemDto(db, item, asOf, now.toISOString());
        emit(
          json,
          dto,
          () =>
            `Risk item #${dto.itemId} (${dto.triggerId} on ${dto.accountId}) is ${dto.status}${dto.snoozed ? `, snoozed until ${dto.snoozedUntil}` : ''}.`,
        );
      } finally {
        closeDatabase(db);
      }
    });
}
