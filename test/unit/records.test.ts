import { describe, expect, it } from 'vitest';
import { accountRecord, eventRecord, metricRecord } from '../../src/domain/contract/records.ts';
import { sampleAccount } from '../support/temp.ts';

const firstIssue = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
  const issue = result.error?.issues[0];
  return issue ? `${issue.path.join('.')}: ${issue.message}` : null;
};

describe('data contract schemas', () => {
  it('accepts a full account and applies defaults', () => {
    const parsed = accountRecord.parse({ account_id: 'a', name: 'Acme', arr: 0 });
    expect(parsed).toMatchObject({ currency: 'USD', status: 'active', renewal_date: null });
  });

  // The schema's messages leave the value out: the importer puts what the user typed before them,
  // cut to a sane length (validate.ts, shown-value.ts).
  it.each([
    [{ renewal_date: '2026-02-31' }, 'renewal_date: is not a date (expected YYYY-MM-DD)'],
    [{ arr: -5 }, 'arr: must not be negative'],
    [{ currency: 'XYZ' }, 'currency: is not an ISO 4217 currency code'],
    [{ timezone: 'Mars/Olympus' }, 'timezone: is not an IANA time zone'],
    [{ status: 'paused' }, 'status: is not active or churned'],
    [{ owner_email: 'not-an-email' }, 'owner_email: is not an email address'],
  ])('rejects %j with a readable reason', (override, reason) => {
    expect(firstIssue(accountRecord.safeParse(sampleAccount(override)))).toBe(reason);
  });

  it('normalises instants to UTC and rejects NPS outside 0-10', () => {
    const ok = eventRecord.parse({
      account_id: 'a',
      occurred_at: '2026-03-01T10:00:00+02:00',
      type: 'nps_response',
      value: 9,
    });
    expect(ok.occurred_at).toBe('2026-03-01T08:00:00.000Z');
    expect(
      firstIssue(
        eventRecord.safeParse({ account_id: 'a', occurred_at: '2026-03-01', type: 'nps_response', value: 11 }),
      ),
    ).toBe('value: is not an NPS score from 0 to 10');
  });

  it('keeps custom metric names but refuses malformed ones', () => {
    expect(metricRecord.parse({ account_id: 'a', date: '2026-01-01', metric: 'exports_run', value: 3 }).metric).toBe(
      'exports_run',
    );
    expect(
      firstIssue(metricRecord.safeParse({ account_id: 'a', date: '2026-01-01', metric: 'Exports Run', value: 3 })),
    ).toMatch(/^metric: must be a lower-case name/);
  });
});
