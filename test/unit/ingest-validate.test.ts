/**
 * The importer's fast path must never accept what the contract refuses, and must produce exactly
 * what the contract's schemas produce. Checked on generated records mixing valid and invalid values.
 */
import { describe, expect, it } from 'vitest';
import type { RecordKind } from '../../src/shared/dto/core.ts';
import { DEFAULT_COERCE, coerceRecord } from '../../src/domain/ingest/coerce.ts';
import { FIELD_NAMES, KINDS } from '../../src/domain/ingest/fields.ts';
import { fastPathOnly, validateRecord, validateWithSchemaOnly } from '../../src/domain/ingest/validate.ts';

// A small deterministic generator (mulberry32).
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CANDIDATES: Record<string, unknown[]> = {
  account_id: ['acc_1', ' acc_2 ', '', 7, null],
  contact_id: ['con_1', '', 3],
  event_id: ['ev_1', '', null],
  name: ['Acme', '  ', 'Zoë Ltd'],
  owner_email: ['csm@example.com', 'nope', 'a@b', ''],
  email: ['x@example.org', 'x@', ''],
  phone: ['+1 (202) 555-0100', 'call me', '', '12', '202.555.0100'],
  segment: ['SMB', ''],
  plan: ['Pro', ' '],
  arr: ['12000', '-1', 'lots', '1e400', 0, 12.5, '1,200.50', '$300', true],
  currency: ['usd', 'EUR', 'XYZ', ''],
  seats_purchased: ['10', '10.5', '-2', '', '9007199254740993'],
  usage_limit: ['100', '-1', 'x'],
  renewal_date: ['2027-01-31', '2026-02-29', '31/01/2027', '2027-01-31T10:00:00Z', ''],
  created_at: ['2020-01-01', 'soon'],
  lifecycle_stage: ['adopted', ''],
  status: ['active', 'Churned', 'paused', ''],
  churned_at: ['2025-12-31', '2025-13-01'],
  timezone: ['Europe/Berlin', 'Mars/Olympus', 'UTC'],
  locale: ['de-DE', 'en', 'not a locale!'],
  updated_at: ['2026-01-01T10:00:00Z', '2026-01-01', '2026-01-01 10:00', '2026-01-01T10:00:00+02:00', 'yesterday'],
  role: ['Admin', ''],
  is_champion: ['yes', 'no', 'maybe', 1, ''],
  active: ['true', 'false', 'x'],
  last_seen_at: ['2026-01-01T00:00:00Z', 'never'],
  date: ['2026-01-01', '2026-02-30', '2026-01-01T00:00:00Z'],
  metric: ['active_users', 'Active Users', '1x', ' logins '],
  value: ['12', '', 'x', '7', '11', '-3', 5],
  type: ['ticket_opened', 'nps_response', 'Ticket Opened'],
  occurred_at: ['2026-01-01T10:00:00Z', '2026-01-01', 'later'],
  detail: ['Printer, again', ''],
};

function sample(kind: RecordKind, next: () => number): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const field of FIELD_NAMES[kind]) {
    const options = CANDIDATES[field]!;
    // Mostly valid (the first candidate), sometimes anything, sometimes absent.
    const roll = next();
    if (roll < 0.1) continue;
    raw[field] = roll < 0.75 ? options[0] : options[Math.floor(next() * options.length)];
  }
  return raw;
}

describe('the fast validation path', () => {
  it.each(KINDS)('agrees with the contract schema on 3,000 generated %s', (kind) => {
    const next = random(KINDS.indexOf(kind) + 1);
    let fastAccepted = 0;
    for (let i = 0; i < 3000; i++) {
      const coerced = coerceRecord(kind, sample(kind, next), DEFAULT_COERCE);
      const fast = fastPathOnly(kind, coerced);
      const schema = validateWithSchemaOnly(kind, coerced);
      if (fast) {
        fastAccepted++;
        expect(schema.ok, JSON.stringify(coerced)).toBe(true);
        if (schema.ok) expect(fast).toEqual(schema.record);
      }
      // The combined check follows the schema exactly.
      expect(validateRecord(kind, coerced, DEFAULT_COERCE).ok).toBe(schema.ok);
    }
    // The generator must exercise the fast path, or this test proves nothing.
    expect(fastAccepted).toBeGreaterThan(300);
  });
});

describe('reasons', () => {
  const check = (kind: RecordKind, raw: Record<string, unknown>) =>
    validateRecord(kind, coerceRecord(kind, raw, DEFAULT_COERCE), DEFAULT_COERCE, raw);

  it('say "is required" for a missing required field', () => {
    expect(check('accounts', { account_id: 'a', arr: '1' })).toEqual({
      ok: false,
      field: 'name',
      reason: 'is required',
    });
  });

  it('quote the original text', () => {
    expect(check('accounts', { account_id: 'a', name: 'A', arr: '1', renewal_date: '31/02/2026' })).toEqual({
      ok: false,
      field: 'renewal_date',
      reason: "'31/02/2026' is not a date (expected YYYY-MM-DD)",
    });
  });

  it('name every problem of the row, not only the first', () => {
    const result = check('accounts', { account_id: 'a', name: 'A', arr: 'x', renewal_date: 'y', status: 'z' });
    expect(result).toEqual({
      ok: false,
      field: 'arr',
      reason:
        "'x' is not a number; renewal_date: 'y' is not a date (expected YYYY-MM-DD); status: 'z' is not active or churned",
    });
  });

  it('show the value as typed, cut to a sane length, in every message', () => {
    const reason = (kind: RecordKind, raw: Record<string, unknown>) => {
      const result = check(kind, raw);
      return result.ok ? null : result.reason;
    };
    const account = { account_id: 'a', name: 'A' };
    expect(reason('accounts', { ...account, arr: '1e400' })).toBe("'1e400' is not a number");
    expect(reason('accounts', { ...account, arr: '9'.repeat(500) })).toBe(
      `'${'9'.repeat(60)}…' (500 characters) is not a number`,
    );
    expect(reason('accounts', { ...account, arr: '-5' })).toBe("'-5' must not be negative");
    expect(reason('metrics', { account_id: 'a', date: '2026-01-01', metric: 'Active Users', value: '1' })).toBe(
      "'Active Users' must be a lower-case name such as active_users",
    );
    expect(reason('accounts', { ...account, arr: '1', renewal_date: 'x'.repeat(300_000) })).toBe(
      `'${'x'.repeat(60)}…' (300,000 characters) is not a date (expected YYYY-MM-DD)`,
    );
  });

  it('derive an event id so that re-imports land on the same row', () => {
    const a = check('events', { account_id: 'a', occurred_at: '2026-01-01', type: 'csm_touch' });
    const b = check('events', { account_id: 'a', occurred_at: '2026-01-01T00:00:00Z', type: 'csm_touch' });
    expect(a.ok && b.ok && a.record.event_id === b.record.event_id).toBe(true);
  });
});
