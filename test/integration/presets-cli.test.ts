/**
 * The presets commands through the real CLI: `presets` lists built-in and user presets with the
 * folder they live in, `presets core-events` sets what counts as a core feature, `import --dry-run`
 * stores nothing, and `aliases` lists, sets and forgets account matches.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/shared/dto/sync.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'presets');

describe('foresight presets, import --dry-run and aliases', () => {
  it('work as documented', () => {
    const dir = tempDir();
    const db = join(dir, 'book.db');
    mkdirSync(join(dir, 'presets'));
    writeFileSync(join(dir, 'presets', 'broken.json'), '{"name": "Not Valid"}');
    const listed = runCli(['presets', '--json', '--db', db]);
    expect(listed.code, listed.stderr).toBe(0);
    const list = listed.json<{ folder: string; presets: { name: string; origin: string }[]; problems: string[] }>();
    expect(list.folder).toBe(join(dir, 'presets'));
    expect(list.presets.filter((p) => p.origin === 'built-in')).toHaveLength(16);
    expect(list.problems[0]).toContain('broken.json is not a valid preset');

    const dry = runCli(['import', join(FIXTURES, 'hubspot-companies.csv'), '--dry-run', '--json', '--db', db]);
    expect(dry.code, dry.stderr).toBe(0);
    const result = dry.json<ImportResult>();
    expect(result.dryRun).toBe(true);
    expect(result.files[0]!.presetUse!.sample).toHaveLength(5);
    expect(runCli(['aliases', '--json', '--db', db]).json()).toEqual([]);

    const core = runCli(['presets', 'core-events', 'Report Created', 'Dashboard Shared', '--json', '--db', db]);
    expect(core.json()).toEqual({ coreEvents: ['Report Created', 'Dashboard Shared'] });
    const imported = runCli([
      'import',
      join(FIXTURES, 'hubspot-companies.csv'),
      join(FIXTURES, 'mixpanel-events.csv'),
      '--json',
      '--db',
      db,
    ]);
    const mixpanel = imported.json<ImportResult>().files.find((f) => f.preset === 'mixpanel-events')!;
    expect(mixpanel.presetUse!.rolledUp!.metrics).toContain('core_feature_uses');

    expect(runCli(['aliases', 'set', 'stripe', 'cus_1', 'NOPE', '--db', db]).stderr).toContain(
      'There is no account with id "NOPE".',
    );
    expect(runCli(['aliases', 'set', 'stripe', 'cus_1', '18234567001', '--db', db]).code).toBe(0);
    expect(runCli(['aliases', '--source', 'stripe', '--json', '--db', db]).json()).toMatchObject([
      { source: 'stripe', alias: 'cus_1', accountId: '18234567001', rule: 'manual' },
    ]);
    expect(runCli(['aliases', 'remove', 'stripe', 'cus_1', '--db', db]).code).toBe(0);
    expect(runCli(['aliases', 'remove', 'stripe', 'cus_1', '--db', db]).code).toBe(1);
  }, 120_000);
});
