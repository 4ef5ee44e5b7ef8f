/**
 * A mailto: URL (RFC 6068) that opens the CSM's own mail client with the draft filled in. Every
 * value is percent-encoded as UTF-8; line breaks become %0D%0A as the RFC asks; "&", "=", "?",
 * "#" and "+" in the text can never break out of their field.
 */
/**
 * Mail clients and operating systems cut long mailto: URLs (Windows and Outlook at about 2,000
 * characters) and the desktop shell refuses to hand over anything longer than 2,048; above this
 * the composer offers Copy and Save .eml instead.
 */
export const MAILTO_MAX_LENGTH = 2000;

export interface MailtoInput {
  to: string | null;
  subject: string;
  body: string;
  cc?: string | null;
}

export function buildMailto({ to, subject, body, cc }: MailtoInput): string {
  const params: string[] = [];
  if (subject) params.push(`subject=${encodeText(subject)}`);
  if (cc) params.push(`cc=${encodeAddress(cc)}`);
  if (body) params.push(`body=${encodeText(body)}`);
  return `mailto:${to ? encodeAddress(to) : ''}${params.length ? `?${params.join('&')}` : ''}`;
}

/** Normalises every line break to CRLF, then percent-encodes everything outside the unreserved set. */
function encodeText(text: string): string {
  const crlf = text.split(/\r\n|\r|\n/).join('\r\n');
  // encodeURIComponent leaves !'()* alone; mail clients handle them, but encode them for safety.
  return encodeURIComponent(crlf).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An address keeps its "@" readable; everything else that is not safe is encoded. */
function encodeAddress(address: string): string {
  return address
    .trim()
    .split('@')
    .map((part) => encodeText(part))
    .join('@');
}
