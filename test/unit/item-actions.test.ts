/**
 * The item-action log and its merge rule: every local status action is logged (with the user's
 * email), a colleague's action is stored once and applied by "latest at, then greatest id", two
 * laptops that receive the same actions in different orders end in the same state, and an action
 * older than the day an item opened does not touch it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { META_KEYS, metaRepo } from '../../src/domain/db/repos/meta.ts';
import { applyEpisode, foldActions, OPENED, snoozedByColleague } from '../../src/domain/item-actions/merge.ts';
import { itemActionsRepo, ITEM_ACTIONS, type ItemActionRow } from '../../src/domain/item-actions/repo.ts';
import { closeItem, itemsRepo, snoozeItem, startItem, unsnoozeItem } from '../../src/domain/risk/items.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const NOW = '2026-03-10T10:00:00.000Z';

function bookWithItem(openedOn = '2026-03-10'): { db: Db; itemId: number } {
  const { db } = tempDb();
  accountsRepo(db).upsert(sampleAccount());
  const itemId = itemsRepo(db).open(
    {
      account_id: 'acc_1',
      trigger_id: 'usage_drop',
      priority: 2,
      tier: 'human',
      evidence: 'Usage fell',
      facts_json: '{}',
      is_control: 0,
      first_fired_on: openedOn,
      last_fired_on: openedOn,
      status_changed_at: `${openedOn}T06:00:00.000Z`,
      created_at: `${openedOn}T06:00:00.000Z`,
      updated_at: `${openedOn}T06:00:00.000Z`,
    },
    'Fired',
  );
  return { db, itemId };
}

const remote = (overrides: Partial<ItemActionRow>): ItemActionRow => ({
  action_id: 'act_r1',
  account_id: 'acc_1',
  trigger_id: 'usage_drop',
  action: 'snooze',
  at: '2026-03-10T11:00:00.000Z',
  snooze_until: '2026-03-20',
  reason: 'On holiday',
  actor_email: 'dana@example.com',
  origin: 'team',
  received_at: NOW,
  ...overrides,
});

const log = (db: Db) =>
  db.prepare('SELECT action, snooze_until, reason, actor_email, origin FROM item_actions ORDER BY at, action_id').all();

describe('the local item-action log', () => {
  it('records start, snooze, reopen, dismiss with the user as actor, each with its own act_ id', () => {
    const { db, itemId } = bookWithItem();
    metaRepo(db).set(META_KEYS.ownerIdentity, 'me@example.com');
    startItem(db, itemId, '2026-03-10T10:00:00.000Z');
    startItem(db, itemId, '2026-03-10T10:01:00.000Z'); // already started: no second action
    snoozeItem(db, itemId, {
      until: '2026-03-15',
      reason: ' Waiting ',
      asOf: '2026-03-10',
      now: '2026-03-10T10:02:00.000Z',
    });
    unsnoozeItem(db, itemId, '2026-03-10T10:03:00.000Z');
    closeItem(db, itemId, { status: 'dismissed', reason: null, asOf: '2026-03-10', now: '2026-03-10T10:04:00.000Z' });
    expect(log(db)).toEqual([
      { action: 'start', snooze_until: null, reason: null, actor_email: 'me@example.com', origin: 'local' },
      {
        action: 'snooze',
        snooze_until: '2026-03-15',
        reason: 'Waiting',
        actor_email: 'me@example.com',
        origin: 'local',
      },
      { action: 'reopen', snooze_until: null, reason: null, actor_email: 'me@example.com', origin: 'local' },
      { action: 'dismiss', snooze_until: null, reason: null, actor_email: 'me@example.com', origin: 'local' },
    ]);
    const ids = db.prepare('SELECT action_id FROM item_actions').pluck().all() as string[];
    expect(ids.every((id) => /^act_[0-9a-f-]{36}$/.test(id))).toBe(true);
  });

  it('logs nothing when the action is refused', () => {
    const { db, itemId } = bookWithItem();
    expect(() => snoozeItem(db, itemId, { until: '2026-03-01', reason: 'x', asOf: '2026-03-10', now: NOW })).toThrow(
      /after 2026-03-10/,
    );
    expect(log(db)).toEqual([]);
  });
});

describe('applying a colleague’s actions', () => {
  it('stores an action once and applies a snooze, saying who snoozed', () => {
    const { db, itemId } = bookWithItem();
    const repo = itemActionsRepo(db);
    expect(repo.add(remote({}))).toBe(true);
    expect(repo.add(remote({ reason: 'changed' }))).toBe(false);
    expect(applyEpisode(db, 'acc_1', 'usage_drop', NOW)).toBe(true);
    const item = itemsRepo(db).get(itemId)!;
    expect(item).toMatchObject({ status: 'open', snoozed_until: '2026-03-20', snooze_reason: 'On holiday' });
    expect(snoozedByColleague(db, item)).toBe('dana@example.com');
    expect(applyEpisode(db, 'acc_1', 'usage_drop', NOW)).toBe(false);
  });

  it('lets the later action win over a local one, and a tie go to the greater id', () => {
    const { db, itemId } = bookWithItem();
    snoozeItem(db, itemId, {
      until: '2026-03-15',
      reason: 'Mine',
      asOf: '2026-03-10',
      now: '2026-03-10T10:00:00.000Z',
    });
    itemActionsRepo(db).add(
      remote({
        action_id: 'act_zz',
        action: 'dismiss',
        snooze_until: null,
        reason: 'Duplicate',
        at: '2026-03-10T12:00:00.000Z',
      }),
    );
    itemActionsRepo(db).add(
      remote({
        action_id: 'act_aa',
        action: 'start',
        snooze_until: null,
        reason: null,
        at: '2026-03-10T12:00:00.000Z',
      }),
    );
    applyEpisode(db, 'acc_1', 'usage_drop', NOW);
    expect(itemsRepo(db).get(itemId)).toMatchObject({ status: 'dismissed', close_reason: 'Duplicate' });
    // An older colleague action changes nothing: the dismissal is still the latest.
    itemActionsRepo(db).add(
      remote({ action_id: 'act_old', action: 'reopen', snooze_until: null, at: '2026-03-10T09:00:00.000Z' }),
    );
    applyEpisode(db, 'acc_1', 'usage_drop', NOW);
    expect(itemsRepo(db).get(itemId)!.status).toBe('dismissed');
    // A later reopen brings the item back to open, without the snooze.
    itemActionsRepo(db).add(
      remote({ action_id: 'act_new', action: 'reopen', snooze_until: null, at: '2026-03-10T13:00:00.000Z' }),
    );
    applyEpisode(db, 'acc_1', 'usage_drop', NOW);
    expect(itemsRepo(db).get(itemId)).toMatchObject({ status: 'open', snoozed_until: null, closed_on: null });
  });

  it('never applies an action from before the item opened here', () => {
    const { db, itemId } = bookWithItem('2026-03-10');
    itemActionsRepo(db).add(remote({ action: 'dismiss', snooze_until: null, at: '2026-03-09T23:59:59.000Z' }));
    expect(applyEpisode(db, 'acc_1', 'usage_drop', NOW)).toBe(false);
    expect(itemsRepo(db).get(itemId)!.status).toBe('open');
  });

  it('converges: any two arrival orders of the same actions give the same state', () => {
    const action = fc.record({
      action: fc.constantFrom(...ITEM_ACTIONS),
      minute: fc.integer({ min: 0, max: 5 }),
      id: fc.integer({ min: 0, max: 9999 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(action, { selector: (a) => a.id, maxLength: 8 }),
        fc.infiniteStream(fc.nat()),
        (specs, seeds) => {
          const actions = specs.map((s) =>
            remote({
              action_id: `act_${String(s.id).padStart(4, '0')}`,
              action: s.action,
              at: `2026-03-10T10:0${s.minute}:00.000Z`,
              snooze_until: s.action === 'snooze' ? `2026-03-${20 + s.minute}` : null,
            }),
          );
          const shuffled = [...actions].sort(() => (seeds.next().value % 3) - 1);
          expect(foldActions(OPENED, shuffled).state).toEqual(foldActions(OPENED, actions).state);
          // And the state is that of the latest action.
          const latest = [...actions].sort((a, b) => (a.at + a.action_id < b.at + b.action_id ? -1 : 1)).at(-1);
          const { state } = foldActions(OPENED, actions);
          if (latest?.action === 'dismiss') expect(state.status).toBe('dismissed');
          if (latest?.action === 'resolve') expect(state.status).toBe('resolved');
          if (latest?.action === 'start') expect(state.status).toBe('in_progress');
          if (latest?.action === 'snooze') expect(state.snoozedUntil).toBe(latest.snooze_until);
          if (latest?.action === 'reopen') expect(state.snoozedUntil).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
