/**
 * The Today list's row as sent to the renderer (listRowDto) and the per-connection caches that keep
 * risk.list and risk.facets from rescanning the book on every call.
 */
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { bookFingerprint } from '../../src/domain/risk/fingerprint.ts';
import { listRowDto, riskFacets, type RiskListEntry } from '../../src/domain/risk/list.ts';
import { listRowReasons } from '../../src/shared/dto/risk.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const trigger = (id: string, label: string, evidence: string) => ({
  id,
  label,
  priority: 1,
  tier: 'human' as const,
  evidence,
  itemId: 7,
  itemStatus: 'open' as const,
  snoozedUntil: null,
  control: false,
  actionable: true,
});

const entry = (overrides: Partial<RiskListEntry> = {}): RiskListEntry => ({
  rank: 1,
  accountId: 'acc_1',
  name: 'Acme Corp',
  owner: 'csm@example.com',
  segment: 'SMB',
  arr: 12000,
  currency: 'EUR',
  locale: 'de-DE',
  arrUsd: 13044,
  score: 31,
  band: 'red',
  trend: 'down',
  scoreDelta: -6,
  sparkline: [40, null, 31],
  pChurn: 0.4,
  expectedArrAtRisk: 4800,
  expectedArrAtRiskUsd: 5217.6,
  topReason: 'Payment failing: 3 failed payments.',
  reasons: [
    'Payment failing: 3 failed payments.',
    'Usage drop: active users −40%.',
    'Usage trend 20/100: active users down.',
    'Down 6 points since last week.',
  ],
  triggers: [
    trigger('payment_failing', 'Payment failing', '3 failed payments.'),
    trigger('usage_drop', 'Usage drop', 'active users −40%.'),
  ],
  renewalDate: '2026-05-01',
  daysToRenewal: 31,
  lastTouchOn: null,
  ...overrides,
});

describe('listRowDto', () => {
  it('sends each trigger reason once and the row rebuilds every reason, in order', () => {
    const row = listRowDto(entry());
    expect(row.notes).toEqual(['Usage trend 20/100: active users down.', 'Down 6 points since last week.']);
    expect(listRowReasons(row)).toEqual(entry().reasons);
    expect(listRowReasons(row)[0]).toBe(entry().topReason);
    // Only what the table shows travels.
    expect(Object.keys(row)).not.toContain('reasons');
    expect(Object.keys(row)).not.toContain('pChurn');
    expect(Object.keys(row.triggers[0]!)).not.toContain('tier');
  });

  it('keeps every reason when they do not start with the triggers', () => {
    const odd = entry({ reasons: ['Something else entirely.'] });
    expect(listRowDto(odd).notes).toEqual(['Something else entirely.']);
  });

  it('keeps a healthy row its one reason', () => {
    const healthy = entry({ triggers: [], reasons: ['Healthy: score 90 (green), no trigger fired.'] });
    expect(listRowReasons(listRowDto(healthy))).toEqual(['Healthy: score 90 (green), no trigger fired.']);
  });
});

describe('per-connection caches', () => {
  it('answers the fingerprint and the facets again only after the data changed', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount({ account_id: 'a', segment: 'SMB', owner_email: 'ann@example.com' }));
    const before = bookFingerprint(db);
    expect(bookFingerprint(db)).toBe(before);
    expect(riskFacets(db)).toEqual({ owners: ['ann@example.com'], segments: ['SMB'] });

    accountsRepo(db).upsert(sampleAccount({ account_id: 'b', segment: 'Enterprise', owner_email: 'bob@example.com' }));
    expect(bookFingerprint(db)).not.toBe(before);
    expect(riskFacets(db)).toEqual({ owners: ['ann@example.com', 'bob@example.com'], segments: ['Enterprise', 'SMB'] });
  });
});
