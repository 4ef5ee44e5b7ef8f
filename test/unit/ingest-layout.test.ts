import { describe, expect, it } from 'vitest';
import { FileProblem, planLayout } from '../../src/domain/ingest/layout.ts';
import { EMPTY_MAPPING, parseMapping } from '../../src/domain/ingest/mapping.ts';

const plan = (headers: string[], options: Partial<Parameters<typeof planLayout>[2]> = {}) =>
  planLayout(headers, 'f.csv', { mapping: EMPTY_MAPPING, ...options });

describe('kind detection and column mapping', () => {
  it('reads common CRM synonyms', () => {
    const layout = plan(['Account ID', 'Company Name', 'ARR (USD)', 'Contract End Date', 'Owner', 'Notes']);
    expect(layout.kind).toBe('accounts');
    expect(Object.fromEntries(layout.fields)).toEqual({
      account_id: 0,
      name: 1,
      arr: 2,
      renewal_date: 3,
      owner_email: 4,
    });
    expect(layout.constants).toEqual({ currency: 'USD' });
    expect(layout.ignored).toEqual(['Notes']);
  });

  it.each([
    [['Company ID', 'Customer Name', 'Annual Revenue', 'Renewal Date'], 'accounts'],
    [['account_id', 'name', 'arr'], 'accounts'],
    [['Contact ID', 'Account ID', 'Full Name', 'Email', 'Title'], 'contacts'],
    [['account_id', 'date', 'metric', 'value'], 'metrics'],
    [['Account ID', 'Timestamp', 'Event Type', 'Score'], 'events'],
  ] as const)('%j is %s', (headers, kind) => expect(plan([...headers]).kind).toBe(kind));

  it('takes a bare "Id" as the record\'s own key only when nothing else is', () => {
    expect(Object.fromEntries(plan(['Id', 'Name', 'AnnualRevenue']).fields)).toEqual({
      account_id: 0,
      name: 1,
      arr: 2,
    });
    expect(plan(['Id', 'AccountId', 'Name', 'Email']).kind).toBe('contacts');
    const both = plan(['Id', 'Account ID', 'Name', 'ARR']);
    expect(Object.fromEntries(both.fields)).toMatchObject({ account_id: 1 });
    expect(both.ignored).toEqual(['Id']);
  });

  it('recognises a wide metrics file and unpivots its metric columns', () => {
    const layout = plan(['account_id', 'date', 'Active Users', 'seats_used', 'NPS Score']);
    expect(layout).toMatchObject({ kind: 'metrics', shape: 'wide' });
    expect(layout.metrics.map((m) => m.metric)).toEqual(['active_users', 'seats_used', 'nps_score']);
  });

  it('applies a mapping file: renames, ignores, constants', () => {
    const mapping = parseMapping({
      columns: { 'Acct #': 'account_id', Customer: 'name', Revenue: 'arr', Junk: null },
      constants: { currency: 'EUR', segment: 'Enterprise' },
    });
    const layout = plan(['Acct #', 'Customer', 'Revenue', 'Junk'], { mapping });
    expect(layout.kind).toBe('accounts');
    expect(layout.constants).toEqual({ currency: 'EUR', segment: 'Enterprise' });
    expect(layout.ignored).toEqual(['Junk']);
  });

  it('honours a forced kind', () => {
    expect(plan(['account_id', 'date', 'value', 'metric'], { kind: 'metrics' }).kind).toBe('metrics');
  });

  it('explains what is missing, in one sentence', () => {
    expect(() => plan(['Account ID', 'Company Name'])).toThrow(
      'f.csv looks like accounts but has no column for arr (looked for "arr", "annual revenue", "annual recurring revenue", "arr amount"…)',
    );
    expect(() => plan(['colour', 'flavour'])).toThrow(FileProblem);
    expect(() => plan(['Account ID', 'account_id', 'name', 'arr'])).toThrow(/both mean account_id/);
    expect(() =>
      plan(['a', 'b', 'c', 'd'], {
        mapping: parseMapping({ columns: { a: 'account_id', b: 'name', c: 'arr', d: 'nonsense' } }),
        kind: 'accounts',
      }),
    ).toThrow(/not a field of accounts/);
  });
});

describe('a very long column name in a message', () => {
  it('is shown as its start and its length, not echoed in full', () => {
    const header = `h${'x'.repeat(200_000)}`;
    const problem = (() => {
      try {
        planLayout(['foo', header], 'wide.csv', { mapping: EMPTY_MAPPING });
        return null;
      } catch (error) {
        return error instanceof FileProblem ? error.message : null;
      }
    })();
    expect(problem).toContain(`"h${'x'.repeat(59)}…" (200,001 characters)`);
    expect(problem!.length).toBeLessThan(400);
  });
});
