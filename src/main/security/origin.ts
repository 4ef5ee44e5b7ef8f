/** The app's own origin. Pure (no electron import) so tests and the IPC check share it. */
export const APP_SCHEME = 'foresight';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for foresight://app/… — not file:, not http(s):, not another host of our scheme, no credentials or port. */
export function isTrustedAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}
