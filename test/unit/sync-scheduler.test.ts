import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import { isDue, syncDueSources } from '../../src/app/services/sync-scheduler.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { tempDir } from '../support/temp.ts';

const NOW = new Date('2026-03-01T10:00:00Z');
const PERIOD = 15 * 60_000;
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

describe('which sources are due', () => {
  it.each([
    ['never synced', { status: 'never', next_retry_at: null, last_attempt_at: null }, true],
    ['healthy, synced 5 minutes ago', { status: 'ok', next_retry_at: null, last_attempt_at: at(5) }, false],
    ['healthy, synced 20 minutes ago', { status: 'ok', next_retry_at: null, last_attempt_at: at(20) }, true],
    ['offline, backoff not over', { status: 'offline', next_retry_at: at(-2), last_attempt_at: at(1) }, false],
    ['offline, backoff over', { status: 'offline', next_retry_at: at(1), last_attempt_at: at(3) }, true],
    ['token rejected', { status: 'unauthorised', next_retry_at: null, last_attempt_at: at(600) }, false],
  ] as const)('%s', (_name, source, due) => expect(isDue(source, NOW, PERIOD)).toBe(due));
});

let app: App | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

describe('a scheduler round', () => {
  it('syncs only the due sources, and an offline one backs off', async () => {
    const dbPath = join(tempDir(), 'f.db');
    app = createApp({ dbPath, now: () => NOW, jobs: inlineJobRunner(dbPath) });
    // Port 9 on loopback: nothing listens, so the source goes offline without waiting.
    saveSource(app.ctx.db, { name: 'down', url: 'http://127.0.0.1:9', tokenRef: null }, NOW);
    expect(await syncDueSources(app.ctx, PERIOD)).toEqual(['down']);
    expect(feedRepo(app.ctx.db).get('down')).toMatchObject({ status: 'offline', failures: 1 });
    expect(await syncDueSources(app.ctx, PERIOD)).toEqual([]);
  });
});
