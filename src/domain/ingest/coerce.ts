/**
 * Raw cells (strings from CSV, any JSON value from JSON files and the feed) → the values the
 * contract schema checks. Coercion never rejects: a cell it cannot convert is passed on unchanged,
 * so the contract's own message names the original text ("'31/02/2026' is not a date").
 * Empty cells and JSON null become undefined, i.e. "no value", which takes the field's default.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import { isIsoDay, toIsoInstant } from '../contract/dates.ts';
import { KIND_FIELDS, type Coercion } from './fields.ts';
import type { Mapping } from './mapping.ts';

export interface CompiledDateFormat {
  source: string;
  regex: RegExp;
  /** Which capture group holds each part; -1 when the format lacks it. */
  year: number;
  shortYear: boolean;
  month: number;
  monthName: boolean;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface CoerceOptions {
  decimalComma: boolean;
  /**
   * A semicolon-separated file (what Excel writes where the comma is the decimal separator) with no
   * decimalSeparator in its mapping: "12.500" may be 12,500 written the European way or 12.5, so a
   * number grouped in threes ("12.500", "2,500") is refused rather than guessed 1000× off.
   */
  ambiguousGroups?: boolean;
  /** The mapping names a decimal separator: the file's own word, nothing to guess. */
  decimalSeparatorGiven?: boolean;
  /** field → format; '*' applies to every date and date-time field without its own. */
  dateFormats: ReadonlyMap<string, CompiledDateFormat>;
}

export const DEFAULT_COERCE: CoerceOptions = { decimalComma: false, dateFormats: new Map() };

const TOKENS = /YYYY|YY|MMM|MM|M|DD|D|HH|H|mm|ss/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "DD/MM/YYYY" → a matcher. Tokens: YYYY YY MMM MM M DD D HH H mm ss; anything else is literal. */
export function compileDateFormat(format: string): CompiledDateFormat | null {
  const compiled: CompiledDateFormat = {
    source: format,
    regex: /$^/,
    year: -1,
    shortYear: false,
    month: -1,
    monthName: false,
    day: -1,
    hour: -1,
    minute: -1,
    second: -1,
  };
  let pattern = '^';
  let last = 0;
  let group = 0;
  for (const match of format.matchAll(TOKENS)) {
    pattern += escapeRegExp(format.slice(last, match.index));
    last = match.index + match[0].length;
    group++;
    switch (match[0]) {
      case 'YYYY':
        pattern += '(\\d{4})';
        compiled.year = group;
        break;
      case 'YY':
        pattern += '(\\d{2})';
        compiled.year = group;
        compiled.shortYear = true;
        break;
      case 'MMM':
        pattern += '([A-Za-z]{3})';
        compiled.month = group;
        compiled.monthName = true;
        break;
      case 'MM':
      case 'M':
        pattern += match[0] === 'MM' ? '(\\d{2})' : '(\\d{1,2})';
        compiled.month = group;
        break;
      case 'DD':
      case 'D':
        pattern += match[0] === 'DD' ? '(\\d{2})' : '(\\d{1,2})';
        compiled.day = group;
        break;
      case 'HH':
      case 'H':
        pattern += match[0] === 'HH' ? '(\\d{2})' : '(\\d{1,2})';
        compiled.hour = group;
        break;
      case 'mm':
        pattern += '(\\d{2})';
        compiled.minute = group;
        break;
      case 'ss':
        pattern += '(\\d{2})';
        compiled.second = group;
        break;
    }
  }
  pattern += `${escapeRegExp(format.slice(last))}$`;
  if (compiled.year < 0 || compiled.month < 0 || compiled.day < 0) return null;
  compiled.regex = new RegExp(pattern);
  return compiled;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const pad2 = (value: string) => (value.length === 1 ? `0${value}` : value);

/** Applies a format: the ISO day (or instant when `withTime`), or null when the text does not fit it. */
export function applyDateFormat(format: CompiledDateFormat, text: string, withTime: boolean): string | null {
  const match = format.regex.exec(text);
  if (!match) return null;
  const year = format.shortYear ? `20${match[format.year]}` : match[format.year]!;
  let month = match[format.month]!;
  if (format.monthName) {
    const index = MONTHS.indexOf(month.toLowerCase());
    if (index < 0) return null;
    month = String(index + 1);
  }
  const day = `${year}-${pad2(month)}-${pad2(match[format.day]!)}`;
  if (!withTime) return day;
  const part = (group: number) => (group > 0 ? pad2(match[group]!) : '00');
  return `${day}T${part(format.hour)}:${part(format.minute)}:${part(format.second)}Z`;
}

export function coerceOptionsFrom(
  mapping: Pick<Mapping, 'decimalSeparator' | 'dateFormat' | 'dateFormats'> | null | undefined,
): CoerceOptions {
  if (!mapping) return DEFAULT_COERCE;
  const formats = new Map<string, CompiledDateFormat>();
  if (mapping.dateFormat) formats.set('*', compileDateFormat(mapping.dateFormat)!);
  for (const [field, format] of Object.entries(mapping.dateFormats)) formats.set(field, compileDateFormat(format)!);
  return {
    decimalComma: mapping.decimalSeparator === ',',
    dateFormats: formats,
    decimalSeparatorGiven: mapping.decimalSeparator !== undefined,
  };
}

/** The options for a file whose delimiter is now known (see `ambiguousGroups`). */
export function forDelimiter(options: CoerceOptions, delimiter: string | null): CoerceOptions {
  return delimiter === ';' && !options.decimalSeparatorGiven ? { ...options, ambiguousGroups: true } : options;
}

/** "12.500" or "2,500": digits grouped in threes, read differently on either side of the Rhine. */
export const GROUPED_IN_THREES = /^[-+]?\d{1,3}(?:[.,]\d{3})+$/;

/** What a quarantined row needs to be coerced the same way again later (JSON-serialisable). */
export function serialiseCoerceOptions(options: CoerceOptions): string | null {
  if (!options.decimalComma && options.dateFormats.size === 0) return null;
  return JSON.stringify({
    decimalSeparator: options.decimalComma ? ',' : '.',
    dateFormats: Object.fromEntries([...options.dateFormats].map(([field, format]) => [field, format.source])),
  });
}

export function parseCoerceOptions(json: string | null): CoerceOptions {
  if (!json) return DEFAULT_COERCE;
  try {
    const value = JSON.parse(json) as { decimalSeparator?: string; dateFormats?: Record<string, string> };
    const formats = new Map<string, CompiledDateFormat>();
    for (const [field, source] of Object.entries(value.dateFormats ?? {})) {
      const compiled = compileDateFormat(source);
      if (compiled) formats.set(field, compiled);
    }
    return { decimalComma: value.decimalSeparator === ',', dateFormats: formats };
  } catch {
    return DEFAULT_COERCE;
  }
}

export const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const GROUPED_DOT_DECIMAL = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const GROUPED_COMMA_DECIMAL = /^[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$/;
const SPACES = /[\s\u00a0\u202f]/g;
const CURRENCY_SIGN = /^([-+]?)[$€£¥]/;

/** "12,000.50", "$1,200", "1 234,5" (with a decimal comma) → a number; anything else → null. */
export function parseNumber(text: string, decimalComma: boolean, ambiguousGroups = false): number | null {
  if (ambiguousGroups && !decimalComma && GROUPED_IN_THREES.test(text.replace(SPACES, ''))) return null;
  if (!decimalComma && PLAIN_NUMBER.test(text)) return Number(text);
  const compact = text.replace(SPACES, '').replace(CURRENCY_SIGN, '$1');
  if (decimalComma) {
    if (GROUPED_COMMA_DECIMAL.test(compact)) return Number(compact.replace(/\./g, '').replace(',', '.'));
    return null;
  }
  if (PLAIN_NUMBER.test(compact)) return Number(compact);
  if (GROUPED_DOT_DECIMAL.test(compact)) return Number(compact.replace(/,/g, ''));
  return null;
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DAY_WITH_TIME = /^\d{4}-\d{2}-\d{2}[T ]/;
const SLASHED_ISO_DAY = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

function coerceValue(value: unknown, coercion: Coercion, field: string, options: CoerceOptions): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    if (coercion === 'number') return value;
    if (coercion === 'boolean')
      return typeof value === 'number' ? (value === 1 ? true : value === 0 ? false : value) : value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return value;
  }
  const text = value.trim();
  if (text === '') return undefined;
  switch (coercion) {
    case 'text':
    case 'freeText':
      return text;
    case 'lower':
      return text.toLowerCase();
    case 'number':
      return parseNumber(text, options.decimalComma, options.ambiguousGroups) ?? text;
    case 'boolean': {
      const word = text.toLowerCase();
      return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : text;
    }
    case 'date': {
      if (ISO_DAY.test(text)) return text;
      const format = options.dateFormats.get(field) ?? options.dateFormats.get('*');
      if (format) {
        const converted = applyDateFormat(format, text, false);
        if (converted !== null && isIsoDay(converted)) return converted;
      }
      // A date-time where a day is expected: keep the day, if the whole value is a valid instant.
      if (ISO_DAY_WITH_TIME.test(text) && toIsoInstant(text) !== null) return text.slice(0, 10);
      const slashed = SLASHED_ISO_DAY.exec(text);
      if (slashed) {
        const day = `${slashed[1]}-${pad2(slashed[2]!)}-${pad2(slashed[3]!)}`;
        if (isIsoDay(day)) return day;
      }
      return text;
    }
    case 'instant': {
      const format = options.dateFormats.get(field) ?? options.dateFormats.get('*');
      if (format && !ISO_DAY_WITH_TIME.test(text) && !ISO_DAY.test(text)) {
        const converted = applyDateFormat(format, text, true);
        if (converted !== null && toIsoInstant(converted) !== null) return converted;
      }
      return text;
    }
  }
}

/** The raw record (contract field → raw value) coerced for the kind's schema; unknown fields are dropped. */
export function coerceRecord(
  kind: RecordKind,
  raw: Readonly<Record<string, unknown>>,
  options: CoerceOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, coercion] of KIND_FIELDS[kind]) {
    const value = coerceValue(raw[field], coercion, field, options);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
