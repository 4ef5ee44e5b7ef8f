/**
 * The sync API: sources, "Sync now", file import (native picker paths or chunked uploads from the
 * browser), run history and the quarantine. Imports and syncs run as jobs (worker threads) one at
 * a time, so two of them never wait on each other's write lock.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RecordKind } from '../../shared/dto/core.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, type ImportResult, type SyncResult } from '../../shared/dto/sync.ts';
import type { ChangeKind } from '../../shared/events.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { feedRepo } from '../../domain/feed/repo.ts';
import { resolveRefusal } from '../../domain/feed/refused-outbox.ts';
import { bindTokenEnv, refuseTokenMove } from '../../domain/feed/token-move.ts';
import {
  checkEnvVarName,
  checkSourceName,
  getSource,
  listSources,
  removeSource,
  saveSource,
  toSourceView,
} from '../../domain/feed/sources.ts';
import { resolveFeedToken, secretNameFor } from '../../domain/feed/tokens.ts';
import {
  countQuarantine,
  discardQuarantine,
  exportQuarantineCsv,
  listQuarantine,
} from '../../domain/ingest/quarantine.ts';
import { listRuns } from '../../domain/ingest/repo.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { progressReporter } from './progress.ts';
import { canStoreSecrets } from '../../domain/secrets/secret-store.ts';

function changedKinds(result: { accepted: Record<RecordKind, number> }): ChangeKind[] {
  return [...(Object.keys(result.accepted) as RecordKind[]).filter((kind) => result.accepted[kind] > 0), 'sync'];
}

// --- one write job at a time -------------------------------------------------------------------

let queue: Promise<unknown> = Promise.resolve();
let syncRunning = false;

function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

async function runImport(
  ctx: AppContext,
  files: { path: string; name: string }[],
  kind: RecordKind | null,
  mapping: Record<string, unknown> | null,
  preset: string | null = null,
): Promise<ImportResult> {
  const label = files.length === 1 ? `Importing ${basename(files[0]!.name)}` : `Importing ${files.length} files`;
  const now = ctx.now();
  const result = await serial(() =>
    ctx.jobs.run(
      'sync.import',
      { files, kind, mapping, preset, surface: 'app', asOf: todayIso(now), startedAt: now.toISOString() },
      { label, onProgress: progressReporter(ctx, label) },
    ),
  );
  ctx.emit({ type: 'data-changed', kinds: changedKinds(result) });
  return result;
}

/** Syncs the named sources (all when empty). Also what the background scheduler calls. */
export async function runSync(ctx: AppContext, names: readonly string[] = []): Promise<SyncResult> {
  if (syncRunning) throw new UserFacingError('SYNC_RUNNING', 'A sync is already running; wait for it to finish.');
  const repo = feedRepo(ctx.db);
  const sources = names.length > 0 ? names.map((name) => getSource(ctx.db, name)) : repo.list();
  if (sources.length === 0) throw new UserFacingError('NO_SOURCES', 'There are no feed sources yet; add one first.');
  syncRunning = true;
  try {
    const targets: { name: string; token: string | null; tokenProblem: string | null }[] = [];
    for (const source of sources) {
      const { token, problem } = await resolveFeedToken(ctx.secrets, source);
      targets.push({ name: source.name, token, tokenProblem: problem });
    }
    const label = sources.length === 1 ? `Syncing ${sources[0]!.name}` : `Syncing ${sources.length} sources`;
    const now = ctx.now();
    const result = await serial(() =>
      ctx.jobs.run(
        'sync.feed',
        { targets, asOf: todayIso(now), startedAt: now.toISOString() },
        { label, onProgress: progressReporter(ctx, label) },
      ),
    );
    ctx.emit({ type: 'data-changed', kinds: changedKinds(result) });
    return result;
  } finally {
    syncRunning = false;
  }
}

// --- uploads (the web preview cannot hand over a path) -------------------------------------

interface Upload {
  dir: string;
  path: string;
  name: string;
  size: number;
  received: number;
  nextIndex: number;
  startedAt: number;
}

const uploads = new Map<string, Upload>();
const UPLOAD_TTL_MS = 60 * 60 * 1000;

function dropUpload(id: string): void {
  const upload = uploads.get(id);
  uploads.delete(id);
  if (upload) rmSync(upload.dir, { recursive: true, force: true });
}

function takeUpload(id: string): Upload {
  const upload = uploads.get(id);
  if (!upload)
    throw new UserFacingError('UNKNOWN_UPLOAD', 'That upload is not in progress any more; choose the file again.');
  return upload;
}

// --- handlers ------------------------------------------------------------------------------------

export const syncHandlers = {
  'sync.overview': async (_input, ctx) => ({
    lastSyncAt: metaRepo(ctx.db).get(META_KEYS.lastSyncAt),
    sources: listSources(ctx.db),
    quarantined: countQuarantine(ctx.db),
    maxUploadBytes: MAX_UPLOAD_BYTES,
    canStoreTokens: canStoreSecrets(ctx.secrets),
    canChooseFiles: ctx.native !== null,
  }),

  'sync.sources.save': async (input, ctx) => {
    const name = checkSourceName(input.name);
    if (input.token !== undefined && input.tokenEnv !== undefined)
      throw new UserFacingError('USAGE', 'Give either a token or an environment variable, not both.');
    const existing = feedRepo(ctx.db).get(name);
    let tokenRef = existing?.token_ref ?? null;
    refuseTokenMove(ctx.db, existing, { ...input, name });
    if (input.tokenEnv !== undefined) tokenRef = `env:${checkEnvVarName(input.tokenEnv)}`;
    if (input.token !== undefined) {
      if (!canStoreSecrets(ctx.secrets)) {
        throw new UserFacingError(
          'CANNOT_STORE_TOKEN',
          'This system cannot store the token encrypted; set it in an environment variable and give the variable name instead.',
        );
      }
      await ctx.secrets.set(secretNameFor(name), input.token);
      tokenRef = `secret:${secretNameFor(name)}`;
    }
    const { source } = saveSource(ctx.db, { name, url: input.url, tokenRef }, ctx.now());
    bindTokenEnv(ctx.db, tokenRef, source.url, false);
    // A token replaced by an environment variable should not linger in the keychain.
    const previous = existing?.token_ref ?? null;
    if (previous?.startsWith('secret:') && previous !== tokenRef)
      await ctx.secrets.delete(previous.slice('secret:'.length)).catch(() => undefined);
    ctx.emit({ type: 'data-changed', kinds: ['sync'] });
    return toSourceView(ctx.db, source);
  },

  'sync.sources.remove': async (input, ctx) => {
    const source = getSource(ctx.db, input.name);
    removeSource(ctx.db, source.name);
    if (source.token_ref?.startsWith('secret:'))
      await ctx.secrets.delete(source.token_ref.slice('secret:'.length)).catch(() => undefined);
    ctx.emit({ type: 'data-changed', kinds: ['sync'] });
    return { removed: source.name };
  },

  'sync.sources.resolveRefused': (input, ctx) => {
    const source = getSource(ctx.db, input.name);
    const row = resolveRefusal(ctx.db, source.name, input.id, input.action);
    ctx.emit({
      type: 'data-changed',
      kinds: input.action === 'discard' ? ['sync', 'interventions', 'outcomes'] : ['sync'],
    });
    return row;
  },

  'sync.run': (input, ctx) => runSync(ctx, input.source ? [input.source] : []),

  'sync.import.choose': async (input, ctx) => {
    if (!ctx.native)
      throw new UserFacingError('NO_FILE_PICKER', 'Choosing files needs the desktop app; upload the file instead.');
    const paths = await ctx.native.chooseFiles({
      title: 'Import data files',
      filters: [{ name: 'CSV, JSON or NDJSON', extensions: ['csv', 'tsv', 'txt', 'json', 'ndjson', 'jsonl'] }],
      multiple: true,
    });
    if (paths.length === 0) return { cancelled: true, result: null };
    return {
      cancelled: false,
      result: await runImport(
        ctx,
        paths.map((path) => ({ path, name: basename(path) })),
        input.kind ?? null,
        null,
      ),
    };
  },

  'sync.upload.begin': (input, _ctx) => {
    const now = Date.now();
    for (const [id, upload] of uploads) if (now - upload.startedAt > UPLOAD_TTL_MS) dropUpload(id);
    const id = randomUUID();
    const dir = mkdtempSync(join(tmpdir(), 'foresight-upload-'));
    // Only the base name, made safe: the name is shown back to the user, never used to pick a folder.
    const name =
      basename(input.fileName)
        .replace(/[^\p{L}\p{N}._ -]/gu, '_')
        .slice(0, 120) || 'upload.csv';
    const path = join(dir, name);
    writeFileSync(path, '');
    uploads.set(id, { dir, path, name, size: input.size, received: 0, nextIndex: 0, startedAt: now });
    return { uploadId: id, chunkBytes: UPLOAD_CHUNK_BYTES };
  },

  'sync.upload.chunk': (input, _ctx) => {
    const upload = takeUpload(input.uploadId);
    if (input.index !== upload.nextIndex) {
      dropUpload(input.uploadId);
      throw new UserFacingError(
        'UPLOAD_OUT_OF_ORDER',
        `Part ${input.index + 1} of the upload arrived out of order; choose the file again.`,
      );
    }
    const bytes = Buffer.from(input.data, 'base64');
    if (bytes.length > UPLOAD_CHUNK_BYTES || upload.received + bytes.length > Math.min(upload.size, MAX_UPLOAD_BYTES)) {
      dropUpload(input.uploadId);
      throw new UserFacingError(
        'UPLOAD_TOO_LARGE',
        `The file is larger than it said, or than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; import it with the desktop app or the CLI.`,
      );
    }
    appendFileSync(upload.path, bytes);
    upload.received += bytes.length;
    upload.nextIndex++;
    return { received: upload.received };
  },

  'sync.upload.finish': async (input, ctx) => {
    try {
      const files = input.uploadIds.map((id) => {
        const upload = takeUpload(id);
        if (upload.received !== upload.size || statSync(upload.path).size !== upload.size) {
          throw new UserFacingError(
            'UPLOAD_INCOMPLETE',
            `Only ${upload.received.toLocaleString('en')} of ${upload.size.toLocaleString('en')} bytes of ${upload.name} arrived; choose the file again.`,
          );
        }
        return { path: upload.path, name: upload.name };
      });
      return await runImport(ctx, files, input.kind ?? null, input.mapping ?? null, input.preset ?? null);
    } finally {
      for (const id of input.uploadIds) dropUpload(id);
    }
  },

  'sync.upload.cancel': (input, _ctx) => {
    const known = uploads.has(input.uploadId);
    dropUpload(input.uploadId);
    return { cancelled: known };
  },

  'sync.runs.list': (input, ctx) => listRuns(ctx.db, input.offset, input.limit),

  'sync.quarantine.list': (input, ctx) =>
    listQuarantine(ctx.db, { kind: input.kind ?? null, search: input.search }, input.offset, input.limit),

  'sync.quarantine.export': async (input, ctx) => {
    const { csv, rows } = exportQuarantineCsv(ctx.db, { kind: input.kind ?? null });
    const fileName = `foresight-quarantine-${todayIso(ctx.now())}${input.kind ? `-${input.kind}` : ''}.csv`;
    if (ctx.native) {
      const saved = await ctx.native.saveFile({
        defaultName: fileName,
        filters: [{ name: 'CSV', extensions: ['csv'] }],
        data: new TextEncoder().encode(csv),
      });
      return { fileName, rows, csv: null, savedTo: saved.saved ? saved.path : null };
    }
    return { fileName, rows, csv, savedTo: null };
  },

  'sync.quarantine.retry': async (_input, ctx) => {
    const label = 'Re-checking quarantined rows';
    const now = ctx.now();
    const result = await serial(() =>
      ctx.jobs.run(
        'sync.quarantine.retry',
        { asOf: todayIso(now), startedAt: now.toISOString() },
        { label, onProgress: progressReporter(ctx, label) },
      ),
    );
    ctx.emit({ type: 'data-changed', kinds: changedKinds(result) });
    return result;
  },

  'sync.quarantine.discard': (input, ctx) => {
    if (!input.all && !input.ids)
      throw new UserFacingError('USAGE', 'Say which quarantined rows to discard (ids), or all.');
    const discarded = discardQuarantine(ctx.db, {
      ids: input.ids,
      all: input.all === true,
      kind: input.kind ?? null,
      search: input.search ?? '',
    });
    ctx.emit({ type: 'data-changed', kinds: ['sync'] });
    return { discarded };
  },
} satisfies Partial<HandlerMap>;
