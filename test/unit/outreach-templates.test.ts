import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import { migrations } from '../../src/domain/db/migrations/index.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { loadOutreachSettings, saveOutreachSettings } from '../../src/domain/outreach/settings.ts';
import { parseTemplateFile } from '../../src/domain/outreach/template-file.ts';
import {
  archiveTemplate,
  getTemplate,
  listTemplates,
  saveTemplate,
  suggestedTemplate,
  templateVersions,
} from '../../src/domain/outreach/templates.ts';
import { sampleView } from '../../src/domain/outreach/view.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const view = sampleView('payment_failing', '2026-03-10');
const NOW = new Date('2026-03-10T10:00:00Z');
const GOOD_BODY = `Hi {{contact.first_name}},

Your workspace keeps running without a break with a one-minute card update. {{evidence.summary}}

Update the card here:
{{links.billing}}

If anything looks off, just reply and I'll sort it out.

Best,
{{csm.name}}`;

const input = (overrides: Record<string, unknown> = {}) => ({
  name: 'Short card update',
  triggerId: 'payment_failing' as string | null,
  channel: 'email',
  subject: 'Keep {{account.name}} running',
  body: GOOD_BODY,
  ...overrides,
});

describe('migration 5: outreach templates and settings', () => {
  it('adds STRICT template, version and settings tables on top of the earlier schema', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    configureConnection(db);
    const upTo5 = migrations.filter((m) => m.version <= 5);
    migrate(
      db,
      upTo5.filter((m) => m.version < 5),
    );
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(db, upTo5);
    expect(schemaVersion(db)).toBe(5);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name LIKE 'outreach_%'",
      )
      .all();
    expect(tables.map((t) => t.name).sort()).toEqual([
      'outreach_settings',
      'outreach_template_versions',
      'outreach_templates',
    ]);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    expect(db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Acme']);
    expect(() =>
      db
        .prepare(
          "INSERT INTO outreach_templates (template_id, name, channel, current_version, created_at, updated_at) VALUES ('t', 'x', 'fax', 1, 'n', 'n')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO outreach_settings (key, value_json, updated_at) VALUES ('k', 'not json', 'n')").run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});

describe('template library in the database', () => {
  it('lists built-ins for every trigger and channel, and suggests the built-in until the user has a copy', () => {
    const { db } = tempDb();
    // 16 triggers × 4 channels.
    expect(listTemplates(db)).toHaveLength(64);
    expect(suggestedTemplate(db, 'payment_failing', 'email')?.id).toBe('builtin.payment_failing.email');
    const { template } = saveTemplate(
      db,
      { ...input(), basedOn: 'builtin.payment_failing.email' },
      view,
      'Maya Chen',
      NOW,
    );
    expect(template).toMatchObject({
      name: 'Short card update',
      version: 1,
      builtIn: false,
      basedOn: 'builtin.payment_failing.email',
      triggerId: 'payment_failing',
    });
    expect(suggestedTemplate(db, 'payment_failing', 'email')?.id).toBe(template.id);
    expect(suggestedTemplate(db, 'payment_failing', 'sms')?.id).toBe('builtin.payment_failing.sms');
  });

  it('keeps every saved version, and an unchanged save adds none', () => {
    const { db } = tempDb();
    const first = saveTemplate(db, input(), view, 'Maya Chen', NOW).template;
    const second = saveTemplate(
      db,
      input({ templateId: first.id, subject: 'Keep {{account.name}} running, in a minute' }),
      view,
      'Maya Chen',
      new Date('2026-03-11T10:00:00Z'),
    ).template;
    saveTemplate(
      db,
      input({ templateId: first.id, subject: 'Keep {{account.name}} running, in a minute' }),
      view,
      'Maya Chen',
      new Date('2026-03-12T10:00:00Z'),
    );
    expect(second.version).toBe(2);
    expect(templateVersions(db, first.id).map((v) => [v.version, v.subject])).toEqual([
      [2, 'Keep {{account.name}} running, in a minute'],
      [1, 'Keep {{account.name}} running'],
    ]);
    expect(getTemplate(db, first.id, 1)?.subject).toBe('Keep {{account.name}} running');
    expect(getTemplate(db, first.id)?.version).toBe(2);
  });

  it('refuses a second template of the same name for the same play and channel', () => {
    const { db } = tempDb();
    const first = saveTemplate(db, input(), view, 'Maya Chen', NOW).template;
    expect(() => saveTemplate(db, input({ name: 'short card UPDATE ' }), view, 'Maya Chen', NOW)).toThrow(
      'You already have a template called "short card UPDATE" for this play and channel; give this one another name.',
    );
    // Its own name on a new version, another channel or play, or an archived namesake are fine.
    saveTemplate(db, input({ templateId: first.id, subject: 'Keep {{account.name}} going' }), view, 'Maya Chen', NOW);
    saveTemplate(db, input({ triggerId: null }), view, 'Maya Chen', NOW);
    archiveTemplate(db, first.id, NOW);
    expect(saveTemplate(db, input(), view, 'Maya Chen', NOW).template.name).toBe('Short card update');
  });

  it('refuses an unknown token at save time, with the sentence the editor shows', () => {
    const { db } = tempDb();
    expect(() => saveTemplate(db, input({ body: `${GOOD_BODY}\n{{csm.mobile}}` }), view, 'Maya Chen', NOW)).toThrow(
      /^The template was not saved: “\{\{csm\.mobile\}\}” in the body is not a token Foresight knows/,
    );
    expect(listTemplates(db).filter((t) => !t.builtIn)).toHaveLength(0);
  });

  it('flags a company-first template before it can be used: saving needs the warnings acknowledged', () => {
    const { db } = tempDb();
    const companyFirst = input({
      body: GOOD_BODY.replace(
        'Your workspace keeps running',
        'Our systems experienced a malfunction. Your workspace keeps running',
      ),
    });
    expect(() => saveTemplate(db, companyFirst, view, 'Maya Chen', NOW)).toThrow(
      /benefit-first check has 1 warning, starting with: The email opens with us, not the customer/,
    );
    const { warnings } = saveTemplate(db, { ...companyFirst, acknowledgeWarnings: true }, view, 'Maya Chen', NOW);
    expect(warnings.map((w) => w.rule)).toEqual(['company_first']);
  });

  it('keeps built-ins read-only and archives user templates without losing their versions', () => {
    const { db } = tempDb();
    expect(() => saveTemplate(db, input({ templateId: 'builtin.payment_failing.email' }), view, null, NOW)).toThrow(
      /read-only/,
    );
    expect(() => archiveTemplate(db, 'builtin.payment_failing.email', NOW)).toThrow(/cannot be deleted/);
    const { template } = saveTemplate(db, input(), view, 'Maya Chen', NOW);
    archiveTemplate(db, template.id, NOW);
    expect(listTemplates(db).some((t) => t.id === template.id)).toBe(false);
    expect(listTemplates(db, { includeArchived: true }).some((t) => t.id === template.id)).toBe(true);
    expect(templateVersions(db, template.id)).toHaveLength(1);
  });
});

describe('outreach settings as data', () => {
  it('defaults to 2 touches in 14 days and weekdays 09:00–17:00, and stores validated overrides', () => {
    const { db } = tempDb();
    expect(loadOutreachSettings(db).fatigue).toEqual({ maxTouches: 2, windowDays: 14 });
    const saved = saveOutreachSettings(db, { fatigue: { maxTouches: 3 }, activeHours: { start: '08:30' } }, NOW);
    expect(saved.fatigue).toEqual({ maxTouches: 3, windowDays: 14 });
    expect(saved.activeHours).toMatchObject({ start: '08:30', end: '17:00' });
    expect(() => saveOutreachSettings(db, { activeHours: { start: '18:00' } }, NOW)).toThrow(
      /^Working hours must start before they end\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { activeHours: { fallbackTimeZone: 'Mars/Olympus' } }, NOW)).toThrow(
      /^The time zone when unknown must be a time zone name such as Europe\/Berlin\. Nothing was saved\.$/,
    );
    expect(loadOutreachSettings(db).activeHours.start).toBe('08:30');
  });
});

describe('template files', () => {
  it('reads front matter and JSON', () => {
    const text = `---\nname: Card update\ntrigger: payment_failing\nchannel: email\nsubject: "Keep {{account.name}}: running"\n---\nHi {{contact.first_name}},\n\nBody line\n`;
    expect(parseTemplateFile(text, 'card.txt')).toEqual({
      name: 'Card update',
      triggerId: 'payment_failing',
      channel: 'email',
      subject: 'Keep {{account.name}}: running',
      body: 'Hi {{contact.first_name}},\n\nBody line',
    });
    expect(
      parseTemplateFile(JSON.stringify({ name: 'SMS', trigger: null, channel: 'sms', body: 'Hi' }), 'x.json'),
    ).toEqual({ name: 'SMS', triggerId: null, channel: 'sms', subject: null, body: 'Hi' });
  });

  it('explains a broken file in one sentence', () => {
    expect(() => parseTemplateFile('---\nname: x\nbody', 'a.txt')).toThrow(
      'a.txt: the front matter that starts on line 1 has no closing "---" line.',
    );
    expect(() => parseTemplateFile('---\ncolour: red\n---\nHi', 'a.txt')).toThrow(
      /a\.txt, line 2: expected one of name, trigger, channel, subject/,
    );
    expect(() => parseTemplateFile('---\ntrigger: nope\n---\nHi', 'a.txt')).toThrow(
      'a.txt: there is no trigger called "nope".',
    );
    expect(() => parseTemplateFile('{"body": 3}', 'a.json')).toThrow('a.json: "body" must be text.');
  });
});
