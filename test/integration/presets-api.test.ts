/**
 * The presets part of the sync API through the real dispatcher: vendor files uploaded as the Sync
 * screen does are read with their detected preset (or the one asked for), the presets are listed,
 * and the alias table is listed and edited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import type { ImportResult } from '../../src/shared/dto/sync.ts';
import { tempDir } from '../support/temp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'presets');

let app: App | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

function start() {
  const dbPath = join(tempDir(), 'foresight.db');
  app = createApp({ dbPath, now: () => new Date('2026-03-31T12:00:00Z'), jobs: inlineJobRunner(dbPath) });
  const call = async <T>(method: string, input: unknown = {}): Promise<T> => {
    const result = await app!.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
  return { call, dbPath };
}

async function upload(call: ReturnType<typeof start>['call'], name: string): Promise<string> {
  const bytes = readFileSync(join(FIXTURES, name));
  const begun = await call<{ uploadId: string }>('sync.upload.begin', { fileName: name, size: bytes.length });
  await call('sync.upload.chunk', { uploadId: begun.uploadId, index: 0, data: bytes.toString('base64') });
  return begun.uploadId;
}

describe('presets through the API', () => {
  it('imports uploaded vendor files with their presets, lists presets, and edits the alias table', async () => {
    const { call, dbPath } = start();
    const presets = await call<{ folder: string; presets: { name: string }[] }>('sync.presets.list');
    expect(presets.folder).toBe(join(dbPath, '..', 'presets'));
    expect(presets.presets.map((p) => p.name)).toContain('zendesk-tickets');

    const result = await call<ImportResult>('sync.upload.finish', {
      uploadIds: [await upload(call, 'stripe-payments.csv'), await upload(call, 'hubspot-companies.csv')],
    });
    expect(result.files.map((f) => [f.file, f.preset])).toEqual([
      ['hubspot-companies.csv', 'hubspot-companies'],
      ['stripe-payments.csv', 'stripe-payments'],
    ]);
    expect(result.files[1]!.presetUse!.mapping).toContain('events.type ← Status (values mapped)');

    // The unknown customer is quarantined; an alias made by hand brings it in on the next import.
    expect(result.errors.some((e) => e.message.includes('cus_Q8zTtd0A1mKxZq'))).toBe(true);
    const aliases = await call<{ alias: string; rule: string }[]>('sync.aliases.set', {
      source: 'stripe',
      alias: 'cus_Q8zTtd0A1mKxZq',
      accountId: '18234567005',
    });
    expect(aliases.find((a) => a.alias === 'cus_Q8zTtd0A1mKxZq')?.rule).toBe('manual');
    const again = await call<ImportResult>('sync.upload.finish', {
      uploadIds: [await upload(call, 'stripe-payments.csv')],
      preset: 'stripe-payments',
    });
    expect(again.files[0]).toMatchObject({ preset: 'stripe-payments', accepted: 1, rejected: 0 });
    await expect(call('sync.aliases.set', { source: 'stripe', alias: 'cus_X', accountId: 'NOPE' })).rejects.toThrow(
      'There is no account with id "NOPE".',
    );
    expect(await call('sync.aliases.remove', { source: 'stripe', alias: 'cus_Q8zTtd0A1mKxZq' })).toEqual({
      removed: true,
    });
    await expect(
      call('sync.upload.finish', { uploadIds: [await upload(call, 'stripe-payments.csv')], preset: 'nope' }),
    ).rejects.toThrow(/There is no preset named "nope"/);
  });
});
