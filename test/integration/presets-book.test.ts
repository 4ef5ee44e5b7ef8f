/**
 * Done-when of the presets work, as a new user would try it: a HubSpot companies export, a Stripe
 * payments export, a Zendesk tickets export and a Mixpanel event log, dropped on the CLI without a
 * mapping file, give a scored, ranked book whose payment failures, ticket surge and usage drop fire
 * the right plays, and nothing fires where the data shows no problem.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/shared/dto/sync.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'presets');
const AS_OF = '2026-03-31';

interface RiskRow {
  account_id: string;
  name: string;
  band: string | null;
  triggers: { id: string }[];
}

describe('four vendor exports, no mapping file', () => {
  it('import with their presets and fire payment_failing, support_surge and usage_drop on the right accounts', () => {
    const db = join(tempDir(), 'book.db');
    // Given in an awkward order: the companies file still goes first.
    const files = ['zendesk-tickets.csv', 'mixpanel-events.csv', 'stripe-payments.csv', 'hubspot-companies.csv'];
    const run = runCli(['import', ...files.map((f) => join(FIXTURES, f)), '--json', '--db', db]);
    expect(run.code, run.stderr).toBe(3); // the planted unknown customer, requester and group are quarantined
    const result = run.json<ImportResult>();
    const byPreset = Object.fromEntries(result.files.map((f) => [f.preset, f]));
    expect(Object.keys(byPreset).sort()).toEqual(
      ['hubspot-companies', 'mixpanel-events', 'stripe-payments', 'zendesk-tickets'].sort(),
    );
    expect(result.files[0]!.preset).toBe('hubspot-companies');
    expect(byPreset['hubspot-companies']).toMatchObject({ accepted: 8, rejected: 0 });
    expect(byPreset['stripe-payments']!.presetUse!.matched).toMatchObject({ domain: 23, name: 3, unmatched: 1 });
    expect(byPreset['zendesk-tickets']!.presetUse!.matched).toMatchObject({ domain: 10, name: 1, unmatched: 1 });
    const rolled = byPreset['mixpanel-events']!.presetUse!.rolledUp!;
    expect(rolled).toMatchObject({ accounts: 8, unmatchedEvents: 1 });
    expect(rolled.metrics).toEqual(['active_users', 'usage', 'logins']);
    expect(result.errors.map((e) => e.message).join('\n')).toContain('no account with domain acme-rockets.example');

    const risks = runCli(['risks', '--as-of', AS_OF, '--json', '--db', db]);
    expect(risks.code, risks.stderr).toBe(0);
    const rows = risks.json<RiskRow[]>();
    const fired = (id: string) =>
      rows
        .filter((r) => r.triggers.some((t) => t.id === id))
        .map((r) => r.name)
        .sort();
    expect(fired('payment_failing')).toEqual(['Northwind Traders']);
    expect(fired('support_surge')).toEqual(['Globex Corporation']);
    expect(fired('usage_drop')).toEqual(['Initech']);
    // Accounts whose data shows no problem are not in the at-risk list with any of these plays.
    for (const healthy of ['Umbrella Health', 'Hooli', 'Vandelay Industries', 'Stark Logistics', 'Wayne Analytics'])
      expect(rows.find((r) => r.name === healthy)?.triggers ?? []).toEqual([]);
  }, 120_000);
});
