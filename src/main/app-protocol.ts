import { protocol } from 'electron';
import { createRendererRequestHandler } from './renderer-files.ts';
import { APP_SCHEME } from './security/origin.ts';

export { APP_ORIGIN, APP_SCHEME, isTrustedAppUrl } from './security/origin.ts';

/**
 * Must run before the app is ready. "standard" gives the scheme a real origin; "secure" makes it a
 * secure context. It gets no bypassCSP, no service workers, no CORS exemptions.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from foresight://app/ instead of file://, with the CSP header on every response. */
export function serveRenderer(
  rendererDir: string,
  handle: typeof protocol.handle = protocol.handle.bind(protocol),
): void {
  handle(APP_SCHEME, createRendererRequestHandler(rendererDir));
}
