/**
 * A demo book written out in vendor shapes (HubSpot companies, Stripe payments, Zendesk tickets, a
 * Mixpanel event log) and imported back through the presets, without a mapping: the accounts,
 * their ARR, every payment and ticket, and every day's active users come back as they were.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemoBook } from '../../src/domain/demo/generate.ts';
import { importWithPresets } from '../../src/domain/ingest/presets/import.ts';
import {
  VENDOR_SHAPE_FILES,
  writeVendorShapes,
  type BookBundle,
} from '../../src/domain/ingest/presets/vendor-shapes.ts';
import { tempDb, tempDir } from '../support/temp.ts';

describe('a demo book through vendor exports and back', () => {
  it('keeps accounts, ARR, payments, tickets and daily active users', () => {
    const bundles: BookBundle[] = [...generateDemoBook({ accounts: 40, seed: 3, asOf: '2026-03-15', days: 60 })];
    const dir = tempDir();
    const written = writeVendorShapes(bundles, dir);
    expect(written.payments).toBeGreaterThan(0);
    expect(written.tickets).toBeGreaterThan(0);

    const { db } = tempDb();
    const result = importWithPresets(
      db,
      Object.values(VENDOR_SHAPE_FILES).map((file) => join(dir, file)),
    );
    expect(result.files.map((f) => [f.preset, f.rejected, f.message])).toEqual([
      ['hubspot-companies', 0, null],
      ['stripe-payments', 0, null],
      ['zendesk-tickets', 0, null],
      ['mixpanel-events', 0, null],
    ]);
    const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
    for (const bundle of bundles) {
      const id = bundle.account.account_id;
      expect(one('SELECT name, arr, currency FROM accounts WHERE account_id = ?', id)).toEqual({
        name: bundle.account.name,
        arr: bundle.account.arr,
        currency: bundle.account.currency,
      });
      const events = (type: string) => bundle.events.filter((e) => e.type === type).length;
      const stored = (type: string) =>
        one<{ n: number }>('SELECT count(*) AS n FROM events WHERE account_id = ? AND type = ?', id, type).n;
      expect(stored('payment_failed'), id).toBe(events('payment_failed'));
      expect(stored('payment_succeeded'), id).toBe(events('payment_succeeded'));
      expect(stored('ticket_opened'), id).toBe(events('ticket_opened'));
      // Every day from the first with an active user on: the same count (zeros included).
      const days = bundle.metrics.filter((m) => m.metric === 'active_users' && !m.contact_id);
      const first = days.findIndex((m) => Math.round(m.value) > 0);
      const back = new Map(
        db
          .prepare<[string], { date: string; value: number }>(
            "SELECT date, value FROM metrics WHERE account_id = ? AND metric = 'active_users' AND contact_id = ''",
          )
          .all(id)
          .map((r) => [r.date, r.value]),
      );
      if (first < 0) continue;
      for (const day of days.slice(first)) expect(back.get(day.date), `${id} ${day.date}`).toBe(Math.round(day.value));
    }
  });
});
