/**
 * Reading one vendor file through its preset, inside the caller's transaction: each row becomes the
 * preset's records (accounts, contacts, events) with the account found by the matcher, or, for a raw
 * event log, is rolled up into daily metrics. Every record then goes through the same writer as any
 * other import, so the contract check, the quarantine and the counts are the importer's own.
 */
import type { RecordKind } from '../../../shared/dto/core.ts';
import type { Db } from '../../db/open.ts';
import { coerceRecord, DEFAULT_COERCE } from '../coerce.ts';
import { validateRecord } from '../validate.ts';
import { rawLine, readCsv } from '../csv-reader.ts';
import { REQUIRED_FIELDS } from '../fields.ts';
import { FileProblem } from '../layout.ts';
import type { TextReader } from '../text-source.ts';
import type { RecordWriter, Where } from '../writer.ts';
import { aliasRepo, DOMAIN_SOURCE } from './aliases.ts';
import { createMatcher, emptyMatchCounts, type AccountMatcher, type MatchCounts } from './match.ts';
import { createRollup, type RolledUp, type RollupSink } from './rollup.ts';
import { columnList, fullSpec, type Preset, type RecordSpec } from './schema.ts';
import { compileField, domainOf, findColumn, SKIP, type Getter } from './values.ts';

export interface PresetRun {
  rows: number;
  delimiter: string | null;
  /** Rows that make no record the preset keeps (a pending charge, a ticket without rating…). */
  skipped: number;
  matched: MatchCounts;
  rolledUp: RolledUp | null;
  /** "events.type ← Status", one per mapped field, for the report and the Sync screen. */
  mapping: string[];
  ignored: string[];
  /** The first records as they would be stored (for --dry-run). */
  sample: { kind: RecordKind; line: number; record: Record<string, unknown> }[];
}

interface CompiledRecord {
  kind: RecordKind;
  fields: [string, Getter][];
  when: number[];
}

const SAMPLE_ROWS = 5;

/**
 * A record's getters, or null when the file lacks a column one of its required fields needs (or
 * every `when` column). The preset's first record is its point: without it the file fails as a
 * whole; a later one (a ticket's closing, a rating) is simply not made from this file.
 */
function compileRecord(
  spec: RecordSpec,
  header: readonly string[],
  file: string,
  preset: Preset,
  main: boolean,
): CompiledRecord | null {
  const fields: [string, Getter][] = [];
  for (const [field, written] of Object.entries(spec.fields)) {
    const { get, missing } = compileField(fullSpec(written), header);
    if (missing !== null) {
      if (!REQUIRED_FIELDS[spec.kind].includes(field)) continue;
      if (!main) return null;
      throw new FileProblem(
        `${file}: the preset ${preset.name} needs a column ${missing} for ${spec.kind} ${field}, and the file has none`,
      );
    }
    fields.push([field, get]);
  }
  const when = columnList(spec.when)
    .map((name) => findColumn(header, [name]))
    .filter((i) => i >= 0);
  if (spec.when !== undefined && when.length === 0) return null;
  return { kind: spec.kind, fields, when };
}

/** What the report shows of a preset's mapping: "events.type ← Status (mapped)". */
function describeMapping(preset: Preset, header: readonly string[]): string[] {
  const lines: string[] = [];
  const from = (spec: ReturnType<typeof fullSpec>) => {
    if (spec.value !== undefined) return JSON.stringify(spec.value);
    const names = spec.join ?? columnList(spec.column);
    const present = names.filter((n) => findColumn(header, [n]) >= 0);
    if (present.length === 0) return null;
    const shown = spec.join ? present.join(' + ') : present[0]!;
    return `${shown}${spec.map ? ' (values mapped)' : ''}${spec.divide ? ` ÷ ${spec.divide}` : ''}${spec.emailOnly ? ' (only when it is an email address)' : ''}${spec.date ? ' (as a date and time)' : ''}`;
  };
  for (const record of preset.records) {
    for (const [field, written] of Object.entries(record.fields)) {
      const source = from(fullSpec(written));
      if (source !== null && !lines.includes(`${record.kind}.${field} ← ${source}`))
        lines.push(`${record.kind}.${field} ← ${source}`);
    }
  }
  if (preset.rollup) {
    for (const [part, written] of Object.entries({
      time: preset.rollup.time,
      user: preset.rollup.user,
      event: preset.rollup.event,
    })) {
      const source = written === undefined ? null : from(fullSpec(written));
      if (source !== null) lines.push(`rollup.${part} ← ${source}`);
    }
  }
  for (const [rule, names] of Object.entries(preset.account)) {
    const present = columnList(names).find((n) => findColumn(header, [n]) >= 0);
    if (present) lines.push(`account by ${rule} ← ${present}`);
  }
  return lines;
}

function usedColumns(preset: Preset, header: readonly string[]): Set<number> {
  const names: string[] = [];
  const add = (spec: ReturnType<typeof fullSpec>) => names.push(...(spec.join ?? columnList(spec.column)));
  for (const record of preset.records) {
    for (const written of Object.values(record.fields)) add(fullSpec(written));
    names.push(...columnList(record.when));
  }
  if (preset.rollup)
    for (const w of [preset.rollup.time, preset.rollup.user, preset.rollup.event]) if (w) add(fullSpec(w));
  for (const value of [...Object.values(preset.account), ...Object.values(preset.aliases)])
    names.push(...columnList(value));
  return new Set(names.map((n) => findColumn(header, [n])).filter((i) => i >= 0));
}

/** A domain two accounts of the file declare identifies neither: it is left out. */
function sharedDomainsDropped(pairs: readonly [string, string][]): [string, string][] {
  const owner = new Map<string, string | null>();
  for (const [domain, accountId] of pairs) {
    const seen = owner.get(domain);
    owner.set(domain, seen === undefined || seen === accountId ? accountId : null);
  }
  return [...owner].filter((entry): entry is [string, string] => entry[1] !== null);
}

export function readPresetFile(
  db: Db,
  reader: TextReader,
  preset: Preset,
  ctx: {
    name: string;
    writer: RecordWriter;
    createdAt: string;
    coreEvents: readonly string[];
    onRows: (rows: number) => void;
  },
): PresetRun {
  const { writer } = ctx;
  const run: PresetRun = {
    rows: 0,
    delimiter: null,
    skipped: 0,
    matched: emptyMatchCounts(),
    rolledUp: null,
    mapping: [],
    ignored: [],
    sample: [],
  };
  const where: Where = { origin: ctx.name, line: null, unit: 'line' };
  let headerCount = 0;
  let records: CompiledRecord[] = [];
  let matcher: AccountMatcher | null = null;
  let rollup: RollupSink | null = null;
  let rollupFields: { time: Getter; user: Getter; event: Getter | null } | null = null;
  let aliasColumns: { domain: number; key: number } = { domain: -1, key: -1 };
  const domainAliases: [string, string][] = [];
  const keyAliases: [string, string][] = [];

  /** As it would be stored: coerced and checked the way the writer does it. */
  const sample = (kind: RecordKind, line: number, raw: Record<string, unknown>) => {
    if (run.sample.length >= SAMPLE_ROWS) return;
    const checked = validateRecord(kind, coerceRecord(kind, raw, DEFAULT_COERCE), DEFAULT_COERCE);
    if (checked.ok) run.sample.push({ kind, line, record: { ...checked.record } });
  };

  const onRecordRow = (cells: string[], line: number) => {
    let made = 0;
    let match: ReturnType<AccountMatcher['match']> | null = null;
    for (const record of records) {
      if (record.when.length > 0 && record.when.every((i) => (cells[i] ?? '').trim() === '')) continue;
      const raw: Record<string, unknown> = {};
      let skip = false;
      for (const [field, get] of record.fields) {
        const value = get(cells);
        if (value === SKIP) {
          skip = true;
          break;
        }
        if (value !== null && !(field in raw)) raw[field] = value;
      }
      if (skip) continue;
      made++;
      const at = { ...where, line };
      if (record.kind !== 'accounts') {
        match ??= matcher!.match(cells);
        if (match.accountId === null) {
          // One rejection per row, however many records the row would have made. The source's own
          // name for the account stands in account_id, so a fixed quarantine export can correct it.
          writer.reject(record.kind, at, 'account_id', match.reason, { record: { ...raw, account_id: match.key } });
          return;
        }
        raw.account_id = match.accountId;
      }
      const outcome = writer.write(record.kind, raw, at, DEFAULT_COERCE, null);
      if (outcome !== 'rejected') sample(record.kind, line, raw);
      if (record.kind === 'accounts' && outcome !== 'rejected') rememberAliases(cells, String(raw.account_id));
    }
    if (made === 0) run.skipped++;
  };

  const rememberAliases = (cells: readonly string[], accountId: string) => {
    const domain = aliasColumns.domain >= 0 ? domainOf(cells[aliasColumns.domain] ?? '') : null;
    if (domain) domainAliases.push([domain, accountId]);
    const key = aliasColumns.key >= 0 ? (cells[aliasColumns.key] ?? '').trim() : '';
    if (key !== '' && key !== accountId) keyAliases.push([key, accountId]);
  };

  const onEventRow = (cells: string[], line: number) => {
    const time = rollupFields!.time(cells);
    const user = rollupFields!.user(cells);
    const event = rollupFields!.event ? rollupFields!.event(cells) : 'event';
    if (typeof time !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(time)) {
      const field = 'occurred_at';
      writer.reject('metrics', { ...where, line }, field, `${JSON.stringify(time ?? '')} is not a date and time`, {
        rawText: rawLine(cells, run.delimiter ?? ','),
      });
      return;
    }
    if (user === null || user === SKIP || event === SKIP || event === null) {
      run.skipped++;
      return;
    }
    const match = matcher!.match(cells);
    if (match.accountId === null) rollup!.unmatched(match, line);
    else rollup!.add(match.accountId, time, String(user), String(event));
  };

  const info = readCsv(reader, {
    header(fields, _line, delimiter) {
      headerCount = fields.length;
      run.delimiter = delimiter;
      records = preset.records
        .map((spec, i) => compileRecord(spec, fields, ctx.name, preset, i === 0))
        .filter((r): r is CompiledRecord => r !== null);
      matcher = createMatcher(db, preset, fields, ctx.createdAt);
      const needsAccount = preset.rollup !== undefined || records.some((r) => r.kind !== 'accounts');
      if (needsAccount && !matcher.usable)
        throw new FileProblem(`${ctx.name}: the preset ${preset.name} finds none of its account columns in the file`);
      aliasColumns = {
        domain: findColumn(fields, columnList(preset.aliases.domain)),
        key: findColumn(fields, columnList(preset.aliases.key)),
      };
      if (preset.rollup) {
        const part = (spec: Parameters<typeof fullSpec>[0], label: string) => {
          const { get, missing } = compileField(fullSpec(spec), fields);
          if (missing !== null)
            throw new FileProblem(
              `${ctx.name}: the preset ${preset.name} needs a column ${missing} for the event ${label}`,
            );
          return get;
        };
        rollupFields = {
          time: part(preset.rollup.time, 'time'),
          user: part(preset.rollup.user, 'user'),
          event: preset.rollup.event ? part(preset.rollup.event, 'name') : null,
        };
        rollup = createRollup(db, writer, where, {
          loginEvents: preset.rollup.loginEvents,
          coreEvents: ctx.coreEvents,
          rowsAreSessions: preset.rollup.rowsAre === 'sessions',
        });
      }
      run.mapping = describeMapping(preset, fields);
      const used = usedColumns(preset, fields);
      run.ignored = fields.filter((_, i) => !used.has(i)).map((h, i) => h || `(column ${i + 1})`);
    },
    row(cells, line) {
      run.rows++;
      if ((run.rows & 8191) === 0) ctx.onRows(run.rows);
      if (cells.length < headerCount && !(cells.length === 1 && cells[0] === '')) {
        writer.reject(
          preset.rollup ? 'metrics' : (records[0]?.kind ?? 'events'),
          { ...where, line },
          null,
          `has ${cells.length} fields but the header has ${headerCount} (a missing delimiter, or a line break outside quotes?)`,
          { rawText: rawLine(cells, run.delimiter ?? ',') },
        );
        return;
      }
      if (rollup) onEventRow(cells, line);
      else onRecordRow(cells, line);
    },
    malformed(line, reason, rawText) {
      if (headerCount === 0)
        throw new FileProblem(`${ctx.name}: the header row (line ${line}) cannot be read: ${reason}`);
      run.rows++;
      writer.reject(records[0]?.kind ?? 'metrics', { ...where, line }, null, reason, { rawText });
    },
  });
  if (!info.sawHeader) throw new FileProblem(`${ctx.name} is empty`);
  if (rollup) run.rolledUp = (rollup as RollupSink).finish();
  writer.flush();
  // Aliases point at accounts, which exist only once the writer has flushed them.
  const aliases = aliasRepo(db);
  for (const [domain, accountId] of sharedDomainsDropped(domainAliases))
    aliases.rememberUnlessShared(DOMAIN_SOURCE, domain, accountId, 'domain', ctx.createdAt);
  for (const [key, accountId] of keyAliases) aliases.remember(preset.source, key, accountId, 'id', ctx.createdAt);
  run.matched = matcher ? (matcher as AccountMatcher).counts : emptyMatchCounts();
  return run;
}
