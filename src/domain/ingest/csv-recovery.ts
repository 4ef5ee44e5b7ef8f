/**
 * Row-level recovery for CSV with a broken quote (issue 15). PapaParse, like RFC 4180, lets a
 * quoted field run on until a quote followed by a delimiter or a line break, so one stray
 * character after a closing quote (`QA-BAD,"Acme" Inc,…`) or a quote never closed swallows the
 * rows after it. Here the broken row is cut where a person would cut it: at the end of the line
 * holding the stray text, or (for a quote never closed) at the end of the row's first line, and
 * reading goes on after it. Also: a lone CR in a file whose lines end in LF is a line break unless
 * it is inside quotes, where it is data.
 */

/**
 * Where a row with a broken quote ends (an offset just past its last line break), scanning from
 * the row's start with RFC 4180's rules: after the line holding text behind a closing quote, else
 * after the row's first line.
 */
export interface BrokenRow {
  /** Offset just past the broken row's last line break. */
  end: number;
  /** What broke it: text after a closing quote, or a quote never closed. */
  problem: 'text-after-quote' | 'unclosed-quote';
}

export function brokenRowEnd(text: string, from: number, delimiter: string, newline = '\n'): BrokenRow {
  const lineEnd = (at: number) => {
    const n = text.indexOf(newline, at);
    return n === -1 ? text.length : n + 1;
  };
  let i = from;
  for (;;) {
    if (text[i] === '"') {
      const closing = closingQuote(text, i + 1);
      if (closing === -1) return { end: lineEnd(from), problem: 'unclosed-quote' };
      const after = text[closing + 1];
      if (after === delimiter) {
        i = closing + 2;
        continue;
      }
      if (after === undefined || after === newline || (after === '\r' && text[closing + 2] === '\n'))
        return { end: lineEnd(from), problem: 'unclosed-quote' };
      return { end: lineEnd(closing + 1), problem: 'text-after-quote' };
    }
    const next = nextOf(text, i, delimiter, newline);
    if (next === -1 || text[next] === newline) return { end: lineEnd(from), problem: 'unclosed-quote' };
    i = next + 1;
  }
}

/** The closing quote of a quoted field whose text starts at `from` ("" is an escaped quote); -1 if none. */
function closingQuote(text: string, from: number): number {
  let j = from;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q === -1) return -1;
    if (text[q + 1] !== '"') return q;
    j = q + 2;
  }
}

function nextOf(text: string, from: number, delimiter: string, newline: string): number {
  const d = text.indexOf(delimiter, from);
  const n = text.indexOf(newline, from);
  if (d === -1) return n;
  if (n === -1) return d;
  return Math.min(d, n);
}

/**
 * Turns every CR that is not followed by LF and not inside quotes into LF, chunk by chunk. Quote
 * state is the parity of the quotes seen so far (an escaped quote is two, so it keeps the parity).
 */
export function loneCrToLf(): (chunk: string, last: boolean) => string {
  let inQuotes = false;
  let heldCr = false;
  return (chunk, last) => {
    let text = heldCr ? `\r${chunk}` : chunk;
    heldCr = false;
    if (!last && text.endsWith('\r')) {
      // Whether it is lone depends on the next chunk's first character.
      heldCr = true;
      text = text.slice(0, -1);
    }
    if (!LONE_CR.test(text)) {
      inQuotes = countQuotes(text, 0, text.length) % 2 === 1 ? !inQuotes : inQuotes;
      return text;
    }
    let out = '';
    let start = 0;
    for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) {
      if (countQuotes(text, start, cr) % 2 === 1) inQuotes = !inQuotes;
      if (!inQuotes && text[cr + 1] !== '\n') {
        out += `${text.slice(start, cr)}\n`;
        start = cr + 1;
      } else {
        out += text.slice(start, cr + 1);
        start = cr + 1;
      }
    }
    if (countQuotes(text, start, text.length) % 2 === 1) inQuotes = !inQuotes;
    return out + text.slice(start);
  };
}

const LONE_CR = /\r(?!\n)/;

function countQuotes(text: string, from: number, to: number): number {
  let count = 0;
  for (let q = text.indexOf('"', from); q !== -1 && q < to; q = text.indexOf('"', q + 1)) count++;
  return count;
}
