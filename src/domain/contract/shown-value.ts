/**
 * A value as a message quotes it: what the user typed, quoted, and cut when long. Every message
 * about a rejected value or a column name goes through here, so a 300 KB cell or a 200,000-character
 * header is shown as its first characters and its length, never echoed in full (twice, on a
 * terminal; overflowing the import card, in the app).
 */
const LIMIT = 80;
const KEPT = 60;

/** The text cut to its first characters on a code point, or null when it is short enough. */
function cut(text: string): string | null {
  if (text.length <= LIMIT) return null;
  return `${Array.from(text.slice(0, KEPT + 1))
    .slice(0, KEPT)
    .join('')}…`;
}

const length = (text: string) => `(${text.length.toLocaleString('en')} characters)`;

/** A column or key name, JSON-quoted so control characters show: "Renewal Date", or its start and length. */
export function shownName(name: string): string {
  const kept = cut(name);
  return kept === null ? JSON.stringify(name) : `${JSON.stringify(kept)} ${length(name)}`;
}

export function shownValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
        ? String(value)
        : (JSON.stringify(value) ?? String(value));
  const kept = cut(text);
  return kept === null ? `'${text}'` : `'${kept}' ${length(text)}`;
}
