/**
 * Which links may leave the app for the user's browser or mail client. Everything else is denied:
 * `shell.openExternal` can launch any registered protocol handler, so the allow-list is narrow —
 * `mailto:` and https links to hosts the user listed in Settings (preferences.externalLinks).
 */

export type ExternalLinkDecision = { allowed: true; url: string } | { allowed: false; reason: string };

const MAX_URL_LENGTH = 2048;

export function decideExternalLink(rawUrl: string, allowedHosts: readonly string[]): ExternalLinkDecision {
  if (typeof rawUrl !== 'string' || rawUrl.length === 0) return { allowed: false, reason: 'empty URL' };
  if (rawUrl.length > MAX_URL_LENGTH) return { allowed: false, reason: 'URL too long' };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { allowed: false, reason: 'not a URL' };
  }
  if (url.protocol === 'mailto:') {
    // An address (or several) and the usual subject/body parameters; nothing that is not mail.
    const address = decodeURIComponent(url.pathname);
    if (!/^[^\s@,;<>"]+@[^\s@,;<>"]+(,[^\s@,;<>"]+@[^\s@,;<>"]+)*$/.test(address))
      return { allowed: false, reason: 'mailto: without a plain address' };
    return { allowed: true, url: url.toString() };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: `${url.protocol} links are not opened` };
  if (url.username || url.password) return { allowed: false, reason: 'credentials in URL' };
  if (url.port !== '') return { allowed: false, reason: 'non-default port' };
  const host = url.hostname.toLowerCase();
  if (!allowedHosts.some((entry) => hostMatches(host, entry.toLowerCase())))
    return { allowed: false, reason: `${host} is not in the allowed hosts` };
  return { allowed: true, url: url.toString() };
}

/** "app.hubspot.com" matches itself only; "*.example.com" matches its subdomains (not example.com itself). */
export function hostMatches(host: string, entry: string): boolean {
  if (entry.startsWith('*.')) {
    const base = entry.slice(2);
    return host.endsWith(`.${base}`) && host.length > base.length + 1;
  }
  return host === entry;
}
