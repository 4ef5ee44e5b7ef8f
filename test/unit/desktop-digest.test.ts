import { describe, expect, it } from 'vitest';
import { dueDigestNotification } from '../../src/app/digest-notification.ts';
import { DEFAULT_PREFERENCES, type Preferences } from '../../src/app/preferences.ts';
import { buildDigestNotification, formatMoneyCompact } from '../../src/domain/desktop/digest.ts';
import { desktopRepo } from '../../src/domain/desktop/repo.ts';
import type { MorningDigest } from '../../src/shared/dto/digest.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const digest = (parts: Partial<MorningDigest> = {}): MorningDigest => ({
  asOf: '2025-03-02',
  dataGaps: { stale: 0, noData: 0, dataThrough: '2025-03-02' },
  newAtRisk: [],
  tasksDue: [],
  renewalsThisMonth: [],
  overdueRenewals: 0,
  ...parts,
  tasksDueTotal: parts.tasksDueTotal ?? parts.tasksDue?.length ?? 0,
});
const atRisk = (arrUsd: number) => ({
  accountId: 'a',
  name: 'A',
  owner: null,
  arr: arrUsd,
  currency: 'USD',
  arrUsd,
  items: ['Usage drop'],
});
const task = { accountId: 'a', name: 'A', kind: 'snooze_ends' as const, due: '2025-03-02', what: 'Snooze ends' };
const renewal = (arrUsd: number) => ({
  accountId: 'a',
  name: 'A',
  renewalDate: '2025-03-20',
  arr: arrUsd,
  currency: 'USD',
  arrUsd,
  expectedRenewUsd: null,
});

describe('digest notification text', () => {
  it('says what is new, what is due and what renews this month, in one line', () => {
    expect(
      buildDigestNotification(
        digest({
          newAtRisk: [atRisk(300_000), atRisk(120_000)],
          tasksDue: [task, task, task],
          renewalsThisMonth: [renewal(1_000_000), renewal(250_000), renewal(0), renewal(0)],
        }),
      ),
    ).toEqual({
      title: 'Your Foresight morning digest',
      body: '2 new at-risk accounts ($420K ARR) · 3 tasks due · 4 renewals this month ($1.3M)',
    });
  });

  it('uses the singular and leaves out what is empty', () => {
    expect(buildDigestNotification(digest({ newAtRisk: [atRisk(12_400)] }))?.body).toBe(
      '1 new at-risk account ($12.4K ARR)',
    );
    expect(buildDigestNotification(digest({ tasksDue: [task] }))?.body).toBe('1 task due');
    // Data that stopped arriving is something to say, and said first.
    expect(
      buildDigestNotification(digest({ dataGaps: { stale: 16, noData: 0, dataThrough: '2024-03-31' } }))?.body,
    ).toBe('16 accounts with stale data');
    expect(
      buildDigestNotification(digest({ dataGaps: { stale: 1, noData: 2, dataThrough: null }, tasksDue: [task] }))?.body,
    ).toBe('1 account with stale data and 2 accounts with no data · 1 task due');
    // The count is the true one, not the capped list's length.
    expect(buildDigestNotification(digest({ tasksDue: [task], tasksDueTotal: 8289 }))?.body).toBe('8,289 tasks due');
    expect(buildDigestNotification(digest({ renewalsThisMonth: [renewal(0)] }))?.body).toBe('1 renewal this month');
  });

  it('sends nothing when there is nothing to say', () => {
    expect(buildDigestNotification(digest({ overdueRenewals: 4 }))).toBeNull();
  });

  it('formats money compactly', () => {
    const usd = (amount: number) => formatMoneyCompact({ currency: 'USD', amount });
    expect(usd(950)).toBe('$950');
    expect(usd(1_000)).toBe('$1K');
    expect(usd(420_000)).toBe('$420K');
    expect(usd(999_999)).toBe('$1M');
    expect(usd(2_000_000)).toBe('$2M');
    expect(usd(3_450_000_000)).toBe('$3.5B');
    expect(formatMoneyCompact({ currency: 'gbp', amount: 5_000 })).toBe('£5K');
    expect(formatMoneyCompact({ currency: 'EUR', amount: 80_000 }, 'de-DE')).toBe('80.000\u00a0€');
    expect(formatMoneyCompact({ currency: 'not money', amount: 5_000 })).toBe('5K NOT MONEY');
  });
});

describe('the digest notification and the badge on a real book (risk_items)', () => {
  function seed() {
    const { db } = tempDb();
    const insertAccount = db.prepare(
      'INSERT INTO accounts (account_id, name, owner_email, arr, currency, status) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const a = sampleAccount();
    insertAccount.run('a1', a.name, 'me@example.com', 100_000, 'USD', 'active');
    insertAccount.run('a2', 'B', 'me@example.com', 320_000, 'USD', 'active');
    insertAccount.run('a3', 'C', 'other@example.com', 50_000, 'EUR', 'active');
    insertAccount.run('a4', 'D', 'me@example.com', 999_000, 'USD', 'churned');
    insertAccount.run('a5', 'E', 'me@example.com', 77_000, 'USD', 'active');
    insertAccount.run('a6', 'F', 'me@example.com', 500_000, 'USD', 'active');
    const insertItem =
      db.prepare(`INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, is_control, first_fired_on, last_fired_on, snoozed_until, status_changed_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'human', 'x', ?, ?, ?, ?, 't', 't', 't')`);
    insertItem.run('a1', 'usage_drop', 'open', 1, 0, '2025-03-02', '2025-03-02', null);
    insertItem.run('a1', 'seat_drop', 'open', 2, 0, '2025-03-02', '2025-03-02', null); // same account: counted once
    insertItem.run('a2', 'champion_left', 'in_progress', 3, 0, '2025-03-02', '2025-03-02', null);
    insertItem.run('a3', 'detractor', 'open', 1, 0, '2025-03-02', '2025-03-02', null);
    insertItem.run('a4', 'renewal_at_risk', 'open', 1, 0, '2025-03-02', '2025-03-02', null); // churned account
    insertItem.run('a5', 'usage_drop', 'open', 1, 1, '2025-03-02', '2025-03-02', null); // holdout control item
    insertItem.run('a5', 'payment_failing', 'open', 1, 0, '2025-02-10', '2025-03-02', null); // old item
    insertItem.run('a2', 'payment_failing', 'open', 1, 0, '2025-02-10', '2025-03-02', '2025-03-10'); // snoozed
    insertItem.run('a2', 'silent_churn', 'resolved', 1, 0, '2025-03-02', '2025-03-02', null); // closed
    insertItem.run('a6', 'milestone_reached', 'open', 5, 0, '2025-03-02', '2025-03-02', null); // good news, not a risk
    return db;
  }

  const prefs = (notifications: Partial<Preferences['notifications']> = {}, ownerEmail: string | null = null) => ({
    ...DEFAULT_PREFERENCES,
    identity: { ownerEmail, displayName: null },
    notifications: { ...DEFAULT_PREFERENCES.notifications, ...notifications },
  });
  const at = (day: number, hour: number) => new Date(2025, 2, day, hour, 0);

  it('is sent once a day at the preference time, with the accounts newly at risk (not churned, control or good news)', () => {
    const db = seed();
    expect(dueDigestNotification(db, prefs({ digestTime: '09:00' }), at(2, 8))).toBeNull();
    // a1 (two items, counted once), a2 (in progress) and a3 (€50K at the configured rate).
    const first = dueDigestNotification(db, prefs({ digestTime: '09:00' }), at(2, 9));
    expect(first?.body).toMatch(/^3 new at-risk accounts \(\$4\d\d(\.\d)?K ARR\)$/);
    expect(dueDigestNotification(db, prefs({ digestTime: '09:00' }), at(2, 17))).toBeNull();
    // The next day, items fired on the last digest's day are not new again: nothing to say.
    expect(dueDigestNotification(db, prefs({ digestTime: '09:00' }), at(3, 9))).toBeNull();
  });

  it('narrows to "my accounts" from the preference, and is not sent when turned off', () => {
    expect(dueDigestNotification(seed(), prefs({}, 'me@example.com'), at(2, 10))?.body).toBe(
      '2 new at-risk accounts ($420K ARR)',
    );
    expect(dueDigestNotification(seed(), prefs({ dailyDigest: false }), at(2, 10))).toBeNull();
    expect(dueDigestNotification(seed(), prefs({ enabled: false }), at(2, 10))).toBeNull();
  });

  it('badges open priority 1–2 items of active accounts that are not control, snoozed or closed; "my accounts" when an owner is set', () => {
    const repo = desktopRepo(seed());
    // a1×2, a3, a5's old item (not a4: churned; not a5's control item; not a2's snoozed or in-progress ones).
    expect(repo.highPriorityOpenCount({ today: '2025-03-02', owner: null })).toBe(4);
    expect(repo.highPriorityOpenCount({ today: '2025-03-02', owner: 'me@example.com' })).toBe(3);
    // After the snooze ends, a2's item counts again.
    expect(repo.highPriorityOpenCount({ today: '2025-03-10', owner: null })).toBe(5);
  });
});

describe('digest text', () => {
  it("shows an account's ARR in its own currency, as the ranked list does, and labels the USD figure", async () => {
    // QA: the digest printed "Ironspring Studios (acc_00097), $74,025 ARR" where Today shows €68,100.
    const { digestText } = await import('../../src/cli/commands/digest.ts');
    const euro = { accountId: 'acc_00097', name: 'Ironspring Studios', owner: null, arr: 68_100, currency: 'EUR' };
    const text = digestText(
      digest({
        newAtRisk: [{ ...euro, arrUsd: 74_025, items: ['Setup incomplete'] }],
        renewalsThisMonth: [{ ...euro, renewalDate: '2025-03-20', arrUsd: 74_025, expectedRenewUsd: 70_000 }],
      }),
    );
    expect(text).toContain('Ironspring Studios (acc_00097), €68,100 ARR ($74,025 USD equivalent): Setup incomplete');
    expect(text).toContain('€68,100 ARR ($74,025 USD equivalent), $70,000 expected to renew (USD)');
    expect(digestText(digest({ newAtRisk: [atRisk(12_400)] }))).toContain('A (a), $12,400 ARR: Usage drop');
  });
});
