import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { startWebServer, type WebServer } from '../../src/web/server.ts';
import { tempDir } from '../support/temp.ts';

let server: WebServer | null = null;
let app: App | null = null;
afterEach(async () => {
  await server?.close();
  app?.close();
  server = null;
  app = null;
});

async function start() {
  const dir = tempDir();
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Foresight</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  app = createApp({ dbPath: join(dir, 'f.db') });
  server = await startWebServer({ dispatch: app.dispatch, subscribe: app.subscribe, staticDir });
  return server;
}

function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('web preview server', () => {
  it('serves the same dispatcher over HTTP with the token', async () => {
    const { port, token } = await start();
    const res = await send(port, '/api/app.status', {
      method: 'POST',
      headers: { 'x-foresight-token': token },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { counts: { accounts: 0 } } });
  });

  it('refuses calls without the right token', async () => {
    const { port } = await start();
    expect((await send(port, '/api/app.status', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(
      (await send(port, '/api/app.status', { method: 'POST', headers: { 'x-foresight-token': 'wrong' }, body: '{}' }))
        .status,
    ).toBe(401);
    expect((await send(port, '/api/events?token=wrong')).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { port, token } = await start();
    const res = await send(port, '/api/app.status', {
      method: 'POST',
      headers: { host: `evil.example:${port}`, 'x-foresight-token': token },
      body: '{}',
    });
    expect(res.status).toBe(421);
  });

  it('validates input and reports bad JSON', async () => {
    const { port, token } = await start();
    const invalid = await send(port, '/api/accounts.list', {
      method: 'POST',
      headers: { 'x-foresight-token': token },
      body: '{"limit":-3}',
    });
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const badJson = await send(port, '/api/accounts.list', {
      method: 'POST',
      headers: { 'x-foresight-token': token },
      body: '{nope',
    });
    expect(badJson.status).toBe(400);
  });

  it('serves the renderer with a CSP and never files outside it', async () => {
    const { port } = await start();
    const page = await send(port, '/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await send(port, '/../secret.txt')).status).toBe(404);
    expect((await send(port, '/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('listens on loopback only', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });
});
