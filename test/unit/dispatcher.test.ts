import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { UserFacingError } from '../../src/domain/errors.ts';
import { createDispatcher } from '../../src/app/dispatcher.ts';
import { handlers } from '../../src/app/handlers/index.ts';
import { join } from 'node:path';
import { sampleAccount, tempDir } from '../support/temp.ts';

function app() {
  const created = createApp({ dbPath: join(tempDir(), 'f.db'), now: () => new Date('2026-11-21T12:00:00Z') });
  return created;
}

describe('API dispatcher', () => {
  it('answers a valid call with ok and the value', async () => {
    const { dispatch, ctx, close } = app();
    accountsRepo(ctx.db).upsert(sampleAccount());
    const result = await dispatch('app.status', {});
    expect(result).toMatchObject({ ok: true, value: { counts: { accounts: 1 }, today: '2026-11-21' } });
    close();
  });

  it.each([
    ['accounts.list', { limit: 5000 }, "The number of rows can't be more than 1000."],
    ['accounts.list', { offset: -1 }, "The offset can't be negative."],
    ['accounts.list', { search: 42 }, 'The search must be text.'],
    ['accounts.list', { unexpected: true }, 'This request has a field Foresight does not know: “unexpected”.'],
    ['app.status', 'not an object', 'This request must be a group of fields.'],
    ['demo.load', { accounts: 10_000_000 }, "The accounts can't be more than 50000."],
  ])('rejects malformed input for %s: %j', async (method, input, message) => {
    const { dispatch, close } = app();
    const result = await dispatch(method, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toBe(message);
    }
    close();
  });

  it('rejects unknown and prototype method names', async () => {
    const { dispatch, close } = app();
    for (const method of ['nope', '__proto__', 'constructor', 42]) {
      expect(await dispatch(method, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    close();
  });

  it('passes user-facing errors through and hides unexpected ones', async () => {
    const { ctx, close } = app();
    const logged: string[] = [];
    const failing = createDispatcher(
      {
        ...handlers,
        'app.status': () => {
          throw new UserFacingError('UNKNOWN_SOURCE', 'The feed rejected the token for acme.');
        },
        'accounts.list': () => {
          throw new Error('secret internals');
        },
      },
      ctx,
      (line) => logged.push(line),
    );
    expect(await failing('app.status', {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_SOURCE', message: 'The feed rejected the token for acme.' },
    });
    const hidden = await failing('accounts.list', {});
    expect(hidden).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(hidden)).not.toContain('secret internals');
    expect(logged.join('\n')).toContain('secret internals');
    close();
  });
});
