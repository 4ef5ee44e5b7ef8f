/**
 * Failures reach the app's log with their stacks: a renderer crash reported over the API, and a
 * job that fails unexpectedly in its worker thread. Error codes are declared once.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { workerJobRunner } from '../../src/app/jobs/runner.ts';
import type { JobName } from '../../src/app/jobs/registry.ts';
import { hasErrorCode, UserFacingError } from '../../src/domain/errors.ts';
import { ERROR_CODES, isErrorCode } from '../../src/shared/error-codes.ts';
import { tempDb, tempDir } from '../support/temp.ts';

describe('renderer errors', () => {
  it('app.reportError writes the message, the stack and the React component stack to the app log', async () => {
    const logged: string[] = [];
    const app = createApp({ dbPath: join(tempDir(), 'f.db'), log: (line) => logged.push(line) });
    const result = await app.dispatch('app.reportError', {
      source: 'boundary',
      message: 'TypeError: Cannot read properties of undefined (reading "rows")',
      stack: 'TypeError: Cannot read properties of undefined\n    at TodayScreen (TodayScreen.tsx:90:12)',
      componentStack: '\n    at TodayScreen\n    at ErrorBoundary',
      screen: '#/today',
    });
    expect(result).toEqual({ ok: true, value: { logged: true } });
    expect(logged).toHaveLength(1);
    const [line] = logged;
    expect(line).toContain('[renderer] boundary on #/today: TypeError: Cannot read properties of undefined');
    expect(line).toContain('at TodayScreen (TodayScreen.tsx:90:12)');
    expect(line).toContain('React components:\n    at TodayScreen\n    at ErrorBoundary');
    app.close();
  });

  it('refuses a report that is not one, in a sentence naming the field', async () => {
    const logged: string[] = [];
    const app = createApp({ dbPath: join(tempDir(), 'f.db'), log: (line) => logged.push(line) });
    const result = await app.dispatch('app.reportError', { source: 'somewhere', message: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /source/ } });
    expect(logged).toEqual([]);
    app.close();
  });
});

describe('job worker errors', () => {
  it("an unexpected failure in a job's worker thread keeps the worker's stack", async () => {
    const { path } = tempDb();
    const runner = workerJobRunner(path);
    const failure = await runner.run('no.such.job' as JobName, {} as never, { label: 'test' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(UserFacingError);
    const stack = (failure as Error).stack ?? '';
    expect(stack).toContain('Unknown job no.such.job.');
    // Thrown in the worker's entry module, not where the main thread heard of it.
    expect(stack).toMatch(/jobs[\\/]worker\.ts/);
    expect(stack).toContain("(in the no.such.job job's worker thread)");
  });
});

describe('error codes', () => {
  it('are declared once each, and recognised by the guards', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(isErrorCode('SYNC_RUNNING')).toBe(true);
    expect(isErrorCode('SYNC_RUNING')).toBe(false);
    expect(hasErrorCode(new UserFacingError('SYNC_RUNNING', 'A sync is already running.'), 'SYNC_RUNNING')).toBe(true);
    expect(hasErrorCode(new UserFacingError('NO_SOURCES', 'No sources.'), 'SYNC_RUNNING')).toBe(false);
    expect(hasErrorCode(Object.assign(new Error('x'), { code: 'SYNC_RUNNING' }), 'SYNC_RUNNING')).toBe(false);
  });
});
