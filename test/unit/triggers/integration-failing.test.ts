/** integration_failing: 3+ sync_failed / integration_error events in the last 7 days (the as-of day and the 6 before). */
import { describe, expect, it } from 'vitest';
import { customerEvidence } from '../../../src/domain/outreach/evidence.ts';
import { DEFAULT_TRIGGERS } from '../../../src/domain/risk/catalog.ts';
import { DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../../src/domain/risk/config.ts';
import { checkTriggers } from '../../../src/domain/risk/triggers.ts';
import { DAY, daysAgo, makeBundle, type FixtureEvent } from '../risk-fixtures.ts';

const triggers = effectiveTriggers(DEFAULT_SCORE_CONFIG);

function check(events: FixtureEvent[]) {
  const result = checkTriggers({ bundle: makeBundle({ events }), day: DAY, band: 'green', score: 80 }, triggers).find(
    (c) => c.id === 'integration_failing',
  );
  if (!result) throw new Error('integration_failing did not run');
  return result;
}
const failures = (type: string, ...agos: number[]) => agos.map((daysAgo) => ({ type, daysAgo }));

describe('integration_failing', () => {
  it('is an automated risk: the one-click-fix message comes first', () => {
    expect(DEFAULT_TRIGGERS.integration_failing).toMatchObject({ kind: 'risk', tier: 'automated' });
    expect(DEFAULT_TRIGGERS.integration_failing.params).toEqual({ failures: 3, windowDays: 7 });
  });

  it('fires on three failures inside 7 days, counting both event types together', () => {
    expect(check(failures('sync_failed', 1, 3, 6)).fired).toBe(true);
    const mixed = check([...failures('sync_failed', 0), ...failures('integration_error', 2, 6)]);
    expect(mixed.fired).toBe(true);
    expect(mixed.facts).toEqual({ failures: 3, windowDays: 7, lastFailedOn: daysAgo(0) });
    expect(mixed.text).toBe(`3 failed syncs in the last 7 days (latest ${daysAgo(0)}).`);
  });

  it('does not fire on two failures, or when the third is 7 days ago', () => {
    expect(check(failures('sync_failed', 1, 2)).fired).toBe(false);
    const old = check(failures('integration_error', 1, 2, 7));
    expect(old.fired).toBe(false);
    expect(old.text).toBe('2 failed syncs in the last 7 days.');
  });

  it('ignores other event types', () =>
    expect(check([...failures('payment_failed', 1, 2, 3), ...failures('sync_succeeded', 1)]).fired).toBe(false));

  it("words the customer's evidence from the same facts, in their locale, without internal names", () => {
    const { facts } = check(failures('sync_failed', 1, 3, 4, 6));
    const ctx = { locale: 'en-US', seatsPurchased: null, renewalDate: null, createdAt: null, contactNames: new Map() };
    const evidence = customerEvidence('integration_failing', JSON.stringify(facts), ctx);
    expect(evidence.summary).toMatch(/^Your data sync didn't go through 4 times in the last week, most recently on /);
    expect(evidence.summary).not.toMatch(/sync_failed|integration_error/);
    expect(customerEvidence('integration_failing', '{}', ctx).summary).toBe(
      "Your data sync didn't go through several times in the last week.",
    );
  });
});
