import type { Migration } from '../migration.ts';

/**
 * Outreach: the user's own templates with every saved version kept (built-in templates live in
 * code, src/domain/outreach/builtin-templates.ts, and are copied here when edited), and the
 * outreach settings (fatigue cap, active hours, links, sender names) as JSON overrides of the
 * defaults in code.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'outreach templates and settings',
  up(db) {
    db.exec(`
      CREATE TABLE outreach_templates (
        template_id     TEXT PRIMARY KEY,
        name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        -- NULL: usable for any trigger.
        trigger_id      TEXT,
        channel         TEXT NOT NULL CHECK (channel IN ('email', 'in_app', 'sms', 'call')),
        -- The built-in template this one was copied from, if any.
        based_on        TEXT,
        current_version INTEGER NOT NULL CHECK (current_version >= 1),
        archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outreach_templates_trigger ON outreach_templates (trigger_id, channel);

      -- Every saved version; an intervention records (template_id, template_version), so the exact
      -- wording that was sent can always be looked up again.
      CREATE TABLE outreach_template_versions (
        template_id TEXT NOT NULL REFERENCES outreach_templates (template_id) ON DELETE CASCADE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        name        TEXT NOT NULL,
        subject     TEXT,
        body        TEXT NOT NULL,
        -- How many lint warnings the version had when saved (the user acknowledged them).
        warnings    INTEGER NOT NULL DEFAULT 0 CHECK (warnings >= 0),
        created_at  TEXT NOT NULL,
        PRIMARY KEY (template_id, version)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE outreach_settings (
        key        TEXT PRIMARY KEY,
        value_json TEXT NOT NULL CHECK (json_valid(value_json)),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
