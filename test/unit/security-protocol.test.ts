import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createRendererRequestHandler, resolveRendererFile } from '../../src/main/renderer-files.ts';
import { CONTENT_SECURITY_POLICY, parseCsp, SECURITY_HEADERS } from '../../src/main/security/csp.ts';
import { isTrustedAppUrl } from '../../src/main/security/origin.ts';
import { tempDir } from '../support/temp.ts';

const electron = vi.hoisted(() => ({
  registered: [] as unknown[],
  handled: new Map<string, (request: Request) => Promise<Response>>(),
}));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.registered.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => electron.handled.set(scheme, handler),
  },
}));

function renderer(): string {
  const dir = join(tempDir(), 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'outside');
  return dir;
}

describe('Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it("is strict: default-src 'self', scripts only from the app, no eval, no inline scripts, no remote hosts", () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*(?!\.)|\bws:|\bwss:/);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it("agrees with the meta tag of the renderer's index.html on scripts (the meta tag serves the web preview)", () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'index.html has a CSP meta tag').toBeDefined();
    const parsed = parseCsp(meta!);
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(meta).not.toMatch(/unsafe-eval/);
  });
});

describe('foresight://app protocol', () => {
  it('serves the renderer with the CSP and security headers on every response', async () => {
    const handle = createRendererRequestHandler(renderer());
    for (const url of [
      'foresight://app/',
      'foresight://app/index.html',
      'foresight://app/assets/app.js',
      'foresight://app/missing.js',
    ]) {
      const response = await handle(new Request(url));
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const page = await handle(new Request('foresight://app/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>x</title>');
    expect((await handle(new Request('foresight://app/assets/app.js'))).headers.get('content-type')).toMatch(
      /javascript/,
    );
  });

  it('refuses paths outside the renderer folder, other hosts, and writes', async () => {
    const dir = renderer();
    const handle = createRendererRequestHandler(dir);
    expect((await handle(new Request('foresight://app/../secret.txt'))).status).toBe(404);
    expect((await handle(new Request('foresight://app/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('foresight://app/..%2fsecret.txt'))).status).toBe(404);
    expect((await handle(new Request('foresight://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('foresight://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(resolveRendererFile(dir, 'foresight://app/%00')).toBeNull();
    expect(resolveRendererFile(dir, 'file:///etc/passwd')).toBeNull();
  });

  it('is registered as a standard, secure scheme without CSP bypass, and handled by the same handler', async () => {
    const { registerAppScheme, serveRenderer } = await import('../../src/main/app-protocol.ts');
    registerAppScheme();
    expect(electron.registered).toEqual([
      { scheme: 'foresight', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    serveRenderer(renderer());
    const response = await electron.handled.get('foresight')!(new Request('foresight://app/'));
    expect(response.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
  });

  it('trusts only foresight://app, not file:, http(s):, other hosts or credentials', () => {
    expect(isTrustedAppUrl('foresight://app/index.html#/today')).toBe(true);
    for (const url of [
      'file:///index.html',
      'https://app/',
      'foresight://evil/',
      'foresight://user@app/',
      'about:blank',
      'garbage',
    ])
      expect(isTrustedAppUrl(url), url).toBe(false);
  });
});
