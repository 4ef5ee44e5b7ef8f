/**
 * Risk items, the calls to action. One live item (open or in progress) per account and trigger,
 * kept up to date while the trigger keeps firing and resolved automatically, with the reason, when
 * it stops. A person can start, snooze, dismiss or resolve an item; a snoozed item stays live (so
 * nothing re-creates it) and is hidden until its date, and a dismissed or hand-resolved item
 * suppresses a new one until its condition has cleared once. Every status stay is logged in
 * risk_item_status_log.
 */
import { isHoldout } from '../interventions/holdout.ts';
import { recordLocalAction } from '../item-actions/record.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { UserFacingError } from '../errors.ts';
import { SNOOZE_REASON_MAX, snoozeUntilProblem } from '../../shared/dto/snooze.ts';
import { DEFAULT_TRIGGERS, isTriggerId, type TriggerId } from './catalog.ts';
import type { EffectiveTrigger } from './config.ts';
import type { FiredTrigger } from './evaluate.ts';
import type { TriggerCheck } from './triggers.ts';
import { isLive, isSnoozed, isSuppressing, type ItemStatus, type RiskItemRow } from './item-row.ts';

// The row and its status rules live in item-row.ts (light, for the readers); re-exported for the writers.
export { isLive, isSnoozed, isSuppressing };
export type { ItemStatus, RiskItemRow };

/** Triggers whose kind is "opportunity" (an upsell, not a risk of loss) do not put an account on the at-risk list. */
export function isRiskTrigger(id: string): boolean {
  return isTriggerId(id) && DEFAULT_TRIGGERS[id].kind !== 'opportunity';
}

/**
 * Whether the account is ranked on Today's at-risk list: its data is fresh and it is red or yellow
 * or a risk trigger asks for action. When every risk trigger that fired is snoozed or dismissed
 * (none actionable), the account leaves the list until a snooze ends, whatever its band: the
 * snooze dialog promises "Hidden from Today until the date".
 */
export function isListedAtRisk(account: {
  stale: boolean;
  band: string | null;
  fired: readonly string[];
  actionable: readonly string[];
}): boolean {
  if (account.stale) return false;
  if (account.actionable.some(isRiskTrigger)) return true;
  if (account.fired.some(isRiskTrigger)) return false;
  return account.band === 'red' || account.band === 'yellow';
}

export interface ItemChanges {
  opened: number;
  updated: number;
  resolved: number;
  suppressed: number;
}

const SELECT_RELEVANT = `SELECT * FROM risk_items WHERE (status IN ('open', 'in_progress') OR (condition_cleared_on IS NULL AND status IN ('dismissed', 'resolved')))`;

export const itemsRepo = perConnection((db: Db) => {
  const relevantAll = db.prepare<[], RiskItemRow>(`${SELECT_RELEVANT} ORDER BY account_id, trigger_id, item_id`);
  const relevantFor = db.prepare<[string], RiskItemRow>(
    `${SELECT_RELEVANT} AND account_id = ? ORDER BY trigger_id, item_id`,
  );
  const byId = db.prepare<[number], RiskItemRow>('SELECT * FROM risk_items WHERE item_id = ?');
  const liveFor = db.prepare<[string, string], RiskItemRow>(
    "SELECT * FROM risk_items WHERE account_id = ? AND trigger_id = ? AND status IN ('open', 'in_progress')",
  );
  const insert = db.prepare<
    Omit<
      RiskItemRow,
      'item_id' | 'snoozed_until' | 'snooze_reason' | 'closed_on' | 'close_reason' | 'condition_cleared_on' | 'status'
    >
  >(
    `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, facts_json, is_control, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
     VALUES (@account_id, @trigger_id, 'open', @priority, @tier, @evidence, @facts_json, @is_control, @first_fired_on, @last_fired_on, @status_changed_at, @created_at, @updated_at)`,
  );
  const refresh = db.prepare<{
    item_id: number;
    priority: number;
    tier: string;
    evidence: string;
    facts_json: string;
    last_fired_on: string;
    updated_at: string;
  }>(
    `UPDATE risk_items SET priority = @priority, tier = @tier, evidence = @evidence, facts_json = @facts_json, last_fired_on = @last_fired_on, updated_at = @updated_at
     WHERE item_id = @item_id AND (priority IS NOT @priority OR tier IS NOT @tier OR evidence IS NOT @evidence OR facts_json IS NOT @facts_json OR last_fired_on IS NOT @last_fired_on)`,
  );
  const touchSuppressor = db.prepare<{ day: string; item_id: number }>(
    'UPDATE risk_items SET last_fired_on = @day WHERE item_id = @item_id AND last_fired_on < @day',
  );
  const setStatus = db.prepare<{
    item_id: number;
    status: ItemStatus;
    closed_on: string | null;
    close_reason: string | null;
    condition_cleared_on: string | null;
    at: string;
  }>(
    `UPDATE risk_items SET status = @status, closed_on = @closed_on, close_reason = @close_reason, condition_cleared_on = @condition_cleared_on,
       status_changed_at = @at, updated_at = @at WHERE item_id = @item_id`,
  );
  const clearCondition = db.prepare<[string, number]>(
    'UPDATE risk_items SET condition_cleared_on = ? WHERE item_id = ? AND condition_cleared_on IS NULL',
  );
  const setSnooze = db.prepare<{ item_id: number; until: string | null; reason: string | null; at: string }>(
    'UPDATE risk_items SET snoozed_until = @until, snooze_reason = @reason, updated_at = @at WHERE item_id = @item_id',
  );
  const leaveStay = db.prepare<[string, number]>(
    'UPDATE risk_item_status_log SET left_at = ? WHERE item_id = ? AND left_at IS NULL',
  );
  const enterStay = db.prepare<[number, string, string, string | null]>(
    'INSERT INTO risk_item_status_log (item_id, status, entered_at, reason) VALUES (?, ?, ?, ?)',
  );
  const stays = db.prepare<
    [number],
    { status: string; entered_at: string; left_at: string | null; reason: string | null }
  >(
    'SELECT status, entered_at, left_at, reason FROM risk_item_status_log WHERE item_id = ? ORDER BY entered_at, rowid',
  );

  function changeStatus(
    item: RiskItemRow,
    status: ItemStatus,
    at: string,
    fields: { closedOn: string | null; reason: string | null; clearedOn: string | null },
  ) {
    setStatus.run({
      item_id: item.item_id,
      status,
      closed_on: fields.closedOn,
      close_reason: fields.reason,
      condition_cleared_on: fields.clearedOn,
      at,
    });
    leaveStay.run(at, item.item_id);
    enterStay.run(item.item_id, status, at, fields.reason);
  }

  return {
    relevant: (accountId?: string): RiskItemRow[] =>
      accountId === undefined ? relevantAll.all() : relevantFor.all(accountId),
    get: (itemId: number): RiskItemRow | undefined => byId.get(itemId),
    live: (accountId: string, triggerId: string): RiskItemRow | undefined => liveFor.get(accountId, triggerId),
    stays: (itemId: number) => stays.all(itemId),
    open(row: Parameters<typeof insert.run>[0], reason: string): number {
      const id = Number(insert.run(row).lastInsertRowid);
      enterStay.run(id, 'open', row.status_changed_at, reason);
      return id;
    },
    refresh: (row: Parameters<typeof refresh.run>[0]): boolean => refresh.run(row).changes > 0,
    touchSuppressor: (itemId: number, day: string) => void touchSuppressor.run({ day, item_id: itemId }),
    clearCondition: (itemId: number, day: string) => void clearCondition.run(day, itemId),
    changeStatus,
    snooze: (itemId: number, until: string | null, reason: string | null, at: string) =>
      void setSnooze.run({ item_id: itemId, until, reason, at }),
  };
});

export type ItemsRepo = ReturnType<typeof itemsRepo>;

export interface AccountFiring {
  accountId: string;
  fired: readonly FiredTrigger[];
  checks: readonly TriggerCheck[];
}

/** One write the item sync will make, planned during the read pass and applied in the write transaction. */
export type ItemOp =
  | { kind: 'open'; row: Parameters<ItemsRepo['open']>[0]; reason: string }
  | { kind: 'refresh'; row: Parameters<ItemsRepo['refresh']>[0] }
  | { kind: 'touch'; itemId: number }
  | { kind: 'resolve'; item: RiskItemRow; reason: string }
  | { kind: 'clear'; itemId: number };

export interface ItemPlan {
  ops: ItemOp[];
  /** Fired triggers that still ask for action once the plan is applied. */
  actionable: string[];
}

/**
 * What one account's items need so they match what fired on `asOf`. `existing` are its live and
 * suppressing items (from repo.relevant). Pure: nothing is written.
 */
export function planAccountItems(
  firing: AccountFiring,
  existing: readonly RiskItemRow[],
  context: {
    asOf: string;
    now: string;
    triggers: Record<TriggerId, EffectiveTrigger>;
    holdoutShare: (id: TriggerId) => number;
  },
): ItemPlan {
  const { asOf, now, triggers } = context;
  const ops: ItemOp[] = [];
  const actionable: string[] = [];
  const live = new Map<string, RiskItemRow>();
  const suppressing = new Map<string, RiskItemRow>();
  for (const item of existing) {
    if (isLive(item)) live.set(item.trigger_id, item);
    else if (isSuppressing(item)) suppressing.set(item.trigger_id, item);
  }
  const fired = new Set<string>();
  for (const f of firing.fired) {
    fired.add(f.id);
    const item = live.get(f.id);
    const factsJson = JSON.stringify(f.facts);
    if (item) {
      const lastFiredOn = maxDay(item.last_fired_on, asOf);
      if (
        item.priority !== f.priority ||
        item.tier !== f.tier ||
        item.evidence !== f.evidence ||
        item.facts_json !== factsJson ||
        item.last_fired_on !== lastFiredOn
      ) {
        ops.push({
          kind: 'refresh',
          row: {
            item_id: item.item_id,
            priority: f.priority,
            tier: f.tier,
            evidence: f.evidence,
            facts_json: factsJson,
            last_fired_on: lastFiredOn,
            updated_at: now,
          },
        });
      }
      if (!isSnoozed(item, asOf)) actionable.push(f.id);
      continue;
    }
    const blocker = suppressing.get(f.id);
    if (blocker) {
      if (blocker.last_fired_on < asOf) ops.push({ kind: 'touch', itemId: blocker.item_id });
      continue;
    }
    ops.push({
      kind: 'open',
      reason: `Fired: ${f.evidence}`,
      row: {
        account_id: firing.accountId,
        trigger_id: f.id,
        priority: f.priority,
        tier: f.tier,
        evidence: f.evidence,
        facts_json: factsJson,
        is_control: isHoldout(firing.accountId, f.id, asOf, context.holdoutShare(f.id)) ? 1 : 0,
        first_fired_on: asOf,
        last_fired_on: asOf,
        status_changed_at: now,
        created_at: now,
        updated_at: now,
      },
    });
    actionable.push(f.id);
  }
  const checks = new Map(firing.checks.map((c) => [c.id as string, c]));
  for (const item of live.values()) {
    if (fired.has(item.trigger_id)) continue;
    if (isTriggerId(item.trigger_id) && !triggers[item.trigger_id].enabled) {
      ops.push({
        kind: 'resolve',
        item,
        reason: 'Resolved automatically: the trigger was turned off in the score configuration.',
      });
      continue;
    }
    const check = checks.get(item.trigger_id);
    if (check)
      ops.push({
        kind: 'resolve',
        item,
        reason: `Resolved automatically on ${asOf}: the condition cleared. ${check.text}`,
      });
  }
  for (const item of suppressing.values()) {
    if (!fired.has(item.trigger_id) && checks.has(item.trigger_id)) ops.push({ kind: 'clear', itemId: item.item_id });
  }
  return { ops, actionable };
}

/** Applies planned item writes, counting them. */
export function applyItemOps(
  repo: ItemsRepo,
  ops: readonly ItemOp[],
  asOf: string,
  now: string,
  changes: ItemChanges,
): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'open': {
        // The ops were planned from the items read before this write transaction: another process's
        // rescore (an import beside a sync, the app beside the CLI) may have opened the same item
        // since. Opening it again broke the unique live item (QA 5 #3); it is refreshed instead.
        const live = repo.live(op.row.account_id, op.row.trigger_id);
        if (!live) {
          repo.open(op.row, op.reason);
          changes.opened++;
        } else if (
          repo.refresh({
            item_id: live.item_id,
            priority: op.row.priority,
            tier: op.row.tier,
            evidence: op.row.evidence,
            facts_json: op.row.facts_json,
            last_fired_on: maxDay(live.last_fired_on, op.row.last_fired_on),
            updated_at: op.row.updated_at,
          })
        )
          changes.updated++;
        break;
      }
      case 'refresh':
        if (repo.refresh(op.row)) changes.updated++;
        break;
      case 'touch':
        repo.touchSuppressor(op.itemId, asOf);
        changes.suppressed++;
        break;
      case 'resolve': {
        // Closed meanwhile by another process (its rescore, a person): nothing left to resolve.
        const current = repo.get(op.item.item_id);
        if (!current || !isLive(current)) break;
        repo.changeStatus(op.item, 'resolved', now, { closedOn: asOf, reason: op.reason, clearedOn: asOf });
        changes.resolved++;
        break;
      }
      case 'clear':
        repo.clearCondition(op.itemId, asOf);
        break;
    }
  }
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * The fired triggers that still ask for action on `asOf`: not snoozed past it and not held back by
 * a dismissal. Items are those of the account (any status).
 */
export function actionableTriggers(firedIds: readonly string[], items: readonly RiskItemRow[], asOf: string): string[] {
  return firedIds.filter((id) => {
    const mine = items.filter((i) => i.trigger_id === id);
    const live = mine.find(isLive);
    if (live) return !isSnoozed(live, asOf);
    return !mine.some(isSuppressing);
  });
}

// --- actions a person takes --------------------------------------------------------------------

function liveItemOrThrow(repo: ItemsRepo, itemId: number): RiskItemRow {
  const item = repo.get(itemId);
  if (!item) throw new UserFacingError('RISK_ITEM_NOT_FOUND', `There is no risk item ${itemId}.`);
  if (!isLive(item)) throw new UserFacingError('RISK_ITEM_CLOSED', `Risk item ${itemId} is already ${item.status}.`);
  return item;
}

export function startItem(db: Db, itemId: number, now: string): RiskItemRow {
  const repo = itemsRepo(db);
  return db.transaction(() => {
    const item = liveItemOrThrow(repo, itemId);
    if (item.status === 'open') {
      repo.changeStatus(item, 'in_progress', now, {
        closedOn: null,
        reason: 'Started',
        clearedOn: item.condition_cleared_on,
      });
      recordLocalAction(db, { accountId: item.account_id, triggerId: item.trigger_id, action: 'start', at: now });
    }
    return repo.get(itemId)!;
  })();
}

export function snoozeItem(
  db: Db,
  itemId: number,
  input: { until: string; reason: string; asOf: string; now: string },
): RiskItemRow {
  // The same bounds for every caller (the API's schema, the CLI, a colleague's action): src/shared/dto/snooze.ts.
  const reason = input.reason.trim();
  if (!reason)
    throw new UserFacingError('SNOOZE_REASON_REQUIRED', 'Say why the item is snoozed, so whoever sees it next knows.');
  if (reason.length > SNOOZE_REASON_MAX)
    throw new UserFacingError(
      'SNOOZE_REASON_TOO_LONG',
      `Keep the snooze reason to ${SNOOZE_REASON_MAX.toLocaleString('en')} characters (it has ${reason.length.toLocaleString('en')}); put longer context in a note.`,
    );
  const repo = itemsRepo(db);
  return db.transaction(() => {
    const item = liveItemOrThrow(repo, itemId);
    const renewal = accountsRepo(db).get(item.account_id)?.renewal_date ?? null;
    const problem = snoozeUntilProblem(input.until, input.asOf, renewal);
    if (problem) throw new UserFacingError(input.until <= input.asOf ? 'SNOOZE_DATE_PAST' : 'SNOOZE_TOO_LONG', problem);
    repo.snooze(itemId, input.until, reason, input.now);
    recordLocalAction(db, {
      accountId: item.account_id,
      triggerId: item.trigger_id,
      action: 'snooze',
      at: input.now,
      snoozeUntil: input.until,
      reason,
    });
    return repo.get(itemId)!;
  })();
}

export function unsnoozeItem(db: Db, itemId: number, now: string): RiskItemRow {
  const repo = itemsRepo(db);
  return db.transaction(() => {
    const item = liveItemOrThrow(repo, itemId);
    repo.snooze(itemId, null, null, now);
    // Shared with the team as "reopen": it clears the snooze and keeps a live item's status.
    recordLocalAction(db, { accountId: item.account_id, triggerId: item.trigger_id, action: 'reopen', at: now });
    return repo.get(itemId)!;
  })();
}

/** Dismissed or resolved by hand: closed now, and no new item for this trigger until its condition clears. */
export function closeItem(
  db: Db,
  itemId: number,
  input: { status: 'dismissed' | 'resolved'; reason: string | null; asOf: string; now: string },
): RiskItemRow {
  const repo = itemsRepo(db);
  return db.transaction(() => {
    const item = liveItemOrThrow(repo, itemId);
    const reason = input.reason?.trim() || (input.status === 'dismissed' ? 'Dismissed' : 'Resolved by hand');
    repo.changeStatus(item, input.status, input.now, { closedOn: input.asOf, reason, clearedOn: null });
    recordLocalAction(db, {
      accountId: item.account_id,
      triggerId: item.trigger_id,
      action: input.status === 'dismissed' ? 'dismiss' : 'resolve',
      at: input.now,
      reason: input.reason?.trim() || null,
    });
    return repo.get(itemId)!;
  })();
}

export interface StatusStay {
  status: string;
  enteredAt: string;
  leftAt: string | null;
  reason: string | null;
  /** Whole days in the status (to `now` for the current stay). */
  days: number;
}

export function statusStays(db: Db, itemId: number, now: string): StatusStay[] {
  const end = Date.parse(now);
  return itemsRepo(db)
    .stays(itemId)
    .map((s) => ({
      status: s.status,
      enteredAt: s.entered_at,
      leftAt: s.left_at,
      reason: s.reason,
      days: Math.max(
        0,
        Math.floor(((s.left_at ? Date.parse(s.left_at) : end) - Date.parse(s.entered_at)) / 86_400_000),
      ),
    }));
}
