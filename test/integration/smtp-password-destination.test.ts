/**
 * QA-4 #1: a caller of the API must not be able to make Foresight send the SMTP password to a
 * place the user did not give it for: another environment variable (AWS_SECRET_ACCESS_KEY), a new
 * server, port or security, or in clear over a network.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { saveSmtpSettings } from '../../src/domain/mail/settings.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import type { SecretStore } from '../../src/domain/secrets/secret-store.ts';
import { startSmtp, type LocalSmtp } from '../support/smtp-server.ts';
import { tempDir } from '../support/temp.ts';

const AS_OF = '2026-03-10';
const NOW = new Date(`${AS_OF}T10:00:00Z`);
let app: App | null = null;
let smtp: LocalSmtp | null = null;
afterEach(async () => {
  app?.close();
  app = null;
  await smtp?.close();
  smtp = null;
  delete process.env.QA4_AWS_SECRET;
  delete process.env.FORESIGHT_SMTP_PASSWORD_QA4;
});

function memorySecrets(): SecretStore {
  const stored = new Map<string, string>();
  return {
    isEncrypted: true,
    needsConsent: false,
    get: async (name) => stored.get(name) ?? null,
    set: async (name, value) => void stored.set(name, value),
    delete: async (name) => void stored.delete(name),
  };
}

function start() {
  const dbPath = join(tempDir(), 'foresight.db');
  app = createApp({ dbPath, now: () => NOW, secrets: memorySecrets(), jobs: inlineJobRunner(dbPath) });
  const call = async (method: string, input: unknown = {}) => {
    const result = await app!.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as Record<string, unknown>;
  };
  return { call, db: app.ctx.db };
}

const settings = (over: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port: 2525,
  security: 'none',
  username: 'csm',
  fromEmail: 'csm@foresight.example',
  fromName: null,
  ...over,
});

/** An account and one of its contacts that mail.send accepts (scored, not in the control group). */
function recipient(db: App['ctx']['db']): { accountId: string; contactId: string } {
  loadDemoBook(db, { accounts: 40, seed: 11, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
  const row = db
    .prepare<[], { account_id: string; contact_id: string }>(
      `SELECT r.account_id, c.contact_id FROM risk_items r JOIN contacts c ON c.account_id = r.account_id
       WHERE r.status = 'open' AND r.is_control = 0 AND c.email IS NOT NULL LIMIT 1`,
    )
    .get()!;
  return { accountId: row.account_id, contactId: row.contact_id };
}

describe('the SMTP password goes only where the user gave it', () => {
  it('refuses a variable outside FORESIGHT_SMTP_PASSWORD*, and never reads one already on record', async () => {
    process.env.QA4_AWS_SECRET = 'AKIAEXFILTRATEDSECRET';
    smtp = await startSmtp({ login: { user: 'csm', pass: 'AKIAEXFILTRATEDSECRET' } });
    const { call, db } = start();
    await expect(
      call('mail.settings.save', { settings: settings({ port: smtp.port, passwordEnv: 'QA4_AWS_SECRET' }) }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('FORESIGHT_SMTP_PASSWORD') });
    // A reference written before the rule (or around the API) is not followed either.
    saveSmtpSettings(db, { ...settings({ port: smtp.port }), passwordRef: 'env:QA4_AWS_SECRET' });
    const { accountId, contactId } = recipient(db);
    const sent = (await call('mail.send', { accountId, to: [contactId], subject: 'Hi', body: 'Hello' })) as {
      flushed: { sent: number; problem: string | null };
    };
    expect(sent.flushed).toMatchObject({ sent: 0, problem: expect.stringContaining('FORESIGHT_SMTP_PASSWORD') });
    expect(smtp.received).toHaveLength(0);
  });

  it('needs the password again for a new server, port or security', async () => {
    const { call } = start();
    await call('mail.settings.save', {
      settings: settings({ host: 'smtp.company.example', port: 587, security: 'starttls' }),
      password: 'LegitSmtpPw_42',
    });
    for (const moved of [
      { host: 'smtp.elsewhere.example', port: 587, security: 'starttls' },
      { host: 'smtp.company.example', port: 2525, security: 'starttls' },
      { host: 'smtp.company.example', port: 587, security: 'tls' },
      { host: '127.0.0.1', port: 2525, security: 'none' },
    ])
      await expect(call('mail.settings.save', { settings: settings(moved) })).rejects.toMatchObject({
        code: 'PASSWORD_NEEDED',
      });
    // The same server keeps its password; a new one typed with a new server is fine.
    await call('mail.settings.save', {
      settings: settings({ host: 'smtp.company.example', port: 587, security: 'starttls', fromName: 'Maya' }),
    });
    const moved = await call('mail.settings.save', {
      settings: settings({ host: 'smtp.elsewhere.example', port: 465, security: 'tls' }),
      password: 'OtherPw',
    });
    expect(moved).toMatchObject({ passwordAvailable: true, settings: { host: 'smtp.elsewhere.example' } });
  });

  it('binds a password variable to its server: naming it again with another server is refused', async () => {
    process.env.FORESIGHT_SMTP_PASSWORD_QA4 = 'EnvPw';
    const { call } = start();
    const first = settings({ host: 'smtp.company.example', port: 587, security: 'starttls' });
    await call('mail.settings.save', { settings: { ...first, passwordEnv: 'FORESIGHT_SMTP_PASSWORD_QA4' } });
    await expect(
      call('mail.settings.save', {
        settings: settings({ host: 'localhost', port: 2525, passwordEnv: 'FORESIGHT_SMTP_PASSWORD_QA4' }),
      }),
    ).rejects.toMatchObject({ code: 'PASSWORD_NEEDED', message: expect.stringContaining('new variable') });
    // Switching to no password and back does not launder it.
    await call('mail.settings.save', { settings: settings({ host: 'localhost', port: 2525, username: null }) });
    await expect(
      call('mail.settings.save', {
        settings: settings({ host: 'localhost', port: 2525, passwordEnv: 'FORESIGHT_SMTP_PASSWORD_QA4' }),
      }),
    ).rejects.toMatchObject({ code: 'PASSWORD_NEEDED' });
    await call('mail.settings.save', { settings: { ...first, passwordEnv: 'FORESIGHT_SMTP_PASSWORD_QA4' } });
  });

  it('refuses to send a password unencrypted to another computer', async () => {
    const { call } = start();
    await expect(
      call('mail.settings.save', { settings: settings({ host: 'smtp.company.example' }), password: 'pw' }),
    ).rejects.toMatchObject({ code: 'INSECURE_SMTP', message: expect.stringContaining('STARTTLS or TLS') });
    // A local test server, or no login, is fine.
    await call('mail.settings.save', { settings: settings({ host: '127.0.0.1' }), password: 'pw' });
    await call('mail.settings.save', { settings: settings({ host: 'smtp.company.example', username: null }) });
  });
});
