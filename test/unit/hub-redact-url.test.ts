/** QA-4 #5: the hub's PostgreSQL password is never printed, whichever form it was given in. */
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/hub/store/open.ts';

describe('redactUrl', () => {
  it.each([
    ['postgres://hub:UserInfoPw9@127.0.0.1:1/foresight', 'UserInfoPw9'],
    ['postgres://hub@127.0.0.1:1/foresight?password=QuerySecret77', 'QuerySecret77'],
    ['postgres://hub@127.0.0.1:1/foresight?sslmode=require&PASSWORD=QuerySecret78', 'QuerySecret78'],
    ['host=127.0.0.1 port=1 user=hub password=KvSecret55 dbname=x', 'KvSecret55'],
    ["host=127.0.0.1 password = 'Kv Secret 56' dbname=x", 'Secret 56'],
    ['postgres://hub:Broken%Pw@@127.0.0.1/x', 'Broken'],
  ])('masks the password in %s', (given, secret) => {
    const shown = redactUrl(given);
    expect(shown).not.toContain(secret);
    expect(shown).toContain('***');
    expect(shown).toContain('127.0.0.1');
  });
});
