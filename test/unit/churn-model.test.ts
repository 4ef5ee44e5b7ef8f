import { describe, expect, it } from 'vitest';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { ANCHOR_DAYS, churnModelFor, churnScorer } from '../../src/domain/risk/model/churn-model.ts';
import { buildFeatures } from '../../src/domain/risk/model/features.ts';
import { explainRow } from '../../src/domain/risk/model/words.ts';
import { qualityOf } from '../../src/domain/risk/quality.ts';
import { tempDb } from '../support/temp.ts';
import { syntheticBook } from './churn-book.ts';

// Each fit scores the book on every past day and fits ~20 regressions: seconds alone, more on a busy machine.
const FIT_TIMEOUT = 120_000;
const BOOK = { accounts: 500, start: '2025-01-01', days: 330 } as const;

/** The day's anchor (model/stored-model.ts, ANCHOR_DAYS): a day that is its own fit day. */
const anchorOf = (day: string) => dayString(dayNumber(day) - (dayNumber(day) % ANCHOR_DAYS));

describe('the churn model on a book whose churn follows engagement', () => {
  it(
    'learns, beats the health score out of sample, is calibrated and explains itself in words',
    () => {
      const { db } = tempDb();
      const { end: last } = syntheticBook(db, { ...BOOK, churn: 'signal', seed: 7 });
      const end = anchorOf(last);
      const model = churnModelFor(db, { asOf: end, fit: true });
      expect(model.asOf).toBe(end);
      const q = qualityOf(db, model);
      expect(q.method).toBe('learned');
      expect(q.too_little_history).toBe(false);
      // 0.68 as of the anchor day before the book's end (a model's fit day, model/stored-model.ts).
      expect(q.auc).toBeGreaterThan(0.65);
      expect(q.auc_ci![0]).toBeGreaterThan(0.5);
      expect(q.candidates.learned.auc!).toBeGreaterThan(q.candidates.default.auc! + 0.02);
      expect(q.calibrated).toBe(true);
      // Every past day is before the as-of day; the reported figures come from closed windows only.
      for (const o of q.origins) expect(o.day < end).toBe(true);
      expect(q.origins.filter((o) => o.closed).length).toBeGreaterThan(0);

      const scorer = churnScorer(db, model, end);
      const frame = buildFeatures(db, end);
      const quiet =
        frame.ids[frame.rows.findIndex((r, i) => r[frame.names.indexOf('m:active_users:days28')]! <= 3 && i >= 0)]!;
      const busy = frame.ids[frame.rows.findIndex((r) => r[frame.names.indexOf('m:active_users:days28')]! >= 25)]!;
      expect(scorer.probability(quiet, null, '')).toBeGreaterThan(scorer.probability(busy, null, ''));
      const words = explainRow(model.learned!, scorer.row(quiet, null, '')!);
      expect(words.length).toBeGreaterThan(0);
      // The quiet account's drivers name its usage, in words, with the points they add.
      expect(
        words.some((w) =>
          /^(active users|widgets|last (active users|widgets))\b.*\+\d+ pts of churn risk$/.test(w.text),
        ),
      ).toBe(true);
      expect(words[0]!.text).toMatch(/→ [+−]\d+ pts of churn risk$/);
    },
    FIT_TIMEOUT,
  );

  it(
    'is deterministic: the same data fits the same model',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, { ...BOOK, accounts: 300, churn: 'signal', seed: 3 });
      const a = churnModelFor(db, { asOf: end, fit: true });
      const b = churnModelFor(db, { asOf: end, fit: true });
      expect(b.learned?.coef).toEqual(a.learned?.coef);
      expect(b.report?.overall.auc).toBe(a.report?.overall.auc);
      // 'auto' reuses the stored model while the outcomes are unchanged.
      expect(churnModelFor(db, { asOf: end, fit: 'auto' }).id).toBe(b.id);
      // An earlier day is answered from the past of its fit day, although a later day was fitted.
      const earlier = dayString(dayNumber(end) - 60);
      const past = qualityOf(db, churnModelFor(db, { asOf: earlier, fit: 'auto' }));
      expect(past.as_of >= anchorOf(earlier) && past.as_of <= earlier).toBe(true);
      for (const o of past.origins) expect(dayNumber(o.day) + o.window_days).toBeLessThanOrEqual(dayNumber(earlier));

      // A later day with the same outcomes reuses the fit until the next anchor day; new churn refits at once.
      const nextAnchor = dayString(dayNumber(anchorOf(end)) + ANCHOR_DAYS);
      const next = dayString(dayNumber(end) + 1);
      if (next < nextAnchor) expect(churnModelFor(db, { asOf: next, fit: 'auto' }).id).toBe(b.id);
      expect(churnModelFor(db, { asOf: nextAnchor, fit: 'auto' }).id).not.toBe(b.id);
      db.prepare(
        "UPDATE accounts SET status = 'churned', churned_at = ? WHERE account_id = (SELECT account_id FROM accounts WHERE churned_at IS NULL ORDER BY account_id LIMIT 1)",
      ).run(next);
      expect(churnModelFor(db, { asOf: next, fit: 'auto' }).id).not.toBe(b.id);
    },
    FIT_TIMEOUT,
  );
});

describe('a young book (no past day has 28 days of its outcome window seen)', () => {
  it(
    'reports an early estimate from its newest past day and says so, instead of nothing',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, { ...BOOK, accounts: 300, churn: 'signal', seed: 9 });
      // Metrics start on the book's first day; past days need 28 days of history before them.
      const asOf = dayString(dayNumber(BOOK.start) + 28 + 27);
      expect(asOf < end).toBe(true);
      const q = qualityOf(db, churnModelFor(db, { asOf, fit: true }));
      expect(q.origins.length).toBeGreaterThan(0);
      expect(Math.max(...q.origins.map((o) => o.window_days))).toBeLessThan(28);
      const reported = q.origins.filter((o) => o.in_backtest);
      expect(reported.map((o) => o.day)).toEqual([q.origins.at(-1)!.day]);
      expect(q.backtest_method).toBe(q.method === 'learned' ? 'cross-validated' : 'scored');
      expect(q.backtest_note).toMatch(/^An early estimate: no past day has enough of its outcome window seen yet/);
      expect(q.samples).toBe(reported[0]!.samples);
    },
    FIT_TIMEOUT,
  );
});

describe('a book without any churned account', () => {
  it('keeps the default curve without reading its past days, and says why', () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, { ...BOOK, accounts: 60, churn: 'signal', seed: 21 });
    db.prepare("UPDATE accounts SET status = 'active', churned_at = NULL").run();
    const model = churnModelFor(db, { asOf: end, fit: true });
    expect(model.method).toBe('default');
    expect(model.report?.origins).toEqual([]);
    expect(model.asOf).toBe(anchorOf(end));
    expect(model.note).toBe(
      `Using the default curve: no churned account is known by ${model.asOf}, so there is nothing to learn from yet.`,
    );
  });
});

describe('the churn model on a book whose churn is random', () => {
  it(
    'reports no skill (the AUC interval includes 0.5) and keeps the default curve',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, { ...BOOK, churn: 'random', seed: 11 });
      const q = qualityOf(db, churnModelFor(db, { asOf: end, fit: true }));
      expect(q.outcomes).toBeGreaterThan(20);
      expect(q.method).toBe('default');
      expect(q.auc_ci![0]).toBeLessThanOrEqual(0.5);
      expect(q.auc_ci![1]).toBeGreaterThanOrEqual(0.5);
      expect(q.note).toMatch(/default curve/);
      // Nor are component weights fitted from noise: the defaults stay, and the note says why.
      expect(q.weights.source).toBe('default');
      expect(q.weights.note).toMatch(/^Keeping the default weights: /);
    },
    FIT_TIMEOUT,
  );
});

describe('features as of a day', () => {
  it('turn any custom metric and event type into features, and read nothing dated after the day', () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, { ...BOOK, accounts: 60, churn: 'signal', seed: 5 });
    const asOf = dayString(dayNumber(end) - 100);
    const before = buildFeatures(db, asOf);
    expect(before.names).toEqual(
      expect.arrayContaining([
        'm:widgets:days28',
        'm:widgets:vs_own',
        'e:webinar_attended:n28',
        'e:webinar_attended:since',
      ]),
    );
    // Data and churn after the day change nothing about the day.
    db.prepare('UPDATE metrics SET value = value + 5 WHERE date > ?').run(asOf);
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) SELECT account_id || '-late', account_id, ? , 'webinar_attended' FROM accounts",
    ).run(`${dayString(dayNumber(asOf) + 1)}T00:00:00.000Z`);
    db.prepare("UPDATE accounts SET status = 'churned', churned_at = ? WHERE churned_at IS NULL").run(
      dayString(dayNumber(asOf) + 2),
    );
    const after = buildFeatures(db, asOf);
    expect(after.ids).toEqual(before.ids);
    expect(after.names).toEqual(before.names);
    expect(after.rows.map((r) => Array.from(r))).toEqual(before.rows.map((r) => Array.from(r)));
  });

  it('count a churned event as churn, from its day on', () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, { ...BOOK, accounts: 30, churn: 'signal', seed: 13 });
    const id = buildFeatures(db, end).ids[0]!;
    const day = dayString(dayNumber(end) - 20);
    db.prepare("INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('gone', ?, ?, 'churned')").run(
      id,
      `${day}T09:00:00.000Z`,
    );
    expect(buildFeatures(db, end).ids).not.toContain(id);
    expect(buildFeatures(db, dayString(dayNumber(day) - 1)).ids).toContain(id);
  });

  it('leave out accounts not yet created or already churned on the day', () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, { ...BOOK, accounts: 40, churn: 'signal', seed: 9 });
    const churned = db
      .prepare<[], { account_id: string; churned_at: string }>(
        "SELECT account_id, churned_at FROM accounts WHERE status = 'churned' LIMIT 1",
      )
      .get()!;
    expect(buildFeatures(db, churned.churned_at).ids).not.toContain(churned.account_id);
    expect(buildFeatures(db, dayString(dayNumber(churned.churned_at) - 1)).ids).toContain(churned.account_id);
    expect(buildFeatures(db, '2024-12-31').ids).toEqual([]);
    expect(buildFeatures(db, end).ids.length).toBeGreaterThan(0);
  });
});
