/**
 * The copies of a book taken before its schema is upgraded (`<book>.pre-v<N>-<ms>.bak`, beside the
 * book; migrate.ts writes them under a temporary name and renames them when complete): which exist,
 * the leftovers of a copy that was cut off, and how many are kept (QA 5 #10, #11).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Pre-migration copies kept beside a book: the newest few; each is a whole copy of the book. */
export const PRE_MIGRATION_COPIES_KEPT = 3;

export interface PreMigrationCopy {
  path: string;
  /** The schema version the copy holds. */
  version: number;
  takenAt: Date;
  bytes: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function namesBeside(book: string): { dir: string; names: string[] } {
  const dir = dirname(book);
  try {
    return { dir, names: readdirSync(dir) };
  } catch {
    return { dir, names: [] };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes what a copy cut off part-way left beside the book: a temporary copy of a process that is
 * no longer running, and a copy of the earlier releases (written in place) that still has its
 * rollback journal, which means it never completed.
 */
export function removeUnfinishedCopies(book: string): string[] {
  const { dir, names } = namesBeside(book);
  const prefix = `^${escape(basename(book))}\\.pre-v\\d+-\\d+\\.bak`;
  const partial = new RegExp(`${prefix}\\.(\\d+)\\.partial(-journal)?$`);
  const journal = new RegExp(`${prefix}-journal$`);
  const removed: string[] = [];
  for (const name of names) {
    const match = partial.exec(name);
    const stale = match ? !alive(Number(match[1])) : journal.test(name);
    if (!stale) continue;
    const files = match ? [name] : [name, name.slice(0, -'-journal'.length)];
    for (const file of files) rmSync(join(dir, file), { force: true });
    removed.push(...files);
  }
  return removed;
}

/** The book's complete pre-migration copies, newest first. */
export function preMigrationCopies(book: string): PreMigrationCopy[] {
  const { dir, names } = namesBeside(book);
  const pattern = new RegExp(`^${escape(basename(book))}\\.pre-v(\\d+)-(\\d+)\\.bak$`);
  const copies: PreMigrationCopy[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || names.includes(`${name}-journal`)) continue;
    const path = join(dir, name);
    copies.push({
      path,
      version: Number(match[1]) - 1,
      takenAt: new Date(Number(match[2])),
      bytes: statSync(path, { throwIfNoEntry: false })?.size ?? 0,
    });
  }
  return copies.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** Keeps the newest PRE_MIGRATION_COPIES_KEPT copies; returns the paths removed. */
export function prunePreMigrationCopies(book: string, keep = PRE_MIGRATION_COPIES_KEPT): string[] {
  const old = preMigrationCopies(book).slice(keep);
  for (const copy of old) rmSync(copy.path, { force: true });
  return old.map((copy) => copy.path);
}
