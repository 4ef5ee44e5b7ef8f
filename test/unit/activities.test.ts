/**
 * Activities on a real demo book: a call logged today is a CSM touch the risk engine sees at once
 * (last touch, the relationship component), a note is not, bad input is one sentence, and outreach
 * marked as sent is a touch that puts its risk item in progress.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActivity, listActivities } from '../../src/domain/activities/activities.ts';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { markSent } from '../../src/domain/outreach/send.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { rescoreAfterChange } from '../../src/domain/risk/rescore.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';

const AS_OF = '2026-03-10';
const NOW = new Date(`${AS_OF}T10:00:00Z`);

let db: Db;
let dir: string;
const relationship = (accountId: string) =>
  accountRisk(db, accountId, AS_OF, NOW.toISOString()).components.find((c) => c.id === 'relationship')!;

/** A live account whose last touch is weeks old, so a call today must raise the relationship score. */
function staleTouchAccount(): string {
  const rows = db
    .prepare<[], { account_id: string }>("SELECT account_id FROM accounts WHERE status = 'active' ORDER BY account_id")
    .all();
  for (const { account_id } of rows) {
    const c = relationship(account_id);
    if (c.score !== null && typeof c.inputs.daysSinceTouch === 'number' && c.inputs.daysSinceTouch > 30)
      return account_id;
  }
  throw new Error('the demo book has no account without a recent touch');
}

// One book for the file (the helpers in test/support close theirs after each test).
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-activities-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 80, seed: 7, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('logging an activity', () => {
  it('makes a call a CSM touch: the last touch and the relationship component move at once', () => {
    const accountId = staleTouchAccount();
    const before = relationship(accountId);
    const contact = db
      .prepare<[string], { contact_id: string; name: string }>(
        'SELECT contact_id, name FROM contacts WHERE account_id = ? LIMIT 1',
      )
      .get(accountId)!;

    const row = addActivity(
      db,
      {
        accountId,
        type: 'call',
        contactId: contact.contact_id,
        summary: 'Walked through the renewal',
        outcome: 'QBR booked',
      },
      NOW,
    );
    rescoreAfterChange(db, { accountIds: [accountId], asOf: AS_OF, now: NOW.toISOString() });

    const after = relationship(accountId);
    expect(row.is_touch).toBe(true);
    expect(after.inputs.daysSinceTouch).toBe(0);
    expect(after.score!).toBeGreaterThan(before.score!);
    const touch = db
      .prepare<[string], { type: string; detail: string }>('SELECT type, detail FROM events WHERE event_id = ?')
      .get(`touch_${row.activity_id}`);
    expect(touch).toEqual({
      type: 'csm_touch',
      detail: `Call with ${contact.name}: Walked through the renewal (outcome: QBR booked)`,
    });
    const timeline = accountRisk(db, accountId, AS_OF, NOW.toISOString()).timeline;
    expect(timeline.some((e) => e.detail === touch!.detail)).toBe(true);
    expect(listActivities(db, accountId)[0]).toMatchObject({
      activity_id: row.activity_id,
      contact_name: contact.name,
    });
  });

  it('keeps a note off the touches', () => {
    const accountId = staleTouchAccount();
    const before = relationship(accountId).inputs.lastTouchOn;
    const note = addActivity(db, { accountId, type: 'note', summary: 'Champion is on leave until May' }, NOW);
    rescoreAfterChange(db, { accountIds: [accountId], asOf: AS_OF, now: NOW.toISOString() });
    expect(note.is_touch).toBe(false);
    expect(relationship(accountId).inputs.lastTouchOn).toBe(before);
  });

  it('answers bad input with one sentence naming the field', () => {
    const accountId = staleTouchAccount();
    expect(() => addActivity(db, { accountId, type: 'call', summary: '  ' }, NOW)).toThrow(/Write a summary/);
    expect(() => addActivity(db, { accountId, type: 'call', summary: 'x', at: '2026-03-11' }, NOW)).toThrow(
      /2026-03-11 is in the future/,
    );
    expect(() => addActivity(db, { accountId, type: 'call', summary: 'x', at: 'last week' }, NOW)).toThrow(
      /"last week" is not a date/,
    );
    expect(() => addActivity(db, { accountId, type: 'call', summary: 'x', contactId: 'nobody' }, NOW)).toThrow(
      /has no contact with the id "nobody"/,
    );
    expect(() => addActivity(db, { accountId: 'missing', type: 'call', summary: 'x' }, NOW)).toThrow(
      /no account with the id "missing"/,
    );
    // @ts-expect-error an unknown type, as a script might send
    expect(() => addActivity(db, { accountId, type: 'lunch', summary: 'x' }, NOW)).toThrow(/must be one of call/);
  });

  it('counts outreach marked as sent as a touch and puts its risk item in progress', () => {
    const item = db
      .prepare<[], { item_id: number; account_id: string; trigger_id: string }>(
        "SELECT item_id, account_id, trigger_id FROM risk_items WHERE status = 'open' AND is_control = 0 ORDER BY item_id LIMIT 1",
      )
      .get()!;
    const logged = markSent(
      db,
      {
        accountId: item.account_id,
        triggerId: item.trigger_id,
        riskItemId: item.item_id,
        channel: 'email',
        subject: 'Your card',
      },
      NOW,
    );
    rescoreAfterChange(db, { accountIds: [item.account_id], asOf: AS_OF, now: NOW.toISOString() });
    expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(item.item_id)).toBe('in_progress');
    expect(
      db.prepare('SELECT detail FROM events WHERE event_id = ?').pluck().get(`touch_${logged.interventionId}`),
    ).toBe('Email sent from Foresight: “Your card”');
    expect(relationship(item.account_id).inputs.daysSinceTouch).toBe(0);
  });
});
