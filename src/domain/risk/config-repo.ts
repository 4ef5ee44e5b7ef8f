/**
 * Score configuration versions. Version 0 is the built-in default and is never stored; every save
 * appends a complete, validated document with a note, and the highest version is active. Scores
 * and snapshots record the version they were computed with.
 */
import { ZodError } from 'zod';
import { issueSentence } from '../../shared/settings-issues.ts';
import { DEFAULT_TRIGGERS, isTriggerId } from './catalog.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { UserFacingError } from '../errors.ts';
import { completeConfig, DEFAULT_SCORE_CONFIG, type ScoreConfig } from './config.ts';

export interface ConfigVersion {
  version: number;
  config: ScoreConfig;
  note: string | null;
  createdAt: string | null;
}

interface Row {
  version: number;
  config_json: string;
  note: string | null;
  created_at: string;
}

export const configRepo = perConnection((db: Db) => {
  const latest = db.prepare<[], Row>(
    'SELECT version, config_json, note, created_at FROM risk_config ORDER BY version DESC LIMIT 1',
  );
  const all = db.prepare<[], Omit<Row, 'config_json'>>(
    'SELECT version, note, created_at FROM risk_config ORDER BY version DESC',
  );
  const insert = db.prepare<[number, string, string | null, string]>(
    'INSERT INTO risk_config (version, config_json, note, created_at) VALUES (?, ?, ?, ?)',
  );

  function parse(row: Row): ConfigVersion {
    let config: ScoreConfig;
    try {
      config = completeConfig(JSON.parse(row.config_json));
    } catch {
      // A version that no longer validates (an edited file, a bug) must not stop scoring.
      config = structuredClone(DEFAULT_SCORE_CONFIG);
    }
    return { version: row.version, config, note: row.note, createdAt: row.created_at };
  }

  return {
    active(): ConfigVersion {
      const row = latest.get();
      return row
        ? parse(row)
        : { version: 0, config: structuredClone(DEFAULT_SCORE_CONFIG), note: 'Built-in defaults', createdAt: null };
    },
    versions(): { version: number; note: string | null; createdAt: string | null }[] {
      return [
        ...all.all().map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at })),
        { version: 0, note: 'Built-in defaults', createdAt: null },
      ];
    },
    /** Validates, stores as the next version and returns it. Throws a one-sentence UserFacingError when invalid. */
    save(input: unknown, note: string | null, now: string): ConfigVersion {
      let config: ScoreConfig;
      try {
        config = completeConfig(input);
      } catch (error) {
        if (error instanceof ZodError) {
          const issue = error.issues[0];
          // One sentence naming the field in words (src/shared/settings-issues.ts).
          throw new UserFacingError(
            'INVALID_CONFIG',
            `${issue ? issueSentence(issue, (id) => (isTriggerId(id) ? DEFAULT_TRIGGERS[id].label : undefined)) : 'The configuration is not valid.'} Nothing was saved.`,
          );
        }
        throw error;
      }
      const version = (latest.get()?.version ?? 0) + 1;
      insert.run(version, JSON.stringify(config), note, now);
      return { version, config, note, createdAt: now };
    },
  };
});
