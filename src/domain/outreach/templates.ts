/**
 * The template library as the rest of the app sees it: the built-ins from code plus the user's
 * templates from the database, each user template with its full version history. Saving checks
 * tokens (an unknown token is refused) and the benefit-first lint (warnings must be acknowledged).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { UserFacingError } from '../errors.ts';
import { isTriggerId, type TriggerId } from '../risk/catalog.ts';
import { BUILTIN_TEMPLATES, builtinTemplate, isBuiltinId } from './builtin-templates.ts';
import { hasSubject, isOutreachChannel, type OutreachChannel } from './channels.ts';
import { lintMessage, type LintWarning } from './lint.ts';
import { checkTemplate, renderText, type TemplateProblem } from './render.ts';
import type { TemplateView } from './tokens.ts';

export interface TemplateRecord {
  id: string;
  name: string;
  triggerId: TriggerId | null;
  channel: OutreachChannel;
  subject: string | null;
  body: string;
  version: number;
  builtIn: boolean;
  /** The built-in (or other template) this was copied from. */
  basedOn: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  archived: boolean;
}

export interface TemplateVersionRecord {
  version: number;
  name: string;
  subject: string | null;
  body: string;
  warnings: number;
  createdAt: string;
}

interface TemplateRow {
  template_id: string;
  name: string;
  trigger_id: string | null;
  channel: OutreachChannel;
  based_on: string | null;
  current_version: number;
  archived: 0 | 1;
  created_at: string;
  updated_at: string;
  subject: string | null;
  body: string;
}

const repo = perConnection(build);

function build(db: Db) {
  const select = `SELECT t.template_id, t.name, t.trigger_id, t.channel, t.based_on, t.current_version, t.archived, t.created_at, t.updated_at, v.subject, v.body
    FROM outreach_templates t JOIN outreach_template_versions v ON v.template_id = t.template_id AND v.version = t.current_version`;
  return {
    all: db.prepare<[], TemplateRow>(`${select} ORDER BY t.updated_at DESC, t.template_id`),
    byId: db.prepare<[string], TemplateRow>(`${select} WHERE t.template_id = ?`),
    version: db.prepare<[string, number], { name: string; subject: string | null; body: string }>(
      'SELECT name, subject, body FROM outreach_template_versions WHERE template_id = ? AND version = ?',
    ),
    versions: db.prepare<
      [string],
      { version: number; name: string; subject: string | null; body: string; warnings: number; created_at: string }
    >(
      'SELECT version, name, subject, body, warnings, created_at FROM outreach_template_versions WHERE template_id = ? ORDER BY version DESC',
    ),
    insertTemplate: db.prepare(
      `INSERT INTO outreach_templates (template_id, name, trigger_id, channel, based_on, current_version, archived, created_at, updated_at)
       VALUES (@id, @name, @trigger_id, @channel, @based_on, 1, 0, @now, @now)`,
    ),
    updateTemplate: db.prepare(
      `UPDATE outreach_templates SET name = @name, trigger_id = @trigger_id, channel = @channel, current_version = @version, archived = 0, updated_at = @now
       WHERE template_id = @id`,
    ),
    insertVersion: db.prepare(
      `INSERT INTO outreach_template_versions (template_id, version, name, subject, body, warnings, created_at)
       VALUES (@id, @version, @name, @subject, @body, @warnings, @now)`,
    ),
    archive: db.prepare('UPDATE outreach_templates SET archived = 1, updated_at = ? WHERE template_id = ?'),
    /** Another of the user's templates in use with this name, play and channel. */
    sameName: db.prepare<{ id: string; name: string; trigger_id: string | null; channel: string }, { n: number }>(
      `SELECT count(*) AS n FROM outreach_templates
       WHERE archived = 0 AND template_id != @id AND channel = @channel AND trigger_id IS @trigger_id
         AND name = @name COLLATE NOCASE`,
    ),
  };
}

function fromRow(row: TemplateRow): TemplateRecord {
  return {
    id: row.template_id,
    name: row.name,
    triggerId: row.trigger_id !== null && isTriggerId(row.trigger_id) ? row.trigger_id : null,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    version: row.current_version,
    builtIn: false,
    basedOn: row.based_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
  };
}

const BUILTIN_RECORDS: readonly TemplateRecord[] = BUILTIN_TEMPLATES.map((template) => ({
  id: template.id,
  name: template.name,
  triggerId: template.triggerId,
  channel: template.channel,
  subject: template.subject,
  body: template.body,
  version: template.version,
  builtIn: true,
  basedOn: null,
  createdAt: null,
  updatedAt: null,
  archived: false,
}));

export interface TemplateFilter {
  triggerId?: string | null;
  channel?: OutreachChannel | null;
  includeArchived?: boolean;
}

/** User templates first (newest first), then the built-ins in catalogue order. */
export function listTemplates(db: Db, filter: TemplateFilter = {}): TemplateRecord[] {
  const user = repo(db).all.all().map(fromRow);
  return [...user, ...BUILTIN_RECORDS].filter(
    (template) =>
      (filter.includeArchived || !template.archived) &&
      (!filter.channel || template.channel === filter.channel) &&
      // A template without a trigger suits every trigger.
      (!filter.triggerId || template.triggerId === filter.triggerId || template.triggerId === null),
  );
}

/** A template as it is now, or as it was at `version`. */
export function getTemplate(db: Db, id: string, version?: number | null): TemplateRecord | undefined {
  if (isBuiltinId(id)) return BUILTIN_RECORDS.find((template) => template.id === id);
  const row = repo(db).byId.get(id);
  if (!row) return undefined;
  const record = fromRow(row);
  if (version == null || version === record.version) return record;
  const old = repo(db).version.get(id, version);
  return old ? { ...record, ...old, version } : undefined;
}

export function templateVersions(db: Db, id: string): TemplateVersionRecord[] {
  const builtin = builtinTemplate(id);
  if (builtin)
    return [
      {
        version: builtin.version,
        name: builtin.name,
        subject: builtin.subject,
        body: builtin.body,
        warnings: 0,
        createdAt: '',
      },
    ];
  return repo(db)
    .versions.all(id)
    .map((row) => ({
      version: row.version,
      name: row.name,
      subject: row.subject,
      body: row.body,
      warnings: row.warnings,
      createdAt: row.created_at,
    }));
}

/**
 * The template a draft starts from: the user's own newest template for this trigger and channel
 * (so an edited copy of a built-in replaces it), else the built-in.
 */
export function suggestedTemplate(
  db: Db,
  triggerId: TriggerId | null,
  channel: OutreachChannel,
): TemplateRecord | undefined {
  const candidates = listTemplates(db, { triggerId, channel });
  return (
    candidates.find((template) => !template.builtIn && template.triggerId === triggerId) ??
    candidates.find((template) => template.builtIn) ??
    candidates[0]
  );
}

export interface TemplateDraftInput {
  name: string;
  triggerId: string | null;
  channel: string;
  subject: string | null;
  body: string;
}

export interface TemplateCheck {
  problems: TemplateProblem[];
  warnings: LintWarning[];
  preview: { subject: string | null; body: string } | null;
}

/** Unknown tokens first (a template with those cannot be rendered); otherwise renders and lints. */
export function checkTemplateDraft(
  input: TemplateDraftInput,
  view: TemplateView,
  senderName: string | null,
): TemplateCheck {
  const channel = isOutreachChannel(input.channel) ? input.channel : 'email';
  const subject = hasSubject(channel) ? (input.subject ?? '') : null;
  const problems = checkTemplate({ subject, body: input.body });
  if (problems.length > 0) return { problems, warnings: [], preview: null };
  const preview = { subject: subject === null ? null : renderText(subject, view), body: renderText(input.body, view) };
  const warnings = lintMessage({ channel, subject: preview.subject, body: preview.body, senderName });
  return { problems, warnings, preview };
}

export interface SaveTemplateInput extends TemplateDraftInput {
  /** Absent for a new template. */
  templateId?: string | null;
  /** For a new template: the template it was copied from (usually a built-in). */
  basedOn?: string | null;
  /** Save even though the lint has warnings (the user has seen them). */
  acknowledgeWarnings?: boolean;
}

export function saveTemplate(
  db: Db,
  input: SaveTemplateInput,
  view: TemplateView,
  senderName: string | null,
  now: Date,
): { template: TemplateRecord; warnings: LintWarning[] } {
  const name = input.name.trim();
  if (name === '' || name.length > 120)
    throw new UserFacingError('INVALID_TEMPLATE', 'A template needs a name of 1 to 120 characters.');
  if (!isOutreachChannel(input.channel))
    throw new UserFacingError(
      'INVALID_TEMPLATE',
      `The channel must be email, in_app, sms or call, not "${input.channel}".`,
    );
  if (input.triggerId !== null && !isTriggerId(input.triggerId))
    throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${input.triggerId}".`);
  if (input.body.trim() === '') throw new UserFacingError('INVALID_TEMPLATE', 'The template has no message text.');

  const check = checkTemplateDraft(input, view, senderName);
  if (check.problems.length > 0) {
    const first = check.problems[0]!;
    const more =
      check.problems.length > 1
        ? ` (${check.problems.length - 1} more problem${check.problems.length > 2 ? 's' : ''} after this one)`
        : '';
    throw new UserFacingError(
      first.code === 'unknown_token' ? 'UNKNOWN_TOKEN' : 'TEMPLATE_SYNTAX',
      `The template was not saved: ${first.message}${more}`,
    );
  }
  if (check.warnings.length > 0 && !input.acknowledgeWarnings) {
    throw new UserFacingError(
      'LINT_WARNINGS',
      `The template was not saved because the benefit-first check has ${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'}, starting with: ${check.warnings[0]!.message} Fix ${check.warnings.length === 1 ? 'it' : 'them'}, or save anyway.`,
    );
  }

  const channel = input.channel;
  const subject = hasSubject(channel) ? (input.subject ?? '') : null;
  const nowIso = now.toISOString();
  const statements = repo(db);
  if (input.templateId && isBuiltinId(input.templateId)) {
    throw new UserFacingError('BUILTIN_READ_ONLY', 'Built-in templates are read-only; duplicate it and edit the copy.');
  }
  const existing = input.templateId ? statements.byId.get(input.templateId) : undefined;
  if (input.templateId && !existing)
    throw new UserFacingError('TEMPLATE_NOT_FOUND', `There is no template with the id "${input.templateId}".`);

  const id = existing?.template_id ?? `tpl_${randomUUID().slice(0, 8)}`;
  // Two of the user's templates with one name for one play and channel read, in the composer's
  // list ("… · yours, v2" beside "… · yours, v1"), as two versions of one template.
  if (statements.sameName.get({ id, name, trigger_id: input.triggerId, channel })?.n)
    throw new UserFacingError(
      'TEMPLATE_NAME_TAKEN',
      `You already have a template called "${name}" for this play and channel; give this one another name.`,
    );
  db.transaction(() => {
    if (!existing) {
      statements.insertTemplate.run({
        id,
        name,
        trigger_id: input.triggerId,
        channel,
        based_on: input.basedOn ?? null,
        now: nowIso,
      });
      statements.insertVersion.run({
        id,
        version: 1,
        name,
        subject,
        body: input.body,
        warnings: check.warnings.length,
        now: nowIso,
      });
      return;
    }
    const unchanged =
      existing.name === name &&
      existing.subject === subject &&
      existing.body === input.body &&
      existing.trigger_id === input.triggerId &&
      existing.channel === channel;
    if (unchanged && existing.archived === 0) return;
    const version = unchanged ? existing.current_version : existing.current_version + 1;
    if (!unchanged)
      statements.insertVersion.run({
        id,
        version,
        name,
        subject,
        body: input.body,
        warnings: check.warnings.length,
        now: nowIso,
      });
    statements.updateTemplate.run({ id, name, trigger_id: input.triggerId, channel, version, now: nowIso });
  })();
  return { template: getTemplate(db, id)!, warnings: check.warnings };
}

/** Hides a user template from pickers; its versions stay, because interventions refer to them. */
export function archiveTemplate(db: Db, id: string, now: Date): void {
  if (isBuiltinId(id))
    throw new UserFacingError(
      'BUILTIN_READ_ONLY',
      'Built-in templates cannot be deleted; they are the defaults every copy starts from.',
    );
  const result = repo(db).archive.run(now.toISOString(), id);
  if (result.changes === 0)
    throw new UserFacingError('TEMPLATE_NOT_FOUND', `There is no template with the id "${id}".`);
}
