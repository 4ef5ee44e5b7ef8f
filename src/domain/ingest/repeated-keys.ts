/**
 * One file that gives the same account (or contact) twice contradicts itself. "Last row wins"
 * silently dropped the first row, counted both as accepted, and wrote both on every re-import. The
 * rule instead: the first row with a key is kept, and each later row with that key is rejected to
 * the quarantine naming the line it repeats, so the user picks which values are right. Checked for
 * accounts and contacts, whose keys a file holds few enough of to remember; metrics and events
 * settle a repeated key as before (docs/sync.md, "A key twice in one file").
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import { shownValue } from '../contract/shown-value.ts';

export const KEY_FIELD: Partial<Record<RecordKind, string>> = { accounts: 'account_id', contacts: 'contact_id' };

/** The line (null when unknown) of the first row of each key of one file. */
export class FileKeys {
  private readonly lines = new Map<RecordKind, Map<string, number | null>>();

  static checks(kind: RecordKind): boolean {
    return KEY_FIELD[kind] !== undefined;
  }

  /** The first row's line (null if unknown) when `key` was seen before, else undefined. */
  seen(kind: RecordKind, key: string): number | null | undefined {
    return this.lines.get(kind)?.get(key);
  }

  remember(kind: RecordKind, key: string, line: number | null): void {
    let lines = this.lines.get(kind);
    if (!lines) this.lines.set(kind, (lines = new Map()));
    if (!lines.has(key)) lines.set(key, line);
  }
}

/** "'A1' is already on line 2 of this file; the first row was kept" */
export function repeatedKeyReason(key: string, firstLine: number | null): string {
  return `${shownValue(key)} is already ${firstLine === null ? 'on an earlier line' : `on line ${firstLine}`} of this file; the first row was kept`;
}
