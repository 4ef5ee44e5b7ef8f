/**
 * From a file's header (or a JSON item's keys) to a layout: which record kind the file holds,
 * which column feeds which contract field, which columns are ignored, and, for a wide metrics
 * file, which columns are metrics to unpivot.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import {
  FIELD_NAMES,
  KINDS,
  REQUIRED_FIELDS,
  WIDE_METRIC_KEYS,
  headerToField,
  metricNameFromHeader,
  normaliseHeader,
  synonymsFor,
} from './fields.ts';
import type { Mapping } from './mapping.ts';
import { shownName } from '../contract/shown-value.ts';
import { REMEDIES, type Remedy, type Surface } from './remedies.ts';

/** A problem with a whole file: nothing in it is imported. The message completes "FILE …". */
export class FileProblem extends Error {
  /** The problem without the remedy; `message` is it with the CLI's wording of the remedy. */
  readonly problem: string;
  readonly remedy: Remedy | null;

  constructor(problem: string, remedy: Remedy | null = null) {
    super(remedy ? `${problem}; ${REMEDIES[remedy].cli}` : problem);
    this.name = 'FileProblem';
    this.problem = problem;
    this.remedy = remedy;
  }

  /** The sentence for the surface the user is on (remedies.ts). */
  worded(surface: Surface = 'cli'): string {
    return this.remedy ? `${this.problem}; ${REMEDIES[this.remedy][surface]}` : this.problem;
  }
}

export interface WideMetricColumn {
  index: number;
  metric: string;
  header: string;
}

export interface Layout {
  kind: RecordKind;
  shape: 'long' | 'wide';
  /** [field, column index] for every mapped column (long and wide key columns). */
  fields: [string, number][];
  /** Wide metrics only: the columns to unpivot. */
  metrics: WideMetricColumn[];
  constants: Record<string, unknown>;
  ignored: string[];
  headerCount: number;
}

const OWN_KEY: Record<RecordKind, string | null> = {
  accounts: 'account_id',
  contacts: 'contact_id',
  metrics: null,
  events: 'event_id',
};

/** The field that says a file really is of that kind; a guess without it is a poor one. */
const IDENTITY: Record<RecordKind, string> = {
  accounts: 'account_id',
  contacts: 'contact_id',
  metrics: 'date',
  events: 'type',
};

/** Priority when two kinds fit equally well: the most specific first. */
const PRIORITY: readonly RecordKind[] = ['events', 'metrics', 'contacts', 'accounts'];

interface Candidate {
  kind: RecordKind;
  shape: 'long' | 'wide';
  targets: (string | null)[];
  /** Whether the mapping file decided the column (so null means "ignore", not "unknown"). */
  explicit: boolean[];
  present: Set<string>;
  missing: string[];
  score: number;
  currency: string | null;
}

function renameLookup(mapping: Mapping): { exact: Map<string, string | null>; normalised: Map<string, string | null> } {
  const exact = new Map<string, string | null>();
  const normalised = new Map<string, string | null>();
  for (const [header, target] of Object.entries(mapping.columns)) {
    exact.set(header, target);
    normalised.set(normaliseHeader(header), target);
  }
  return { exact, normalised };
}

function candidateFor(kind: RecordKind, headers: readonly string[], mapping: Mapping): Candidate {
  const renames = renameLookup(mapping);
  let currency: string | null = null;
  const explicit = headers.map(
    (header) => renames.exact.has(header) || renames.normalised.has(normaliseHeader(header)),
  );
  const targets = headers.map((header) => {
    const normalised = normaliseHeader(header);
    if (renames.exact.has(header)) return renames.exact.get(header)!;
    if (renames.normalised.has(normalised)) return renames.normalised.get(normalised)!;
    if (normalised === '') return null;
    const found = headerToField(kind, normalised);
    if (found?.currency) currency = found.currency;
    return found?.field ?? null;
  });
  // How well the columns fit this kind; a bare "Id" (below) is too weak to count.
  const score = targets.filter((t) => t !== null && FIELD_NAMES[kind].includes(t)).length;
  // A bare "Id" column (Salesforce, many BI tools) is the record's own key, unless another column already is.
  const ownKey = OWN_KEY[kind];
  if (ownKey && !targets.includes(ownKey)) {
    const bare = headers.findIndex(
      (header, i) => targets[i] === null && !explicit[i] && normaliseHeader(header) === 'id',
    );
    if (bare >= 0) targets[bare] = ownKey;
  }
  const present = new Set<string>([
    ...targets.filter((t): t is string => t !== null && FIELD_NAMES[kind].includes(t)),
    ...Object.keys(mapping.constants),
  ]);
  const missing = REQUIRED_FIELDS[kind].filter((field) => !present.has(field));
  return { kind, shape: 'long', targets, explicit, present, missing, score, currency };
}

function wideCandidate(headers: readonly string[], mapping: Mapping): Candidate | null {
  const base = candidateFor('metrics', headers, mapping);
  if (
    !base.present.has('account_id') ||
    !base.present.has('date') ||
    base.present.has('metric') ||
    base.present.has('value')
  )
    return null;
  const metricColumns = base.targets.filter((target, i) => isWideMetricColumn(base, headers, i));
  if (metricColumns.length === 0) return null;
  return { ...base, shape: 'wide', missing: [], score: base.score + metricColumns.length };
}

/** In a wide file, every named column that is not a key field (and not ignored by the mapping) is a metric. */
function isWideMetricColumn(candidate: Candidate, headers: readonly string[], index: number): boolean {
  const target = candidate.targets[index];
  if (target === null || target === undefined)
    return !candidate.explicit[index] && normaliseHeader(headers[index]!) !== '';
  return !(WIDE_METRIC_KEYS as readonly string[]).includes(target);
}

function describeMissing(candidate: Candidate, file: string): string {
  const columns = candidate.missing.map(
    (field) =>
      `${field} (looked for ${synonymsFor(candidate.kind, field)
        .slice(0, 4)
        .map((s) => shownName(s))
        .join(', ')}…)`,
  );
  return `${file} looks like ${candidate.kind} but has no column for ${columns.join(' or ')}`;
}

/** Chooses the kind and maps the columns; throws FileProblem when the file cannot be read as any kind. */
export function planLayout(
  headers: readonly string[],
  file: string,
  options: { kind?: RecordKind | null; mapping: Mapping; requireColumns?: boolean },
): Layout {
  const { mapping } = options;
  const forced = options.kind ?? mapping.kind ?? null;
  const requireColumns = options.requireColumns ?? true;

  let chosen: Candidate;
  if (forced) {
    const long = candidateFor(forced, headers, mapping);
    chosen = forced === 'metrics' && long.missing.length > 0 ? (wideCandidate(headers, mapping) ?? long) : long;
  } else {
    const candidates = KINDS.map((kind) => candidateFor(kind, headers, mapping));
    const wide = wideCandidate(headers, mapping);
    if (wide) candidates.push(wide);
    const rank = (c: Candidate) => c.score * 10 + (PRIORITY.length - PRIORITY.indexOf(c.kind));
    const complete = candidates.filter((c) => c.missing.length === 0).sort((a, b) => rank(b) - rank(a));
    const plausible = (c: Candidate) => (c.present.has(IDENTITY[c.kind]) ? 1000 : 0) + rank(c);
    const best = complete[0] ?? [...candidates].sort((a, b) => plausible(b) - plausible(a))[0]!;
    if (!requireColumns && best.score === 0) {
      throw new FileProblem(
        `${file}: cannot tell which kind of record it holds from its fields (${headers.slice(0, 8).map(shownName).join(', ')})`,
        'choose-kind',
      );
    }
    if (complete.length === 0 && requireColumns) {
      if (best.score < 2) {
        throw new FileProblem(
          `${file}: cannot tell which kind of record it holds from its columns (${headers
            .slice(0, 8)
            .map((h) => shownName(h))
            .join(', ')})`,
          'choose-kind',
        );
      }
      throw new FileProblem(describeMissing(best, file), 'map-column');
    }
    chosen = best;
  }
  if (requireColumns && chosen.missing.length > 0) throw new FileProblem(describeMissing(chosen, file), 'map-column');

  const kind = chosen.kind;
  const fields: [string, number][] = [];
  const metrics: WideMetricColumn[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, string>();
  chosen.targets.forEach((target, index) => {
    const header = headers[index]!;
    const explicitlyIgnored = chosen.explicit[index] === true && target === null;
    if (chosen.shape === 'wide' && isWideMetricColumn(chosen, headers, index)) {
      metrics.push({ index, metric: target ?? metricNameFromHeader(header), header });
    } else if (target !== null && FIELD_NAMES[kind].includes(target)) {
      const previous = seen.get(target);
      if (previous !== undefined) {
        throw new FileProblem(
          `${file}: the columns ${shownName(previous)} and ${shownName(header)} both mean ${target}; keep one, or map the other to null in a mapping file`,
        );
      }
      seen.set(target, header);
      fields.push([target, index]);
    } else if (target !== null && !FIELD_NAMES[kind].includes(target) && !explicitlyIgnored) {
      throw new FileProblem(
        `${file}: the mapping sends column ${shownName(header)} to ${JSON.stringify(target)}, which is not a field of ${kind} (fields: ${FIELD_NAMES[kind].join(', ')})`,
      );
    } else {
      ignored.push(header === '' ? `(column ${index + 1})` : header);
    }
  });

  const constants: Record<string, unknown> = {};
  if (chosen.currency && !chosen.present.has('currency')) constants.currency = chosen.currency;
  for (const [field, value] of Object.entries(mapping.constants)) {
    if (!FIELD_NAMES[kind].includes(field)) {
      throw new FileProblem(
        `${file}: the mapping sets a constant for ${JSON.stringify(field)}, which is not a field of ${kind}`,
      );
    }
    constants[field] = value;
  }
  return { kind, shape: chosen.shape, fields, metrics, constants, ignored, headerCount: headers.length };
}

/** Maps one CSV row to raw records (one for long form, one per non-empty metric cell for wide form). */
export function rowMapper(layout: Layout): (cells: readonly string[]) => Record<string, unknown> {
  const { fields, constants } = layout;
  const constantEntries = Object.entries(constants);
  return (cells) => {
    const raw: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const [field, index] = fields[i]!;
      const cell = cells[index];
      if (cell !== undefined && cell !== '') raw[field] = cell;
    }
    for (let i = 0; i < constantEntries.length; i++) raw[constantEntries[i]![0]] = constantEntries[i]![1];
    return raw;
  };
}

/** For JSON items: each key → field, resolved once per distinct key. */
export function keyMapper(kind: RecordKind, mapping: Mapping, constants: Record<string, unknown>) {
  const cache = new Map<string, string | null>();
  const renames = renameLookup(mapping);
  const resolve = (key: string): string | null => {
    let field = cache.get(key);
    if (field === undefined) {
      const normalised = normaliseHeader(key);
      const target = renames.exact.has(key)
        ? renames.exact.get(key)!
        : renames.normalised.has(normalised)
          ? renames.normalised.get(normalised)!
          : (headerToField(kind, normalised)?.field ?? null);
      field = target;
      cache.set(key, field);
    }
    return field;
  };
  return (item: Record<string, unknown>): { raw: Record<string, unknown>; rest: [string, unknown][] } => {
    const raw: Record<string, unknown> = {};
    const rest: [string, unknown][] = [];
    for (const key in item) {
      const field = resolve(key);
      if (field !== null && FIELD_NAMES[kind].includes(field)) {
        if (!(field in raw)) raw[field] = item[key];
      } else {
        rest.push([key, item[key]]);
      }
    }
    for (const field in constants) raw[field] = constants[field];
    return { raw, rest };
  };
}
