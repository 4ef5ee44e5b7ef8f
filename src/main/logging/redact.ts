/**
 * Secrets never reach a log: every value the secret store hands out or stores is registered here,
 * and every log line (console, log file, crash handler) passes through `redact` first. The
 * common encodings of a token (URL-encoded, base64) are masked too, since error messages echo
 * URLs and Authorization headers.
 */
export interface Redactor {
  add(secret: string): void;
  redact(text: string): string;
  readonly size: number;
}

export const REDACTED = '[redacted]';
/** Shorter values would mask ordinary words; feed tokens are far longer. */
const MIN_SECRET_LENGTH = 6;

export function createRedactor(): Redactor {
  const needles = new Set<string>();
  let ordered: string[] = [];
  return {
    add(secret) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
      const forms = [
        secret,
        encodeURIComponent(secret),
        Buffer.from(secret, 'utf8').toString('base64'),
        Buffer.from(secret, 'utf8').toString('base64url'),
      ];
      for (const form of forms) needles.add(form);
      // Longest first, so a token is masked whole before any shorter form inside it.
      ordered = [...needles].sort((a, b) => b.length - a.length);
    },
    redact(text) {
      let out = String(text);
      for (const needle of ordered) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
      return out;
    },
    get size() {
      return needles.size;
    },
  };
}
