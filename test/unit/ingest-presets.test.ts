/**
 * Vendor presets on real SQLite files: the built-in preset files, detection from headers, value
 * mapping and dates, account matching (alias → id → domain → name, free-mail never), the roll-up of
 * raw event logs into daily metrics with zero days, lifecycle events and event ids.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveEventId } from '../../src/domain/contract/event-id.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { aliasRepo } from '../../src/domain/ingest/presets/aliases.ts';
import { detectPreset, loadCatalog } from '../../src/domain/ingest/presets/catalog.ts';
import { setCoreFeatureEvents } from '../../src/domain/ingest/presets/core-events.ts';
import { importWithPresets } from '../../src/domain/ingest/presets/import.ts';
import { dateReader } from '../../src/domain/ingest/presets/values.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'presets');

function csv(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function accounts(db: Db, dir: string): void {
  const result = importWithPresets(db, [
    csv(dir, 'companies.csv', [
      'Record ID,Company name,Company Domain Name,Company owner,Annual recurring revenue,Create Date',
      '101,"Acme, Inc.",acme.io,Dana Scully,12000,2024-01-05 10:00',
      '102,Globex,globex.example,fox@example.com,"24,000.00",2024-02-01 09:00',
    ]),
  ]);
  expect(result.files[0]).toMatchObject({ preset: 'hubspot-companies', accepted: 2, rejected: 0 });
}

const metric = (db: Db, account: string, name: string, contact = '') =>
  db
    .prepare<[string, string, string], { date: string; value: number }>(
      'SELECT date, value FROM metrics WHERE account_id = ? AND metric = ? AND contact_id = ? ORDER BY date',
    )
    .all(account, name, contact)
    .map((r) => [r.date, r.value]);

describe('the preset files', () => {
  it('are valid, named once, and each cites the vendor documentation it follows', () => {
    const { entries, problems } = loadCatalog(null);
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(16);
    for (const { preset } of entries) {
      expect(preset.documentation).toMatch(/^https:\/\//);
      expect(preset.follows.length).toBeGreaterThan(40);
    }
    expect(new Set(entries.map((e) => e.preset.name)).size).toBe(entries.length);
  });

  it('are detected from the headers of each sample export, and not from Foresight’s own columns', () => {
    const catalog = loadCatalog(null);
    const header = (line: string) => line.split(',');
    expect(detectPreset(catalog, header('Record ID,Company name,Company Domain Name,Company owner'))?.name).toBe(
      'hubspot-companies',
    );
    expect(detectPreset(catalog, header('id,Description,Created (UTC),Amount,Currency,Status,Customer ID'))?.name).toBe(
      'stripe-payments',
    );
    expect(detectPreset(catalog, header('id,created,amount,currency,status,customer'))?.name).toBe(
      'stripe-charges-sigma',
    );
    expect(detectPreset(catalog, header('event,time,distinct_id,company_id'))?.name).toBe('mixpanel-events');
    expect(detectPreset(catalog, header('event,timestamp,distinct_id,$group_0'))?.name).toBe('posthog-events');
    expect(detectPreset(catalog, header('account_id,name,arr'))).toBeNull();
    expect(detectPreset(catalog, header('Account ID,Date,Active Users'))).toBeNull();
  });

  it('takes a user preset from the presets folder next to the database, and names a broken one', () => {
    const { db, path } = tempDb();
    const folder = join(dirname(path), 'presets');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'billing.json'),
      JSON.stringify({
        name: 'our-billing',
        title: 'Our billing system',
        source: 'billing',
        documentation: 'https://billing.example/docs/export',
        follows: 'The nightly export of our own billing system: Cust, When, What.',
        detect: ['Cust', 'When', 'What'],
        account: { id: 'Cust' },
        records: [
          {
            kind: 'events',
            fields: {
              occurred_at: { column: 'When', date: 'DD.MM.YYYY HH:mm', timeZone: 'Europe/Berlin' },
              type: { column: 'What', map: { bounce: 'payment_failed' } },
            },
          },
        ],
      }),
    );
    writeFileSync(join(folder, 'broken.json'), '{ "name": "x" ');
    const dir = tempDir();
    accounts(db, dir);
    const result = importWithPresets(db, [
      csv(dir, 'billing.csv', ['Cust,When,What', '101,15.01.2026 09:30,bounce', '101,16.01.2026 09:30,paid']),
    ]);
    expect(result.files[0]).toMatchObject({ preset: 'our-billing', accepted: 1, rejected: 0 });
    expect(result.files[0]!.presetUse?.skipped).toBe(1);
    // 09:30 in Berlin in winter is 08:30 UTC.
    expect(db.prepare('SELECT occurred_at, type FROM events').all()).toEqual([
      { occurred_at: '2026-01-15T08:30:00.000Z', type: 'payment_failed' },
    ]);
    expect(loadCatalog(folder).problems[0]).toContain('broken.json is not valid JSON');
  });
});

describe('values', () => {
  it('reads epoch seconds, epoch milliseconds, ISO times and local times in a zone as UTC instants', () => {
    const auto = dateReader('auto', undefined);
    expect(auto('1772366400')).toBe('2026-03-01T12:00:00.000Z');
    expect(auto('1772366400000')).toBe('2026-03-01T12:00:00.000Z');
    expect(auto('2026-03-01 12:00:00')).toBe('2026-03-01T12:00:00.000Z');
    expect(auto('2026-03-01T12:00:00+02:00')).toBe('2026-03-01T10:00:00.000Z');
    expect(dateReader('auto', 'America/New_York')('2026-07-01 08:00')).toBe('2026-07-01T12:00:00.000Z');
    expect(dateReader('M/D/YYYY', undefined)('3/9/2026')).toBe('2026-03-09T00:00:00.000Z');
  });

  it('maps Stripe statuses to events, keeps amounts in major units, and divides Sigma’s cents by 100', () => {
    const { db } = tempDb();
    const dir = tempDir();
    accounts(db, dir);
    importWithPresets(db, [
      csv(dir, 'payments.csv', [
        'id,Created (UTC),Amount,Currency,Status,Customer ID,Customer Email,Customer Description',
        'ch_1,2026-03-01 10:00:00,49.00,usd,Failed,cus_A,billing@acme.io,Acme Inc',
        'ch_2,2026-03-02 10:00:00,49.00,usd,Paid,cus_A,billing@acme.io,Acme Inc',
        'ch_3,2026-03-03 10:00:00,49.00,usd,Refunded,cus_A,billing@acme.io,Acme Inc',
      ]),
      csv(dir, 'charges.csv', ['id,created,amount,currency,status,customer', 'ch_9,1772366400,4900,usd,failed,cus_A']),
    ]);
    expect(db.prepare('SELECT event_id, type, value FROM events ORDER BY event_id').all()).toEqual([
      { event_id: 'stripe-ch_1', type: 'payment_failed', value: 49 },
      { event_id: 'stripe-ch_2', type: 'payment_succeeded', value: 49 },
      { event_id: 'stripe-ch_9', type: 'payment_failed', value: 49 },
    ]);
  });
});

describe('matching accounts across sources', () => {
  it('goes alias → id → domain → name, remembers the match, never matches a free-mail domain, and quarantines the rest with the reason', () => {
    const { db } = tempDb();
    const dir = tempDir();
    accounts(db, dir);
    const tickets = csv(dir, 'tickets.csv', [
      'Id,Requester,Requester email,Requester domain,Organization,Subject,Created at,Solved at,Priority,Satisfaction Score',
      '1,Ann,ann@acme.io,acme.io,,Login broken,2026-03-01 10:00,,normal,',
      '2,Bob,bob@gmail.com,gmail.com,"ACME, Inc",Invoice,2026-03-02 10:00,2026-03-02 12:00,urgent,good',
      '3,Cy,cy@gmail.com,gmail.com,,Hello,2026-03-03 10:00,,normal,',
      '4,Di,di@initech.example,initech.example,Initech,Slow,2026-03-04 10:00,,normal,',
    ]);
    const result = importWithPresets(db, [tickets]);
    const file = result.files[0]!;
    expect(file.preset).toBe('zendesk-tickets');
    expect(file.presetUse?.matched).toEqual({ alias: 0, id: 0, domain: 1, name: 1, unmatched: 2 });
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [4, expect.stringContaining('gmail.com is a free-mail domain, which never identifies a company')],
      [5, expect.stringContaining('no account with domain initech.example; no account named "Initech"')],
    ]);
    const types = db.prepare("SELECT type, value FROM events WHERE account_id = '101' ORDER BY event_id").all();
    expect(types).toEqual([
      { type: 'ticket_opened', value: null },
      { type: 'ticket_closed', value: null },
      { type: 'ticket_escalated', value: null },
      { type: 'ticket_opened', value: null },
      { type: 'satisfaction_rating', value: 1 },
    ]);
    // A hand-made alias then matches the Stripe customer whose only address is free-mail.
    aliasRepo(db).set('stripe', 'cus_Z', '102', '2026-03-10T00:00:00.000Z');
    const pay = importWithPresets(db, [
      csv(dir, 'p.csv', [
        'id,Created (UTC),Amount,Status,Customer ID,Customer Email',
        'ch_7,2026-03-05 10:00:00,10.00,Failed,cus_Z,x@gmail.com',
      ]),
    ]);
    expect(pay.files[0]!.presetUse?.matched.alias).toBe(1);
    expect(
      aliasRepo(db)
        .list('domain')
        .map((a) => [a.alias, a.accountId]),
    ).toEqual([
      ['acme.io', '101'],
      ['globex.example', '102'],
    ]);
  });
});

describe('shared domains', () => {
  it('match no account when two accounts declare the same domain', () => {
    const { db } = tempDb();
    const dir = tempDir();
    importWithPresets(db, [
      csv(dir, 'companies.csv', [
        'Record ID,Company name,Company Domain Name,Annual recurring revenue',
        '201,Acme Europe,acme.io,1000',
        '202,Acme US,acme.io,2000',
        '203,Solo,solo.io,3000',
      ]),
    ]);
    expect(
      aliasRepo(db)
        .list('domain')
        .map((a) => a.alias),
    ).toEqual(['solo.io']);
    const result = importWithPresets(db, [
      csv(dir, 'p.csv', [
        'id,Created (UTC),Amount,Status,Customer ID,Customer Email',
        'ch_1,2026-03-05 10:00:00,10.00,Failed,cus_1,x@acme.io',
      ]),
    ]);
    expect(result.errors[0]!.message).toContain('no account with domain acme.io');
  });
});

describe('raw event logs rolled up', () => {
  it('records distinct users, events, logins and core uses per day, zeros from first activity, and contact logins', () => {
    const { db } = tempDb();
    const dir = tempDir();
    accounts(db, dir);
    importWithPresets(db, [
      csv(dir, 'contacts.csv', [
        'Record ID,First Name,Last Name,Email,Associated Company IDs (Primary)',
        '9,Ann,Lee,ann@acme.io,101',
      ]),
    ]);
    setCoreFeatureEvents(db, ['Report Created']);
    const t = (iso: string) => String(Date.parse(iso) / 1000);
    const log = csv(dir, 'mixpanel.csv', [
      'event,time,distinct_id,company_id',
      `Login,${t('2026-03-01T09:00:00Z')},ann@acme.io,101`,
      `Report Created,${t('2026-03-01T09:05:00Z')},ann@acme.io,101`,
      `Report Created,${t('2026-03-01T10:00:00Z')},bo@acme.io,101`,
      `Page,${t('2026-03-04T10:00:00Z')},bo@acme.io,101`,
      `Login,${t('2026-03-02T23:59:59Z')},x@globex.example,102`,
      `Login,${t('2026-03-05T08:00:00Z')},x@globex.example,102`,
      `Page,${t('2026-03-05T08:00:00Z')},y@nowhere.example,777`,
    ]);
    const result = importWithPresets(db, [log]);
    const use = result.files[0]!.presetUse!;
    expect(use.rolledUp).toMatchObject({ events: 6, accounts: 2, unmatchedEvents: 1, contactRows: 5 });
    expect(metric(db, '101', 'active_users')).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 0],
      ['2026-03-03', 0],
      ['2026-03-04', 1],
      ['2026-03-05', 0],
    ]);
    expect(metric(db, '101', 'usage').map((r) => r[1])).toEqual([3, 0, 0, 1, 0]);
    expect(metric(db, '101', 'core_feature_uses').map((r) => r[1])).toEqual([2, 0, 0, 0, 0]);
    expect(metric(db, '102', 'logins')).toEqual([
      ['2026-03-02', 1],
      ['2026-03-03', 0],
      ['2026-03-04', 0],
      ['2026-03-05', 1],
    ]);
    expect(metric(db, '101', 'logins', 'hubspot-9').map((r) => r[1])).toEqual([1, 0, 0, 0, 0]);
    expect(result.errors[0]!.message).toContain('no account or alias for "777"');
  });

  it('records no logins when the log has no login events, instead of zeros that would claim inactivity', () => {
    const { db } = tempDb();
    const dir = tempDir();
    accounts(db, dir);
    const result = importWithPresets(db, [
      csv(dir, 'segment.csv', ['event,timestamp,userId,groupId', 'Page Viewed,2026-03-01T10:00:00Z,u1,101']),
    ]);
    expect(result.files[0]!.preset).toBe('segment-events');
    expect(metric(db, '101', 'logins')).toEqual([]);
    expect(metric(db, '101', 'active_users')).toEqual([['2026-03-01', 1]]);
    expect(result.files[0]!.presetUse!.rolledUp!.notes.join(' ')).toContain('no login or session events');
  });
});

describe('lifecycle and event ids', () => {
  it('lets an account churn and come back through churned and reactivated events', () => {
    const { db } = tempDb();
    const dir = tempDir();
    accounts(db, dir);
    const status = () => db.prepare("SELECT status, churned_at FROM accounts WHERE account_id = '101'").get();
    importWithPresets(db, [csv(dir, 'e1.csv', ['account_id,occurred_at,type', '101,2026-01-31T12:00:00Z,churned'])]);
    expect(status()).toEqual({ status: 'churned', churned_at: '2026-01-31' });
    importWithPresets(db, [
      csv(dir, 'e2.csv', ['account_id,occurred_at,type', '101,2026-03-01T12:00:00Z,reactivated']),
    ]);
    expect(status()).toEqual({ status: 'active', churned_at: null });
    importWithPresets(db, [csv(dir, 'e3.csv', ['account_id,occurred_at,type', '101,2026-02-01T12:00:00Z,churned'])]);
    expect(status()).toEqual({ status: 'active', churned_at: null });
  });

  it('never merges two events that differ only in detail, and keeps the ids of events without one', () => {
    const base = {
      account_id: 'a',
      occurred_at: '2026-03-01T10:00:00.000Z',
      type: 'ticket_opened',
      contact_id: null,
      value: null,
    };
    expect(deriveEventId({ ...base, detail: 'Login broken' })).not.toBe(deriveEventId({ ...base, detail: 'Invoice' }));
    expect(deriveEventId({ ...base, detail: null })).toBe(deriveEventId({ ...base, detail: '' }));
    // The id an event without detail had before detail was covered: re-imports still land on it.
    const before = createHash('sha256')
      .update(['a', base.occurred_at, 'ticket_opened', '', ''].join('\u001f'))
      .digest('hex')
      .slice(0, 24);
    expect(deriveEventId({ ...base, detail: null })).toBe(`ev_${before}`);
  });
});

describe('dry run', () => {
  it('shows the first rows as they would be stored and stores nothing', () => {
    const { db } = tempDb();
    const result = importWithPresets(db, [join(FIXTURES, 'hubspot-companies.csv')], { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.files[0]).toMatchObject({ preset: 'hubspot-companies', accepted: 8 });
    expect(result.files[0]!.presetUse?.sample?.[0]).toMatchObject({
      kind: 'accounts',
      line: 2,
      record: { account_id: '18234567001', name: 'Northwind Traders', arr: 48000, owner_email: null },
    });
    expect(db.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM account_aliases').get()).toEqual({ n: 0 });
  });
});

describe('the sample exports', () => {
  const samples: [file: string, preset: string][] = [
    ['hubspot-contacts.csv', 'hubspot-contacts'],
    ['stripe-invoices.csv', 'stripe-invoices'],
    ['stripe-subscriptions.csv', 'stripe-subscriptions'],
    ['stripe-charges-sigma.csv', 'stripe-charges-sigma'],
    ['intercom-conversations.csv', 'intercom-conversations'],
    ['delighted-nps.csv', 'delighted-nps'],
    ['typeform-nps.csv', 'typeform-nps'],
    ['amplitude-events.csv', 'amplitude-events'],
    ['segment-events.csv', 'segment-events'],
    ['posthog-events.csv', 'posthog-events'],
  ];

  it('are each read by their own preset after the HubSpot companies, every row matched or quarantined with a reason', () => {
    const { db } = tempDb();
    const result = importWithPresets(db, [
      join(FIXTURES, 'hubspot-companies.csv'),
      ...samples.map(([file]) => join(FIXTURES, file)),
    ]);
    const byFile = new Map(result.files.map((f) => [f.file.split('/').at(-1)!, f]));
    for (const [file, preset] of samples) {
      const report = byFile.get(file)!;
      expect(report, file).toMatchObject({ preset, message: null });
      expect(report.accepted, file).toBeGreaterThan(0);
    }
    // The one contact with only a free-mail address and no company is the only rejection.
    expect(result.rejected).toBe(1);
    expect(result.errors[0]!.message).toContain('gmail.com is a free-mail domain');
    const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
    expect(count("SELECT count(*) FROM events WHERE type = 'nps_response' AND value = 3")).toBe(2);
    expect(count("SELECT count(*) FROM events WHERE type = 'payment_failed' AND value = 4000")).toBe(2);
    expect(count("SELECT count(*) FROM events WHERE type = 'subscription_canceled'")).toBe(1);
    expect(count('SELECT count(*) FROM contacts')).toBe(24);
  });

  it('bring in a Salesforce book: accounts with US dates and "$84,000" revenue, contacts by account id or email domain', () => {
    const { db } = tempDb();
    const result = importWithPresets(db, [
      join(FIXTURES, 'salesforce-contacts.csv'),
      join(FIXTURES, 'salesforce-accounts.csv'),
    ]);
    expect(result.files.map((f) => [f.preset, f.accepted, f.rejected])).toEqual([
      ['salesforce-accounts', 4, 0],
      ['salesforce-contacts', 8, 0],
    ]);
    expect(result.files[1]!.presetUse!.matched).toMatchObject({ id: 4, domain: 4 });
    expect(db.prepare("SELECT arr, created_at FROM accounts WHERE account_id = '0015g00000AbCdE1'").get()).toEqual({
      arr: 84000,
      created_at: '2023-03-02',
    });
  });
});
