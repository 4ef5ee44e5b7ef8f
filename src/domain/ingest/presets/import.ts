/**
 * File import with vendor presets (docs/sync.md, "Presets"): each file is read through the preset
 * its headers match (or the one named with --preset), else by Foresight's own importer. Files are
 * imported accounts first: preset files that make accounts, then the files in Foresight's own
 * columns (importFiles orders those itself), then the other preset files, so every child row finds
 * its account. A dry run does all of it inside one transaction and rolls it back.
 */
import { statSync } from 'node:fs';
import type { FileImportReport, PresetSummary } from '../../../shared/dto/sync.ts';
import type { Db } from '../../db/open.ts';
import { readCsv } from '../csv-reader.ts';
import { FileProblem } from '../layout.ts';
import { importFiles, type ImportFileSpec, type ImportOptions, type ImportSummary } from '../import-files.ts';
import { recordRun } from '../repo.ts';
import { mixedUtf8Problem } from '../mixed-utf8.ts';
import { NotUtf8Error, openTextFile, type TextEncoding } from '../text-source.ts';
import { createRecordWriter } from '../writer.ts';
import { markDataChanged } from '../../risk/fingerprint.ts';
import { accountIdSet, acceptedTotal, addCounts, emptyCounts } from '../counts.ts';
import { detectPreset, loadCatalog, presetByName, userPresetsDir, type PresetCatalog } from './catalog.ts';
import { coreFeatureEvents } from './core-events.ts';
import { readPresetFile } from './read-preset-file.ts';
import type { Preset } from './schema.ts';

export interface PresetImportOptions extends ImportOptions {
  /** Read every file with this preset instead of detecting one. */
  preset?: string | null;
  /** Import inside a transaction that is rolled back: the report shows what would happen. */
  dryRun?: boolean;
  /** The user's presets folder; default: `presets` beside the database file. */
  presetsDir?: string | null;
}

export interface PresetImportSummary extends ImportSummary {
  dryRun: boolean;
}

class DryRunDone extends Error {}

export function listPresets(catalog: PresetCatalog): PresetSummary[] {
  return catalog.entries.map(({ preset, origin, path }) => ({
    name: preset.name,
    title: preset.title,
    source: preset.source,
    origin,
    path,
    documentation: preset.documentation,
    follows: preset.follows,
    detect: preset.detect,
    makes: preset.rollup ? ['metrics (rolled up daily)'] : [...new Set(preset.records.map((r) => r.kind))],
  }));
}

/** The presets as `foresight presets` and the Sync screen list them, with the user's folder. */
export function presetsView(dbPath: string): { folder: string; presets: PresetSummary[]; problems: string[] } {
  const folder = userPresetsDir(dbPath);
  const catalog = loadCatalog(folder);
  return { folder, presets: listPresets(catalog), problems: catalog.problems };
}

export function catalogFor(db: Db, presetsDir?: string | null): PresetCatalog {
  const dir = presetsDir !== undefined ? presetsDir : db.memory ? null : userPresetsDir(db.name);
  return loadCatalog(dir);
}

/** The preset for a file: the one asked for, else the one its header fits (CSV only), else null. */
function presetFor(catalog: PresetCatalog, path: string, asked: Preset | null): Preset | null {
  if (asked) return asked;
  // Opening a named pipe blocks until something writes to it: the import would hang, silently.
  // Anything but a file is left to the importer, which refuses it in a sentence (import-plan.ts).
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  let header: string[] | null = null;
  for (const encoding of [undefined, 'windows-1252'] as const) {
    let reader = null;
    try {
      reader = openTextFile(path, encoding);
      const stop = new Error('header read');
      try {
        readCsv(reader, {
          header(fields) {
            header = fields;
            throw stop;
          },
          row() {},
          malformed() {},
        });
      } catch (error) {
        if (error !== stop) throw error;
      }
      break;
    } catch (error) {
      if (error instanceof NotUtf8Error) continue;
      return null; // importFiles reports an unreadable file properly
    } finally {
      reader?.close();
    }
  }
  if (
    header === null ||
    (header as string[])[0]?.trimStart().startsWith('[') ||
    (header as string[])[0]?.trimStart().startsWith('{')
  )
    return null;
  return detectPreset(catalog, header);
}

const rank = (preset: Preset) =>
  preset.records.some((r) => r.kind === 'accounts') ? 0 : preset.records.some((r) => r.kind === 'contacts') ? 1 : 2;

export function importWithPresets(
  db: Db,
  files: readonly (string | ImportFileSpec)[],
  options: PresetImportOptions = {},
): PresetImportSummary {
  const run = (): PresetImportSummary => {
    const catalog = catalogFor(db, options.presetsDir);
    const asked = options.preset ? presetByName(catalog, options.preset) : null;
    const forced = Boolean(options.kind || options.mapping);
    const specs = files.map((file) =>
      typeof file === 'string' ? { path: file, name: file } : { path: file.path, name: file.name ?? file.path },
    );
    const withPreset = specs.map((spec) => ({
      spec,
      preset: forced && !asked ? null : presetFor(catalog, spec.path, asked),
    }));
    const presetFiles = withPreset.filter((f) => f.preset !== null) as {
      spec: Required<ImportFileSpec>;
      preset: Preset;
    }[];
    const plain = withPreset.filter((f) => f.preset === null).map((f) => f.spec);
    presetFiles.sort((a, b) => rank(a.preset) - rank(b.preset));

    const summary: PresetImportSummary = {
      ...emptyCounts(),
      files: [],
      changedAccountIds: [],
      resolvedQuarantine: 0,
      dryRun: Boolean(options.dryRun),
    };
    const changed = accountIdSet();
    const merge = (part: ImportSummary) => {
      addCounts(summary, part);
      summary.files.push(...part.files);
      summary.resolvedQuarantine += part.resolvedQuarantine;
      if (part.changedAccountIds === null) summary.changedAccountIds = null;
      for (const id of part.changedAccountIds ?? []) changed.add(id);
      if (part.changedAccountIds === null || part.changedAccountIds.length > 0)
        changed.touch(part.changedSince ?? null);
    };
    for (const file of presetFiles.filter((f) => rank(f.preset) === 0))
      merge(importPresetFile(db, file.spec, file.preset, options));
    if (plain.length > 0) merge(importFiles(db, plain, options));
    for (const file of presetFiles.filter((f) => rank(f.preset) > 0))
      merge(importPresetFile(db, file.spec, file.preset, options));
    if (summary.changedAccountIds !== null) summary.changedAccountIds = changed.values();
    summary.changedSince = changed.since() ?? null;
    return summary;
  };
  if (!options.dryRun) return run();
  let result: PresetImportSummary | null = null;
  try {
    db.transaction(() => {
      result = run();
      throw new DryRunDone();
    })();
  } catch (error) {
    if (!(error instanceof DryRunDone)) throw error;
  }
  return { ...result!, changedAccountIds: [] };
}

/** One vendor file in one transaction (a savepoint inside a dry run's transaction). */
function importPresetFile(
  db: Db,
  spec: Required<ImportFileSpec>,
  preset: Preset,
  options: PresetImportOptions,
): ImportSummary {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const t0 = performance.now();
  const report: FileImportReport = {
    file: spec.name,
    kind: preset.rollup ? 'metrics' : (preset.records[0]?.kind ?? null),
    format: 'csv',
    delimiter: null,
    status: 'failed',
    rows: 0,
    accepted: 0,
    unchanged: 0,
    older: 0,
    rejected: 0,
    ignoredColumns: [],
    message: null,
    ms: 0,
    preset: preset.name,
    presetUse: null,
  };
  const summary: ImportSummary = { ...emptyCounts(), files: [report], changedAccountIds: [], resolvedQuarantine: 0 };
  const coreEvents = coreFeatureEvents(db);
  let size = 0;
  try {
    size = statSync(spec.path).size;
  } catch {
    size = 0;
  }
  // The connection keeps temporary tables in memory (open.ts); a roll-up's event table and SQLite's
  // sorter for it go to a temporary file instead, so memory does not grow with the log. The pragma
  // cannot change inside a transaction: a dry run's roll-up stays in memory.
  const tempBefore = preset.rollup && !db.inTransaction ? (db.pragma('temp_store', { simple: true }) as number) : null;
  if (tempBefore !== null) db.pragma('temp_store = FILE');
  try {
    readInTransaction();
  } finally {
    if (tempBefore !== null) db.pragma(`temp_store = ${tempBefore}`);
  }
  report.ms = Math.round(performance.now() - t0);
  return summary;

  function readInTransaction(): void {
    let encoding: TextEncoding | undefined;
    for (;;) {
      const fileChanged = accountIdSet();
      try {
        const done = db
          .transaction(() => {
            const writer = createRecordWriter(db, { createdAt: startedAt, changed: fileChanged, batch: true });
            const reader = openTextFile(spec.path, encoding);
            try {
              const run = readPresetFile(db, reader, preset, {
                name: spec.name,
                writer,
                createdAt: startedAt,
                coreEvents,
                onRows: (rows) =>
                  options.onProgress?.({
                    file: spec.name,
                    fileIndex: 0,
                    fileCount: 1,
                    rows,
                    bytes: reader.bytesRead,
                    totalBytes: size,
                  }),
              });
              const counts = writer.counts;
              markDataChanged(db, acceptedTotal(counts));
              recordRun(db, {
                type: 'import',
                origin: spec.name,
                status: counts.rejected > 0 ? 'partial' : acceptedTotal(counts) > 0 ? 'ok' : 'unchanged',
                started_at: startedAt,
                finished_at: now().toISOString(),
                accepted: counts.accepted,
                unchanged: counts.unchanged,
                rejected: counts.rejected,
                message: `Read with the preset ${preset.name}${run.rolledUp ? `: ${run.rolledUp.events} events rolled up into ${run.rolledUp.metricRows} daily metric rows` : ''}.`,
              });
              return { run, counts, resolved: writer.resolved };
            } finally {
              reader.close();
            }
          })
          .immediate();
        addCounts(summary, done.counts);
        summary.resolvedQuarantine = done.resolved;
        const ids = fileChanged.values();
        summary.changedAccountIds = ids;
        const accepted = acceptedTotal(done.counts);
        Object.assign(report, {
          delimiter: done.run.delimiter,
          status: done.counts.rejected > 0 ? 'partial' : accepted > 0 ? 'ok' : 'unchanged',
          rows: done.run.rows,
          accepted,
          unchanged: done.counts.unchanged,
          older: done.counts.older,
          rejected: done.counts.rejected,
          ignoredColumns: done.run.ignored,
          presetUse: {
            title: preset.title,
            mapping: done.run.mapping,
            matched: done.run.matched,
            skipped: done.run.skipped,
            rolledUp: done.run.rolledUp,
            ...(options.dryRun ? { sample: done.run.sample } : {}),
          },
        });
        break;
      } catch (error) {
        const mixed =
          error instanceof NotUtf8Error && encoding === undefined ? mixedUtf8Problem(spec.path, spec.name) : null;
        if (error instanceof NotUtf8Error && encoding === undefined && mixed === null) {
          encoding = 'windows-1252';
          continue;
        }
        if (mixed) report.message = mixed;
        else if (error instanceof FileProblem) report.message = error.worded(options.surface);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') report.message = `${spec.name} does not exist`;
        else if (error instanceof Error && 'code' in error)
          report.message = `${spec.name} could not be read (${error.message})`;
        else throw error;
        summary.errors.push({ file: spec.name, line: null, field: null, message: report.message });
        break;
      }
    }
  }
}
