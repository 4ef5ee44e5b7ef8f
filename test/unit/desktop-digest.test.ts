import { describe, expect, it } from 'vitest';
import { buildDigestNotification, formatMoneyCompact } from '../../src/domain/desktop/digest.ts';
import { desktopRepo } from '../../src/domain/desktop/repo.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

describe('digest text', () => {
  it('reads like the spec: "5 new at-risk accounts, $420K ARR at risk"', () => {
    expect(
      buildDigestNotification({
        newAtRiskAccounts: 5,
        arrAtRisk: [{ currency: 'USD', amount: 420_000 }],
        highPriorityOpen: 0,
      }),
    ).toEqual({
      title: 'Foresight daily digest',
      body: '5 new at-risk accounts, $420K ARR at risk',
    });
  });

  it('uses the singular, and mentions open high-priority items in the title', () => {
    expect(
      buildDigestNotification({
        newAtRiskAccounts: 1,
        arrAtRisk: [{ currency: 'USD', amount: 12_400 }],
        highPriorityOpen: 3,
      }),
    ).toEqual({
      title: 'Foresight: 3 high-priority items open',
      body: '1 new at-risk account, $12.4K ARR at risk',
    });
  });

  it('never adds different currencies together', () => {
    const text = buildDigestNotification({
      newAtRiskAccounts: 4,
      arrAtRisk: [
        { currency: 'EUR', amount: 80_000 },
        { currency: 'USD', amount: 1_250_000 },
        { currency: 'CHF', amount: 5_000 },
      ],
      highPriorityOpen: 1,
    });
    expect(text?.body).toBe('4 new at-risk accounts, $1.3M + €80K + CHF\u00a05K ARR at risk');
    expect(text?.title).toBe('Foresight: 1 high-priority item open');
  });

  it('sends nothing when nothing is new', () => {
    expect(buildDigestNotification({ newAtRiskAccounts: 0, arrAtRisk: [], highPriorityOpen: 7 })).toBeNull();
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

describe('digest and badge queries (risk_items)', () => {
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

  it('counts accounts newly at risk since the last digest with their ARR per currency', () => {
    const repo = desktopRepo(seed());
    const all = repo.digestSummary({ since: '2025-03-01', today: '2025-03-02', owner: null });
    expect(all.newAtRiskAccounts).toBe(3);
    expect(all.arrAtRisk.sort((x, y) => x.currency.localeCompare(y.currency))).toEqual([
      { currency: 'EUR', amount: 50_000 },
      { currency: 'USD', amount: 420_000 },
    ]);
    expect(
      buildDigestNotification(repo.digestSummary({ since: '2025-03-01', today: '2025-03-02', owner: 'me@example.com' }))
        ?.body,
    ).toBe('2 new at-risk accounts, $420K ARR at risk');
    expect(repo.digestSummary({ since: '2025-03-02', today: '2025-03-02', owner: null }).newAtRiskAccounts).toBe(0);
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
