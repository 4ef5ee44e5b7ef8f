import { UserFacingError } from '../domain/errors.ts';
import { EXIT } from './exit-codes.ts';

export class UsageError extends UserFacingError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * A whole count with the English thousands separator ("2,330,447"), as toLocaleString('en') writes
 * it, without starting ICU: its number formatter's first use costs about 13 ms of CPU, a tenth of a
 * one-shot `foresight status`, which formats no money or dates (issue 16, docs/performance.md).
 */
export function groupedCount(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en');
  const digits = grouped(String(Math.abs(value)));
  return value < 0 ? `-${digits}` : digits;
}

const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * An amount in US dollars as en-US Intl writes it with `fractionDigits` decimals ("$50,900",
 * "$4,241.67"), without starting ICU (the ~13 ms of a first formatter above: a one-shot `foresight
 * account` of a USD account formats no other money). Rounded as Intl rounds: half away from zero,
 * on the shortest decimal that reads back as the same double (String(amount)), so 0.015 is $0.02,
 * where toFixed, which rounds the double's exact binary value, writes $0.01. Null for what is left
 * to Intl: negative amounts and negative zero (Intl writes their sign), amounts too large or too
 * small for plain digits. test/unit/cli-money.test.ts holds it to Intl.
 */
export function dollars(amount: number, fractionDigits: 0 | 2): string | null {
  if (!(amount >= 0 && amount < 1e15) || Object.is(amount, -0)) return null;
  const text = String(amount);
  if (text.includes('e')) return null;
  const [whole, fraction = ''] = text.split('.');
  let units = BigInt(whole! + fraction.slice(0, fractionDigits).padEnd(fractionDigits, '0'));
  if (fraction.length > fractionDigits && fraction[fractionDigits]! >= '5') units += 1n;
  const digits = units.toString().padStart(fractionDigits + 1, '0');
  const cut = digits.length - fractionDigits;
  return `$${grouped(digits.slice(0, cut))}${fractionDigits === 0 ? '' : `.${digits.slice(cut)}`}`;
}

/** Whole units of a currency, in en-US style ("$50,900", "£1,200"); a currency Intl does not know falls back to "1200 XYZ". */
export function money(amount: number, currency: string): string {
  if (currency === 'USD') {
    const fast = dollars(amount, 0);
    if (fast !== null) return fast;
  }
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
}

/** Prints a result: exactly one JSON document with --json, the human text otherwise. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/**
 * A progress line on a TTY, nothing otherwise, so pipes and --json output stay clean.
 */
export function progressLine(enabled: boolean) {
  const active = enabled && process.stderr.isTTY === true;
  let lastDraw = 0;
  return {
    update(label: string, processed: number, total: number | null) {
      if (!active) return;
      const now = Date.now();
      if (now - lastDraw < 80 && processed !== total) return;
      lastDraw = now;
      const width = 28;
      const share = total ? Math.min(1, processed / total) : 0;
      const bar = total
        ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.round(share * 100)}%`
        : `${processed.toLocaleString('en')}`;
      process.stderr.write(`\r${label} ${bar}`.padEnd(80).slice(0, 100));
    },
    done() {
      if (active) process.stderr.write(`\r${' '.repeat(100)}\r`);
    },
  };
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  return EXIT.failure;
}
