/**
 * After a touch logged in Foresight (an activity, a message sent), the account's score is redone at
 * once so the last touch and the relationship component change on screen. When today's snapshot is
 * not current the whole-book job is started instead (it includes the account).
 */
import { todayIso } from '../../domain/contract/dates.ts';
import { rescoreAfterChange, snapshotStaleness } from '../../domain/risk/rescore.ts';
import type { AppContext } from '../context.ts';
import { scheduleScoring } from '../handlers/risk.ts';

export function rescoreTouchedAccount(ctx: AppContext, accountId: string): void {
  const asOf = todayIso(ctx.now());
  if (snapshotStaleness(ctx.db, asOf) === 'current')
    rescoreAfterChange(ctx.db, { accountIds: [accountId], asOf, now: ctx.now().toISOString() });
  else void scheduleScoring(ctx, asOf).catch(() => undefined);
  ctx.emit({ type: 'data-changed', kinds: ['events', 'risk', 'interventions'] });
}
