/**
 * A draft as an RFC 5322 message (.eml) that any mail client opens: UTF-8 text, CRLF line
 * endings, non-ASCII headers as RFC 2047 encoded-words, the body as quoted-printable. "X-Unsent: 1"
 * makes Outlook open it as an editable draft rather than a received message.
 */
export interface EmlInput {
  from: { name: string | null; email: string } | null;
  to: { name: string | null; email: string } | null;
  subject: string;
  body: string;
  date: Date;
}

const CRLF = '\r\n';

export function buildEml(input: EmlInput): string {
  const headers = [
    ...(input.from ? [`From: ${formatAddress(input.from)}`] : []),
    ...(input.to ? [`To: ${formatAddress(input.to)}`] : []),
    `Subject: ${encodeHeader(input.subject, 'Subject: '.length)}`,
    `Date: ${rfc5322Date(input.date)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    'X-Unsent: 1',
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${quotedPrintable(input.body)}${CRLF}`;
}

/** Line breaks and other control characters (a CRM field may hold "Smith,\nJohn") become one space. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const oneLine = (text: string) => text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();

function formatAddress(address: { name: string | null; email: string }): string {
  // Cleaned before choosing quoting or encoding: a name with a line break otherwise skipped the quotes.
  const name = address.name ? oneLine(address.name) : '';
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const email = address.email.replace(/[\u0000-\u0020<>\u007f-\u009f]/g, '');
  if (!name) return `<${email}>`;
  if (isAscii(name)) {
    // A quoted string, so commas or dots in a name cannot split the address list.
    return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}" <${email}>`;
  }
  return `${encodeHeader(name, 4)} <${email}>`;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/**
 * An ASCII value is kept (folded at spaces if long); anything else becomes UTF-8 base64
 * encoded-words of at most 75 characters each, split between characters, never inside one.
 */
export function encodeHeader(value: string, prefixLength = 0): string {
  const clean = value.split(/\r\n|\r|\n/).join(' ');
  if (isAscii(clean)) return foldAscii(clean, prefixLength);
  const words: string[] = [];
  let chunk = '';
  const maxBytes = 45; // 45 bytes → 60 base64 characters + 12 for "=?UTF-8?B?" and "?=" = 72 ≤ 75.
  for (const char of clean) {
    if (Buffer.byteLength(chunk + char, 'utf8') > maxBytes) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function foldAscii(value: string, prefixLength: number): string {
  const lines: string[] = [];
  let line = '';
  let limit = 78 - prefixLength;
  for (const word of value.split(' ')) {
    if (line && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
      limit = 77;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(`${CRLF} `);
}

/** RFC 2045 quoted-printable over UTF-8, with CRLF hard breaks and soft breaks at 76 characters. */
export function quotedPrintable(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.map(encodeQpLine).join(CRLF);
}

function encodeQpLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const encoded: string[] = [];
  bytes.forEach((byte, index) => {
    const last = index === bytes.length - 1;
    const printable = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    encoded.push(printable ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  });
  // Soft line breaks keep every physical line within 76 characters, never splitting an "=XX".
  const out: string[] = [];
  let current = '';
  for (const piece of encoded) {
    if (current.length + piece.length > 75) {
      out.push(`${current}=`);
      current = '';
    }
    current += piece;
  }
  out.push(current);
  return out.join(CRLF);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue, 10 Mar 2026 09:00:00 +0000": the fixed English format RFC 5322 requires (not locale text). */
export function rfc5322Date(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${p(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/** A file name for the draft: letters, digits, dashes; never a path. */
export function emlFileName(accountName: string, label: string): string {
  const slug = `${accountName} ${label}`
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 80);
  return `${slug || 'draft'}.eml`;
}
