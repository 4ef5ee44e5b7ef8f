import { describe, expect, it } from 'vitest';
import { decideExternalLink, hostMatches } from '../../src/main/security/external-links.ts';

const allowed = ['app.hubspot.com', '*.zendesk.com'];
const open = (url: string) => decideExternalLink(url, allowed).allowed;

describe('shell.openExternal allow-list', () => {
  it('opens mailto: with a plain address, and https to hosts the user allowed', () => {
    expect(open('mailto:jane@acme.example')).toBe(true);
    expect(open('mailto:jane@acme.example?subject=Renewal&body=Hi')).toBe(true);
    expect(open('https://app.hubspot.com/contacts/1')).toBe(true);
    expect(open('https://acme.zendesk.com/agent/tickets/9')).toBe(true);
    expect(open('HTTPS://APP.HUBSPOT.COM/x')).toBe(true);
  });

  it.each([
    ['http (not https)', 'http://app.hubspot.com/'],
    ['a host not on the list', 'https://evil.example/'],
    ['a look-alike host', 'https://app.hubspot.com.evil.example/'],
    ['a suffix trick', 'https://evilapp.hubspot.com/'],
    ['the bare domain of a wildcard', 'https://zendesk.com/'],
    ['credentials in the URL', 'https://user:pass@app.hubspot.com/'],
    ['a non-default port', 'https://app.hubspot.com:8443/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['smb:', 'smb://host/share'],
    ['our own scheme', 'foresight://app/index.html'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['mailto without an address', 'mailto:?body=hi'],
    ['mailto smuggling a header', 'mailto:a@b.example%0d%0aBcc:c@d.example'],
    ['not a URL', 'not a url'],
    ['an overlong URL', `https://app.hubspot.com/${'a'.repeat(3000)}`],
  ])('denies %s', (_label, url) => {
    expect(open(url)).toBe(false);
  });

  it('denies every https link while the user has allowed no hosts', () => {
    expect(decideExternalLink('https://app.hubspot.com/', []).allowed).toBe(false);
    expect(decideExternalLink('mailto:a@b.example', []).allowed).toBe(true);
  });

  it('matches wildcards only on subdomains', () => {
    expect(hostMatches('a.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('a.b.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('example.com', '*.example.com')).toBe(false);
    expect(hostMatches('badexample.com', '*.example.com')).toBe(false);
  });
});
