/**
 * A preset's field specs compiled against one file's header: each becomes a function from a row's
 * cells to the value Foresight stores (mapped, converted to UTC, divided out of cents), or a skip.
 */
import { toIsoInstant } from '../../contract/dates.ts';
import { instantOf } from '../../outreach/zoned-time.ts';
import { applyDateFormat, compileDateFormat, parseNumber } from '../coerce.ts';
import { normaliseHeader } from '../fields.ts';
import { columnList, type FieldSpec } from './schema.ts';

/** The record is not made from this row (a value the preset maps to nothing). */
export const SKIP = Symbol('skip');
export type Cell = string | number | boolean | null | typeof SKIP;
export type Getter = (cells: readonly string[]) => Cell;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Index of the first of `names` the header has (compared as normalised headers), or -1. */
export function findColumn(header: readonly string[], names: readonly string[]): number {
  const normalised = header.map(normaliseHeader);
  for (const name of names) {
    const index = normalised.indexOf(normaliseHeader(name));
    if (index >= 0) return index;
  }
  return -1;
}

/** A wall-clock time in `zone` ("2026-03-04T10:15:00Z" read as local) → the UTC instant. */
export function localToUtc(isoLocal: string, zone: string): string {
  const wall = new Date(isoLocal);
  const at = instantOf(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
    },
    zone,
  );
  return new Date(at.getTime() + wall.getUTCSeconds() * 1000 + wall.getUTCMilliseconds()).toISOString();
}

/** Reads a date or time cell as an ISO instant; null when it is not one. */
export function dateReader(format: string, zone: string | undefined): (text: string) => string | null {
  const compiled = format === 'auto' ? null : compileDateFormat(format);
  return (text) => {
    if (/^\d{9,13}(\.\d+)?$/.test(text)) {
      // Epoch seconds (Mixpanel) or milliseconds (Segment, Amplitude exports): told apart by size.
      const n = Number(text);
      return new Date(n >= 1e12 ? n : n * 1000).toISOString();
    }
    const local = compiled ? applyDateFormat(compiled, text, true) : null;
    if (local !== null) return zone ? localToUtc(local, zone) : new Date(local).toISOString();
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
    if (zone && !hasZone && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
      const iso = toIsoInstant(text);
      return iso === null ? null : localToUtc(iso, zone);
    }
    return toIsoInstant(text.replace(/ UTC$/, 'Z'));
  };
}

/** The getter for one spec; `problem` is set when a required column is missing from the file. */
export function compileField(spec: FieldSpec, header: readonly string[]): { get: Getter; missing: string | null } {
  if (spec.value !== undefined) {
    const constant = spec.value;
    return { get: () => constant, missing: null };
  }
  let read: (cells: readonly string[]) => string;
  if (spec.join) {
    const indexes = spec.join.map((name) => findColumn(header, [name])).filter((i) => i >= 0);
    if (indexes.length === 0) return { get: () => null, missing: spec.join.join(' + ') };
    read = (cells) =>
      indexes
        .map((i) => (cells[i] ?? '').trim())
        .filter(Boolean)
        .join(' ');
  } else {
    const names = columnList(spec.column);
    // Every spelling the file has, in order: a row's first non-empty one wins ("Ended At" or "Canceled At").
    const indexes = [...new Set(names.map((name) => findColumn(header, [name])).filter((i) => i >= 0))];
    if (indexes.length === 0) return { get: () => null, missing: names.join(' or ') || '(no column named)' };
    read = (cells) => {
      for (const i of indexes) {
        const text = (cells[i] ?? '').trim();
        if (text !== '') return text;
      }
      return '';
    };
  }
  const map = spec.map ? new Map(Object.entries(spec.map).map(([k, v]) => [k.toLowerCase(), v])) : null;
  const toDate = spec.date ? dateReader(spec.date, spec.timeZone) : null;
  const get: Getter = (cells) => {
    const text = read(cells);
    // A mapped value decides whether the record exists (a ticket's rating): no value, no record.
    if (text === '') return map && spec.otherwise === 'skip' ? SKIP : null;
    if (map) {
      const mapped = map.get(text.toLowerCase());
      if (mapped === undefined) return spec.otherwise === 'keep' ? text : SKIP;
      return mapped === null ? SKIP : mapped;
    }
    if (spec.emailOnly && !EMAIL.test(text)) return null;
    if (toDate) return toDate(text) ?? text; // the contract check words the rejection
    if (spec.divide) {
      const n = parseNumber(text, false);
      return n === null ? text : Math.round((n / spec.divide) * 1e6) / 1e6;
    }
    return `${spec.prefix ?? ''}${text}${spec.suffix ?? ''}`;
  };
  return { get, missing: null };
}

/** The domain of an email address or a web address, lower-case; null for neither. */
export function domainOf(text: string): string | null {
  const value = text.trim().toLowerCase();
  if (value === '') return null;
  const at = value.lastIndexOf('@');
  const host = at >= 0 ? value.slice(at + 1) : value.replace(/^[a-z]+:\/\//, '').split(/[/?#:]/)[0]!;
  const bare = host.replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(bare) ? bare : null;
}

/** "ACME, Inc." and "Acme Inc" are the same name; "Acme GmbH" and "Acme" are not guessed together. */
export function normaliseCompanyName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
