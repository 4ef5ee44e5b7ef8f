/**
 * The window a trigger measures is a param, and both the CSM's evidence and the customer's words
 * follow it: with usage_drop.recentDays = 7 the item says "7-day mean" and the draft "the last
 * week", through the real scoring run, the stored facts and the real draft.
 */
import { describe, expect, it } from 'vitest';
import { withEventId } from '../../../src/domain/contract/event-id.ts';
import type { Db } from '../../../src/domain/db/open.ts';
import { accountsRepo } from '../../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../../src/domain/db/repos/contacts.ts';
import { eventsRepo } from '../../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../../src/domain/db/repos/metrics.ts';
import { isHoldout } from '../../../src/domain/interventions/holdout.ts';
import { buildDraft } from '../../../src/domain/outreach/draft.ts';
import { DEFAULT_TRIGGERS } from '../../../src/domain/risk/catalog.ts';
import { configRepo } from '../../../src/domain/risk/config-repo.ts';
import { dayNumber, dayString } from '../../../src/domain/risk/days.ts';
import { scoreAll } from '../../../src/domain/risk/score-all.ts';
import { sampleAccount, tempDb } from '../../support/temp.ts';

const AS_OF = '2026-03-31';
/** An account the holdout draw leaves out of the control group for this month (checked below). */
const ACCOUNT = 'acc_outreach';
const day = (offset: number) => dayString(dayNumber(AS_OF) + offset);

/** Ten active users a day until a week ago, then two: a drop both a 7- and a 14-day window see. */
function seed(db: Db) {
  accountsRepo(db).upsert(sampleAccount({ account_id: ACCOUNT, locale: 'en-US' }));
  contactsRepo(db).upsert({
    contact_id: 'c1',
    account_id: ACCOUNT,
    name: 'Ada King',
    email: 'ada@acme.example',
    role: null,
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  const metrics = metricsRepo(db);
  for (let o = -60; o <= 0; o++)
    metrics.upsert({
      account_id: ACCOUNT,
      metric: 'active_users',
      contact_id: '',
      date: day(o),
      value: o > -7 ? 2 : 10,
    });
  eventsRepo(db).upsert(
    withEventId({
      event_id: null,
      account_id: ACCOUNT,
      occurred_at: `${day(-3)}T12:00:00.000Z`,
      type: 'csm_touch',
      value: null,
      contact_id: 'c1',
      detail: null,
    }),
  );
}

function usageDropItem(db: Db) {
  return db
    .prepare<[string], { item_id: number; evidence: string }>(
      "SELECT item_id, evidence FROM risk_items WHERE account_id = ? AND trigger_id = 'usage_drop'",
    )
    .get(ACCOUNT);
}

function draftFor(db: Db, itemId: number): string {
  const draft = buildDraft(
    db,
    { accountId: ACCOUNT, riskItemId: itemId, channel: 'email' },
    new Date(`${AS_OF}T09:00:00Z`),
  );
  expect(draft.blocked).toBeNull();
  return draft.body ?? '';
}

describe('usage_drop.recentDays drives both wordings', () => {
  it('uses an account outside the control group, so a draft is written', () =>
    expect(isHoldout(ACCOUNT, 'usage_drop', AS_OF, DEFAULT_TRIGGERS.usage_drop.holdoutShare)).toBe(false));

  it('says "14-day mean" and "the last two weeks" by default', () => {
    const { db } = tempDb();
    seed(db);
    scoreAll(db, { asOf: AS_OF });
    const item = usageDropItem(db);
    expect(item?.evidence).toMatch(/^Active users 14-day mean /);
    expect(draftFor(db, item!.item_id)).toContain('Over the last two weeks, about');
  });

  it('says "7-day mean" and "the last week" once recentDays is 7', () => {
    const { db } = tempDb();
    seed(db);
    configRepo(db).save({ triggers: { usage_drop: { params: { recentDays: 7 } } } }, 'a week', `${AS_OF}T08:00:00Z`);
    scoreAll(db, { asOf: AS_OF });
    const item = usageDropItem(db);
    expect(item?.evidence).toMatch(/^Active users 7-day mean 2 vs the preceding 28-day mean 10/);
    const body = draftFor(db, item!.item_id);
    expect(body).toContain('Over the last week, about');
    expect(body).not.toContain('two weeks');
  });

  it('refuses a window of 0 days with a sentence naming the param', () => {
    const { db } = tempDb();
    expect(() =>
      configRepo(db).save({ triggers: { usage_drop: { params: { recentDays: 0 } } } }, null, `${AS_OF}T08:00:00Z`),
    ).toThrow(/^The “Usage drop” play’s recent window must be at least 1 day\. Nothing was saved\.$/);
  });
});
