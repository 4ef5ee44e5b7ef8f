import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import type { NativeBridge } from '../../src/app/native.ts';
import { openDatabase } from '../../src/domain/db/open.ts';
import { tempDir } from '../support/temp.ts';
import { accountIdWhere, addAccount, addEvent } from '../unit/interventions-fixtures.ts';

const NOW = new Date('2026-03-20T10:00:00Z');

function app(native?: NativeBridge) {
  const dbPath = join(tempDir(), 'api.db');
  const { db } = openDatabase(dbPath, { create: true });
  const accountId = addAccount(db, { account_id: accountIdWhere(false, 'payment_failing', '2026-03-10') });
  addEvent(db, accountId, 'payment_succeeded', '2026-03-12');
  db.close();
  const instance = createApp({ dbPath, now: () => NOW, jobs: inlineJobRunner(dbPath), native });
  return { instance, accountId };
}

describe('interventions and outcomes over the API', () => {
  it('logs, lists with the outcome, changes status with a required note, and reports', async () => {
    const { instance, accountId } = app();
    const events: unknown[] = [];
    instance.subscribe((e) => events.push(e));
    const logged = await instance.dispatch('interventions.log', {
      accountId,
      triggerId: 'payment_failing',
      channel: 'email',
      sentAt: '2026-03-10T09:00:00Z',
    });
    expect(logged).toMatchObject({ ok: true, value: { status: 'succeeded', holdout: false } });
    expect(events).toContainEqual({ type: 'data-changed', kinds: ['interventions', 'outcomes'] });

    const list = await instance.dispatch('interventions.list', {});
    expect(list).toMatchObject({
      ok: true,
      value: { total: 1, counts: { succeeded: 1 }, rows: [{ days_to_success: 2, due_on: '2026-03-17' }] },
    });
    const id = (logged as { value: { intervention_id: string } }).value.intervention_id;

    expect(await instance.dispatch('interventions.setStatus', { ids: [id], status: 'failed' })).toMatchObject({
      ok: false,
      error: { code: 'NOTE_REQUIRED' },
    });
    expect(
      await instance.dispatch('interventions.setStatus', {
        ids: [id],
        status: 'failed',
        note: 'Paid by mistake, refunded.',
      }),
    ).toMatchObject({
      ok: true,
      value: { updated: 1, rows: [{ status: 'failed', manual: true }] },
    });
    expect(await instance.dispatch('interventions.update', { id, effortRating: 8 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    // A reply time is held to the rule logging one is: not in the future (beyond a clock's skew).
    expect(await instance.dispatch('interventions.update', { id, repliedAt: '2026-03-21T09:00:00Z' })).toMatchObject({
      ok: false,
      error: {
        code: 'FUTURE_TIME',
        message: expect.stringMatching(/^The reply time 2026-03-21 09:00 UTC is in the future/),
      },
    });
    // One change is all or nothing: a refused reply time leaves the note given with it unsaved.
    expect(
      await instance.dispatch('interventions.update', {
        id,
        notes: 'Called the CFO',
        repliedAt: '2026-03-21T09:00:00Z',
      }),
    ).toMatchObject({ ok: false, error: { code: 'FUTURE_TIME' } });
    expect(await instance.dispatch('interventions.list', {})).toMatchObject({
      ok: true,
      value: { rows: [{ notes: null }] },
    });
    expect(await instance.dispatch('interventions.update', { id, repliedAt: '2026-03-20T10:03:00Z' })).toMatchObject({
      ok: true,
      value: { replied_at: '2026-03-20T10:03:00.000Z' },
    });
    expect(await instance.dispatch('interventions.update', { id, effortRating: 2 })).toMatchObject({
      ok: true,
      value: { effort_rating: 2 },
    });

    const report = await instance.dispatch('outcomes.report', { by: 'trigger' });
    expect(report).toMatchObject({
      ok: true,
      value: { as_of: '2026-03-20', rows: [{ key: 'payment_failing', failed: 1, mean_effort: 2, uplift: null }] },
    });
    expect(await instance.dispatch('outcomes.evaluate', {})).toMatchObject({ ok: true, value: { asOf: '2026-03-20' } });
    instance.close();
  });

  it('exports as a download in the web preview and through the save dialog in the app; merges uploaded files', async () => {
    const web = app();
    await web.instance.dispatch('interventions.log', {
      accountId: web.accountId,
      triggerId: 'payment_failing',
      channel: 'email',
      sentAt: '2026-03-10T09:00:00Z',
    });
    const file = await web.instance.dispatch('outcomes.export', {
      format: 'csv',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(file).toMatchObject({
      ok: true,
      value: { filename: 'foresight-outcomes_2026-03-01_to_2026-03-31.csv', saved: false, path: null, rows: 1 },
    });
    const base64 = (file as { value: { base64: string } }).value.base64;
    expect(Buffer.from(base64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(await web.instance.dispatch('outcomes.import', {})).toMatchObject({
      ok: false,
      error: { code: 'NO_FILES' },
    });

    const saved: { defaultName: string; size: number }[] = [];
    const desktop = app({
      saveFile: async ({ defaultName, data }) => {
        saved.push({ defaultName, size: data.length });
        return { saved: true, path: `/home/csm/${defaultName}` };
      },
      chooseFiles: async () => [],
    });
    const result = await desktop.instance.dispatch('outcomes.export', { format: 'xlsx' });
    expect(result).toMatchObject({
      ok: true,
      value: { saved: true, base64: null, path: expect.stringMatching(/^\/home\/csm\/foresight-outcomes_.*\.xlsx$/) },
    });
    expect(saved[0]!.size).toBeGreaterThan(1000);

    const merged = await desktop.instance.dispatch('outcomes.import', { files: [{ name: 'ann.csv', base64 }] });
    expect(merged).toMatchObject({ ok: true, value: { added: 1 } });
    expect(await desktop.instance.dispatch('outcomes.import', { files: [{ name: 'ann.csv', base64 }] })).toMatchObject({
      ok: true,
      value: { added: 0, unchanged: 1 },
    });
    expect(await desktop.instance.dispatch('outcomes.clearImported', {})).toMatchObject({
      ok: true,
      value: { removed: 1 },
    });
    web.instance.close();
    desktop.instance.close();
  });

  it('saves a holdout share of 0 and a changed criterion, and re-evaluates', async () => {
    const { instance } = app();
    const settings = await instance.dispatch('outcomes.saveSettings', {
      triggerId: 'payment_failing',
      holdoutShare: 0,
      success: { kind: 'event_within', event: 'payment_succeeded', days: 1 },
    });
    expect(settings).toMatchObject({ ok: true });
    const row = (
      settings as {
        value: { trigger_id: string; holdout_share: number; success_description: string; overridden: unknown }[];
      }
    ).value.find((s) => s.trigger_id === 'payment_failing');
    expect(row).toMatchObject({
      holdout_share: 0,
      success_description: 'a successful payment within 1 day',
      overridden: { success: true, holdout_share: true },
    });
    expect(
      await instance.dispatch('outcomes.saveSettings', { triggerId: 'payment_failing', holdoutShare: 1.5 }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    instance.close();
  });
});
