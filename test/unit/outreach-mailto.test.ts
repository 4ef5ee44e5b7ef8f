import { describe, expect, it } from 'vitest';
import { buildEml, emlFileName, encodeHeader, quotedPrintable, rfc5322Date } from '../../src/domain/outreach/eml.ts';
import { buildMailto, MAILTO_MAX_LENGTH } from '../../src/domain/outreach/mailto.ts';
import { decideExternalLink } from '../../src/main/security/external-links.ts';

/** What a mail client does with a mailto: URL (RFC 6068): split on ? and &, then percent-decode each part. */
function parseMailto(url: string) {
  expect(url.startsWith('mailto:')).toBe(true);
  const [to, query = ''] = url.slice('mailto:'.length).split('?');
  const fields = Object.fromEntries(
    query
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const [key, value = ''] = pair.split('=');
        return [key, decodeURIComponent(value)];
      }),
  );
  return { to: decodeURIComponent(to ?? ''), ...fields } as { to: string; subject?: string; body?: string };
}

describe('mailto: builder', () => {
  it('round-trips Unicode, newlines, & = ? # + % and quotes', () => {
    const subject = 'Zoë & Müller: 50% off? #1 + “quotes”';
    const body = 'Hi Zoë,\n\nA&B=C?d#e+f 100%\nhttps://app.example.com/billing?x=1&y=2\n— Maya 😀';
    const url = buildMailto({ to: 'zoë.müller@acme.example', subject, body });
    const parsed = parseMailto(url);
    expect(parsed.subject).toBe(subject);
    expect(parsed.body).toBe(body.split('\n').join('\r\n'));
    expect(parsed.to).toBe('zoë.müller@acme.example');
  });

  it('encodes line breaks as %0D%0A and never leaves a raw &, space, newline or # in a value', () => {
    const url = buildMailto({ to: 'ana@acme.example', subject: 'A & B', body: 'one\ntwo\r\nthree & four #5' });
    expect(url).toBe('mailto:ana@acme.example?subject=A%20%26%20B&body=one%0D%0Atwo%0D%0Athree%20%26%20four%20%235');
    expect(url.split('?')[1]?.split('&')).toHaveLength(2);
  });

  it('keeps the @ of the address readable and works without a recipient', () => {
    expect(buildMailto({ to: 'ana.silva+cs@acme.example', subject: 'Hi', body: '' })).toBe(
      'mailto:ana.silva%2Bcs@acme.example?subject=Hi',
    );
    expect(buildMailto({ to: null, subject: 'Hi', body: 'x' })).toBe('mailto:?subject=Hi&body=x');
  });

  it('passes the desktop shell’s link allow-list, which hands it to the system mail client', () => {
    const url = buildMailto({
      to: 'zoë.müller+cs@acme.example',
      subject: 'Keep Acme running: 1 minute',
      body: 'Hi Zoë,\n\nUpdate here: https://app.example.com/billing?a=1&b=2\n\nBest,\nMaya',
    });
    expect(url.length).toBeLessThanOrEqual(MAILTO_MAX_LENGTH);
    expect(decideExternalLink(url, [])).toMatchObject({ allowed: true });
  });

  it('encodes the characters encodeURIComponent leaves alone', () => {
    expect(buildMailto({ to: null, subject: "it's (done)!*", body: '' })).toBe(
      'mailto:?subject=it%27s%20%28done%29%21%2A',
    );
  });
});

describe('.eml builder', () => {
  const date = new Date('2026-03-10T09:05:03Z');

  it('writes RFC 5322 headers with CRLF line endings, a blank line, and a quoted-printable UTF-8 body', () => {
    const eml = buildEml({
      from: { name: 'Maya Chen', email: 'maya@foresight.example' },
      to: { name: 'Ana Silva', email: 'ana@acme.example' },
      subject: 'Keep Acme running',
      body: 'Hi Ana,\n\nUpdate here: https://app.example.com/billing?a=1\n\nBest,\nMaya',
      date,
    });
    const [head, body] = eml.split('\r\n\r\n');
    expect(head?.split('\r\n')).toEqual([
      'From: "Maya Chen" <maya@foresight.example>',
      'To: "Ana Silva" <ana@acme.example>',
      'Subject: Keep Acme running',
      'Date: Tue, 10 Mar 2026 09:05:03 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      'X-Unsent: 1',
    ]);
    expect(body).toBe('Hi Ana,');
    expect(eml).toContain('Update here: https://app.example.com/billing?a=3D1\r\n');
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/\n|\r/);
  });

  it('encodes a non-ASCII subject and name as UTF-8 encoded-words that decode back', () => {
    const subject = 'Zoë, Ihre Karte läuft weiter — ein kurzer Schritt für Müller & Söhne GmbH 😀';
    const encoded = encodeHeader(subject, 9);
    const words = encoded.split('\r\n ');
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    const decoded = words.map((word) => Buffer.from(word.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe(subject);
    const eml = buildEml({
      from: null,
      to: { name: 'Zoë Müller', email: 'zoe@acme.example' },
      subject,
      body: 'x',
      date,
    });
    expect(eml).toContain(`To: =?UTF-8?B?${Buffer.from('Zoë Müller').toString('base64')}?= <zoe@acme.example>`);
  });

  it('quotes names with commas so they cannot split the address', () => {
    const eml = buildEml({
      from: null,
      to: { name: 'Silva, Ana "AS"', email: 'ana@acme.example' },
      subject: 's',
      body: 'b',
      date,
    });
    expect(eml).toContain('To: "Silva, Ana \\"AS\\"" <ana@acme.example>');
  });

  it('keeps a name with a line break (from a CRM field) one quoted name: no second address, no injected header', () => {
    for (const [name, shown] of [
      ['Smith,\nJohn', '"Smith, John" <john@acme.example>'],
      ['Eve\r\nBcc: spy@evil.example', '"Eve Bcc: spy@evil.example" <john@acme.example>'],
      ['Zoë,\r\nMüller', `=?UTF-8?B?${Buffer.from('Zoë, Müller').toString('base64')}?= <john@acme.example>`],
    ]) {
      const eml = buildEml({
        from: null,
        to: { name: name!, email: 'john@acme.example' },
        subject: 's',
        body: 'b',
        date,
      });
      const headers = eml.split('\r\n\r\n')[0]!.split('\r\n');
      expect(headers[0]).toBe(`To: ${shown}`);
      expect(headers.filter((h) => /^(To|Bcc|Cc):/i.test(h))).toHaveLength(1);
    }
  });

  it('quoted-printable: escapes =, non-ASCII and trailing spaces; soft-wraps at 76 characters', () => {
    expect(quotedPrintable('a=b é')).toBe('a=3Db =C3=A9');
    expect(quotedPrintable('trailing ')).toBe('trailing=20');
    const long = quotedPrintable('x'.repeat(200));
    for (const line of long.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(long.split('=\r\n').join('')).toBe('x'.repeat(200));
    const accents = quotedPrintable('é'.repeat(40));
    expect(accents.split('\r\n').every((line) => /^(=[0-9A-F]{2})+=?$/.test(line))).toBe(true);
  });

  it('dates in the fixed RFC format, and file names without paths', () => {
    expect(rfc5322Date(new Date('2026-01-04T23:59:59Z'))).toBe('Sun, 04 Jan 2026 23:59:59 +0000');
    expect(emlFileName('Acme / Corp: Ünïcode', 'Payment failing')).toBe('Acme-Corp-Unicode-Payment-failing.eml');
    expect(emlFileName('../../', '')).toBe('draft.eml');
  });
});
