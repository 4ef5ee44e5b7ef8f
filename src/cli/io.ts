import { UserFacingError } from '../domain/errors.ts';
import { EXIT, USAGE_ERROR_CODES } from './exit-codes.ts';
import { terminalText } from './terminal-text.ts';

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

/** Whole units of a currency, in en-US style ("$50,900", "£1,200"); a currency Intl does not know falls back to "1200 XYZ". */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
}

/** Prints a result: exactly one JSON document with --json, the human text otherwise. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else writeOut(`${human()}\n`);
}

/** Human text to stdout, its control characters made visible (terminal-text.ts): the one way the CLI prints it. */
export function writeOut(text: string): void {
  process.stdout.write(terminalText(text));
}

/** Human text to stderr (failures, notes, progress), its control characters made visible. */
export function writeErr(text: string): void {
  process.stderr.write(terminalText(text));
}

/**
 * A progress line on a TTY, nothing otherwise, so pipes and --json output stay clean.
 */
export function progressLine(enabled: boolean) {
  const active = enabled && process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastLabel = '';
  return {
    /** True when the line is drawn (a terminal); false for pipes and --json. */
    drawing: active,
    /** A part of the work that has no count yet (processed 0, total null) reads "…", not "0". */
    update(label: string, processed: number, total: number | null) {
      if (!active) return;
      const now = Date.now();
      // A new part of the work is drawn at once: the line must not keep saying the last file's 100%.
      if (now - lastDraw < 80 && processed !== total && label === lastLabel) return;
      lastDraw = now;
      lastLabel = label;
      const width = 28;
      const share = total ? Math.min(1, processed / total) : 0;
      const bar = total
        ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.round(share * 100)}%`
        : processed > 0
          ? `${processed.toLocaleString('en')}`
          : '…';
      process.stderr.write(`\r${terminalText(`${label} ${bar}`)}`.padEnd(80).slice(0, 100));
    },
    done() {
      if (active) process.stderr.write(`\r${' '.repeat(100)}\r`);
    },
  };
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UserFacingError && USAGE_ERROR_CODES.has(error.code)) return EXIT.usage;
  return EXIT.failure;
}
