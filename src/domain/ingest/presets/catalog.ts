/**
 * The presets a file can be read with: the built-in ones (builtin/*.json) and the user's own, JSON
 * files in the `presets` folder next to the database (docs/sync.md, "Your own presets"). A user
 * preset with a built-in's name replaces it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserFacingError } from '../../errors.ts';
import { BUILTIN_PRESET_FILES } from './builtin.ts';
import { columnList, presetSchema, type Preset } from './schema.ts';
import { findColumn } from './values.ts';

export interface CatalogEntry {
  preset: Preset;
  origin: 'built-in' | 'user';
  /** The user's file, for user presets. */
  path: string | null;
}

export interface PresetCatalog {
  entries: CatalogEntry[];
  /** User preset files that could not be read, each with one sentence. */
  problems: string[];
}

function parsePreset(value: unknown, where: string): Preset {
  const parsed = presetSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new Error(`${where} is not a valid preset${at}: ${issue?.message ?? 'unexpected shape'}`);
}

const BUILTIN: readonly Preset[] = BUILTIN_PRESET_FILES.map((file, i) => parsePreset(file, `built-in preset ${i}`));

/** Where a user's presets live: a `presets` folder beside the database file. */
export function userPresetsDir(dbPath: string): string {
  return join(dirname(dbPath), 'presets');
}

export function loadCatalog(userDir: string | null): PresetCatalog {
  const byName = new Map<string, CatalogEntry>(
    BUILTIN.map((preset) => [preset.name, { preset, origin: 'built-in', path: null }]),
  );
  const problems: string[] = [];
  if (userDir !== null && existsSync(userDir)) {
    for (const file of readdirSync(userDir)
      .filter((f) => f.toLowerCase().endsWith('.json'))
      .sort()) {
      const path = join(userDir, file);
      try {
        const preset = parsePreset(JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')), path);
        byName.set(preset.name, { preset, origin: 'user', path });
      } catch (error) {
        problems.push(
          error instanceof SyntaxError ? `${path} is not valid JSON (${error.message})` : (error as Error).message,
        );
      }
    }
  }
  return { entries: [...byName.values()].sort((a, b) => a.preset.name.localeCompare(b.preset.name)), problems };
}

export function presetByName(catalog: PresetCatalog, name: string): Preset {
  const entry = catalog.entries.find((e) => e.preset.name === name.trim().toLowerCase());
  if (!entry)
    throw new UserFacingError(
      'PRESET_UNKNOWN',
      `There is no preset named ${JSON.stringify(name)}; "foresight presets" lists them (${catalog.entries.map((e) => e.preset.name).join(', ')}).`,
    );
  return entry.preset;
}

/**
 * The preset whose `detect` headers the file has, all of them; the one naming the most wins, and a
 * user's preset wins a tie. Null when none fits: the file is read as Foresight's own record kinds.
 */
export function detectPreset(catalog: PresetCatalog, header: readonly string[]): Preset | null {
  let best: CatalogEntry | null = null;
  for (const entry of catalog.entries) {
    const fits = entry.preset.detect.every((name) => findColumn(header, columnList(name)) >= 0);
    if (!fits) continue;
    if (
      best === null ||
      entry.preset.detect.length > best.preset.detect.length ||
      (entry.preset.detect.length === best.preset.detect.length && entry.origin === 'user')
    )
      best = entry;
  }
  return best?.preset ?? null;
}
