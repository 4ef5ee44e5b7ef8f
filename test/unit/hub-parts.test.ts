/** The hub's pure parts: tokens, cursors, the rate limiter, push validation and the report's rows. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newcombeDifference } from '../../src/domain/interventions/stats.ts';
import { hashToken, looksLikeToken, newToken } from '../../src/hub/auth/tokens.ts';
import { checkNewUser } from '../../src/hub/auth/users.ts';
import { rowFromStrata } from '../../src/hub/report/report.ts';
import { decodeCursor, encodeCursor } from '../../src/hub/server/cursor.ts';
import { decodeLinkCursor, encodeLinkCursor } from '../../src/hub/server/pull-linked.ts';
import { scopeOf } from '../../src/hub/server/scope.ts';
import { parsePushBody } from '../../src/hub/server/push-items.ts';
import { createRateLimiter } from '../../src/hub/server/rate-limit.ts';

describe('hub tokens', () => {
  it('are fh_ and 32 random bytes, different each time, kept as SHA-256', () => {
    const a = newToken();
    const b = newToken();
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64url')).toHaveLength(32);
    expect(looksLikeToken(a)).toBe(true);
    expect(looksLikeToken('fh_short')).toBe(false);
    expect(hashToken(a)).toBe(createHash('sha256').update(a).digest('hex'));
  });

  it('checks a new user in one sentence', () => {
    expect(checkNewUser({ email: ' Maya@Team.Example ', role: 'lead' })).toEqual({
      email: 'maya@team.example',
      role: 'lead',
      team: 'default',
    });
    expect(() => checkNewUser({ email: 'maya', role: 'csm' })).toThrow("'maya' is not an email address.");
    expect(() => checkNewUser({ email: 'm@t.example', role: 'boss' })).toThrow(
      "The role 'boss' is not one of csm, lead or admin.",
    );
  });

  it('checks whose books a csm covers', () => {
    expect(checkNewUser({ email: 'leo@t.example', role: 'csm', covers: [' Maya@T.example', 'jo@t.example'] })).toEqual({
      email: 'leo@t.example',
      role: 'csm',
      team: 'default',
      covers: ['jo@t.example', 'maya@t.example'],
    });
    expect(() => checkNewUser({ email: 'leo@t.example', role: 'csm', covers: ['leo@t.example'] })).toThrow(
      'leo@t.example cannot cover their own book; name colleagues.',
    );
    expect(() => checkNewUser({ email: 'leo@t.example', role: 'csm', covers: ['maya'] })).toThrow(
      "--covers: 'maya' is not an email address.",
    );
    expect(() => checkNewUser({ email: 'l@t.example', role: 'lead', covers: ['maya@t.example'] })).toThrow(
      /Only a csm covers colleagues' books; l@t.example is a lead/,
    );
  });
});

describe('hub cursors', () => {
  it('round-trip a seq and refuse what this hub did not make, or made for another scope', () => {
    expect(decodeCursor(encodeCursor(12345, 'tagA'), 'tagA')).toBe(12345);
    expect(decodeCursor(encodeCursor(12345, 'tagA'), 'tagB')).toBeNull();
    expect(decodeCursor(Buffer.from('s:77').toString('base64url'), 'tagA')).toBe(77);
    expect(decodeCursor(null, 'tagA')).toBe(0);
    expect(decodeCursor('', 'tagA')).toBe(0);
    expect(decodeCursor(Buffer.from('o:12').toString('base64url'), 'tagA')).toBeNull();
    expect(decodeCursor('not a cursor', 'tagA')).toBeNull();
  });
});

describe('hub rate limiter', () => {
  it('allows a burst, then asks to wait until a request is refilled, per key', () => {
    const limiter = createRateLimiter({ burst: 3, perSecond: 0.5 });
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([0, 0, 0]);
    expect(limiter.take('a', 0)).toBe(2);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 2_000)).toBe(0);
    expect(limiter.take('a', 2_000)).toBeGreaterThan(0);
  });
});

describe('hub pushes', () => {
  it('drop a forged actor_email and say what is wrong with an item', () => {
    const ok = parsePushBody('item_actions', {
      items: [
        {
          action_id: 'a',
          account_id: 'x',
          trigger_id: 't',
          action: 'dismiss',
          at: '2026-03-01T10:00:00Z',
          actor_email: 'f@x.example',
        },
      ],
    });
    expect(ok).toEqual({
      ok: true,
      items: [
        {
          action_id: 'a',
          account_id: 'x',
          trigger_id: 't',
          action: 'dismiss',
          at: '2026-03-01T10:00:00.000Z',
          snooze_until: null,
          reason: null,
        },
      ],
    });
    expect(
      parsePushBody('activities', {
        items: [{ activity_id: 'a', account_id: 'x', type: 'fax', at: '2026-03-01', summary: '' }],
      }),
    ).toEqual({
      ok: false,
      error: 'item 1, type: is not one of call, meeting, email or note',
    });
    expect(parsePushBody('activities', { items: Array.from({ length: 101 }, () => ({})) })).toEqual({
      ok: false,
      error: 'a push holds at most 100 items; this one has 101',
    });
    expect(parsePushBody('interventions', [])).toMatchObject({ ok: false });
  });
});

describe('hub report rows', () => {
  it('use Newcombe within one play and say when there is too little data', () => {
    const one = rowFromStrata(new Map([['usage_drop', { n1: 20, s1: 14, n0: 15, s0: 5 }]]));
    const expected = newcombeDifference(14, 20, 5, 15);
    expect(one.uplift_method).toBe('newcombe');
    expect(one.uplift).toEqual({ value: expected.value, ci_low: expected.low, ci_high: expected.high });
    const few = rowFromStrata(new Map([['usage_drop', { n1: 5, s1: 4, n0: 20, s0: 5 }]]));
    expect(few.uplift).toBeNull();
    expect(few.note).toBe(
      'Not enough data yet: 5 treated and 20 control outcomes are decided; uplift needs at least 10 of each.',
    );
  });
});

describe('hub cursors of linked tables and a lead’s team', () => {
  it('resume after a key only in the same link version and scope', () => {
    const cursor = encodeLinkCursor(4, 'tagA', ['A1', 'logins', '2026-02-01']);
    expect(decodeLinkCursor(cursor, 4, 'tagA', 3)).toEqual(['A1', 'logins', '2026-02-01']);
    expect(decodeLinkCursor(cursor, 5, 'tagA', 3)).toBeNull(); // linked again
    expect(decodeLinkCursor(cursor, 4, 'tagB', 3)).toBeNull(); // another book
    expect(decodeLinkCursor(cursor, 4, 'tagA', 2)).toBeNull(); // the key's columns changed
    expect(decodeLinkCursor(encodeCursor(10, 'tagA'), 4, 'tagA', 3)).toBeNull(); // a loaded table's cursor
    expect(decodeLinkCursor(null, 4, 'tagA', 3)).toEqual([]);
  });

  it('give a lead another scope tag when the team gains or loses a member', () => {
    const lead = { email: 'lead@t.example', role: 'lead' as const, team: 'north' };
    const before = scopeOf({ ...lead, members: ['jo@t.example', 'lead@t.example'] }).tag;
    expect(scopeOf({ ...lead, members: ['lead@t.example', 'jo@t.example'] }).tag).toBe(before);
    expect(scopeOf({ ...lead, members: ['jo@t.example', 'lead@t.example', 'olu@t.example'] }).tag).not.toBe(before);
    expect(scopeOf({ ...lead, members: ['lead@t.example'] }).tag).not.toBe(before);
  });
});
