import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/domain/db/open.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';
import { accountIdWhere, addAccount, addEvent, addMetric } from '../unit/interventions-fixtures.ts';

/** A database with three accounts: two treated for payment_failing in March 2026, one held out. */
function setup() {
  const dir = tempDir();
  const path = join(dir, 'foresight.db');
  const { db } = openDatabase(path, { create: true });
  const paid = addAccount(db, {
    account_id: accountIdWhere(false, 'payment_failing', '2026-03-01', 0.1, 'paid_'),
    name: "=cmd|' /C calc'!A0",
    arr: 24_000,
  });
  const unpaid = addAccount(db, {
    account_id: accountIdWhere(false, 'payment_failing', '2026-03-01', 0.1, 'unpaid_'),
    name: 'Unpaid Inc',
    arr: 6000,
  });
  const held = addAccount(db, {
    account_id: accountIdWhere(true, 'payment_failing', '2026-03-01', 0.1, 'held_'),
    name: 'Held Out Ltd',
  });
  addMetric(db, unpaid, 'active_users', '2026-03-04', 3);
  db.close();
  return { dir, path, paid, unpaid, held };
}

interface LoggedJson {
  intervention_id: string;
  status: string;
  holdout: boolean;
  due_on: string;
  excluded_from_uplift: boolean;
}

describe('foresight log / interventions / outcomes', () => {
  it('logs, refuses holdout accounts unless forced, and judges outcomes when the data arrives', () => {
    const { path, paid, unpaid, held } = setup();
    const logged = runCli([
      'log',
      paid,
      '--trigger',
      'payment_failing',
      '--channel',
      'email',
      '--template',
      'builtin.payment_failing.email',
      '--template-version',
      '1',
      '--at',
      '2026-03-01',
      '--note',
      'Card expired',
      '--db',
      path,
      '--json',
    ]);
    expect(logged.stderr).toBe('');
    expect(logged.code).toBe(0);
    // Judged as of today, long after the window, with no data for the account yet: expired.
    expect(logged.json<LoggedJson>()).toMatchObject({
      status: 'expired',
      holdout: false,
      due_on: '2026-03-08',
      excluded_from_uplift: false,
    });
    // The second one through the domain directly: the CLI path is the same, and every spawn costs a second.
    const direct = openDatabase(path).db;
    logIntervention(
      direct,
      { accountId: unpaid, triggerId: 'payment_failing', channel: 'email', sentAt: '2026-03-01' },
      new Date(),
    );
    direct.close();

    const refused = runCli(['log', held, '--trigger', 'payment_failing', '--at', '2026-03-02', '--db', path, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^\S+ is in the control group for "Payment failing", so no outreach should be logged for it; use force to log it anyway \(it will be left out of the uplift\)\.\n$/,
    );
    const forced = runCli([
      'log',
      held,
      '--trigger',
      'payment_failing',
      '--at',
      '2026-03-02',
      '--force',
      '--db',
      path,
      '--json',
    ]);
    expect(forced.json<LoggedJson>()).toMatchObject({ holdout: true, excluded_from_uplift: true });

    const { db } = openDatabase(path);
    addEvent(db, paid, 'payment_succeeded', '2026-03-05T10:00:00Z');
    db.close();

    const list = runCli(['interventions', '--as-of', '2026-03-10', '--db', path, '--json']).json<{
      interventions: { account_id: string; status: string; days_to_success: number | null; evidence: string }[];
    }>();
    const byAccount = Object.fromEntries(list.interventions.map((r) => [r.account_id, r]));
    expect(byAccount[paid]).toMatchObject({
      status: 'succeeded',
      days_to_success: 4,
      evidence: 'Payment succeeded on 2026-03-05, 4 days after the intervention.',
    });
    expect(byAccount[unpaid]).toMatchObject({
      status: 'failed',
      evidence: 'Did not see a successful payment within 7 days (by 2026-03-08).',
    });
    expect(runCli(['interventions', '--status', 'won', '--db', path]).code).toBe(2);

    const outcomes = runCli(['outcomes', '--as-of', '2026-03-10', '--db', path, '--json']).json<{
      rows: Record<string, unknown>[];
    }>();
    expect(outcomes.rows).toHaveLength(1);
    expect(outcomes.rows[0]).toMatchObject({
      key: 'payment_failing',
      n: 3,
      succeeded: 1,
      failed: 1,
      pending: 0,
      success_rate: 0.5,
      median_days_to_success: 4,
      arr_retained: 24_000,
      control: { n: 0, succeeded: 0, success_rate: null, ci_low: null, ci_high: null },
      uplift: null,
    });
    const human = runCli(['outcomes', '--as-of', '2026-03-10', '--by', 'channel', '--db', path]);
    expect(human.stdout).toMatch(/email .* not measured/);
  });

  it('exports CSV and XLSX with the date range in the name, and a merge import of the same files twice changes nothing', () => {
    const { dir, path, paid } = setup();
    runCli(['log', paid, '--trigger', 'payment_failing', '--at', '2026-03-01', '--db', path]);
    const csv = runCli([
      'export',
      'outcomes',
      '--format',
      'csv',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--as-of',
      '2026-04-01',
      '--out',
      dir,
      '--db',
      path,
      '--json',
    ]);
    expect(csv.stderr).toBe('');
    expect(csv.json()).toMatchObject({ filename: 'foresight-outcomes_2026-03-01_to_2026-03-31.csv', rows: 1 });
    const csvPath = join(dir, 'foresight-outcomes_2026-03-01_to_2026-03-31.csv');
    const text = readFileSync(csvPath, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`,'=cmd|' /C calc'!A0,`);
    const xlsxPath = join(dir, 'team.xlsx');
    expect(
      runCli(['export', 'outcomes', '--format', 'xlsx', '--as-of', '2026-04-01', '--out', xlsxPath, '--db', path]).code,
    ).toBe(0);
    expect(existsSync(xlsxPath)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('foresight-outcomes_'))).toHaveLength(1);

    // The format follows the file name; a name that says otherwise is refused; nothing is overwritten silently.
    const named = join(dir, 'out.csv');
    const plain = runCli(['export', 'outcomes', '--as-of', '2026-04-01', '--out', named, '--db', path]);
    expect(plain.code).toBe(0);
    expect(readFileSync(named, 'utf8').charCodeAt(0)).toBe(0xfeff);
    const clash = runCli(['export', 'outcomes', '--format', 'xlsx', '--out', join(dir, 'other.csv'), '--db', path]);
    expect(clash.code).toBe(2);
    expect(clash.stderr.trim()).toBe(
      `--out ${join(dir, 'other.csv')} names a .csv file but --format is xlsx; make them agree.`,
    );
    expect(existsSync(join(dir, 'other.csv'))).toBe(false);
    const again = runCli(['export', 'outcomes', '--as-of', '2026-04-01', '--out', named, '--db', path]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`${named} already exists; add --force to overwrite it, or choose another --out.`);
    const forced = runCli(['export', 'outcomes', '--as-of', '2026-04-01', '--out', named, '--force', '--db', path]);
    expect(forced.stdout.trim()).toBe(`Wrote 1 row to ${named} (it replaced the file that was there).`);

    const lead = join(dir, 'lead.db');
    openDatabase(lead, { create: true }).db.close();
    const first = runCli(['import-outcomes', csvPath, xlsxPath, '--db', lead, '--json']).json<{
      added: number;
      unchanged: number;
    }>();
    // Both files hold the same intervention: it is added once.
    expect(first).toMatchObject({ added: 1, unchanged: 1 });
    expect(runCli(['import-outcomes', csvPath, xlsxPath, '--db', lead, '--json']).json()).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
      rejected: 0,
    });
    const merged = runCli(['outcomes', '--as-of', '2026-04-01', '--db', lead, '--json']).json<{
      imported_rows: number;
      rows: { n: number }[];
    }>();
    expect(merged.imported_rows).toBe(1);
    expect(merged.rows[0]!.n).toBe(1);
    // One merged row reads as one; the lead's own list says where the colleague's intervention went.
    expect(runCli(['outcomes', '--as-of', '2026-04-01', '--db', lead]).stdout).toContain('(including 1 merged row):');
    // A long owner email does not push the columns out of line.
    const long = 'alexandra.featherstonehaugh@customer-success.example';
    const leadDb = openDatabase(lead).db;
    leadDb.prepare('UPDATE imported_outcomes SET owner_email = ?').run(long);
    leadDb.close();
    const byOwner = runCli(['outcomes', '--by', 'owner', '--as-of', '2026-04-01', '--db', lead]).stdout.split('\n');
    const header = byOwner.findIndex((l) => l.startsWith('Group'));
    const ends = byOwner.slice(header, header + 3).map((l) => /(elig\/ctl|\d+\/\d+)/.exec(l)!);
    expect(byOwner[header + 1]!.startsWith(`${long} `)).toBe(true);
    expect(new Set(ends.map((m) => m.index + m[0].length)).size).toBe(1);
    expect(runCli(['interventions', '--db', lead]).stdout.trim()).toBe(
      'No interventions of this book match. 1 intervention merged from colleagues counts in the outcome report ("foresight outcomes"); this list shows the ones logged in this book.',
    );
  });

  it('log takes --effort and --replied, enforces the fatigue cap with its real value, and --force records the override', () => {
    const { path, unpaid } = setup();
    const log = (at: string, ...extra: string[]) =>
      runCli(['log', unpaid, '--trigger', 'payment_failing', '--at', at, '--db', path, '--json', ...extra]);
    const first = log('2026-03-02', '--effort', '3', '--replied', '2026-03-03');
    expect(first.code).toBe(0);
    expect(first.json<{ effort_rating: number; replied_at: string }>()).toMatchObject({
      effort_rating: 3,
      replied_at: '2026-03-03T00:00:00.000Z',
    });
    expect(log('2026-03-03', '--effort', '9').stderr).toMatch(/--effort must be a whole number from 1 to 7, not "9"/);
    expect(log('2026-03-04').code).toBe(0);
    const refused = log('2026-03-05');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/and the fatigue guard allows 2, .*Use force to log it anyway/);
    const forced = log('2026-03-05', '--force');
    expect(forced.code).toBe(0);
    expect(forced.json<{ fatigue_override: boolean }>().fatigue_override).toBe(true);
  });
});
