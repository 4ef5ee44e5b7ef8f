/** What the app announces after a change: calls that replace the whole book say 'all'. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import type { ApiEvent } from '../../src/shared/api.ts';
import { changeTouches, type DataChangedEvent } from '../../src/shared/events.ts';
import { tempDir } from '../support/temp.ts';

const changes = (events: ApiEvent[]) =>
  events.filter((event): event is DataChangedEvent => event.type === 'data-changed').map((event) => event.kinds);

describe('data-changed events', () => {
  it("demo load and demo clear announce 'all', so every screen reloads", async () => {
    const dbPath = join(tempDir(), 'f.db');
    const app = createApp({ dbPath, jobs: inlineJobRunner(dbPath), now: () => new Date('2026-11-21T12:00:00Z') });
    const events: ApiEvent[] = [];
    app.subscribe((event) => events.push(event));

    expect(await app.dispatch('demo.load', { accounts: 12, seed: 7 })).toMatchObject({ ok: true });
    expect(changes(events)).toEqual([['all']]);
    expect(await app.dispatch('demo.clear', {})).toMatchObject({ ok: true });
    expect(changes(events)).toEqual([['all'], ['all']]);
    app.close();
  });

  it("'all' touches every kind; otherwise only the kinds named", () => {
    expect(changeTouches(['all'], ['templates'])).toBe(true);
    expect(changeTouches(['accounts', 'sync'], ['sync'])).toBe(true);
    expect(changeTouches(['accounts'], ['templates', 'outreach-settings'])).toBe(false);
    expect(changeTouches(['risk'], ['all'])).toBe(false);
  });
});
