/**
 * The sync commands as a user runs them: foresight import / quarantine / source / sync, their
 * JSON documents and exit codes (0 all accepted, 3 some rejected, 1 failure, 2 usage error).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { runCli, runCliAsync } from '../support/cli.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { tempDir } from '../support/temp.ts';

const CRM = join(import.meta.dirname, '..', 'fixtures', 'sync', 'crm-export.csv');

/** Prepares a database in-process (faster than the CLI) for tests about another command. */
function prepare(db: string, work: (handle: ReturnType<typeof openDatabase>['db']) => void = () => {}): void {
  const { db: handle } = openDatabase(db, { create: true });
  try {
    work(handle);
  } finally {
    closeDatabase(handle);
  }
}

let feed: FeedServer | null = null;
afterEach(async () => {
  await feed?.close();
  feed = null;
});

describe('foresight import', () => {
  it('imports the messy CRM export with exit code 3, listing every bad row, and changes nothing the second time', () => {
    const db = join(tempDir(), 'f.db');
    const first = runCli(['import', CRM, '--db', db, '--json']);
    expect(first.code).toBe(3);
    expect(first.stderr).toBe('');
    const result = first.json<Record<string, unknown>>();
    expect(Object.keys(result)).toEqual(['accepted', 'unchanged', 'older', 'rejected', 'errors', 'files', 'ranking']);
    expect(result).toMatchObject({
      accepted: { accounts: 9, contacts: 0, metrics: 0, events: 0 },
      unchanged: 0,
      rejected: 3,
      // Accounts alone: nothing is scored yet.
      ranking: null,
    });
    expect((result.errors as { line: number; field: string }[]).map((e) => [e.line, e.field])).toEqual([
      [6, 'renewal_date'],
      [7, 'arr'],
      [11, 'owner_email'],
    ]);
    const second = runCli(['import', CRM, '--db', db, '--json']);
    expect(second.code).toBe(3);
    expect(second.json()).toMatchObject({
      accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
      unchanged: 9,
      rejected: 3,
    });

    const human = runCli(['import', CRM, '--db', db]);
    expect(human.stdout).toContain(`line 6, renewal_date: '31/02/2026' is not a date (expected YYYY-MM-DD)`);
    expect(human.stdout).toContain('9 unchanged');

    // Usage brings the first ranked list, and the import says what it is: the usage ends in
    // February 2026, so as of today the five accounts it covers are stale and the other three
    // active ones have no data; none is called at risk or healthy. (One usage row is rejected.)
    const usage = runCli(['import', join(CRM, '..', 'crm-usage.csv'), '--db', db]);
    expect(usage.code).toBe(3);
    expect(usage.stdout).toMatch(
      /^Ranked 8 active accounts as of \d{4}-\d{2}-\d{2}: 0 at risk, 5 with stale data, 3 with no data yet\.$/m,
    );
    expect(usage.stdout).not.toContain('foresight risks --top 10');
  });

  it('exits 0 when everything is accepted, 1 on a failed file, 2 on a usage error', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const good = join(dir, 'accounts.json');
    writeFileSync(good, JSON.stringify([{ account_id: 'a1', name: 'Acme', arr: 10 }]));
    expect(runCli(['import', good, '--db', db]).code).toBe(0);
    const missing = runCli(['import', join(dir, 'nope.csv'), '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`Not imported: ${join(dir, 'nope.csv')} does not exist.`);
    expect(runCli(['import', good, '--kind', 'widgets', '--db', db]).code).toBe(2);
    expect(runCli(['import', '--db', db]).code).toBe(2);
    const badMapping = join(dir, 'm.json');
    writeFileSync(badMapping, '{"columns": {"a": 5}}');
    const mapped = runCli(['import', good, '--mapping', badMapping, '--db', db]);
    expect(mapped.code).toBe(1);
    expect(mapped.stderr).toMatch(/^The mapping file .*m\.json is not a valid mapping at columns\.a: /);
  });

  it('says "1 row" and names a failed file once', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const one = join(dir, 'one.csv');
    const empty = join(dir, 'empty.csv');
    writeFileSync(one, 'account_id,name,arr\nA1,Alpha,10\n');
    writeFileSync(empty, '');
    const run = runCli(['import', one, empty, '--db', db]);
    expect(run.stdout).toContain('one.csv (accounts, CSV, delimiter ","): 1 row, 1 accepted');
    expect(run.stdout.split(empty).length - 1).toBe(1);
    expect(run.stdout).toContain(`Not imported: ${empty} is empty.`);
    expect(runCli(['risks', '--all', '--db', db]).stdout).toMatch(/^1 account active on /m);
  });

  it('reads a mapping file and a forced kind', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'Kunde;Name;Umsatz;Ende\nK1;Alpha;1.500,00;31.12.2026\n');
    const mapping = join(dir, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: { Kunde: 'account_id', Umsatz: 'arr', Ende: 'renewal_date' },
        dateFormat: 'DD.MM.YYYY',
        decimalSeparator: ',',
        constants: { currency: 'EUR' },
      }),
    );
    const run = runCli(['import', csv, '--mapping', mapping, '--kind', 'accounts', '--db', db, '--json']);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      accepted: { accounts: 1 },
      rejected: 0,
      files: [{ kind: 'accounts', delimiter: ';' }],
    });
  });
});

describe('foresight quarantine', () => {
  it('lists, exports, re-imports a fixed export and discards', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    prepare(db, (handle) => importFiles(handle, [CRM]));
    const list = runCli(['quarantine', '--db', db, '--json']);
    expect(list.code).toBe(0);
    expect(list.json()).toMatchObject({
      total: 3,
      rows: [{ id: 1, line: 6, field: 'renewal_date' }, { id: 2 }, { id: 3 }],
    });

    const out = join(dir, 'fix.csv');
    expect(runCli(['quarantine', 'export', '--out', out, '--db', db]).code).toBe(0);
    writeFileSync(
      out,
      readFileSync(out, 'utf8')
        .replace(',31/02/2026,', ',2026-02-28,')
        .replace(',n/a,', ',71000,')
        .replace(',lee.park@,', ',lee.park@northwind-cs.com,'),
    );
    const fixed = runCli(['quarantine', 'import', out, '--db', db, '--json']);
    expect(fixed.code).toBe(0);
    expect(fixed.json()).toMatchObject({ accepted: { accounts: 3 }, rejected: 0 });
    expect(runCli(['quarantine', 'discard', '--db', db]).code).toBe(2);
    expect(runCli(['quarantine', 'discard', '--all', '--db', db, '--json']).json()).toEqual({ discarded: 0 });
  });

  it('lists, exports and discards only the kind asked for', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const contacts = join(dir, 'contacts.csv');
    writeFileSync(contacts, 'contact_id,account_id,name\nc1,NOPE-1,Ana\n');
    prepare(db, (handle) => {
      importFiles(handle, [CRM]);
      expect(importFiles(handle, [contacts]).rejected).toBe(1);
    });
    expect(runCli(['quarantine', '--kind', 'contacts', '--db', db, '--json']).json()).toMatchObject({ total: 1 });
    expect(runCli(['quarantine', 'list', '--kind', 'accounts', '--db', db, '--json']).json()).toMatchObject({
      total: 3,
    });
    const out = join(dir, 'contacts-only.csv');
    expect(runCli(['quarantine', 'export', '--kind', 'contacts', '--out', out, '--db', db, '--json']).json()).toEqual({
      rows: 1,
      path: out,
    });
    expect(runCli(['quarantine', 'discard', '--all', '--kind', 'contacts', '--db', db, '--json']).json()).toEqual({
      discarded: 1,
    });
    expect(runCli(['quarantine', '--db', db, '--json']).json()).toMatchObject({ total: 3 });
    // An option a subcommand does not take is a usage error, not silently ignored.
    expect(runCli(['quarantine', 'retry', '--kind', 'events', '--db', db]).code).toBe(2);
  });

  it('re-checks rows whose account arrived later', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const contacts = join(dir, 'contacts.csv');
    writeFileSync(contacts, 'contact_id,account_id,name\nc1,ACME-001,Ana\n');
    prepare(db, (handle) => {
      expect(importFiles(handle, [contacts]).rejected).toBe(1);
      importFiles(handle, [CRM]);
    });
    const retry = runCli(['quarantine', 'retry', '--db', db, '--json']);
    expect(retry.json()).toMatchObject({ resolved: 1, accepted: { contacts: 1 } });
  });
});

describe('foresight source and sync', () => {
  const TOKEN = 'cli-feed-token-7a9';
  const data = {
    accounts: [1, 2, 3].map((i) => ({ account_id: `acc_${i}`, name: `Account ${i}`, arr: i * 100 })),
    metrics: [1, 2, 3].map((i) => ({ account_id: 'acc_1', date: `2026-02-0${i}`, metric: 'logins', value: i })),
  };

  it('adds a source with a token variable, syncs two pages through transient errors, then gets 304', async () => {
    feed = await startFeedServer({ data, token: TOKEN, pageSize: 2 });
    feed.faults.push({ kind: 'accounts', status: 503 }, { kind: 'metrics', status: 429, retryAfter: '1' });
    const db = join(tempDir(), 'f.db');
    const env = { FORESIGHT_FEED_TOKEN_WAREHOUSE: TOKEN };
    const added = await runCliAsync([
      'source',
      'add',
      'warehouse',
      '--url',
      feed.url,
      '--token-env',
      'FORESIGHT_FEED_TOKEN_WAREHOUSE',
      '--db',
      db,
      '--json',
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      name: 'warehouse',
      token: 'env:FORESIGHT_FEED_TOKEN_WAREHOUSE',
      status: 'never',
    });

    const first = await runCliAsync(['sync', '--db', db, '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      accepted: { accounts: 3, metrics: 3 },
      rejected: 0,
      sources: [{ name: 'warehouse', status: 'ok' }],
      // The sync brought the book's first usage, so the whole book was ranked.
      ranking: { scope: 'book', scored: 3 },
    });
    expect(feed.requests.filter((r) => r.kind === 'accounts').map((r) => r.status)).toEqual([503, 200, 200]);
    // No terminal, so no bar: each retry is a line on stderr.
    expect(first.stderr).toMatch(
      /^warehouse: the feed answered 503 for accounts; trying again in \d+ s \(attempt 2 of \d+\)$/m,
    );
    expect(first.stderr).toMatch(
      /^warehouse: the feed answered 429 \(too many requests\) for metrics; trying again in 1 s/m,
    );

    const second = await runCliAsync(['sync', '--source', 'warehouse', '--db', db, '--json'], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
      unchanged: 0,
      sources: [{ notModified: ['accounts', 'contacts', 'metrics', 'events'] }],
      // Nothing new: nothing rescored, and no ranking claimed.
      ranking: null,
    });

    const list = await runCliAsync(['source', 'list', '--db', db]);
    expect(list.stdout).toContain('warehouse  ok  ');
    expect(list.stdout).toContain('(data is just now)');
    for (const output of [added, first, second, list]) expect(output.stdout + output.stderr).not.toContain(TOKEN);
  });

  it('exits 1 naming the source when the token is rejected, and when the feed is offline', async () => {
    feed = await startFeedServer({ data, token: TOKEN });
    const db = join(tempDir(), 'f.db');
    prepare(db, (handle) =>
      saveSource(
        handle,
        { name: 'warehouse', url: feed!.url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_WAREHOUSE' },
        new Date(),
      ),
    );
    const rejected = await runCliAsync(['sync', '--db', db], { FORESIGHT_FEED_TOKEN_WAREHOUSE: 'wrong' });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('warehouse: unauthorised: the feed rejected the token for warehouse.');
    await feed.close();
    feed = null;
    const offline = await runCliAsync(['sync', '--db', db, '--json'], { FORESIGHT_FEED_TOKEN_WAREHOUSE: TOKEN });
    expect(offline.code).toBe(1);
    expect(JSON.parse(offline.stdout).sources[0]).toMatchObject({ status: 'offline' });
  }, 60_000);

  it('refuses a sync with no sources, and plain http to another host', () => {
    const db = join(tempDir(), 'f.db');
    prepare(db);
    const none = runCli(['sync', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There are no feed sources');
    const insecure = runCli(['source', 'add', 'w', '--url', 'http://feed.example.com', '--db', db]);
    // An invalid argument is a usage error (2), like a missing one.
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain('must use https://');
    expect(runCli(['source', 'remove', 'nope', '--db', db]).code).toBe(1);
  });

  it.each([
    ['a bad token variable', ['w', '--url', 'https://f.example.com', '--token-env', 'lower-case']],
    ['a bad source name', ['no spaces!', '--url', 'https://f.example.com']],
    ['credentials in the URL', ['w', '--url', 'https://u:p@f.example.com']],
    ['an ftp: URL', ['w', '--url', 'ftp://f.example.com']],
  ])('exits 2 for source add with %s', (_what, args) => {
    const db = join(tempDir(), 'f.db');
    prepare(db);
    const run = runCli(['source', 'add', ...args, '--db', db]);
    expect(run.stderr).not.toBe('');
    expect(run.code).toBe(2);
  });
});
