import { isTrustedAppUrl } from './origin.ts';

/**
 * The only browser permission the app grants: writing plain text to the clipboard, from our own
 * page, so the composer's "Copy" works. Clipboard reads, media, location, notifications and all
 * devices stay refused. Pure so the policy is tested without Electron.
 */
const GRANTED_TO_APP = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return GRANTED_TO_APP.has(permission) && requestingUrl !== undefined && isTrustedAppUrl(requestingUrl);
}
