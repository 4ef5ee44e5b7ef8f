/**
 * The security checklist and native behaviour against the real Electron binary. Skipped, with the
 * reason printed, where the binary is not installed (this project's CI); the same configuration is
 * asserted without the binary by the unit tests named in docs/security.md.
 */
import { expect, test, type Page } from '@playwright/test';
import { hasElectronBinary, launchApp, launchSecondInstance, skipReason, type LaunchedApp } from './electron-launch.ts';

if (!hasElectronBinary) console.log(`[electron e2e] skipped: ${skipReason}`);

test.describe('desktop app (Electron)', () => {
  test.skip(!hasElectronBinary, skipReason);
  test.describe.configure({ mode: 'serial' });

  let launched: LaunchedApp;
  let page: Page;

  test.beforeAll(async () => {
    launched = await launchApp();
    page = await launched.app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await launched?.close();
  });

  test('the window is sandboxed and isolated, with web security on and no Node in the page', async () => {
    // getLastWebPreferences is Electron's own (untyped) accessor for what the renderer was given.
    const prefs = await launched.app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
        getLastWebPreferences(): Record<string, unknown>;
      };
      return contents.getLastWebPreferences();
    });
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(
      await page.evaluate(() => Object.keys((window as unknown as { foresight: object }).foresight).sort()),
    ).toEqual(['call', 'onEvent', 'transport']);
  });

  test('the page comes from foresight://app with the CSP header, and inline scripts do not run', async () => {
    expect(page.url()).toMatch(/^foresight:\/\/app\/index\.html/);
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
  });

  test('navigation and window.open are denied', async () => {
    const before = page.url();
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe(before);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('every permission is denied', async () => {
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
    expect(await page.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state)).toBe(
      'denied',
    );
    const camera = await page.evaluate(() =>
      navigator.mediaDevices.getUserMedia({ video: true }).then(
        () => 'granted',
        (e: Error) => e.name,
      ),
    );
    expect(camera).not.toBe('granted');
  });

  test('the API answers over IPC and validates input', async () => {
    const status = await page.evaluate(() =>
      (window as unknown as { foresight: { call(m: string, i: unknown): Promise<{ ok: boolean }> } }).foresight.call(
        'app.status',
        {},
      ),
    );
    expect(status.ok).toBe(true);
    const bad = await page.evaluate(() =>
      (
        window as unknown as {
          foresight: { call(m: string, i: unknown): Promise<{ ok: boolean; error?: { code: string } }> };
        }
      ).foresight.call('accounts.list', { limit: 'all' }),
    );
    expect(bad.error?.code).toBe('INVALID_INPUT');
  });

  test('a second launch hands over to the running app and exits', async () => {
    const second = launchSecondInstance(launched.dbPath, launched.userData);
    expect(second.timedOut).toBe(false);
    expect(second.status).toBe(0);
    expect(await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
